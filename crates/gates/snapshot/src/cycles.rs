//! Reference cycles that never read into the instance. `{"$ref": "#"}`, or two `$defs`
//! whose `$ref`s (or `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else` branches) lead
//! back to each other, apply a schema to the same value forever: JSON Schema leaves
//! such a schema undefined, Python's validator runs out of stack on it, and the Rust
//! validator accepts everything under it. Neither is a judgement, so such a schema is
//! refused with the pointer of the reference that closes the cycle. Recursion through
//! `properties`, `items` and the other keywords that read into the instance is fine:
//! each step reads a smaller part of the document.

use jsonschema::Draft;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::compat::refs::{Index, reference_of};
use crate::schema::escape_token;

/// Keywords whose subschemas apply to the same value (in place).
const IN_PLACE_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];
const IN_PLACE_ONE: &[&str] = &["not", "if", "then", "else"];
const IN_PLACE_MAPS: &[&str] = &["dependentSchemas", "dependencies"];

/// Keywords whose subschemas read into the value (or are only definitions).
const BELOW_ONE: &[&str] = &[
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "items",
];
const BELOW_LISTS: &[&str] = &["items", "prefixItems"];
const BELOW_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions"];

/// The pointer of a reference keyword that closes a cycle of in-place applications, if
/// the schema has one.
pub fn in_place_cycle(root: &Value, draft: Draft) -> Option<String> {
    let index = Index::new(root, draft);
    let mut nodes = Vec::new();
    subschemas(root, String::new(), &mut nodes);
    let mut state: BTreeMap<String, bool> = BTreeMap::new();
    nodes
        .into_iter()
        .find_map(|node| visit(&index, node, &mut state))
}

/// Depth-first search over in-place edges from `start`, with an explicit stack (a chain
/// of references may be long); `state` holds `false` for a node on the current path and
/// `true` for one finished. Returns the reference that closes a cycle.
fn visit(index: &Index<'_>, start: String, state: &mut BTreeMap<String, bool>) -> Option<String> {
    if state.contains_key(&start) {
        return None;
    }
    state.insert(start.clone(), false);
    let mut stack = vec![(start.clone(), in_place_edges(index, &start).into_iter())];
    while let Some((node, edges)) = stack.last_mut() {
        match edges.next() {
            Some((edge, target)) => match state.get(&target) {
                Some(false) => return Some(edge),
                Some(true) => {}
                None => {
                    state.insert(target.clone(), false);
                    let next = in_place_edges(index, &target).into_iter();
                    stack.push((target, next));
                }
            },
            None => {
                state.insert(node.clone(), true);
                stack.pop();
            }
        }
    }
    None
}

/// `(pointer of the keyword, pointer of the subschema)` for each subschema applied to the
/// same value as the one at `pointer`.
fn in_place_edges(index: &Index<'_>, pointer: &str) -> Vec<(String, String)> {
    let Some(node) = index.root.pointer(pointer) else {
        return Vec::new();
    };
    let Some(map) = node.as_object() else {
        return Vec::new();
    };
    let mut edges = Vec::new();
    if let Some((reference, keyword)) = reference_of(node) {
        let target = match keyword {
            "$ref" => index.resolve(pointer, reference),
            "$dynamicRef" => index.resolve_dynamic(pointer, reference, false),
            _ => index.resolve_dynamic(pointer, reference, true),
        };
        let at = format!("{pointer}/{}", escape_token(keyword));
        edges.extend(target.map(|t| (at, t)));
        // Before 2019-09 the keywords beside `$ref` are ignored.
        if index.draft < Draft::Draft201909 && keyword == "$ref" {
            return edges;
        }
    }
    for key in IN_PLACE_LISTS {
        if let Some(Value::Array(items)) = map.get(*key) {
            for i in 0..items.len() {
                let at = format!("{pointer}/{key}/{i}");
                edges.push((at.clone(), at));
            }
        }
    }
    for key in IN_PLACE_ONE {
        if map.get(*key).is_some_and(Value::is_object) {
            let at = format!("{pointer}/{key}");
            edges.push((at.clone(), at));
        }
    }
    for key in IN_PLACE_MAPS {
        if let Some(Value::Object(entries)) = map.get(*key) {
            for (name, value) in entries {
                if value.is_object() {
                    let at = format!("{pointer}/{key}/{}", escape_token(name));
                    edges.push((at.clone(), at));
                }
            }
        }
    }
    edges
}

/// Every subschema of the document (objects only: a boolean schema applies nothing).
fn subschemas(node: &Value, pointer: String, out: &mut Vec<String>) {
    let Value::Object(map) = node else {
        return;
    };
    for key in IN_PLACE_LISTS.iter().chain(BELOW_LISTS) {
        if let Some(Value::Array(items)) = map.get(*key) {
            for (i, item) in items.iter().enumerate() {
                subschemas(item, format!("{pointer}/{key}/{i}"), out);
            }
        }
    }
    for key in IN_PLACE_ONE.iter().chain(BELOW_ONE) {
        if let Some(item @ Value::Object(_)) = map.get(*key) {
            subschemas(item, format!("{pointer}/{key}"), out);
        }
    }
    for key in IN_PLACE_MAPS.iter().chain(BELOW_MAPS) {
        if let Some(Value::Object(entries)) = map.get(*key) {
            for (name, item) in entries {
                subschemas(item, format!("{pointer}/{key}/{}", escape_token(name)), out);
            }
        }
    }
    out.push(pointer);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cycle(schema: Value) -> Option<String> {
        in_place_cycle(&schema, Draft::Draft202012)
    }

    #[test]
    fn references_that_never_read_into_the_value_are_cycles() {
        assert_eq!(cycle(json!({"$ref": "#"})), Some("/$ref".into()));
        let pair = json!({
            "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}},
            "properties": {"x": {"$ref": "#/$defs/a"}}
        });
        assert!(cycle(pair).is_some());
        let through_not = json!({"$defs": {"a": {"not": {"$ref": "#/$defs/a"}}}});
        let at = cycle(through_not).expect("cycle");
        assert!(at.starts_with("/$defs/a/not"), "{at}");
        let by_id = json!({
            "$id": "https://example.com/root.json",
            "anyOf": [{"type": "string"}, {"$ref": "https://example.com/root.json"}]
        });
        assert!(cycle(by_id).is_some());
    }

    #[test]
    fn recursion_that_reads_into_the_value_is_no_cycle() {
        let tree = json!({
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#"}}},
            "additionalProperties": {"$ref": "#/$defs/leaf"},
            "$defs": {"leaf": {"anyOf": [{"type": "string"}, {"$ref": "#"}]}}
        });
        assert_eq!(cycle(tree), None);
        // A reference inside data (`const`, `default`, `examples`) is not a subschema.
        assert_eq!(
            cycle(json!({"const": {"$ref": "#"}, "default": {"$ref": "#"}})),
            None
        );
        // Before 2019-09 the keywords beside `$ref` are ignored.
        let draft7 = json!({"$ref": "#/definitions/a", "allOf": [{"$ref": "#"}],
                            "definitions": {"a": {"type": "string"}}});
        assert_eq!(in_place_cycle(&draft7, Draft::Draft7), None);
        assert!(in_place_cycle(&draft7, Draft::Draft202012).is_some());
    }
}

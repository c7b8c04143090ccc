//! Rewrites a schema of an earlier draft in the syntax of a later one, accepting the same
//! documents, so that two schemas of different drafts can be compared as sets: draft 4's
//! `id` and boolean exclusive bounds, keywords beside a `$ref` (ignored before 2019-09),
//! `dependencies`, array-form `items` with `additionalItems`, `"$id": "#name"` anchors.
//! Keywords the earlier draft does not define are dropped: its validators ignore them.
//! References whose pointers pass through a rewritten keyword make the rewrite refused.

use jsonschema::Draft;
use serde_json::{Map, Value, json};

use super::vocabulary::{Holds, lookup};

/// `schema`, read under `from`, rewritten for `to`; `None` when it cannot be rewritten
/// exactly.
pub fn upgrade(schema: &Value, from: Draft, to: Draft) -> Option<Value> {
    if from >= to {
        return Some(schema.clone());
    }
    if refs_through_rewrites(schema) {
        return None;
    }
    let mut out = rewrite(schema, from, to);
    if let Value::Object(map) = &mut out {
        map.insert("$schema".into(), json!(meta_schema(to)));
    }
    Some(out)
}

fn meta_schema(draft: Draft) -> &'static str {
    match draft {
        Draft::Draft4 => "http://json-schema.org/draft-04/schema#",
        Draft::Draft6 => "http://json-schema.org/draft-06/schema#",
        Draft::Draft7 => "http://json-schema.org/draft-07/schema#",
        Draft::Draft201909 => "https://json-schema.org/draft/2019-09/schema",
        _ => "https://json-schema.org/draft/2020-12/schema",
    }
}

/// Whether a `$ref` pointer passes through a keyword this rewrite moves.
fn refs_through_rewrites(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            let moved = [
                "/items/",
                "/additionalItems",
                "/dependencies/",
                "/exclusiveM",
            ];
            (k == "$ref"
                && v.as_str()
                    .is_some_and(|r| moved.iter().any(|m| r.contains(m))))
                || refs_through_rewrites(v)
        }),
        Value::Array(items) => items.iter().any(refs_through_rewrites),
        _ => false,
    }
}

fn rewrite(schema: &Value, from: Draft, to: Draft) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    let beside_ref_ignored = from < Draft::Draft201909 && map.contains_key("$ref");
    for (key, value) in map {
        // `$defs` is a container for `$ref` pointers in any draft.
        let container = lookup("definitions", from).filter(|_| key == "$defs");
        let Some(keyword) = lookup(key, from).or(container) else {
            continue;
        };
        if beside_ref_ignored && !matches!(key.as_str(), "$ref" | "definitions" | "$defs") {
            continue;
        }
        let value = match keyword.holds {
            Holds::Nothing => value.clone(),
            Holds::Schema => rewrite(value, from, to),
            Holds::List => match value {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|i| rewrite(i, from, to)).collect())
                }
                other => rewrite(other, from, to),
            },
            Holds::Map => match value {
                Value::Object(entries) => Value::Object(
                    entries
                        .iter()
                        .map(|(k, v)| {
                            let v = if v.is_array() {
                                v.clone()
                            } else {
                                rewrite(v, from, to)
                            };
                            (k.clone(), v)
                        })
                        .collect(),
                ),
                other => other.clone(),
            },
        };
        out.insert(key.clone(), value);
    }
    if from == Draft::Draft4 {
        if let Some(id) = out.remove("id") {
            out.insert("$id".into(), id);
        }
        for (bound, exclusive) in [
            ("minimum", "exclusiveMinimum"),
            ("maximum", "exclusiveMaximum"),
        ] {
            match out.remove(exclusive) {
                Some(Value::Bool(true)) => {
                    if let Some(limit) = out.remove(bound) {
                        out.insert(exclusive.into(), limit);
                    }
                }
                Some(Value::Bool(false)) | None => {}
                Some(other) => {
                    out.insert(exclusive.into(), other);
                }
            }
        }
    }
    if from < Draft::Draft201909 && to >= Draft::Draft201909 {
        if let Some(id) = out
            .get("$id")
            .and_then(Value::as_str)
            .and_then(|i| i.strip_prefix('#'))
        {
            let anchor = id.to_owned();
            out.remove("$id");
            out.insert("$anchor".into(), json!(anchor));
        }
        if let Some(Value::Object(deps)) = out.remove("dependencies") {
            let (names, schemas): (Map<String, Value>, Map<String, Value>) =
                deps.into_iter().partition(|(_, v)| v.is_array());
            if !names.is_empty() {
                out.insert("dependentRequired".into(), Value::Object(names));
            }
            if !schemas.is_empty() {
                out.insert("dependentSchemas".into(), Value::Object(schemas));
            }
        }
    }
    if to >= Draft::Draft202012 && from < Draft::Draft202012 {
        match out.remove("items") {
            Some(Value::Array(tuple)) => {
                out.insert("prefixItems".into(), Value::Array(tuple));
                if let Some(rest) = out.remove("additionalItems") {
                    out.insert("items".into(), rest);
                }
            }
            Some(single) => {
                out.remove("additionalItems");
                out.insert("items".into(), single);
            }
            None => {
                out.remove("additionalItems");
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compat::evidence::Judge;

    fn same_verdicts(schema: &Value, from: Draft, to: Draft, docs: &[Value]) {
        let upgraded = upgrade(schema, from, to).expect("rewritable");
        let (a, b) = (
            Judge::new(schema, from).expect("from"),
            Judge::new(&upgraded, to).expect("to"),
        );
        for doc in docs {
            assert_eq!(
                a.accepts(doc),
                b.accepts(doc),
                "{schema} vs {upgraded} on {doc}"
            );
        }
    }

    #[test]
    fn draft4_bounds_and_ids() {
        let schema = json!({"id": "https://x/s.json", "type": "number", "minimum": 1, "exclusiveMinimum": true, "maximum": 3});
        same_verdicts(
            &schema,
            Draft::Draft4,
            Draft::Draft202012,
            &[json!(1), json!(1.5), json!(3), json!(3.5)],
        );
        let upgraded = upgrade(&schema, Draft::Draft4, Draft::Draft202012).expect("ok");
        assert_eq!(upgraded["exclusiveMinimum"], json!(1));
        assert_eq!(upgraded["$id"], json!("https://x/s.json"));
    }

    #[test]
    fn draft7_tuples_dependencies_and_ref_siblings() {
        let schema = json!({
            "definitions": {"s": {"$id": "#S", "type": "string"}},
            "type": "object",
            "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
            "properties": {
                "t": {"type": "array", "items": [{"type": "integer"}], "additionalItems": {"$ref": "#S"}},
                "r": {"$ref": "#/definitions/s", "maxLength": 1},
                "x": {"prefixItems": [false]}
            }
        });
        let docs = [
            json!({}),
            json!({"a": 1}),
            json!({"a": 1, "b": 2}),
            json!({"c": 1}),
            json!({"c": 1, "d": 1}),
            json!({"t": [1, "s"]}),
            json!({"t": [1, 2]}),
            json!({"t": ["s"]}),
            json!({"r": "long"}),
            json!({"r": 1}),
            json!({"x": [1]}),
        ];
        same_verdicts(&schema, Draft::Draft7, Draft::Draft202012, &docs);
        same_verdicts(&schema, Draft::Draft7, Draft::Draft201909, &docs);
    }

    #[test]
    fn pointers_into_moved_keywords_are_refused() {
        let schema =
            json!({"items": [{"type": "string"}], "properties": {"a": {"$ref": "#/items/0"}}});
        assert!(upgrade(&schema, Draft::Draft7, Draft::Draft202012).is_none());
    }
}

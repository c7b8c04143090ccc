//! Comparisons of single-value keywords: `type`, `enum`/`const`, numeric and length
//! bounds, and value constraints such as `pattern`. Each returns findings for one
//! schema node; the walk over nested schemas lives in `diff.rs`.

use serde_json::{Map, Value};

use super::finding::{Effect, Finding};

/// JSON types as named by JSON Schema; `integer` is a subset of `number`.
const ALL_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// Lower bounds: raising one narrows.
const LOWER_BOUNDS: [&str; 6] = [
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
];

/// Upper bounds: lowering one narrows.
const UPPER_BOUNDS: [&str; 6] = [
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
];

/// Keywords whose presence restricts values and whose change of value is not ordered.
const CONSTRAINTS: [&str; 3] = ["pattern", "format", "multipleOf"];

/// The shape shared by the keyword comparisons.
pub type Comparison = fn(&str, &Map<String, Value>, &Map<String, Value>, &mut Vec<Finding>);

/// Builds a finding; a helper so every call site reads as one line.
pub fn finding(path: &str, rule: &'static str, effect: Effect, message: String) -> Finding {
    debug_assert!(
        super::finding::RULES.iter().any(|(name, _)| *name == rule),
        "unregistered rule {rule}"
    );
    Finding {
        path: path.to_owned(),
        rule,
        effect,
        message,
    }
}

/// The types a schema node accepts; `None` when `type` is absent (every type).
fn types(node: &Map<String, Value>) -> Vec<&'static str> {
    let named: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => return ALL_TYPES.to_vec(),
    };
    ALL_TYPES
        .iter()
        .copied()
        .filter(|t| named.contains(t) || (*t == "integer" && named.contains(&"number")))
        .collect()
}

/// `type`: types lost narrow, types gained widen.
pub fn compare_types(
    path: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    out: &mut Vec<Finding>,
) {
    let (before, after) = (types(old), types(new));
    let lost: Vec<&str> = before
        .iter()
        .copied()
        .filter(|t| !after.contains(t))
        .collect();
    let gained: Vec<&str> = after
        .iter()
        .copied()
        .filter(|t| !before.contains(t))
        .collect();
    let at = format!("{path}/type");
    if !lost.is_empty() {
        let message = format!("no longer accepts {}", lost.join(", "));
        out.push(finding(&at, "type-narrowed", Effect::Narrows, message));
    }
    if !gained.is_empty() {
        let message = format!("now also accepts {}", gained.join(", "));
        out.push(finding(&at, "type-widened", Effect::Widens, message));
    }
}

/// The values allowed by `enum` and/or `const`, when restricted.
fn allowed_values(node: &Map<String, Value>) -> Option<Vec<&Value>> {
    let from_enum = node
        .get("enum")
        .and_then(Value::as_array)
        .map(|v| v.iter().collect::<Vec<_>>());
    match (from_enum, node.get("const")) {
        (Some(values), Some(c)) => Some(values.into_iter().filter(|v| *v == c).collect()),
        (Some(values), None) => Some(values),
        (None, Some(c)) => Some(vec![c]),
        (None, None) => None,
    }
}

/// `enum`/`const`: values dropped narrow, values added widen.
pub fn compare_enums(
    path: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    out: &mut Vec<Finding>,
) {
    let keyword = if new.contains_key("enum") || old.contains_key("enum") {
        "enum"
    } else {
        "const"
    };
    let at = format!("{path}/{keyword}");
    match (allowed_values(old), allowed_values(new)) {
        (Some(before), Some(after)) => {
            let removed: Vec<String> = before
                .iter()
                .filter(|v| !after.contains(v))
                .map(|v| v.to_string())
                .collect();
            let added: Vec<String> = after
                .iter()
                .filter(|v| !before.contains(v))
                .map(|v| v.to_string())
                .collect();
            if !removed.is_empty() {
                let message = format!("values removed: {}", removed.join(", "));
                out.push(finding(
                    &at,
                    "enum-values-removed",
                    Effect::Narrows,
                    message,
                ));
            }
            if !added.is_empty() {
                let message = format!("values added: {}", added.join(", "));
                out.push(finding(&at, "enum-values-added", Effect::Widens, message));
            }
        }
        (None, Some(after)) => {
            let list: Vec<String> = after.iter().map(|v| v.to_string()).collect();
            let message = format!("value now restricted to {}", list.join(", "));
            out.push(finding(&at, "enum-added", Effect::Narrows, message));
        }
        (Some(_), None) => {
            out.push(finding(
                &at,
                "enum-removed",
                Effect::Widens,
                "value no longer restricted".into(),
            ));
        }
        (None, None) => {}
    }
}

/// Numeric bounds: a tighter or new bound narrows, a looser or dropped one widens.
pub fn compare_bounds(
    path: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    out: &mut Vec<Finding>,
) {
    let keywords = LOWER_BOUNDS
        .iter()
        .map(|k| (*k, true))
        .chain(UPPER_BOUNDS.iter().map(|k| (*k, false)));
    for (keyword, lower) in keywords {
        // Draft 4 spells exclusive bounds as booleans; only numeric bounds are ordered.
        let before = old.get(keyword).and_then(Value::as_f64);
        let after = new.get(keyword).and_then(Value::as_f64);
        let tightened = match (before, after) {
            (Some(b), Some(a)) if a == b => continue,
            (Some(b), Some(a)) => (a > b) == lower,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (None, None) => continue,
        };
        let show = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |x| x.to_string());
        let message = format!("{keyword} {} -> {}", show(before), show(after));
        let at = format!("{path}/{keyword}");
        if tightened {
            out.push(finding(&at, "bound-tightened", Effect::Narrows, message));
        } else {
            out.push(finding(&at, "bound-loosened", Effect::Widens, message));
        }
    }
}

/// `pattern`, `format`, `multipleOf` and `uniqueItems`: added narrows, dropped
/// widens, a different value is a change in both directions.
pub fn compare_constraints(
    path: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    out: &mut Vec<Finding>,
) {
    let unique = |m: &Map<String, Value>| {
        m.get("uniqueItems")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .then_some(Value::Bool(true))
    };
    let pairs = CONSTRAINTS
        .iter()
        .map(|k| (*k, old.get(*k).cloned(), new.get(*k).cloned()))
        .chain(std::iter::once(("uniqueItems", unique(old), unique(new))));
    for (keyword, before, after) in pairs {
        let at = format!("{path}/{keyword}");
        match (before, after) {
            (Some(b), Some(a)) if a != b => {
                let message = format!("{keyword} {b} -> {a}");
                out.push(finding(&at, "constraint-changed", Effect::Changes, message));
            }
            (None, Some(a)) => {
                out.push(finding(
                    &at,
                    "constraint-added",
                    Effect::Narrows,
                    format!("{keyword} {a} added"),
                ));
            }
            (Some(b), None) => {
                out.push(finding(
                    &at,
                    "constraint-removed",
                    Effect::Widens,
                    format!("{keyword} {b} dropped"),
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(f: Comparison, old: Value, new: Value) -> Vec<(&'static str, Effect)> {
        let mut out = Vec::new();
        let (Value::Object(o), Value::Object(n)) = (old, new) else {
            panic!("objects expected");
        };
        f("/p", &o, &n, &mut out);
        out.into_iter().map(|f| (f.rule, f.effect)).collect()
    }

    #[test]
    fn types_narrow_and_widen_with_integer_inside_number() {
        assert_eq!(
            run(
                compare_types,
                json!({"type": "number"}),
                json!({"type": "integer"})
            ),
            [("type-narrowed", Effect::Narrows)]
        );
        assert_eq!(
            run(
                compare_types,
                json!({"type": "integer"}),
                json!({"type": ["number", "null"]})
            ),
            [("type-widened", Effect::Widens)]
        );
        assert_eq!(
            run(compare_types, json!({}), json!({"type": "string"})),
            [("type-narrowed", Effect::Narrows)]
        );
        assert!(
            run(
                compare_types,
                json!({"type": ["string", "null"]}),
                json!({"type": ["null", "string"]})
            )
            .is_empty()
        );
    }

    #[test]
    fn enum_values_removed_and_added() {
        let got = run(
            compare_enums,
            json!({"enum": ["a", "b"]}),
            json!({"enum": ["b", "c"]}),
        );
        assert_eq!(
            got,
            [
                ("enum-values-removed", Effect::Narrows),
                ("enum-values-added", Effect::Widens)
            ]
        );
        assert_eq!(
            run(compare_enums, json!({}), json!({"const": "x"})),
            [("enum-added", Effect::Narrows)]
        );
        assert_eq!(
            run(compare_enums, json!({"const": 1}), json!({})),
            [("enum-removed", Effect::Widens)]
        );
    }

    #[test]
    fn bounds_tighten_and_loosen() {
        let got = run(
            compare_bounds,
            json!({"minimum": 0, "maxLength": 10, "maxItems": 3}),
            json!({"minimum": 1, "maxLength": 20}),
        );
        assert_eq!(
            got,
            [
                ("bound-tightened", Effect::Narrows),
                ("bound-loosened", Effect::Widens),
                ("bound-loosened", Effect::Widens)
            ]
        );
        assert_eq!(
            run(compare_bounds, json!({}), json!({"maximum": 5})),
            [("bound-tightened", Effect::Narrows)]
        );
        assert!(
            run(
                compare_bounds,
                json!({"minimum": 1}),
                json!({"minimum": 1.0})
            )
            .is_empty()
        );
    }

    #[test]
    fn constraints_added_dropped_changed() {
        let got = run(
            compare_constraints,
            json!({"pattern": "^a", "multipleOf": 2}),
            json!({"pattern": "^b", "uniqueItems": true}),
        );
        assert_eq!(
            got,
            [
                ("constraint-changed", Effect::Changes),
                ("constraint-removed", Effect::Widens),
                ("constraint-added", Effect::Narrows)
            ]
        );
    }
}

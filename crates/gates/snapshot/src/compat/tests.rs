//! Whole-schema comparisons: each rule reached through a realistic schema pair.

use serde_json::{Value, json};

use super::{Effect, compare};
use crate::config::Compatibility;

fn rules(old: Value, new: Value) -> Vec<(String, &'static str, Effect)> {
    compare(&old, &new)
        .expect("refs resolve")
        .into_iter()
        .map(|f| (f.path, f.rule, f.effect))
        .collect()
}

fn telemetry(required: &[&str]) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": required,
        "properties": {
            "schema_version": {"type": "string"},
            "tick": {"type": "integer", "minimum": 0}
        }
    })
}

#[test]
fn identical_schemas_have_no_findings() {
    assert!(rules(telemetry(&["tick"]), telemetry(&["tick"])).is_empty());
}

#[test]
fn optional_made_required_breaks_backward_not_forward() {
    let found = compare(
        &telemetry(&["schema_version"]),
        &telemetry(&["schema_version", "tick"]),
    )
    .expect("ok");
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(
        (f.path.as_str(), f.rule),
        ("/required", "optional-made-required")
    );
    assert!(f.message.contains("\"tick\""), "{}", f.message);
    assert!(f.breaks(Compatibility::Backward));
    assert!(!f.breaks(Compatibility::Forward));
    assert!(f.breaks(Compatibility::Full));
}

#[test]
fn required_property_added_and_required_removed() {
    let old = json!({"required": ["a"], "properties": {"a": {}}});
    let new = json!({"required": ["b"], "properties": {"a": {}, "b": {"type": "string"}}});
    let found = rules(old, new);
    assert!(
        found.contains(&(
            "/properties/b".into(),
            "property-added-open-model",
            Effect::Narrows
        )),
        "{found:?}"
    );
    assert!(found.contains(&(
        "/required".into(),
        "property-added-required",
        Effect::Narrows
    )));
    assert!(found.contains(&("/required".into(), "required-removed", Effect::Widens)));
}

#[test]
fn open_and_closed_models_differ() {
    let open_old = json!({"properties": {"a": {"type": "string"}}});
    let open_new = json!({"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}});
    assert_eq!(
        rules(open_old.clone(), open_new.clone()),
        [(
            "/properties/b".into(),
            "property-added-open-model",
            Effect::Narrows
        )]
    );
    assert_eq!(
        rules(open_new, open_old),
        [(
            "/properties/b".into(),
            "property-removed-open-model",
            Effect::Widens
        )]
    );
    let closed = |v: Value| {
        let mut v = v;
        v["additionalProperties"] = json!(false);
        v
    };
    let closed_old = closed(json!({"properties": {"a": {"type": "string"}}}));
    let closed_new =
        closed(json!({"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}));
    assert_eq!(
        rules(closed_old.clone(), closed_new.clone()),
        [(
            "/properties/b".into(),
            "property-added-closed-model",
            Effect::Widens
        )]
    );
    assert_eq!(
        rules(closed_new, closed_old),
        [(
            "/properties/b".into(),
            "property-removed-closed-model",
            Effect::Narrows
        )]
    );
}

#[test]
fn additional_properties_tightened_and_loosened() {
    let open = json!({"type": "object"});
    let closed = json!({"type": "object", "additionalProperties": false});
    let typed = json!({"type": "object", "additionalProperties": {"type": "number"}});
    assert_eq!(
        rules(open.clone(), closed.clone()),
        [(
            "/additionalProperties".into(),
            "additional-properties-tightened",
            Effect::Narrows
        )]
    );
    assert_eq!(
        rules(closed, open.clone()),
        [(
            "/additionalProperties".into(),
            "additional-properties-loosened",
            Effect::Widens
        )]
    );
    assert_eq!(
        rules(open, typed.clone()),
        [(
            "/additionalProperties".into(),
            "additional-properties-tightened",
            Effect::Narrows
        )]
    );
    let stricter = json!({"type": "object", "additionalProperties": {"type": "integer"}});
    assert_eq!(
        rules(typed, stricter),
        [(
            "/additionalProperties/type".into(),
            "type-narrowed",
            Effect::Narrows
        )]
    );
}

#[test]
fn refs_are_followed_on_both_sides() {
    let old = json!({
        "$defs": {"pos": {"properties": {"x": {"type": "number", "maximum": 100}}}},
        "properties": {"pos": {"$ref": "#/$defs/pos"}}
    });
    let new = json!({
        "definitions": {"position": {"properties": {"x": {"type": "integer", "maximum": 50}}}},
        "properties": {"pos": {"$ref": "#/definitions/position"}}
    });
    let found = rules(old, new);
    assert_eq!(
        found,
        [
            (
                "/properties/pos/properties/x/type".into(),
                "type-narrowed",
                Effect::Narrows
            ),
            (
                "/properties/pos/properties/x/maximum".into(),
                "bound-tightened",
                Effect::Narrows
            )
        ]
    );
}

#[test]
fn recursive_schemas_terminate() {
    let tree = |t: &str| {
        json!({
            "$defs": {"node": {"properties": {"v": {"type": t}, "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
            "$ref": "#/$defs/node"
        })
    };
    let found = rules(tree("integer"), tree("number"));
    assert_eq!(
        found,
        [("/properties/v/type".into(), "type-widened", Effect::Widens)]
    );
}

#[test]
fn unresolvable_refs_are_problems_not_findings() {
    let old = json!({"properties": {"a": {"$ref": "#/$defs/missing"}}});
    let err = compare(&old, &json!({})).expect_err("dangling");
    assert_eq!(err.side, "previous");
    assert_eq!(err.path, "/properties/a");
    let cyclic = json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"});
    assert!(compare(&cyclic, &cyclic).is_err());
}

#[test]
fn items_and_combinators_are_compared_by_position() {
    let old =
        json!({"items": {"enum": ["a", "b"]}, "anyOf": [{"type": "string"}, {"type": "null"}]});
    let new = json!({"items": {"enum": ["a"]}, "anyOf": [{"type": "string", "maxLength": 8}]});
    let found = rules(old, new);
    assert_eq!(
        found,
        [
            ("/items/enum".into(), "enum-values-removed", Effect::Narrows),
            ("/anyOf".into(), "structure-changed", Effect::Changes)
        ]
    );
}

#[test]
fn false_schemas() {
    let old = json!({"properties": {"legacy": {"type": "string"}}});
    let new = json!({"properties": {"legacy": false}});
    assert_eq!(
        rules(old, new),
        [(
            "/properties/legacy".into(),
            "schema-forbidden",
            Effect::Narrows
        )]
    );
}

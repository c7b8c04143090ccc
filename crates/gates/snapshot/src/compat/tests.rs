//! Whole-schema comparisons, one test per class of change, each read in both directions:
//! `backward` is broken by narrowing findings, `forward` by widening ones (the pair
//! swapped), `full` by both.

use jsonschema::Draft;
use serde_json::{Value, json};

use super::evidence::Judge;
use super::{Effect, Finding, compare};
use crate::config::Compatibility;

const D4: Option<Draft> = Some(Draft::Draft4);
const D7: Option<Draft> = Some(Draft::Draft7);
const D2019: Option<Draft> = Some(Draft::Draft201909);
const D2020: Option<Draft> = Some(Draft::Draft202012);

fn findings(old: &Value, new: &Value, draft: Option<Draft>) -> Vec<Finding> {
    let found = compare(old, new, draft).expect("comparable");
    // Every example shown is checked here again, independently of the comparison.
    for f in &found {
        if let Some(example) = &f.example {
            let d = draft.unwrap_or(Draft::Draft202012);
            let (old_j, new_j) = (
                Judge::new(old, d).expect("old"),
                Judge::new(new, d).expect("new"),
            );
            let (accepting, rejecting) = match f.effect {
                Effect::Narrows => (&old_j, &new_j),
                _ => (&new_j, &old_j),
            };
            assert!(accepting.accepts(example), "{f:?}");
            assert!(!rejecting.accepts(example), "{f:?}");
        }
    }
    found
}

/// Which modes the change breaks: (backward, forward, full).
fn breaks(old: Value, new: Value, draft: Option<Draft>) -> (bool, bool, bool) {
    let found = findings(&old, &new, draft);
    let swapped = findings(&new, &old, draft);
    let by = |mode| found.iter().any(|f| f.breaks(mode));
    // Swapping the pair swaps the directions.
    assert_eq!(
        by(Compatibility::Forward),
        swapped.iter().any(|f| f.breaks(Compatibility::Backward)),
        "{old} <-> {new}"
    );
    (
        by(Compatibility::Backward),
        by(Compatibility::Forward),
        by(Compatibility::Full),
    )
}

const WIDENS: (bool, bool, bool) = (false, true, true);
const NARROWS: (bool, bool, bool) = (true, false, true);
const SAME: (bool, bool, bool) = (false, false, false);
const BOTH: (bool, bool, bool) = (true, true, true);

#[test]
fn unions_are_sets_not_lists() {
    let s = json!({"type": "string"});
    let cases = [
        (
            s.clone(),
            json!({"oneOf": [{"type": "number"}, {"type": "string"}]}),
            WIDENS,
        ),
        (
            json!({"anyOf": [{"type": "string"}, {"type": "null"}, {"type": "integer"}]}),
            json!({"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]}),
            SAME,
        ),
        (
            json!({"oneOf": [{"type": "string"}]}),
            json!({"allOf": [{"type": "string"}]}),
            SAME,
        ),
        (
            json!({"anyOf": [{"type": "string"}]}),
            json!({"anyOf": [{"type": "string"}, {"type": "boolean"}]}),
            WIDENS,
        ),
        (
            json!({"allOf": [{"type": "string"}, {"maxLength": 3}]}),
            json!({"allOf": [{"type": "string"}]}),
            WIDENS,
        ),
        (
            json!({"oneOf": [{"type": "number"}, {"type": "string"}]}),
            s.clone(),
            NARROWS,
        ),
        (
            json!({"anyOf": [{"type": "string"}]}),
            json!({"allOf": [{"type": "number"}, {"type": "string"}]}),
            NARROWS,
        ),
        // Overlapping oneOf branches: 1 matches both, so the oneOf rejects it.
        (
            json!({"type": "integer"}),
            json!({"oneOf": [{"type": "integer"}, {"minimum": 0}]}),
            BOTH,
        ),
    ];
    for (old, new, want) in cases {
        assert_eq!(
            breaks(old.clone(), new.clone(), D2020),
            want,
            "{old} -> {new}"
        );
    }
}

#[test]
fn tuples_position_by_position_with_the_rest() {
    let cases = [
        // A position added where the rest already had to be a number.
        (
            json!({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "number"}}),
            json!({"type": "array", "items": [{"type": "string"}, {"type": "number"}], "additionalItems": true}),
            WIDENS,
        ),
        // A position added to a closed tuple.
        (
            json!({"type": "array", "items": [{"type": "string"}], "additionalItems": false}),
            json!({"type": "array", "items": [{"type": "string"}, {"type": "number"}], "additionalItems": false}),
            WIDENS,
        ),
        // A tuple whose rest equals its positions becomes a list.
        (
            json!({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}}),
            SAME,
        ),
        // A position added while the rest was open: old data may hold anything there.
        (
            json!({"type": "array", "items": [{"type": "string"}]}),
            json!({"type": "array", "items": [{"type": "string"}, {"type": "number"}]}),
            NARROWS,
        ),
    ];
    for (old, new, want) in cases {
        assert_eq!(breaks(old.clone(), new.clone(), D7), want, "{old} -> {new}");
    }
    let prefix = |n: usize| json!({"type": "array", "prefixItems": vec![json!({"type": "string"}); n], "items": {"type": "string"}});
    assert_eq!(breaks(prefix(1), prefix(3), D2020), SAME);
}

#[test]
fn numeric_bounds_are_ranges() {
    let cases = [
        (
            json!({"type": "number", "minimum": 5}),
            json!({"type": "number", "exclusiveMinimum": 4}),
            WIDENS,
            D2020,
        ),
        (
            json!({"type": "integer", "minimum": 5}),
            json!({"type": "integer", "exclusiveMinimum": 4}),
            SAME,
            D2020,
        ),
        (
            json!({"type": "number", "multipleOf": 10}),
            json!({"type": "number", "multipleOf": 2}),
            WIDENS,
            D2020,
        ),
        (
            json!({"type": "number", "multipleOf": 10}),
            json!({"type": "number", "multipleOf": 4}),
            BOTH,
            D2020,
        ),
        (
            json!({"type": "number", "maximum": 3}),
            json!({"type": "number", "maximum": 3, "exclusiveMaximum": true}),
            NARROWS,
            D4,
        ),
        (
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true}),
            json!({"type": "number", "minimum": 0}),
            WIDENS,
            D4,
        ),
    ];
    for (old, new, want, draft) in cases {
        assert_eq!(
            breaks(old.clone(), new.clone(), draft),
            want,
            "{old} -> {new}"
        );
    }
}

#[test]
fn not_if_then_else_and_const_are_analysed() {
    let cases = [
        (json!({"const": "hello"}), json!({"type": "string"}), WIDENS),
        (
            json!({"not": {"type": "number"}}),
            json!({"not": {"type": "integer"}}),
            WIDENS,
        ),
        (
            json!({"if": {"type": "string"}, "then": {"maxLength": 3}}),
            json!({"if": {"type": "string"}, "then": {"maxLength": 2}}),
            NARROWS,
        ),
        (
            json!({"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["a"]}, "else": {"required": ["b"]}}),
            json!({"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["a"]}, "else": {"required": ["b"]}, "title": "renamed"}),
            SAME,
        ),
        (
            json!({"enum": ["a", "b"]}),
            json!({"enum": ["b", "a", "c"]}),
            WIDENS,
        ),
    ];
    for (old, new, want) in cases {
        assert_eq!(
            breaks(old.clone(), new.clone(), D2020),
            want,
            "{old} -> {new}"
        );
    }
}

#[test]
fn refs_anchors_nested_ids_and_siblings_per_draft() {
    let anchored = |t: &str| json!({"$defs": {"a": {"$anchor": "Pos", "type": t}}, "properties": {"p": {"$ref": "#Pos"}}});
    assert_eq!(
        breaks(anchored("integer"), anchored("number"), D2020),
        WIDENS
    );
    let nested = |t: &str| json!({"$id": "https://example.com/root.json", "$defs": {"i": {"$id": "item.json", "type": t}}, "items": {"$ref": "item.json"}});
    assert_eq!(breaks(nested("string"), nested("string"), D2020), SAME);
    assert_eq!(breaks(nested("string"), nested("integer"), D2020), BOTH);
    // Beside a $ref, 2019-09 applies both; draft 7 ignores the sibling.
    let old = json!({"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s"});
    let new = json!({"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 3});
    assert_eq!(breaks(old, new, D2019), NARROWS);
    let old = json!({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s"});
    let new = json!({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s", "maxLength": 3});
    assert_eq!(breaks(old, new, D7), SAME);
}

#[test]
fn recursive_and_dynamic_refs() {
    let tree = |t: &str| json!({"type": "object", "properties": {"v": {"type": t}, "kids": {"type": "array", "items": {"$ref": "#"}}}});
    assert_eq!(breaks(tree("integer"), tree("number"), D2020), WIDENS);
    let dynamic = |max: u64| {
        json!({
            "$dynamicAnchor": "node", "type": "object", "maxProperties": max,
            "properties": {"kids": {"type": "array", "items": {"$dynamicRef": "#node"}}}
        })
    };
    assert_eq!(breaks(dynamic(3), dynamic(3), D2020), SAME);
    assert_eq!(breaks(dynamic(3), dynamic(2), D2020), NARROWS);
}

#[test]
fn closed_objects_patterns_and_false_properties() {
    // A property removed but still covered by a new patternProperties entry.
    let old = json!({"properties": {"foo": {"type": "string"}, "I_1": {"type": "integer"}}, "additionalProperties": false});
    let new = json!({"properties": {"foo": {"type": "string"}}, "patternProperties": {"^I_": {"type": "number"}}, "additionalProperties": false});
    assert_eq!(breaks(old, new, D7), WIDENS);
    // A `false` property removed from a closed object changes nothing.
    let old = json!({"additionalProperties": false, "properties": {"foo": false, "a": {"type": "string"}}});
    let new = json!({"additionalProperties": false, "properties": {"a": {"type": "string"}}});
    assert_eq!(breaks(old, new, D2020), SAME);
    // A pattern's schema narrowed.
    let old = json!({"patternProperties": {"^x_": {"type": "number"}}});
    let new = json!({"patternProperties": {"^x_": {"type": "integer"}}});
    let found = findings(&old, &new, D2020);
    let narrowing = found
        .iter()
        .find(|f| f.effect == Effect::Narrows)
        .expect("narrows");
    assert_eq!(narrowing.path, "/patternProperties/^x_/type");
    assert_eq!(breaks(old, new, D2020), NARROWS);
}

#[test]
fn dependencies_in_every_spelling() {
    let cases = [
        (
            json!({"dependencies": {"foo": {"type": "string"}}}),
            json!({"dependencies": {"foo": {"type": "number"}}}),
            SAME,
            D7,
        ),
        (
            json!({"dependentSchemas": {"foo": {"type": "string"}}}),
            json!({"dependentSchemas": {"bar": {"type": "string"}}}),
            BOTH,
            D2020,
        ),
        (
            json!({"dependencies": {"a": ["b"]}}),
            json!({"dependencies": {"a": ["b", "c"]}}),
            NARROWS,
            D7,
        ),
        (
            json!({"dependentRequired": {"a": ["b"]}}),
            json!({}),
            WIDENS,
            D2020,
        ),
        (
            json!({"dependentRequired": {"a": ["b"]}}),
            json!({"dependentRequired": {"a": ["b"]}}),
            SAME,
            D2020,
        ),
    ];
    for (old, new, want, draft) in cases {
        assert_eq!(
            breaks(old.clone(), new.clone(), draft),
            want,
            "{old} -> {new}"
        );
    }
}

#[test]
fn unevaluated_keywords() {
    let items = |rest: Value| json!({"type": "array", "prefixItems": [{"type": "string"}], "unevaluatedItems": rest});
    assert_eq!(
        breaks(
            items(json!(false)),
            items(json!({"type": "integer"})),
            D2020
        ),
        WIDENS
    );
    let props = |extra: &str| json!({"allOf": [{"properties": {"a": true, extra: true}}], "unevaluatedProperties": false});
    assert_eq!(breaks(props("b"), props("b"), D2020), SAME);
    let old = json!({"properties": {"a": {"type": "string"}}, "unevaluatedProperties": {"type": "string"}});
    let new = json!({"properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "unevaluatedProperties": {"type": "string"}});
    assert_eq!(breaks(old, new, D2020), SAME);
}

#[test]
fn unknown_keywords_are_undecided_when_they_change() {
    let with = |v: Value| json!({"type": "string", "x-connect-type": v});
    assert!(findings(&with(json!("int32")), &with(json!("int32")), D7).is_empty());
    let found = findings(&with(json!("int32")), &with(json!("int64")), D7);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, "keyword-not-compared");
    assert_eq!(found[0].path, "/x-connect-type");
    assert!(found[0].undecided());
    // A keyword of a later draft means nothing to draft 7 and is reported too.
    let old = json!({"type": "array"});
    let new = json!({"type": "array", "prefixItems": [{"type": "string"}]});
    let found = findings(&old, &new, D7);
    assert!(
        found
            .iter()
            .any(|f| f.path == "/prefixItems" && f.undecided()),
        "{found:?}"
    );
}

#[test]
fn findings_name_pointer_rule_and_a_validated_example() {
    let old = json!({"type": "object", "properties": {"tick": {"type": "number"}, "name": {"type": "string"}}, "required": ["name"]});
    let new = json!({"type": "object", "properties": {"tick": {"type": "integer"}, "name": {"type": "string", "maxLength": 8}}, "required": ["name", "tick"]});
    let found = findings(&old, &new, D2020);
    let narrowing: Vec<&Finding> = found
        .iter()
        .filter(|f| f.effect == Effect::Narrows)
        .collect();
    assert!(!narrowing.is_empty());
    assert!(
        narrowing.iter().all(|f| f.example.is_some()),
        "{narrowing:?}"
    );
    let paths: Vec<&str> = narrowing.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"/required"), "{paths:?}");
    let required = narrowing
        .iter()
        .find(|f| f.path == "/required")
        .expect("required");
    assert_eq!(required.rule, "required");
    assert!(
        required.message.contains("\"tick\""),
        "{}",
        required.message
    );
}

#[test]
fn a_schema_is_compatible_with_itself_and_identical_copies() {
    let schema = json!({"$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}}, "x-odd": 1}}, "$ref": "#/$defs/n", "x-vendor": true});
    assert!(findings(&schema, &schema, D2020).is_empty());
    assert!(findings(&schema, &schema.clone(), D7).is_empty());
}

#[test]
fn unprovable_changes_are_breaking_with_the_reason() {
    // Look-around patterns are beyond both the set comparison and the string generator.
    let old = json!({"type": "string", "pattern": "^(?=a)a+$"});
    let new = json!({"type": "string", "pattern": "^(?=a)a*$"});
    let found = findings(&old, &new, D2020);
    let narrowing = found
        .iter()
        .find(|f| f.effect == Effect::Narrows)
        .expect("reported");
    assert!(narrowing.breaks(Compatibility::Backward));
    if narrowing.example.is_none() {
        assert_eq!(narrowing.rule, "unproven");
        assert!(
            narrowing.message.contains("cannot prove"),
            "{}",
            narrowing.message
        );
    }
}

#[test]
fn dangling_refs_and_unknown_dialects_are_problems() {
    let broken = json!({"properties": {"a": {"$ref": "#/$defs/missing"}}});
    let err = compare(&json!({}), &broken, D2020).expect_err("dangling");
    assert_eq!(err.side, "current");
    let custom = json!({"$schema": "https://example.com/meta"});
    let err = compare(&custom, &json!({}), None).expect_err("unknown dialect");
    assert_eq!(err.side, "previous");
}

#[test]
fn schemas_of_different_drafts_compare_as_sets() {
    let d7 = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"t": {"type": "array", "items": [{"type": "string"}], "additionalItems": false}},
        "dependencies": {"a": ["b"]}
    });
    let d2020 = |rest: Value| {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"t": {"type": "array", "prefixItems": [{"type": "string"}], "items": rest}},
            "dependentRequired": {"a": ["b"]}
        })
    };
    assert!(
        compare(&d7, &d2020(json!(false)), None)
            .expect("ok")
            .is_empty()
    );
    let found = compare(&d7, &d2020(json!({"type": "integer"})), None).expect("ok");
    assert!(
        found.iter().all(|f| f.effect == Effect::Widens),
        "{found:?}"
    );
    let widening = found.first().expect("widens");
    assert_eq!(widening.path, "/properties/t/additionalItems");
    assert!(widening.example.is_some());
    let d4 = json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "minimum": 0, "exclusiveMinimum": true});
    let modern = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "number", "exclusiveMinimum": 0});
    assert!(compare(&d4, &modern, None).expect("ok").is_empty());
}

#[test]
fn equal_text_with_references_that_resolve_differently_is_not_equal() {
    let doc = |t: &str| {
        json!({
            "$defs": {"v": {"type": t}},
            "type": "object",
            "properties": {"p": {"not": {"$ref": "#/$defs/v"}}, "kids": {"type": "array", "items": {"$ref": "#"}}}
        })
    };
    assert_eq!(breaks(doc("string"), doc("number"), D2020), BOTH);
}

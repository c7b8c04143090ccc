//! Property tests over generated schemas: a schema is compatible with itself and with a
//! rewrapped copy; adding an `anyOf` branch or dropping an `allOf` conjunct never narrows; every example shown is valid under one schema and invalid under the
//! other; swapping the pair swaps the directions; and when no narrowing is reported, no
//! candidate document of the old schema is rejected by the new one.

use jsonschema::Draft;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::evidence::Judge;
use super::refs::Index;
use super::witness::Witnesses;
use super::{Effect, compare};

const DRAFT: Option<Draft> = Some(Draft::Draft202012);

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer"})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "null"})),
        Just(json!({"type": "boolean"})),
        Just(json!(true)),
        Just(json!(false)),
        (0u64..4).prop_map(|n| json!({"type": "string", "maxLength": n})),
        (0u64..4).prop_map(|n| json!({"type": "string", "minLength": n})),
        (-3i64..3).prop_map(|n| json!({"type": "number", "minimum": n})),
        (-3i64..3).prop_map(|n| json!({"type": "integer", "exclusiveMaximum": n})),
        (1u64..5).prop_map(|n| json!({"type": "integer", "multipleOf": n})),
        prop::sample::select(vec!["^a", "^[0-9]+$", "b$"])
            .prop_map(|p| json!({"type": "string", "pattern": p})),
        prop::collection::vec(
            prop_oneof![
                Just(json!(1)),
                Just(json!("a")),
                Just(json!(null)),
                Just(json!(2.5))
            ],
            1..3
        )
        .prop_map(|values| json!({"enum": values})),
        Just(json!({"const": "a"})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 3, |inner| {
        let names = prop::sample::subsequence(vec!["a", "b", "c"], 0..3);
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"anyOf": v})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"oneOf": v})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"allOf": v})),
            inner.clone().prop_map(|s| json!({"not": s})),
            inner.clone().prop_map(|s| json!({"type": "array", "items": s})),
            (inner.clone(), inner.clone(), any::<bool>()).prop_map(|(first, rest, closed)| {
                let rest = if closed { json!(false) } else { rest };
                json!({"type": "array", "prefixItems": [first], "items": rest})
            }),
            (prop::collection::btree_map(prop::sample::select(vec!["a", "b", "c"]), inner.clone(), 0..3),
             names, prop_oneof![Just(json!(true)), Just(json!(false)), inner.clone()])
                .prop_map(|(props, required, extra)| {
                    json!({"type": "object", "properties": props, "required": required, "additionalProperties": extra})
                }),
            (inner.clone(), inner.clone()).prop_map(|(i, t)| json!({"if": i, "then": t})),
        ]
    })
}

/// Candidate documents of `schema` that it accepts.
fn accepted(schema: &Value) -> Vec<Value> {
    let judge = Judge::new(schema, Draft::Draft202012).expect("compiles");
    let index = Index::new(schema, Draft::Draft202012);
    Witnesses::new(&index)
        .at("")
        .into_iter()
        .filter(|v| judge.accepts(v))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_schema_is_compatible_with_itself_and_a_rewrapped_copy(s in schema()) {
        prop_assert!(compare(&s, &s, DRAFT).expect("comparable").is_empty());
        let wrapped = json!({"allOf": [s.clone()], "title": "same"});
        let found = compare(&s, &wrapped, DRAFT).expect("comparable");
        // Equal sets: nothing confirmed either way (an unproven finding would be a
        // false alarm, and is reported by this test too).
        prop_assert!(found.is_empty(), "{} vs rewrapped: {:?}", s, found);
    }

    #[test]
    fn adding_a_branch_or_dropping_a_conjunct_only_widens(s in schema(), t in schema()) {
        let narrows = |old: &Value, new: &Value| {
            compare(old, new, DRAFT)
                .expect("comparable")
                .into_iter()
                .filter(|f| f.effect == Effect::Narrows)
                .collect::<Vec<_>>()
        };
        let union = json!({"anyOf": [t.clone(), s.clone()]});
        let found = narrows(&s, &union);
        prop_assert!(found.is_empty(), "{} -> {}: {:?}", s, union, found);
        let both = json!({"allOf": [s.clone(), t]});
        let found = narrows(&both, &s);
        prop_assert!(found.is_empty(), "{} -> {}: {:?}", both, s, found);
    }

    #[test]
    fn examples_are_valid_under_one_schema_and_invalid_under_the_other(old in schema(), new in schema()) {
        let found = compare(&old, &new, DRAFT).expect("comparable");
        let (o, n) = (Judge::new(&old, Draft::Draft202012).expect("old"), Judge::new(&new, Draft::Draft202012).expect("new"));
        for f in &found {
            if let Some(example) = &f.example {
                let (yes, no) = if f.effect == Effect::Narrows { (&o, &n) } else { (&n, &o) };
                prop_assert!(yes.accepts(example) && !no.accepts(example), "{:?}", f);
            }
        }
        let swapped = compare(&new, &old, DRAFT).expect("comparable");
        let narrows = found.iter().any(|f| f.effect == Effect::Narrows);
        let widens_swapped = swapped.iter().any(|f| f.effect == Effect::Widens);
        prop_assert_eq!(narrows, widens_swapped);
    }

    #[test]
    fn no_narrowing_means_no_old_candidate_is_rejected(old in schema(), new in schema()) {
        let found = compare(&old, &new, DRAFT).expect("comparable");
        if !found.iter().any(|f| f.effect == Effect::Narrows) {
            let judge = Judge::new(&new, Draft::Draft202012).expect("new");
            for doc in accepted(&old) {
                prop_assert!(judge.accepts(&doc), "{} -> {}: {} rejected", old, new, doc);
            }
        }
    }
}

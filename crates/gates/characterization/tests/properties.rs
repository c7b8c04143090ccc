//! Property tests of the golden JSON diff, with a fixed seed (override the case count
//! with `PROPTEST_CASES`): a document never differs from itself, and whether two
//! documents differ does not depend on which one is the baseline, with or without
//! numeric tolerances; numbers are equal exactly when their decimal values are.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use safety_gate_characterization::golden::{
    DiffOptions, Differences, PointerSet, ToleranceRule, ToleranceSet, diff::diff_values,
};
use serde_json::{Map, Number, Value, json};

fn config() -> Config {
    Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x5afe_d1ff),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Any JSON value, a few levels deep, with keys that need pointer escaping.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z~/ ]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-c~/]{0,3}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// `value` with every number scaled by a factor near 1, and some members dropped.
fn perturbed(value: &Value, factor: f64, drop_every: usize, seen: &mut usize) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(|f| Number::from_f64(f * factor))
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| perturbed(v, factor, drop_every, seen))
                .collect(),
        ),
        Value::Object(map) => {
            let mut kept = Map::new();
            for (k, v) in map {
                *seen += 1;
                if drop_every == 0 || *seen % drop_every != 0 {
                    kept.insert(k.clone(), perturbed(v, factor, drop_every, seen));
                }
            }
            Value::Object(kept)
        }
        other => other.clone(),
    }
}

/// A decimal number written two ways, and a third number differing from it in its
/// last significant digit: `(spelling, respelling, neighbour)`. Up to 40 digits and
/// exponents beyond what a double tells apart.
fn spellings() -> impl Strategy<Value = (String, String, String)> {
    (any::<bool>(), "[1-9][0-9]{0,39}", -30i32..30, 0usize..4).prop_map(
        |(negative, digits, exponent, zeros)| {
            let sign = if negative { "-" } else { "" };
            let padded = format!("{digits}{}", "0".repeat(zeros));
            let spelling = format!("{sign}{digits}e{exponent}");
            let respelling = format!("{sign}0.{padded}E{:+}", exponent + digits.len() as i32);
            let last = digits.as_bytes()[digits.len() - 1] - b'0';
            let other = format!("{}{}", &digits[..digits.len() - 1], (last + 1) % 10);
            let neighbour = format!("{sign}{other}e{exponent}");
            (spelling, respelling, neighbour)
        },
    )
}

fn diff(old: &Value, new: &Value, tolerances: &ToleranceSet) -> Differences {
    let ignore = PointerSet::new([]);
    let mut out = Differences::default();
    diff_values(
        old,
        new,
        "",
        DiffOptions {
            tolerances,
            ignore: &ignore,
        },
        &mut out,
    );
    out
}

fn tolerance_set() -> impl Strategy<Value = ToleranceSet> {
    prop_oneof![
        Just(Vec::<String>::new()),
        (1e-9f64..0.1).prop_map(|x| vec![format!("/**=rel:{x}")]),
        (1e-9f64..10.0).prop_map(|x| vec![format!("/**=abs:{x}")]),
    ]
    .prop_map(|rules| {
        let rules: Vec<ToleranceRule> = rules
            .iter()
            .map(|r| r.parse().expect("valid tolerance rule"))
            .collect();
        ToleranceSet::new(&rules)
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_document_never_differs_from_itself(v in json_value(), tolerances in tolerance_set()) {
        let found = diff(&v, &v, &tolerances);
        prop_assert!(found.is_empty(), "{:?}", found.listed);
    }

    #[test]
    fn differing_is_symmetric(
        v in json_value(),
        factor in prop_oneof![Just(1.0), 0.9f64..1.1, 1.0f64 - 1e-6..1.0 + 1e-6],
        drop_every in 0usize..5,
        tolerances in tolerance_set(),
    ) {
        let w = perturbed(&v, factor, drop_every, &mut 0);
        let forward = diff(&v, &w, &tolerances);
        let backward = diff(&w, &v, &tolerances);
        prop_assert_eq!(forward.is_empty(), backward.is_empty());
        prop_assert_eq!(forward.total, backward.total);
    }

    #[test]
    fn numbers_compare_by_exact_value((a, b, c) in spellings()) {
        let read = |t: &str| safety_gate_core::strict_json::from_str(&format!("[{t}]"));
        let none = ToleranceSet::new(&[]);
        let [a, b, c] = [a, b, c].map(|t| read(&t).expect("within the range of a double"));
        {
            prop_assert!(diff(&a, &b, &none).is_empty(), "{a} {b}");
            prop_assert_eq!(diff(&a, &c, &none).total, 1, "{} {}", a, c);
        }
    }
}

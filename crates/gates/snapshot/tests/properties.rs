//! Property tests of canonical JSON hashing, with a fixed seed (override the case count
//! with `PROPTEST_CASES`): the hash does not change with key order or whitespace,
//! canonical text is JSON that canonicalises to itself, and numbers hash by their exact
//! decimal value (respelled alike, a last-digit change apart).

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use safety_gate_snapshot::canonical::{canonical_json, canonical_sha256};
use serde_json::{Map, Number, Value, json};

fn config() -> Config {
    Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x5afe_4a54),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Any JSON value, a few levels deep, with non-ASCII and escaped characters in text.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (-1e300f64..1e300).prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-zé\"\\\\\u{1}\u{2028}😀 ]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-cé😀]{0,3}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Writes `value` as JSON text with object keys in reverse order and `space` around
/// every token, as another producer might.
fn reformatted(value: &Value, space: &str, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(space);
                    out.push(',');
                }
                out.push_str(space);
                reformatted(item, space, out);
            }
            out.push_str(space);
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().rev().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space);
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(space);
                out.push(':');
                out.push_str(space);
                reformatted(item, space, out);
            }
            out.push_str(space);
            out.push('}');
        }
        leaf => out.push_str(&leaf.to_string()),
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

proptest! {
    #![proptest_config(config())]

    #[test]
    fn hash_ignores_key_order_and_whitespace(
        v in json_value(),
        space in prop_oneof![Just(""), Just(" "), Just("\n"), Just("\r\n\t ")],
    ) {
        let mut text = String::new();
        reformatted(&v, space, &mut text);
        let reread: Value = serde_json::from_str(&text).expect("reformatted text is JSON");
        prop_assert_eq!(canonical_sha256(&reread), canonical_sha256(&v));
    }

    #[test]
    fn canonical_text_is_json_and_a_fixed_point(v in json_value()) {
        let canonical = canonical_json(&v);
        let reread: Value = serde_json::from_str(&canonical).expect("canonical text is JSON");
        prop_assert_eq!(canonical_json(&reread), canonical);
    }

    #[test]
    fn a_changed_string_changes_the_hash(v in json_value(), extra in "[a-z]{1,4}") {
        let wrapped = json!({ "doc": v, "tag": "x" });
        let changed = json!({ "doc": wrapped["doc"].clone(), "tag": format!("x{extra}") });
        prop_assert_ne!(canonical_sha256(&wrapped), canonical_sha256(&changed));
    }

    #[test]
    fn canonical_numbers_are_their_exact_value((a, b, c) in spellings()) {
        let read = |t: &str| safety_gate_core::strict_json::from_str(&format!("[{t}]"));
        let [a, b, c] = [a, b, c].map(|t| read(&t).expect("within the range of a double"));
        {
            prop_assert_eq!(canonical_sha256(&a), canonical_sha256(&b));
            prop_assert_ne!(canonical_sha256(&a), canonical_sha256(&c));
        }
    }
}

//! Property tests of canonical JSON hashing, with a fixed seed (override the case count
//! with `PROPTEST_CASES`): the hash does not change with key order or whitespace, and
//! canonical text is JSON that canonicalises to itself.

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
}

//! Canonical JSON in the style of RFC 8785 (JSON Canonicalization Scheme), its SHA-256,
//! and redaction of volatile members.
//!
//! Two documents that differ only in whitespace, key order or number spelling (`4.50`
//! vs `4.5`, `1E30` vs `1e+30`) have the same canonical text, so golden hashes and
//! round-trip comparisons survive re-formatting and still catch a real change.
//!
//! One deliberate difference from RFC 8785: numbers are never rounded through a
//! double. Each is written in RFC 8785's layout from its exact decimal digits, so two
//! numbers a double cannot tell apart (`9007199254740993` and `9007199254740992.0`,
//! `18446744073709551616` and `...617`, `0.1` and `0.10000000000000000001`) hash
//! differently, while spellings of one value (`1000`, `1000.0`, `1e3`) hash alike.
//! For every number written in the shortest form that reads back as its double (what
//! JSON serializers write) the text is exactly RFC 8785's.

use safety_gate_core::exact::Decimal;
use serde_json::{Number, Value};
use sha2::{Digest, Sha256};

/// The canonical text of a JSON value: object keys sorted by UTF-16 code units,
/// numbers in ECMAScript shortest form, strings with minimal escaping, no whitespace.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

/// Lowercase hex SHA-256 of the canonical text of `value`.
pub fn canonical_sha256(value: &Value) -> String {
    sha256_hex(canonical_json(value).as_bytes())
}

/// Lowercase hex SHA-256 of raw bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Removes the members named by JSON pointers (`/state/rng_state`, `/events/0/ts`)
/// from `value`. Pointers that name nothing are ignored: a redaction says what may
/// differ, not what must exist. The empty pointer (the whole document) is ignored too.
///
/// Every pointer names a place in `value` as given, whatever the others remove:
/// `/events/0` and `/events/1` remove the first two events, not the first and the
/// third (removing one at a time would shift the later indexes and leave the second
/// event compared while the third, which nobody redacted, went unseen).
pub fn redact(value: &mut Value, pointers: &[String]) {
    let targets: Vec<Vec<String>> = pointers
        .iter()
        .filter_map(|p| p.strip_prefix('/'))
        .map(|p| p.split('/').map(unescape_token).collect())
        .collect();
    let targets: Vec<&[String]> = targets.iter().map(Vec::as_slice).collect();
    prune(value, &targets);
}

/// Removes from `value` what `targets` (token lists relative to it, none empty) name,
/// every one resolved against `value` before anything is removed.
fn prune(value: &mut Value, targets: &[&[String]]) {
    let below = |hit: &dyn Fn(&str) -> bool| -> Vec<&[String]> {
        targets
            .iter()
            .filter(|t| t.len() > 1 && hit(&t[0]))
            .map(|t| &t[1..])
            .collect()
    };
    let here = |hit: &dyn Fn(&str) -> bool| targets.iter().any(|t| t.len() == 1 && hit(&t[0]));
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let deeper = below(&|token| token == key);
                if !deeper.is_empty() {
                    prune(child, &deeper);
                }
            }
            map.retain(|key, _| !here(&|token| token == key));
        }
        Value::Array(items) => {
            let index_is = |i: usize| move |token: &str| token.parse::<usize>() == Ok(i);
            for (i, child) in items.iter_mut().enumerate() {
                let deeper = below(&index_is(i));
                if !deeper.is_empty() {
                    prune(child, &deeper);
                }
            }
            let mut i = 0;
            items.retain(|_| {
                let keep = !here(&index_is(i));
                i += 1;
                keep
            });
        }
        _ => {}
    }
}

/// Decodes `~1` and `~0` in one JSON pointer token (RFC 6901).
fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(n)),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            // RFC 8785 orders keys by UTF-16 code units, not by UTF-8 bytes.
            entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

/// serde_json escapes exactly what RFC 8785 requires: `"`, `\`, and control
/// characters (as `\b \f \n \r \t` or lowercase `\u00xx`); everything else is literal.
fn write_string(s: &str, out: &mut String) {
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        // Serializing a &str cannot fail; keep a total function regardless.
        Err(_) => out.push_str("\"\""),
    }
}

/// A JSON number in canonical form: the ECMAScript `Number.prototype.toString`
/// layout (`4.5`, `0.002`, `1e+30`, `1e-27`) of its exact decimal value.
pub fn format_number(n: &Number) -> String {
    Decimal::of(n).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(text: &str) -> String {
        canonical_json(&serde_json::from_str(text).expect("valid json"))
    }

    #[test]
    fn rfc8785_sample_numbers_strings_and_literals() {
        // The example of RFC 8785 section 3.2.2, with its first number written as the
        // double it stands for (see `numbers_are_never_rounded_through_a_double`).
        let input = r#"{
          "numbers": [333333333.3333333, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        let expected = concat!(
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"#,
            r#""string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        assert_eq!(canon(input), expected);
    }

    #[test]
    fn ecmascript_number_forms() {
        let cases = [
            (0.1, "0.1"),
            (-0.0, "0"),
            (1.0, "1"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (-123.456, "-123.456"),
            (5e-324, "5e-324"),
        ];
        for (x, want) in cases {
            let n = Number::from_f64(x).expect("finite");
            assert_eq!(format_number(&n), want, "{x:e}");
        }
    }

    #[test]
    fn numbers_are_never_rounded_through_a_double() {
        for (a, b) in [
            ("18446744073709551616", "18446744073709551617"),
            ("9007199254740993", "9007199254740992.0"),
            ("9007199254740993.0", "9007199254740992"),
            ("[0.1]", "[0.10000000000000000001]"),
            ("333333333.33333329", "333333333.3333333"),
            ("{\"x\": 1e-400}", "{\"x\": 0}"),
        ] {
            assert_ne!(canon(a), canon(b), "{a} {b}");
            let (a, b) = (parse_strict(a), parse_strict(b));
            assert_ne!(canonical_sha256(&a), canonical_sha256(&b));
        }
        for (a, b) in [
            ("1000", "1000.0"),
            ("1000", "1e3"),
            ("[4.50]", "[4.5]"),
            ("-0", "0"),
        ] {
            assert_eq!(canon(a), canon(b), "{a} {b}");
        }
        assert_eq!(canon("9007199254740993.0"), "9007199254740993");
        assert_eq!(canon("18446744073709551617"), "18446744073709551617");
    }

    fn parse_strict(text: &str) -> Value {
        safety_gate_core::strict_json::from_str(text).expect("valid json")
    }

    #[test]
    fn large_integers_stay_exact() {
        assert_eq!(canon("18446744073709551615"), "18446744073709551615");
        assert_ne!(canon("9007199254740993"), canon("9007199254740992"));
        assert_eq!(canon("-42"), "-42");
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+1F600 is a surrogate pair (0xD83D...) and sorts before U+FB01 in UTF-16,
        // although its UTF-8 bytes sort after.
        let text = canon(r#"{"\ufb01": 1, "\ud83d\ude00": 2, "a": 3}"#);
        assert_eq!(text, "{\"a\":3,\"\u{1f600}\":2,\"\u{fb01}\":1}");
    }

    #[test]
    fn hash_ignores_layout_and_order_but_not_values() {
        let a = json!({"tick": 10, "agents": {"bob": [1.5, 2], "alice": null}});
        let b: Value = serde_json::from_str(
            "{\n \"agents\" : {\"alice\":null,\"bob\":[1.50,2]},\n \"tick\":10}",
        )
        .expect("json");
        let c = json!({"tick": 10, "agents": {"bob": [1.5, 3], "alice": null}});
        assert_eq!(canonical_sha256(&a), canonical_sha256(&b));
        assert_ne!(canonical_sha256(&a), canonical_sha256(&c));
        assert_eq!(canonical_sha256(&a).len(), 64);
    }

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn redaction_removes_members_and_array_items() {
        let mut v = json!({"a": {"b/c": 1, "keep": 2}, "list": [1, 2, 3], "ts": "now"});
        redact(
            &mut v,
            &[
                "/a/b~1c".into(),
                "/list/1".into(),
                "/ts".into(),
                "/absent/x".into(),
            ],
        );
        assert_eq!(v, json!({"a": {"keep": 2}, "list": [1, 3]}));
    }

    #[test]
    fn every_pointer_names_the_document_as_given_whatever_the_order() {
        let document = json!({"a": ["x", "y", "z", {"ts": 1, "k": 2}], "b": {"0": 1, "1": 2}});
        let pointers = ["/a/0", "/a/1", "/a/3/ts", "/b/0", "/a/3/absent"];
        let expected = json!({"a": ["z", {"k": 2}], "b": {"1": 2}});
        // Every order of the pointers gives the same document.
        let mut orders = vec![pointers.to_vec()];
        for _ in 0..pointers.len() {
            let mut next = orders.last().expect("an order").clone();
            next.rotate_left(1);
            orders.push(next.clone());
            next.reverse();
            orders.push(next);
        }
        for order in orders {
            let mut v = document.clone();
            let order: Vec<String> = order.iter().map(|p| (*p).to_owned()).collect();
            redact(&mut v, &order);
            assert_eq!(v, expected, "{order:?}");
        }
        // `/a/0` and `/a/1` leave the third item compared: a change there shows.
        let mut changed = json!({"a": ["x", "y", "CHANGED"]});
        let mut original = json!({"a": ["x", "y", "z"]});
        let two = ["/a/0".to_owned(), "/a/1".to_owned()];
        redact(&mut changed, &two);
        redact(&mut original, &two);
        assert_ne!(canonical_sha256(&changed), canonical_sha256(&original));
        // The whole document, a parent and its child, and a pointer without its slash.
        let mut v = document.clone();
        redact(&mut v, &["".into(), "a".into(), "/b".into(), "/b/0".into()]);
        assert_eq!(v, json!({"a": ["x", "y", "z", {"ts": 1, "k": 2}]}));
    }
}

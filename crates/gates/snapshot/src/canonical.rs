//! Canonical JSON in the style of RFC 8785 (JSON Canonicalization Scheme), its SHA-256,
//! and redaction of volatile members.
//!
//! Two documents that differ only in whitespace, key order or number spelling (`4.50`
//! vs `4.5`, `1E30` vs `1e+30`) have the same canonical text, so golden hashes and
//! round-trip comparisons survive re-formatting and still catch a real change.
//!
//! One deliberate difference from RFC 8785: integers that fit in 64 bits are written
//! exactly instead of being rounded through a double first, so two large seeds that a
//! double cannot tell apart still hash differently.

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
pub fn redact(value: &mut Value, pointers: &[String]) {
    for pointer in pointers {
        let Some((parent, last)) = pointer.rsplit_once('/') else {
            continue;
        };
        let key = unescape_token(last);
        match value.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.remove(&key);
            }
            Some(Value::Array(items)) => match key.parse::<usize>() {
                Ok(index) if index < items.len() => {
                    items.remove(index);
                }
                _ => {}
            },
            _ => {}
        }
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

/// A JSON number in canonical form: 64-bit integers exactly, other numbers in the
/// ECMAScript `Number.prototype.toString` form (`4.5`, `0.002`, `1e+30`, `1e-27`).
pub fn format_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    format_f64(n.as_f64().unwrap_or(f64::NAN))
}

/// ECMAScript shortest round-trip formatting of a finite double.
fn format_f64(x: f64) -> String {
    if !x.is_finite() {
        // Not reachable from parsed JSON; `null` is what JSON.stringify writes.
        return "null".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    // `{:e}` gives the shortest digits that round-trip, e.g. "-1.2345e-7".
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    // The value is 0.DIGITS × 10^n.
    let n = exponent + 1;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let e = n - 1;
        out.push('e');
        out.push(if e >= 0 { '+' } else { '-' });
        out.push_str(&e.abs().to_string());
    }
    out
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
        // The example of RFC 8785 section 3.2.2.
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
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
            assert_eq!(format_f64(x), want, "{x:e}");
        }
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
}

//! Explicit handling of NaN and infinities.
//!
//! JSON has no NaN or infinity, yet Python's `json.dump` writes bare `NaN`,
//! `Infinity` and `-Infinity` tokens, and golden files written by Python tools hold
//! them. Before parsing, such tokens outside strings become marker strings (a private
//! use character followed by the name), so they survive parsing, compare equal only
//! to the same token (NaN equals NaN here: the output did not change), never fall
//! within a numeric tolerance, and are shown under their own name.

use serde_json::Value;
use std::borrow::Cow;

/// First character of a marker string; a private-use code point no real output holds.
const MARK: char = '\u{E000}';

/// The bare tokens recognised, longest first so `-Infinity` wins over `Infinity`.
const TOKENS: [&str; 3] = ["-Infinity", "Infinity", "NaN"];

/// Rewrites bare `NaN`, `Infinity` and `-Infinity` tokens outside strings into marker
/// strings. Text without such tokens is returned unchanged and unallocated.
pub fn rewrite(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if matches!(b, b'N' | b'I' | b'-')
            && let Some(token) = TOKENS.iter().find(|t| bytes[i..].starts_with(t.as_bytes()))
        {
            let buf = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
            buf.push_str(&text[copied..i]);
            buf.push_str(&format!("\"\\u{:04x}{token}\"", MARK as u32));
            i += token.len();
            copied = i;
            continue;
        }
        i += 1;
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(text),
    }
}

/// The token a marker string stands for (`NaN`, `Infinity`, `-Infinity`), if `value` is one.
pub fn special(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => s.strip_prefix(MARK).filter(|rest| TOKENS.contains(rest)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_bare_tokens_only() {
        let text = r#"{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN \" Infinity", "d": -1}"#;
        let value: Value = serde_json::from_str(&rewrite(text)).expect("parses");
        assert_eq!(special(&value["a"]), Some("NaN"));
        assert_eq!(special(&value["b"][0]), Some("Infinity"));
        assert_eq!(special(&value["b"][1]), Some("-Infinity"));
        assert_eq!(value["c"], Value::String("NaN \" Infinity".into()));
        assert_eq!(special(&value["c"]), None);
        assert_eq!(value["d"], serde_json::json!(-1));
    }

    #[test]
    fn plain_json_is_borrowed() {
        assert!(matches!(rewrite(r#"{"x": [1, "N"]}"#), Cow::Borrowed(_)));
    }
}

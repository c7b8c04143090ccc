//! Explicit handling of NaN and infinities.
//!
//! JSON has no NaN or infinity, yet Python's `json.dump` writes bare `NaN`,
//! `Infinity` and `-Infinity` tokens, and golden files written by Python tools hold
//! them. Before parsing, such tokens outside strings become marker strings (a private
//! use character followed by the name), so they survive parsing, compare equal only
//! to the same token (NaN equals NaN here: the output did not change), never fall
//! within a numeric tolerance, and are shown under their own name.
//!
//! The markers are kept out of the space of real strings: every private-use marker
//! character inside a string of the input (written raw or as `\ue000`) is doubled by
//! the same pass, so a real string never starts with exactly one marker character
//! and the string `"\ue000NaN"` is not a NaN. [`show_string`] undoes the doubling.

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
            // A marker character in a real string, raw or escaped, is doubled.
            let marker_len = if escaped {
                0
            } else if bytes[i..].starts_with(MARK_UTF8) {
                MARK_UTF8.len()
            } else if b == b'\\' && is_escaped_mark(&bytes[i..]) {
                ESCAPED_MARK.len()
            } else {
                0
            };
            if marker_len > 0 {
                let buf = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                buf.push_str(&text[copied..i]);
                buf.push_str(&text[i..i + marker_len]);
                buf.push_str(&text[i..i + marker_len]);
                i += marker_len;
                copied = i;
                continue;
            }
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

/// The marker character as UTF-8 bytes.
const MARK_UTF8: &[u8] = "\u{E000}".as_bytes();

/// The marker character as a JSON escape (`\ue000`, any case of hex digits).
const ESCAPED_MARK: &[u8] = b"\\ue000";

/// Whether `rest` starts with the JSON escape of the marker character.
fn is_escaped_mark(rest: &[u8]) -> bool {
    rest.len() >= ESCAPED_MARK.len()
        && rest[..ESCAPED_MARK.len()].eq_ignore_ascii_case(ESCAPED_MARK)
}

/// The token a marker string stands for (`NaN`, `Infinity`, `-Infinity`), if `value` is one.
/// A real string of the input never is one: its marker characters come doubled.
pub fn special(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => s.strip_prefix(MARK).filter(|rest| TOKENS.contains(rest)),
        _ => None,
    }
}

/// Text as the input wrote it: undoes the doubling of marker characters in strings.
pub fn show_string(text: &str) -> std::borrow::Cow<'_, str> {
    const DOUBLE: &str = "\u{E000}\u{E000}";
    if text.contains(DOUBLE) {
        std::borrow::Cow::Owned(text.replace(DOUBLE, "\u{E000}"))
    } else {
        std::borrow::Cow::Borrowed(text)
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
    fn a_real_string_never_passes_for_a_marker() {
        // Raw, escaped in either case, and as a key: none of them is NaN.
        let text = "{\"a\": \"\u{E000}NaN\", \"b\": \"\\ue000NaN\", \"c\": \"\\uE000Infinity\", \
                    \"\u{E000}NaN\": NaN, \"d\": \"\\\\ue000NaN\"}";
        let value: Value = serde_json::from_str(&rewrite(text)).expect("parses");
        for key in ["a", "b", "c", "d"] {
            assert_eq!(special(&value[key]), None, "{key}: {:?}", value[key]);
        }
        assert_eq!(special(&value["\u{E000}\u{E000}NaN"]), Some("NaN"));
        let Value::String(a) = &value["a"] else {
            panic!("a string")
        };
        assert_eq!(show_string(a), "\u{E000}NaN");
        // An escaped backslash followed by `ue000` is no marker escape.
        assert_eq!(value["d"], Value::String("\\ue000NaN".into()));
    }

    #[test]
    fn plain_json_is_borrowed() {
        assert!(matches!(rewrite(r#"{"x": [1, "N"]}"#), Cow::Borrowed(_)));
    }
}

//! JSON parsing that refuses what `serde_json::from_str` lets through silently.
//!
//! `serde_json` keeps the last value of a duplicated object key, so a file holding
//! `{"tick_ms": 9.0, "tick_ms": 1.0}` reads as a fast run whichever value the producer
//! meant. A gate must not decide on such a file: this parser builds the same
//! [`serde_json::Value`] but stops at the first duplicate key. It goes through
//! `serde_json`'s own deserializer, so its nesting limit (128 levels) still turns a
//! 10,000-deep document into an error instead of a stack overflow, numbers out of the
//! `f64` range (`1e400`) are still refused, and `NaN`/`Infinity` are not JSON at all.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses one JSON document, refusing duplicate object keys and trailing content.
/// Errors carry `serde_json`'s line and column (for a duplicate key: just after it).
pub fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let Strict(value) = Strict::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// A [`Value`] deserialized with duplicate keys refused.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("number {v} is not finite")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                // Checked before the value is read so the error points at the key.
                return Err(de::Error::custom(format!(
                    "duplicate key `{key}` in the same object"
                )));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_serde_json() {
        let text =
            r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"c": {}}, "n": 18446744073709551615}"#;
        let expected: Value = serde_json::from_str(text).expect("valid");
        assert_eq!(from_str(text).expect("valid"), expected);
    }

    #[test]
    fn duplicate_keys_are_refused_with_position() {
        let err = from_str("{\n  \"t\": 1,\n  \"t\": 2\n}").expect_err("duplicate");
        assert!(err.to_string().contains("duplicate key `t`"), "{err}");
        assert_eq!(err.line(), 3);
        let nested = from_str(r#"{"a": [{"k": 1, "k": 1}]}"#).expect_err("nested duplicate");
        assert!(nested.to_string().contains("`k`"), "{nested}");
        // The same key in sibling objects is fine.
        assert!(from_str(r#"[{"k": 1}, {"k": 2}]"#).is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = from_str(&deep).expect_err("too deep");
        assert!(err.to_string().contains("recursion limit"), "{err}");
        let objects = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
        assert!(from_str(&objects).is_err());
    }

    #[test]
    fn out_of_range_and_non_json_numbers_are_refused() {
        for text in [
            "1e400",
            "-1e400",
            "NaN",
            "Infinity",
            "[-Infinity]",
            "{\"a\": nan}",
        ] {
            assert!(from_str(text).is_err(), "{text}");
        }
    }

    #[test]
    fn trailing_content_is_refused() {
        assert!(from_str("{} {}").is_err());
        assert!(from_str("1 2").is_err());
    }
}

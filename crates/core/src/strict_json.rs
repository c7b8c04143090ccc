//! JSON parsing that refuses what `serde_json::from_str` lets through silently.
//!
//! `serde_json` keeps the last value of a duplicated object key, so a file holding
//! `{"tick_ms": 9.0, "tick_ms": 1.0}` reads as a fast run whichever value the producer
//! meant. A gate must not decide on such a file: this parser builds the same
//! [`serde_json::Value`] but stops at the first duplicate key. It goes through
//! `serde_json`'s own deserializer, so its nesting limit (128 levels) still turns a
//! 10,000-deep document into an error instead of a stack overflow, numbers out of the
//! `f64` range (`1e400`) are still refused, and `NaN`/`Infinity` are not JSON at all.
//!
//! Numbers keep their exact text (`serde_json`'s `arbitrary_precision`), so
//! `9007199254740993` is not read as the double `9007199254740992`; compare them with
//! [`crate::exact::Decimal`], which knows `1000` equals `1000.0`.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses one JSON document, refusing duplicate object keys and trailing content.
/// Errors carry `serde_json`'s line and column (for a duplicate key: just after it).
pub fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    OBJECTS.set(0);
    let mut de = serde_json::Deserializer::from_str(text);
    let Strict(value) = Strict::deserialize(&mut de)?;
    de.end()?;
    // An object spelled `{"$serde_json::private::Number": "5"}` reaches the visitor
    // exactly like the number 5; the objects in the text tell them apart.
    if OBJECTS.get() != objects_in(text) {
        return Err(de::Error::custom(format!(
            "an object with the key `{NUMBER_TOKEN}` is not accepted"
        )));
    }
    Ok(value)
}

thread_local! {
    /// Objects built by the current [`from_str`] on this thread.
    static OBJECTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The `{` outside strings in JSON text (which the parser has already accepted).
fn objects_in(text: &str) -> usize {
    let (mut count, mut in_string, mut escaped) = (0, false, false);
    for b in text.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'{') => count += 1,
            _ => {}
        }
    }
    count
}

/// The key under which `serde_json` (with `arbitrary_precision`, as this workspace
/// builds it) hands a visitor a number that is not a 64-bit integer, as its text. It
/// is `serde_json`'s private constant; `numbers_keep_their_exact_text` fails if it moves.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The number written as `text`, refused when a double cannot hold its magnitude
/// (`1e400`) or its exponent is beyond [`crate::exact::Decimal`]'s range.
fn number<E: de::Error>(text: &str) -> Result<Value, E> {
    let n: Number = text
        .parse()
        .map_err(|_| E::custom(format!("invalid number {text}")))?;
    if n.as_f64().is_none() || crate::exact::Decimal::parse(text).is_none() {
        return Err(E::custom(format!("number {text} is out of range")));
    }
    Ok(Value::Number(n))
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
        let mut first = true;
        while let Some(key) = map.next_key::<String>()? {
            if std::mem::take(&mut first) && key == NUMBER_TOKEN {
                // A number beyond 64-bit integers, kept as its text.
                let text: String = map.next_value()?;
                return number(&text);
            }
            if object.contains_key(&key) {
                // Checked before the value is read so the error points at the key.
                return Err(de::Error::custom(format!(
                    "duplicate key `{key}` in the same object"
                )));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        OBJECTS.set(OBJECTS.get() + 1);
        Ok(Value::Object(object))
    }
}

/// Array elements an [`outline`] keeps below the top level.
pub const OUTLINE_ITEMS: usize = 2;

/// The outline of one JSON document, for recognising its format without building all
/// of it: the top level whole, every object's keys, but below the top level only the
/// first [`OUTLINE_ITEMS`] elements of each array (the rest is checked for syntax and
/// skipped). Duplicate keys among what is kept are refused. One pass over the text that
/// allocates little, where [`from_str`] allocates every number and string.
pub fn outline(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = de.deserialize_any(OutlineVisitor { depth: 0 })?;
    de.end()?;
    Ok(value)
}

/// Builds an outline: arrays below the top level keep their first elements only.
struct OutlineVisitor {
    depth: usize,
}

/// One outline element, at a given depth.
struct OutlineSeed {
    depth: usize,
}

impl<'de> de::DeserializeSeed<'de> for OutlineSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(OutlineVisitor { depth: self.depth })
    }
}

impl<'de> Visitor<'de> for OutlineVisitor {
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

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let keep = if self.depth == 0 {
            usize::MAX
        } else {
            OUTLINE_ITEMS
        };
        let mut items = Vec::new();
        let seed = || OutlineSeed {
            depth: self.depth + 1,
        };
        while items.len() < keep {
            match seq.next_element_seed(seed())? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut first = true;
        while let Some(key) = map.next_key::<String>()? {
            if std::mem::take(&mut first) && key == NUMBER_TOKEN {
                let text: String = map.next_value()?;
                return Ok(text.parse().map_or(Value::Null, Value::Number));
            }
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate key `{key}` in the same object"
                )));
            }
            let value = map.next_value_seed(OutlineSeed {
                depth: self.depth + 1,
            })?;
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
    fn an_outline_keeps_the_top_level_and_the_first_nested_items() {
        let text = r#"[{"a": [1, 2, 3, {"b": [4, 5, 6]}], "n": 1.5}, {"x": "y"}, 7]"#;
        let expected: Value =
            serde_json::from_str(r#"[{"a": [1, 2], "n": 1.5}, {"x": "y"}, 7]"#).expect("valid");
        assert_eq!(outline(text).expect("valid"), expected);
        let nested = r#"{"benchmarks": [{"runs": [{"values": [1, 2, 3]}]}, {}, {}]}"#;
        let expected: Value =
            serde_json::from_str(r#"{"benchmarks": [{"runs": [{"values": [1, 2]}]}, {}]}"#)
                .expect("valid");
        assert_eq!(outline(nested).expect("valid"), expected);
        for bad in [
            "{\"a\": 1, \"a\": 2}",
            "[1, 2",
            "{\"a\": [1, 2, 3, }]}",
            "[] x",
        ] {
            assert!(outline(bad).is_err(), "{bad}");
        }
        let err =
            outline("{\"a\": [1,\n 2,\n 3,\n oops]}").expect_err("syntax past the kept items");
        assert_eq!(err.line(), 4);
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(outline(&deep).is_err());
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
    fn numbers_keep_their_exact_text() {
        for text in [
            "18446744073709551616",
            "18446744073709551617",
            "9007199254740993.0",
            "-1.50",
            "1E+30",
            "0.1000000000000000000000001",
        ] {
            let value = from_str(text).expect(text);
            let Value::Number(n) = &value else {
                panic!("{text} read as {value:?}")
            };
            // serde_json writes the exponent mark in lowercase; the digits are kept.
            assert_eq!(n.to_string(), text.replace('E', "e"));
        }
        let nested = from_str(r#"{"a": [1.5, {"b": 1e-3}]}"#).expect("nested");
        assert_eq!(nested["a"][1]["b"].to_string(), "1e-3");
        assert_eq!(nested["a"][0].as_f64(), Some(1.5));
        // An object that spells the token out cannot pass for a number.
        for spelled in [
            format!(r#"{{"{NUMBER_TOKEN}": "1"}}"#),
            r#"[{"\u0024serde_json::private::Number": "1e2"}, {"a": "{"}]"#.to_string(),
        ] {
            let err = from_str(&spelled).expect_err(&spelled);
            assert!(err.to_string().contains("not accepted"), "{err}");
        }
        assert_eq!(objects_in(r#"{"a": "{\"{", "b": [{}]}"#), 2);
    }

    #[test]
    fn trailing_content_is_refused() {
        assert!(from_str("{} {}").is_err());
        assert!(from_str("1 2").is_err());
    }
}

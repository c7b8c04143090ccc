//! What to write instead, when a config value has the wrong type: a number where a
//! string with a unit is expected (`threshold = 5`, `timeout = 30`), a string where a
//! list or a number is expected. The types that know the unit say so themselves
//! ([`string_or_hint`]); [`for_message`] adds a generic hint to serde's "invalid type"
//! messages for every other field.

use serde::Deserializer;
use serde::de::{self, Visitor};
use std::fmt;

/// Deserializes a string. A number or a boolean is refused with `hint(text)`, where
/// `text` is the value as written (`5`, `0.05`, `true`), so the message can say what to
/// write instead.
pub fn string_or_hint<'de, D: Deserializer<'de>>(
    deserializer: D,
    hint: fn(&str) -> String,
) -> Result<String, D::Error> {
    struct Text(fn(&str) -> String);

    impl Visitor<'_> for Text {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Err(E::custom((self.0)(&v.to_string())))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Err(E::custom((self.0)(&v.to_string())))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Err(E::custom((self.0)(&v.to_string())))
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
            Err(E::custom((self.0)(&v.to_string())))
        }
    }

    deserializer.deserialize_any(Text(hint))
}

/// serde's `invalid type: <found>, expected <wanted>` message with what to write
/// instead appended, when the value shows it: a number or boolean in quotes, a string
/// without them, a string split into a list of words. Other messages come back as
/// they were.
pub fn for_message(message: &str) -> String {
    match hint(message) {
        Some(hint) => format!("{message}: {hint}"),
        None => message.to_string(),
    }
}

fn hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, wanted) = rest.rsplit_once(", expected ")?;
    let quoted = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .and_then(|v| v.strip_prefix('`'))
            .and_then(|v| v.strip_suffix('`'))
            .map(str::to_string)
    };
    let number = quoted("integer ").or_else(|| quoted("floating point "));
    let boolean = quoted("boolean ");
    let text = found
        .strip_prefix("string \"")
        .and_then(|v| v.strip_suffix('"'));
    let wants_number = [
        "f32", "f64", "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize",
    ]
    .contains(&wanted)
        || wanted.contains("number")
        || wanted.contains("integer");
    match (number.or(boolean), text) {
        (Some(value), _) if wanted.contains("string") => {
            Some(format!("write it in quotes, \"{value}\""))
        }
        (_, Some(text)) if wanted == "a sequence" => {
            let words = shlex::split(text)
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| vec![text.to_string()]);
            let list: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
            Some(format!("write a list, [{}]", list.join(", ")))
        }
        (_, Some(text)) if wants_number && text.trim().parse::<f64>().is_ok() => {
            Some(format!("write it without quotes, {}", text.trim()))
        }
        (_, Some(text @ ("true" | "false"))) if wanted == "a boolean" => {
            Some(format!("write it without quotes, {text}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        path: Option<std::path::PathBuf>,
        #[serde(default)]
        argv: Option<Vec<String>>,
        #[serde(default)]
        alpha: Option<f64>,
        #[serde(default)]
        count: Option<usize>,
        #[serde(default)]
        strict: Option<bool>,
    }

    fn message(text: &str) -> String {
        let err = toml::from_str::<Sample>(text).expect_err("wrong type");
        for_message(err.message())
    }

    #[test]
    fn wrong_types_say_what_to_write() {
        assert!(message("name = 0.9").ends_with("write it in quotes, \"0.9\""));
        assert!(message("name = 7").ends_with("write it in quotes, \"7\""));
        assert!(message("name = true").ends_with("write it in quotes, \"true\""));
        assert!(message("path = 5").ends_with("write it in quotes, \"5\""));
        assert!(
            message("argv = \"python3 'my loader.py' {snapshot}\"")
                .ends_with("write a list, [\"python3\", \"my loader.py\", \"{snapshot}\"]")
        );
        assert!(message("alpha = \"0.2\"").ends_with("write it without quotes, 0.2"));
        assert!(message("count = \"4\"").ends_with("write it without quotes, 4"));
        assert!(message("strict = \"true\"").ends_with("write it without quotes, true"));
    }

    #[test]
    fn other_messages_are_left_alone() {
        assert_eq!(for_message("duplicate key"), "duplicate key");
        let unfit = message("alpha = \"high\"");
        assert!(unfit.ends_with("expected f64"), "{unfit}");
        assert_eq!(
            for_message("invalid type: map, expected a string"),
            "invalid type: map, expected a string"
        );
    }

    #[test]
    fn types_with_a_unit_give_their_own_hint() {
        #[derive(Debug)]
        struct Limit(#[allow(dead_code)] String);
        impl<'de> Deserialize<'de> for Limit {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                string_or_hint(d, |n| format!("write \"{n}s\"")).map(Limit)
            }
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct T {
            t: Limit,
        }
        let err = toml::from_str::<T>("t = 30").expect_err("number");
        assert_eq!(err.message(), "write \"30s\"");
        let err = toml::from_str::<T>("t = 1.5").expect_err("number");
        assert_eq!(err.message(), "write \"1.5s\"");
        assert!(toml::from_str::<T>("t = \"30s\"").is_ok());
        let err = toml::from_str::<T>("t = [1]").expect_err("list");
        assert!(err.message().contains("expected a string"), "{err}");
    }
}

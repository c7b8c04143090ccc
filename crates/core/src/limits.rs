//! Sizes written as `"512MiB"`: the `max_input_size` config key and the
//! `--max-input-size` flag. The limit in force travels in
//! [`crate::context::InputLimits`], passed to every reader.

use serde::{Deserialize, Deserializer};
use std::fmt;
use std::str::FromStr;

/// A number of bytes, written as an integer or as a number with a unit
/// (`B`, `KB`, `MB`, `GB`, powers of 1000; `KiB`, `MiB`, `GiB`, powers of 1024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(u64);

impl ByteSize {
    /// A size in bytes.
    pub const fn new(bytes: u64) -> Self {
        ByteSize(bytes)
    }

    /// The size in bytes.
    pub const fn bytes(self) -> u64 {
        self.0
    }
}

impl FromStr for ByteSize {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "kb" => 1_000,
            "mb" => 1_000_000,
            "gb" => 1_000_000_000,
            "kib" => 1 << 10,
            "mib" => 1 << 20,
            "gib" => 1 << 30,
            _ => {
                return Err(format!(
                    "size `{s}` has an unknown unit (use B, KB, MB, GB, KiB, MiB or GiB)"
                ));
            }
        };
        let value: f64 = number
            .parse()
            .map_err(|_| format!("size `{s}` does not start with a number"))?;
        let bytes = value * factor as f64;
        // `value` is digits and dots only, so `bytes` is never NaN.
        if bytes < 1.0 {
            return Err(format!("size `{s}` must be at least one byte"));
        }
        if bytes >= u64::MAX as f64 {
            return Err(format!(
                "size `{s}` is too large (the most is 2^64 - 1 bytes)"
            ));
        }
        Ok(ByteSize(bytes as u64))
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.0)
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bytes(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Bytes(0) => Err(serde::de::Error::custom("a size must be at least one byte")),
            Raw::Bytes(n) => Ok(ByteSize(n)),
            Raw::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        let parse = |s: &str| s.parse::<ByteSize>().map(ByteSize::bytes);
        assert_eq!(parse("10"), Ok(10));
        assert_eq!(parse("10B"), Ok(10));
        assert_eq!(parse("2 KB"), Ok(2_000));
        assert_eq!(parse("1.5MiB"), Ok(1_572_864));
        assert_eq!(parse("1GiB"), Ok(1 << 30));
        for bad in ["", "0", "-1MB", "1 TB", "MB", "1e3", "nan"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        for huge in ["18446744073709551616", "99999999999GiB", &"9".repeat(400)] {
            let err = parse(huge).expect_err(huge);
            assert!(err.contains("too large"), "{err}");
        }
    }

    #[test]
    fn sizes_deserialize_from_integers_and_strings() {
        #[derive(Deserialize)]
        struct T {
            s: ByteSize,
        }
        let t: T = toml::from_str("s = 42").expect("integer");
        assert_eq!(t.s.bytes(), 42);
        let t: T = toml::from_str("s = \"1KiB\"").expect("string");
        assert_eq!(t.s.bytes(), 1024);
        assert!(toml::from_str::<T>("s = 0").is_err());
        assert!(toml::from_str::<T>("s = \"lots\"").is_err());
    }
}

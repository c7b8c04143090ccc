//! Time limits written as `500ms`, `60s`, `1.5m` or `2h`, bounded when parsed.
//!
//! A limit is at least [`TimeLimit::MIN`] and at most [`TimeLimit::MAX`]: a limit of
//! `10000000000000000000` seconds is a typo or an attack, and would overflow the
//! clock arithmetic of whoever waits for it. Anything out of range is refused with
//! the range in the message, never clamped silently.

use serde::{Deserialize, Deserializer};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A time limit within [`TimeLimit::MIN`, `TimeLimit::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeLimit(Duration);

impl TimeLimit {
    /// The shortest limit: one millisecond.
    pub const MIN: Duration = Duration::from_millis(1);
    /// The longest limit: one day, longer than any CI job runs.
    pub const MAX: Duration = Duration::from_secs(24 * 3600);

    /// A limit, if `duration` is within range.
    pub fn new(duration: Duration) -> Option<Self> {
        (Self::MIN..=Self::MAX)
            .contains(&duration)
            .then_some(TimeLimit(duration))
    }

    /// The limit as a [`Duration`].
    pub const fn get(self) -> Duration {
        self.0
    }
}

impl FromStr for TimeLimit {
    type Err = String;

    /// Parses a non-negative decimal number followed by `ms`, `s`, `m` or `h` (a bare
    /// number means seconds).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid =
            || format!("invalid time limit {text:?}: expected a number followed by ms, s, m or h");
        let t = text.trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (number, unit) = t.split_at(split);
        // Digits and dots only: no sign, exponent, `inf` or `nan` gets this far.
        let value: f64 = number.parse().map_err(|_| invalid())?;
        let millis_per_unit = match unit.trim() {
            "ms" => 1.0,
            "" | "s" => 1e3,
            "m" => 60e3,
            "h" => 3600e3,
            _ => return Err(invalid()),
        };
        let millis = value * millis_per_unit;
        let range = || {
            format!(
                "time limit {text:?} is out of range: use {}ms to {}h",
                Self::MIN.as_millis(),
                Self::MAX.as_secs() / 3600
            )
        };
        // Compared as floats first, so no conversion below can overflow.
        if !(millis >= Self::MIN.as_secs_f64() * 1e3 && millis <= Self::MAX.as_secs_f64() * 1e3) {
            return Err(range());
        }
        Duration::try_from_secs_f64(millis / 1e3)
            .ok()
            .and_then(Self::new)
            .ok_or_else(range)
    }
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0.as_secs_f64())
    }
}

impl<'de> Deserialize<'de> for TimeLimit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = crate::hints::string_or_hint(deserializer, |number| {
            format!(
                "a time limit is a number with a unit, in quotes: write \"{number}s\" \
                 (or \"{number}ms\", \"{number}m\", \"{number}h\")"
            )
        })?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Duration, String> {
        text.parse::<TimeLimit>().map(TimeLimit::get)
    }

    #[test]
    fn units_parse() {
        assert_eq!(parse("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse(" 2 h "), Ok(Duration::from_secs(7200)));
        assert_eq!(parse("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse("24h"), Ok(TimeLimit::MAX));
        assert_eq!(parse("1ms"), Ok(TimeLimit::MIN));
    }

    #[test]
    fn huge_tiny_and_malformed_limits_are_refused_not_wrapped() {
        for huge in [
            "10000000000000000000",
            "18446744073709551616s",
            "1e400",
            "24.0001h",
            "1441m",
            "99999999999999999999999999999999999999999h",
            &"9".repeat(400),
        ] {
            let err = parse(huge).expect_err(huge);
            assert!(
                err.contains("out of range") || err.contains("invalid"),
                "{huge}: {err}"
            );
        }
        for bad in [
            "", "0", "0s", "0.0001ms", "-1s", "soon", "1 d", "nan", "inf", "1e3", "s", ".", "1..2s",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn limits_deserialize_from_strings() {
        #[derive(Debug, Deserialize)]
        struct T {
            t: TimeLimit,
        }
        let t: T = toml::from_str("t = \"5s\"").expect("ok");
        assert_eq!(t.t.get(), Duration::from_secs(5));
        let err = toml::from_str::<T>("t = 30").expect_err("no unit");
        assert!(err.message().contains("write \"30s\""), "{err}");
        let err = toml::from_str::<T>("t = \"100000000000000000000h\"").expect_err("huge");
        assert!(err.to_string().contains("out of range"), "{err}");
    }
}

//! Thresholds written as percentages (`"5%"`), parsed into fractions.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A non-negative relative threshold, stored as a fraction (`"5%"` is 0.05).
///
/// Only the percent form is accepted: a bare `5` or `0.05` is refused, because one of
/// the two readings would silently be off by a factor of 100.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Threshold(f64);

impl Threshold {
    /// The default threshold, 5%.
    pub const DEFAULT: Threshold = Threshold(0.05);

    /// Builds a threshold from a fraction; `None` if negative or not finite.
    pub fn from_fraction(fraction: f64) -> Option<Self> {
        (fraction.is_finite() && fraction >= 0.0).then_some(Threshold(fraction))
    }

    /// The threshold as a fraction.
    pub fn fraction(self) -> f64 {
        self.0
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold::DEFAULT
    }
}

impl FromStr for Threshold {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let Some(number) = text.strip_suffix('%') else {
            return Err(format!(
                "threshold `{s}` must be a percentage such as \"5%\""
            ));
        };
        let percent: f64 = number
            .trim()
            .parse()
            .map_err(|_| format!("threshold `{s}` is not a number followed by %"))?;
        Threshold::from_fraction(percent / 100.0)
            .ok_or_else(|| format!("threshold `{s}` must be a finite, non-negative percentage"))
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", format_percent(self.0))
    }
}

/// Formats a fraction as a percentage number without trailing zeros (0.05 -> "5").
fn format_percent(fraction: f64) -> String {
    let text = format!("{:.4}", fraction * 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl<'de> Deserialize<'de> for Threshold {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Threshold {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_percentages() {
        assert_eq!("5%".parse::<Threshold>().map(Threshold::fraction), Ok(0.05));
        assert_eq!(
            " 2.5 % ".parse::<Threshold>().map(Threshold::fraction),
            Ok(0.025)
        );
        assert_eq!("0%".parse::<Threshold>().map(Threshold::fraction), Ok(0.0));
    }

    #[test]
    fn refuses_ambiguous_or_invalid() {
        for bad in ["5", "0.05", "-1%", "abc%", "NaN%", "inf%", ""] {
            assert!(bad.parse::<Threshold>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn displays_round_trip() {
        assert_eq!(Threshold::DEFAULT.to_string(), "5%");
        assert_eq!(
            "12.5%".parse::<Threshold>().map(|t| t.to_string()),
            Ok("12.5%".into())
        );
    }
}

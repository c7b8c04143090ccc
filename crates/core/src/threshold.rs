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
        let text = crate::hints::string_or_hint(deserializer, bare_number_hint)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What to write instead of a bare number: the same number as a percentage, and, for a
/// number below one, its reading as a fraction.
fn bare_number_hint(number: &str) -> String {
    let mut hint =
        format!("a threshold is a percentage in quotes: write threshold = \"{number}%\"");
    if let Ok(value) = number.parse::<f64>() {
        if value > 0.0 && value < 1.0 {
            let percent = format_percent(value);
            hint.push_str(&format!(
                ", or \"{percent}%\" if {number} was meant as a fraction"
            ));
        }
    }
    hint
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
    fn a_bare_number_says_what_to_write() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct T {
            threshold: Threshold,
        }
        let err = toml::from_str::<T>("threshold = 5").expect_err("bare number");
        assert_eq!(
            err.message(),
            "a threshold is a percentage in quotes: write threshold = \"5%\""
        );
        let err = toml::from_str::<T>("threshold = 0.05").expect_err("fraction");
        assert!(
            err.message().ends_with(
                "write threshold = \"0.05%\", or \"5%\" if 0.05 was meant as a fraction"
            ),
            "{err}"
        );
        let t: T = toml::from_str("threshold = \"7.5%\"").expect("percent");
        assert_eq!(t.threshold.fraction(), 0.075);
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

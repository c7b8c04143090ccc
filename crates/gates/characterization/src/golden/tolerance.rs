//! Numeric tolerances by pointer glob: `/metrics/*_rate=rel:1e-9`, `/tick_ms=abs:0.5`.
//!
//! Comparison is exact unless a tolerance applies. A tolerance set on a pointer also
//! covers every number below it, unless a deeper pointer has its own rule.

use safety_gate_core::exact::Decimal;
use serde::Deserialize;

use super::pointer::{PointerGlob, PointerSet};
use crate::error::CharacterizationError;

/// How far two numbers may be apart and still count as equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// `|a - b| <= x`.
    Abs(f64),
    /// `|a - b| <= x * max(|a|, |b|)`.
    Rel(f64),
}

impl Tolerance {
    /// Whether `a` and `b` are within the tolerance, computed on their exact decimal
    /// values (the tolerance is the decimal its double was written as: `1e-9`), so
    /// no rounding to doubles hides a gap.
    pub fn accepts(self, a: &Decimal, b: &Decimal) -> bool {
        let (x, scale) = match self {
            Tolerance::Abs(x) => (x, None),
            Tolerance::Rel(x) => (x, Some(a.abs().max(b.abs()))),
        };
        Decimal::from_f64(x).is_some_and(|bound| a.within(b, &bound, scale.as_ref()))
    }
}

impl std::fmt::Display for Tolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tolerance::Abs(x) => write!(f, "abs:{x}"),
            Tolerance::Rel(x) => write!(f, "rel:{x}"),
        }
    }
}

/// A pointer glob with its tolerance, written `POINTER_GLOB=abs:X` or `=rel:X`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "String")]
pub struct ToleranceRule {
    /// Where the tolerance applies.
    pub pattern: PointerGlob,
    /// How much difference is accepted there.
    pub tolerance: Tolerance,
}

impl TryFrom<String> for ToleranceRule {
    type Error = CharacterizationError;

    fn try_from(spec: String) -> Result<Self, Self::Error> {
        let err = |message: &str| CharacterizationError::Tolerance {
            spec: spec.clone(),
            message: message.to_string(),
        };
        // Split at the last `=`: the glob may itself contain `=`, the value cannot.
        let (pattern, value) = spec
            .rsplit_once('=')
            .ok_or_else(|| err("expected POINTER_GLOB=abs:X or POINTER_GLOB=rel:X"))?;
        let (kind, number) = value
            .split_once(':')
            .ok_or_else(|| err("expected abs:X or rel:X after `=`"))?;
        let x: f64 = number
            .trim()
            .parse()
            .map_err(|_| err("the tolerance is not a number"))?;
        if !x.is_finite() || x < 0.0 {
            return Err(err("the tolerance must be a finite number >= 0"));
        }
        let tolerance = match kind.trim() {
            "abs" => Tolerance::Abs(x),
            "rel" => Tolerance::Rel(x),
            _ => return Err(err("the kind must be `abs` or `rel`")),
        };
        let pattern = PointerGlob::try_from(pattern.trim().to_string())?;
        Ok(ToleranceRule { pattern, tolerance })
    }
}

impl std::str::FromStr for ToleranceRule {
    type Err = CharacterizationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ToleranceRule::try_from(s.to_string())
    }
}

/// Compiled tolerance rules; the first rule whose glob matches a pointer applies.
#[derive(Debug, Clone)]
pub struct ToleranceSet {
    globs: PointerSet,
    tolerances: Vec<Tolerance>,
}

impl ToleranceSet {
    /// Compiles the rules, in order.
    pub fn new(rules: &[ToleranceRule]) -> Self {
        ToleranceSet {
            globs: PointerSet::new(rules.iter().map(|r| &r.pattern)),
            tolerances: rules.iter().map(|r| r.tolerance).collect(),
        }
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.tolerances.is_empty()
    }

    /// The tolerance set on exactly this pointer, if any.
    pub fn at(&self, pointer: &str) -> Option<Tolerance> {
        self.globs
            .first_match(pointer)
            .and_then(|i| self.tolerances.get(i).copied())
    }
}

impl schemars::JsonSchema for ToleranceRule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ToleranceRule".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^.+=(abs|rel):.+$",
            "description": "A numeric tolerance, POINTER_GLOB=abs:X or POINTER_GLOB=rel:X.",
            "examples": ["/metrics/*_rate=rel:1e-9"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_kinds() {
        let r: ToleranceRule = "/metrics/*_rate=rel:1e-9".parse().expect("valid");
        assert_eq!(r.pattern.as_str(), "/metrics/*_rate");
        assert_eq!(r.tolerance, Tolerance::Rel(1e-9));
        let r: ToleranceRule = "/a = abs:0.5".parse().expect("valid");
        assert_eq!(r.tolerance, Tolerance::Abs(0.5));
    }

    #[test]
    fn rejects_bad_specs() {
        for bad in [
            "/a",
            "/a=abs",
            "/a=pct:1",
            "/a=abs:x",
            "/a=abs:-1",
            "a=abs:1",
        ] {
            assert!(bad.parse::<ToleranceRule>().is_err(), "{bad}");
        }
    }

    #[test]
    fn accepts_within_bounds_only() {
        let d = |t: &str| Decimal::parse(t).expect("number");
        assert!(Tolerance::Abs(0.5).accepts(&d("1.0"), &d("1.5")));
        assert!(!Tolerance::Abs(0.5).accepts(&d("1.0"), &d("1.51")));
        assert!(Tolerance::Rel(0.01).accepts(&d("100"), &d("101")));
        assert!(!Tolerance::Rel(0.01).accepts(&d("100"), &d("102")));
        assert!(!Tolerance::Rel(0.0).accepts(&d("0.1"), &d("0.100000000001")));
        // 0.1 + 0.2 is 0.30000000000000004 as doubles; exactly, it is 0.3.
        assert!(Tolerance::Abs(0.0).accepts(&d("0.3"), &d("0.30")));
        assert!(Tolerance::Rel(1e-9).accepts(&d("-2e300"), &d("-2.0000000001e300")));
    }

    #[test]
    fn first_matching_rule_applies() {
        let rules: Vec<ToleranceRule> = ["/m/x=abs:1", "/m/*=abs:2"]
            .iter()
            .map(|s| s.parse().expect("valid"))
            .collect();
        let set = ToleranceSet::new(&rules);
        assert_eq!(set.at("/m/x"), Some(Tolerance::Abs(1.0)));
        assert_eq!(set.at("/m/y"), Some(Tolerance::Abs(2.0)));
        assert_eq!(set.at("/n"), None);
    }
}

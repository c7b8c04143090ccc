//! The family a benchmark is judged in, and Holm's step-down procedure over it: with
//! fifty unchanged benchmarks each tested at 2%, most runs would fail somewhere; tested
//! as a family, at most 2% of such runs fail at all, under any dependence between the
//! benchmarks.

use serde::Deserialize;

/// Which benchmarks share one false-alarm rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FamilyKind {
    /// Every sampled benchmark of the gate: a run of unchanged code fails at most at the
    /// false-alarm rate, whatever the number of benchmarks.
    #[default]
    Gate,
    /// Each benchmark on its own: each unchanged benchmark fails at most at the rate, so
    /// a suite of many fails more often, and detects smaller changes.
    Benchmark,
}

impl FamilyKind {
    /// The name used in config, flags and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            FamilyKind::Gate => "gate",
            FamilyKind::Benchmark => "benchmark",
        }
    }
}

impl std::str::FromStr for FamilyKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "gate" => Ok(FamilyKind::Gate),
            "benchmark" => Ok(FamilyKind::Benchmark),
            other => Err(format!("family `{other}` must be `gate` or `benchmark`")),
        }
    }
}

/// One family: how many tests share the false-alarm rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Family {
    /// Benchmarks compared on samples in the family.
    pub size: usize,
    /// Chance that the family fails at all when nothing changed.
    pub false_alarm_rate: f64,
}

impl Family {
    /// The level a lone regression must reach: the first step of Holm's procedure, and
    /// the level the power of each test is quoted at.
    pub fn first_level(&self) -> f64 {
        self.false_alarm_rate / self.size.max(1) as f64
    }
}

/// Holm's verdict on one member of a family.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adjusted {
    /// Whether "no change" is rejected at the family's rate.
    pub rejected: bool,
    /// The Holm-adjusted p-value (at most 1).
    pub p: f64,
}

/// Holm's step-down procedure over one-sided p-values, in their order: the smallest is
/// held against `rate / k`, the next against `rate / (k - 1)`, and so on, stopping at
/// the first that is not rejected.
pub fn holm(p: &[f64], rate: f64) -> Vec<Adjusted> {
    let k = p.len();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|a, b| p[*a].total_cmp(&p[*b]));
    let mut out = vec![
        Adjusted {
            rejected: false,
            p: 1.0,
        };
        k
    ];
    let (mut still_rejecting, mut running_max) = (true, 0.0_f64);
    for (step, &i) in order.iter().enumerate() {
        let remaining = (k - step) as f64;
        still_rejecting &= p[i] <= rate / remaining;
        running_max = running_max.max((p[i] * remaining).min(1.0));
        out[i] = Adjusted {
            rejected: still_rejecting,
            p: running_max,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_down_and_stops_at_the_first_acceptance() {
        // Levels 0.02/4, 0.02/3, 0.02/2, 0.02 against sorted 0.001, 0.006, 0.009, 0.5.
        let p = [0.5, 0.006, 0.001, 0.009];
        let adjusted = holm(&p, 0.02);
        let rejected: Vec<bool> = adjusted.iter().map(|a| a.rejected).collect();
        assert_eq!(rejected, [false, true, true, true]);
        let ps: Vec<f64> = adjusted.iter().map(|a| a.p).collect();
        let expected = [0.5, 0.018, 0.004, 0.018];
        for (got, want) in ps.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{ps:?}");
        }
        // Once one is accepted, no larger p-value is rejected, even below the rate.
        let adjusted = holm(&[0.011, 0.012], 0.02);
        assert!(adjusted.iter().all(|a| !a.rejected), "{adjusted:?}");
    }

    #[test]
    fn a_family_of_one_is_the_plain_test() {
        assert!(holm(&[0.02], 0.02)[0].rejected);
        assert!(!holm(&[0.021], 0.02)[0].rejected);
        assert!(holm(&[], 0.02).is_empty());
        let family = Family {
            size: 50,
            false_alarm_rate: 0.02,
        };
        assert!((family.first_level() - 0.0004).abs() < 1e-15);
    }
}

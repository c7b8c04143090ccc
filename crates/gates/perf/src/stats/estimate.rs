//! What a sample comparison found, checked: every number in an [`Estimate`] is finite,
//! so a decision can never compare a NaN ("within threshold") or an infinite interval
//! ("inconclusive") and pass.

/// Why a comparison could not give an estimate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// A sample is zero or negative: the statistics compare ratios.
    #[error(
        "{side} sample {value} is not positive: the statistics compare ratios and need \
         positive samples"
    )]
    NotPositive {
        /// `baseline` or `current`.
        side: &'static str,
        /// The sample.
        value: f64,
    },
    /// A number of the result is not finite (a change too large to represent).
    #[error("the {what} is {value}, not a finite number (the sides are too far apart)")]
    NotFinite {
        /// Which number.
        what: &'static str,
        /// Its value.
        value: f64,
    },
    /// The samples are too few for the test to ever reach its level.
    #[error(
        "{} baseline and {} current samples give the rank test no power to fail at the \
         level {level}: it needs at least {needed} per side", have[0], have[1]
    )]
    TooFewSamples {
        /// The sample counts, baseline and current.
        have: [usize; 2],
        /// The level the test had to reach.
        level: f64,
        /// Samples per side that would let it.
        needed: usize,
    },
}

/// The result of comparing two sets of samples. Changes are signed relative changes
/// (`current / baseline - 1`). Built only by [`Estimate::new`], which refuses any
/// number that is not finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    change: f64,
    interval: [f64; 2],
    p_value: f64,
    dropped: [usize; 2],
    summaries: [f64; 2],
}

impl Estimate {
    /// Checks every number: `change`, both ends of the `interval`, the `p_value` (which
    /// must also lie in [0, 1]) and the two `summaries`.
    pub fn new(
        change: f64,
        interval: [f64; 2],
        p_value: f64,
        dropped: [usize; 2],
        summaries: [f64; 2],
    ) -> Result<Self, StatsError> {
        let numbers = [
            ("estimated change", change),
            ("lower end of the interval", interval[0]),
            ("upper end of the interval", interval[1]),
            ("p-value", p_value),
            ("baseline summary", summaries[0]),
            ("current summary", summaries[1]),
        ];
        if let Some((what, value)) = numbers.into_iter().find(|(_, v)| !v.is_finite()) {
            return Err(StatsError::NotFinite { what, value });
        }
        if !(0.0..=1.0).contains(&p_value) {
            return Err(StatsError::NotFinite {
                what: "p-value",
                value: p_value,
            });
        }
        Ok(Estimate {
            change,
            interval,
            p_value,
            dropped,
            summaries,
        })
    }

    /// Point estimate of the relative change.
    pub fn change(&self) -> f64 {
        self.change
    }

    /// Two-sided 90% confidence interval of the relative change, so each end is a
    /// one-sided 95% bound ([`super::INTERVAL_ALPHA`]).
    pub fn interval(&self) -> [f64; 2] {
        self.interval
    }

    /// One-sided p-value of "the change is no worse than the threshold", against a
    /// change beyond it in the metric's bad direction.
    pub fn p_value(&self) -> f64 {
        self.p_value
    }

    /// Far outliers left out, baseline and current.
    pub fn dropped(&self) -> [usize; 2] {
        self.dropped
    }

    /// The statistic of the samples kept, baseline and current.
    pub fn summaries(&self) -> [f64; 2] {
        self.summaries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_non_finite_number() {
        assert!(Estimate::new(0.1, [0.0, 0.2], 0.01, [0, 0], [1.0, 1.1]).is_ok());
        let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        for v in bad {
            assert!(Estimate::new(v, [0.0, 0.2], 0.01, [0, 0], [1.0, 1.1]).is_err());
            assert!(Estimate::new(0.1, [v, 0.2], 0.01, [0, 0], [1.0, 1.1]).is_err());
            assert!(Estimate::new(0.1, [0.0, v], 0.01, [0, 0], [1.0, 1.1]).is_err());
            assert!(Estimate::new(0.1, [0.0, 0.2], v, [0, 0], [1.0, 1.1]).is_err());
            assert!(Estimate::new(0.1, [0.0, 0.2], 0.01, [0, 0], [v, 1.1]).is_err());
            assert!(Estimate::new(0.1, [0.0, 0.2], 0.01, [0, 0], [1.0, v]).is_err());
        }
        assert!(Estimate::new(0.1, [0.0, 0.2], 1.5, [0, 0], [1.0, 1.1]).is_err());
    }
}

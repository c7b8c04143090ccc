//! What a sample comparison found, checked: every number in an [`Estimate`] is finite,
//! so a decision can never compare a NaN ("within threshold") or an infinite interval
//! ("inconclusive") and pass.

use super::power::{Noise, ZeroTest};

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

/// The numbers of a comparison before they are checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// Point estimate of the relative change.
    pub change: f64,
    /// 90% interval of the relative change.
    pub interval: [f64; 2],
    /// One-sided p-value against the threshold.
    pub p_threshold: f64,
    /// One-sided p-values against no change: Mann–Whitney's and Welch's.
    pub p_zero: [f64; 2],
    /// The statistic of each side.
    pub summaries: [f64; 2],
    /// The noise, for the power calculation.
    pub noise: Noise,
    /// Far outliers of the baseline left out of the test against the threshold.
    pub dropped: usize,
}

/// The result of comparing two sets of samples. Changes are signed relative changes
/// (`current / baseline - 1`); p-values are one-sided, against a change in the metric's
/// bad direction. Built only by [`Estimate::new`], which refuses any number that is not
/// finite and any p-value outside [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate(Found);

impl Estimate {
    /// Checks every number of `found`.
    pub fn new(found: Found) -> Result<Self, StatsError> {
        let Found {
            change,
            interval,
            p_threshold,
            p_zero,
            summaries,
            noise,
            dropped: _,
        } = found;
        let numbers = [
            ("estimated change", change),
            ("lower end of the interval", interval[0]),
            ("upper end of the interval", interval[1]),
            ("baseline summary", summaries[0]),
            ("current summary", summaries[1]),
            ("baseline spread", noise.spread[0]),
            ("current spread", noise.spread[1]),
            ("baseline robust spread", noise.robust_spread[0]),
            ("current robust spread", noise.robust_spread[1]),
        ];
        let probabilities = [
            ("p-value", p_threshold),
            ("p-value", p_zero[0]),
            ("p-value", p_zero[1]),
        ];
        if let Some((what, value)) = numbers.into_iter().find(|(_, v)| !v.is_finite()) {
            return Err(StatsError::NotFinite { what, value });
        }
        if let Some((what, value)) = probabilities
            .into_iter()
            .find(|(_, p)| !(0.0..=1.0).contains(p))
        {
            return Err(StatsError::NotFinite { what, value });
        }
        Ok(Estimate(found))
    }

    /// Point estimate of the relative change.
    pub fn change(&self) -> f64 {
        self.0.change
    }

    /// Two-sided 90% confidence interval of the relative change, so each end is a
    /// one-sided 95% bound ([`super::INTERVAL_ALPHA`]).
    pub fn interval(&self) -> [f64; 2] {
        self.0.interval
    }

    /// One-sided p-value of "the change is no worse than the threshold".
    pub fn p_value(&self) -> f64 {
        self.0.p_threshold
    }

    /// One-sided p-value of "the change is no worse than none at all", from the test
    /// the sample counts call for at `level` (see [`Noise::zero_test`]).
    pub fn p_zero(&self, level: f64) -> f64 {
        match self.0.noise.zero_test(level) {
            ZeroTest::Rank => self.0.p_zero[0],
            ZeroTest::Welch => self.0.p_zero[1],
        }
    }

    /// The statistic of each side, baseline and current.
    pub fn summaries(&self) -> [f64; 2] {
        self.0.summaries
    }

    /// The noise of the comparison.
    pub fn noise(&self) -> Noise {
        self.0.noise
    }

    /// Far outliers of the baseline left out of the test against the threshold.
    pub fn dropped(&self) -> usize {
        self.0.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found() -> Found {
        Found {
            change: 0.1,
            interval: [0.0, 0.2],
            p_threshold: 0.01,
            p_zero: [0.001, 0.002],
            summaries: [1.0, 1.1],
            noise: Noise {
                spread: [0.05, 0.05],
                robust_spread: [0.05, 0.05],
                samples: [10, 10],
            },
            dropped: 0,
        }
    }

    #[test]
    fn refuses_every_non_finite_number() {
        assert!(Estimate::new(found()).is_ok());
        let edits: [fn(&mut Found, f64); 12] = [
            |f, v| f.change = v,
            |f, v| f.interval[0] = v,
            |f, v| f.interval[1] = v,
            |f, v| f.p_threshold = v,
            |f, v| f.p_zero[0] = v,
            |f, v| f.p_zero[1] = v,
            |f, v| f.summaries[0] = v,
            |f, v| f.summaries[1] = v,
            |f, v| f.noise.spread[0] = v,
            |f, v| f.noise.spread[1] = v,
            |f, v| f.noise.robust_spread[0] = v,
            |f, v| f.noise.robust_spread[1] = v,
        ];
        for edit in edits {
            for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let mut f = found();
                edit(&mut f, v);
                assert!(Estimate::new(f).is_err(), "{f:?}");
            }
        }
        let mut f = found();
        f.p_zero[1] = 1.5;
        assert!(Estimate::new(f).is_err());
    }
}

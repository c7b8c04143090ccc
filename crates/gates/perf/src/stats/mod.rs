//! Comparing two sets of samples: an estimate of the relative change, a confidence
//! interval and a one-sided p-value.
//!
//! Every method works on log-values, so a change is a ratio and the noise of timing
//! data (multiplicative, right-skewed) becomes roughly symmetric. See `docs/perf.md`.

mod estimate;
mod outliers;
mod rank;
mod summary;
mod welch;

pub use estimate::{Estimate, StatsError};
pub use summary::{Statistic, summarize};

use crate::model::{Direction, Samples};

/// One-sided level of each end of the reported interval: the interval is a 90% one,
/// whatever the significance level of the decision.
pub const INTERVAL_ALPHA: f64 = 0.05;

/// Compares positive samples. The p-value tests "the change is at most `threshold` in
/// the bad `direction`" (a relative change, 0.05 = 5%), so its significance level bounds
/// the failures of a change exactly at the threshold, and unchanged code fails far less
/// often. Far outliers (beyond 4 robust standard deviations, per side) are left out first.
///
/// - [`Statistic::Median`]: Hodges–Lehmann estimate (median of all pairwise ratios),
///   Mann–Whitney U p-value and its distribution-free interval. Robust to outliers.
/// - [`Statistic::Mean`]: ratio of geometric means, Welch's t on log-values.
/// - [`Statistic::Min`]: ratio of the minimums as the estimate; p-value and interval
///   from Mann–Whitney as for the median (a minimum has no usable sampling theory).
///
/// Refuses (rather than estimates) non-positive samples, a result that is not finite,
/// and rank tests on samples too few to ever give a 90% interval.
pub fn compare(
    baseline: &Samples,
    current: &Samples,
    statistic: Statistic,
    threshold: f64,
    direction: Direction,
) -> Result<Estimate, StatsError> {
    let (all_x, all_y) = (
        sorted_logs(baseline, "baseline")?,
        sorted_logs(current, "current")?,
    );
    if statistic != Statistic::Mean {
        let level = INTERVAL_ALPHA;
        if rank::smallest_p(all_x.len(), all_y.len()) > level {
            return Err(StatsError::TooFewSamples {
                have: [all_x.len(), all_y.len()],
                level,
                needed: rank::samples_needed(level),
            });
        }
    }
    let (x, y) = outliers::trim(&all_x, &all_y);
    // The null hypothesis on the log scale: the change is exactly the threshold.
    let null = match direction {
        Direction::Lower => threshold.ln_1p(),
        // No decrease can be worse than a threshold of 100% or more.
        Direction::Higher if threshold >= 1.0 => f64::NEG_INFINITY,
        Direction::Higher => (-threshold).ln_1p(),
    };
    let (shift, low, high, p_up) = match statistic {
        Statistic::Mean => welch::log_shift(x, y, INTERVAL_ALPHA, null),
        Statistic::Median => rank_against(x, y, null),
        Statistic::Min => {
            let r = rank_against(x, y, null);
            (all_y[0] - all_x[0], r.1, r.2, r.3)
        }
    };
    let p_value = match (direction, statistic) {
        (Direction::Lower, _) => p_up,
        (Direction::Higher, Statistic::Mean) => 1.0 - p_up,
        (Direction::Higher, _) if null == f64::NEG_INFINITY => 1.0,
        // U is discrete: P(U <= u) is not 1 - P(U >= u), so test the other way round.
        (Direction::Higher, _) => {
            let y_less: Vec<f64> = y.iter().map(|v| v - null).collect();
            rank::log_shift(&y_less, x, INTERVAL_ALPHA).3
        }
    };
    Estimate::new(
        shift.exp_m1(),
        [low.exp_m1(), high.exp_m1()],
        p_value.clamp(0.0, 1.0),
        [all_x.len() - x.len(), all_y.len() - y.len()],
        [
            log_summary(x, &all_x, statistic),
            log_summary(y, &all_y, statistic),
        ],
    )
}

/// Sorted log-values of positive samples.
fn sorted_logs(samples: &Samples, side: &'static str) -> Result<Vec<f64>, StatsError> {
    if let Some(value) = samples.iter().find(|v| **v <= 0.0) {
        return Err(StatsError::NotPositive {
            side,
            value: *value,
        });
    }
    let mut logs: Vec<f64> = samples.iter().map(|v| v.ln()).collect();
    logs.sort_by(f64::total_cmp);
    Ok(logs)
}

/// Hodges–Lehmann shift and interval of `y` against `x`, with the Mann–Whitney p-value
/// of "`y` exceeds `x` by more than `null`" (`y` is moved down by `null` for the test;
/// the estimate and interval move back up by the same amount).
fn rank_against(x: &[f64], y: &[f64], null: f64) -> (f64, f64, f64, f64) {
    if !null.is_finite() {
        let (shift, low, high, _) = rank::log_shift(x, y, INTERVAL_ALPHA);
        return (shift, low, high, 0.0);
    }
    let moved: Vec<f64> = y.iter().map(|v| v - null).collect();
    let (shift, low, high, p_up) = rank::log_shift(x, &moved, INTERVAL_ALPHA);
    (shift + null, low + null, high + null, p_up)
}

/// The statistic of sorted log-values, back on the original scale; the minimum is
/// taken over every sample, outliers included (a far outlier is never the minimum
/// of timing noise, and a low one is a real fast run).
fn log_summary(kept: &[f64], all: &[f64], statistic: Statistic) -> f64 {
    match statistic {
        Statistic::Mean => (kept.iter().sum::<f64>() / kept.len() as f64).exp(),
        Statistic::Median => summary::median(kept).exp(),
        Statistic::Min => all[0].exp(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compare(
        b: &[f64],
        c: &[f64],
        statistic: Statistic,
        threshold: f64,
        direction: Direction,
    ) -> Estimate {
        let s = |v: &[f64]| Samples::new(v.to_vec()).expect("finite");
        super::compare(&s(b), &s(c), statistic, threshold, direction).expect("estimate")
    }

    #[test]
    fn a_clear_slowdown_is_estimated_and_significant() {
        let b = [1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01, 0.99];
        let c: Vec<f64> = b.iter().map(|v| v * 1.2).collect();
        for statistic in [Statistic::Median, Statistic::Mean, Statistic::Min] {
            let e = compare(&b, &c, statistic, 0.05, Direction::Lower);
            assert!((e.change() - 0.2).abs() < 1e-9, "{statistic:?}: {e:?}");
            assert!(e.p_value() < 0.01, "{statistic:?}: {e:?}");
            assert!(e.interval()[0] > 0.1 && e.interval()[1] < 0.3, "{e:?}");
            let e = compare(&b, &c, statistic, 0.05, Direction::Higher);
            assert!(e.p_value() > 0.99, "higher is better: {e:?}");
        }
    }

    #[test]
    fn a_throughput_drop_gets_the_exact_rank_p_value() {
        // Every current value below every baseline value: one ordering in C(8, 4) = 70.
        let b = [10.0, 11.0, 12.0, 13.0];
        let c = [5.0, 6.0, 7.0, 8.0];
        let e = compare(&b, &c, Statistic::Median, 0.05, Direction::Higher);
        assert!((e.p_value() - 1.0 / 70.0).abs() < 1e-12, "{e:?}");
        let e = compare(&b, &c, Statistic::Median, 0.05, Direction::Lower);
        assert!((e.p_value() - 1.0).abs() < 1e-12, "{e:?}");
    }

    #[test]
    fn refuses_what_it_cannot_estimate() {
        let s = |v: &[f64]| Samples::new(v.to_vec()).expect("finite");
        let run = |b: &[f64], c: &[f64], statistic| {
            super::compare(&s(b), &s(c), statistic, 0.05, Direction::Lower)
        };
        assert!(matches!(
            run(&[1.0, 0.0], &[1.0, 2.0], Statistic::Mean),
            Err(StatsError::NotPositive {
                side: "baseline",
                ..
            })
        ));
        // A ratio beyond the largest double.
        let err = run(&[1e-300, 2e-300], &[1e300, 2e300], Statistic::Mean).expect_err("inf");
        assert!(matches!(err, StatsError::NotFinite { .. }), "{err}");
        // Two samples a side: no rank interval, whatever the data.
        let err = run(&[1.0, 1.01], &[9.0, 9.1], Statistic::Median).expect_err("few");
        assert_eq!(
            err,
            StatsError::TooFewSamples {
                have: [2, 2],
                level: INTERVAL_ALPHA,
                needed: 3
            }
        );
        assert!(run(&[1.0, 1.01], &[9.0, 9.1], Statistic::Mean).is_ok());
    }

    #[test]
    fn identical_samples_show_no_change() {
        let b = [3.0, 1.0, 2.0, 5.0, 4.0];
        for statistic in [Statistic::Median, Statistic::Mean] {
            let e = compare(&b, &b, statistic, 0.05, Direction::Lower);
            assert!(e.change().abs() < 1e-12, "{e:?}");
            assert!(e.p_value() > 0.3, "{e:?}");
            assert!(e.interval()[0] < 0.0 && e.interval()[1] > 0.0, "{e:?}");
        }
    }
}

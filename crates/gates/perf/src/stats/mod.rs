//! Comparing two sets of samples: an estimate of the relative change, a confidence
//! interval, and one-sided p-values against the threshold and against no change.
//!
//! Every method works on log-values, so a change is a ratio and the noise of timing
//! data (multiplicative, right-skewed) becomes roughly symmetric. A higher-is-better
//! metric is compared on negated log-values, so that "worse" is always "larger" and one
//! code path serves both directions. See `docs/perf.md`.

mod estimate;
mod outliers;
mod power;
mod rank;
mod summary;
mod welch;

pub use estimate::{Estimate, Found, StatsError};
pub(crate) use outliers::{MAD_TO_SIGMA, quantile};
pub use power::{Noise, POWER, RANK_PRICE, ZeroTest};
pub use summary::{Statistic, summarize};
pub(crate) use welch::Welch;

use crate::model::{Direction, Samples};

/// One-sided level of each end of the reported interval: the interval is a 90% one,
/// whatever the significance level of the decision.
pub const INTERVAL_ALPHA: f64 = 0.05;

/// Compares positive samples. One-sided p-values come out against "the change is not
/// in the bad `direction` at all", from both Mann–Whitney and Welch (the decision picks
/// one by sample counts, see [`ZeroTest`]), and against "the change is at most
/// `threshold` in the bad direction" (a relative change, 0.05 = 5%), by statistic:
///
/// - [`Statistic::Mean`]: ratio of geometric means and Welch's t on log-values, far
///   outliers of the baseline left out (see `outliers.rs`): the most powerful on
///   log-normal noise.
/// - [`Statistic::Median`]: Hodges–Lehmann estimate (median of all pairwise ratios),
///   Mann–Whitney U and its distribution-free interval: exact whatever the shape of the
///   noise, and unmoved by outliers.
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
    let x = badness(baseline, "baseline", direction)?;
    let y = badness(current, "current", direction)?;
    let noise = Noise {
        spread: [welch::mean_var(&x).1.sqrt(), welch::mean_var(&y).1.sqrt()],
        robust_spread: [outliers::bulk_sd(&x), outliers::bulk_sd(&y)],
        samples: [x.len(), y.len()],
    };
    // The threshold as a shift of the (negated, for higher is better) log-values; no
    // drop can be worse than a threshold of 100% or more.
    let null = match direction {
        Direction::Lower => threshold.ln_1p(),
        Direction::Higher if threshold >= 1.0 => f64::INFINITY,
        Direction::Higher => -(-threshold).ln_1p(),
    };
    let p_zero = [
        rank::p_above(&x, &y),
        welch::Welch::new(&x, &y).p_above(0.0),
    ];
    let kept = kept_baseline(&x, statistic);
    let (shift, [low, high], p_threshold) = match statistic {
        Statistic::Mean => {
            let w = welch::Welch::new(kept, &y);
            (w.shift, w.interval(INTERVAL_ALPHA), w.p_above(null))
        }
        Statistic::Median | Statistic::Min => {
            let (hodges_lehmann, interval) = rank::shift_interval(&x, &y, INTERVAL_ALPHA);
            let Some(interval) = interval else {
                return Err(StatsError::TooFewSamples {
                    have: [x.len(), y.len()],
                    level: INTERVAL_ALPHA,
                    needed: rank::samples_needed(INTERVAL_ALPHA),
                });
            };
            let p_threshold = if null.is_finite() {
                let moved: Vec<f64> = y.iter().map(|v| v - null).collect();
                rank::p_above(&x, &moved)
            } else {
                1.0
            };
            let shift = match (statistic, direction) {
                // The minimum value: the smallest log, the largest negated log.
                (Statistic::Min, Direction::Lower) => y[0] - x[0],
                (Statistic::Min, Direction::Higher) => y[y.len() - 1] - x[x.len() - 1],
                _ => hodges_lehmann,
            };
            (shift, interval, p_threshold)
        }
    };
    let (change, interval) = match direction {
        Direction::Lower => (shift.exp_m1(), [low.exp_m1(), high.exp_m1()]),
        Direction::Higher => ((-shift).exp_m1(), [(-high).exp_m1(), (-low).exp_m1()]),
    };
    let summaries = match statistic {
        Statistic::Mean => [mean_value(kept, direction), mean_value(&y, direction)],
        _ => [
            summarize(baseline, statistic),
            summarize(current, statistic),
        ],
    };
    Estimate::new(Found {
        change,
        interval,
        p_threshold,
        p_zero,
        summaries,
        noise,
        dropped: x.len() - kept.len(),
    })
}

/// The geometric mean of the values whose (negated, for higher is better) logs these are.
fn mean_value(logs: &[f64], direction: Direction) -> f64 {
    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
    match direction {
        Direction::Lower => mean.exp(),
        Direction::Higher => (-mean).exp(),
    }
}

/// The part of the baseline's sorted badness values the estimate keeps: the mean
/// leaves the baseline's far outliers out, the rank statistics keep everything.
fn kept_baseline(x: &[f64], statistic: Statistic) -> &[f64] {
    match statistic {
        Statistic::Mean => outliers::trim(x),
        Statistic::Median | Statistic::Min => x,
    }
}

/// Positions of the baseline samples that [`compare`] leaves out of its estimate as far
/// outliers (none for samples it would refuse). The current side is never trimmed.
/// Renderers mark them.
pub fn left_out(baseline: &Samples, statistic: Statistic, direction: Direction) -> Vec<usize> {
    let Ok(x) = badness(baseline, "baseline", direction) else {
        return Vec::new();
    };
    let kept = kept_baseline(&x, statistic);
    let (Some(&low), Some(&high)) = (kept.first(), kept.last()) else {
        return Vec::new();
    };
    let sign = match direction {
        Direction::Lower => 1.0,
        Direction::Higher => -1.0,
    };
    baseline
        .iter()
        .enumerate()
        .filter(|(_, v)| {
            let value = sign * v.ln();
            value < low || value > high
        })
        .map(|(i, _)| i)
        .collect()
}

/// Sorted log-values of positive samples, negated when higher is better.
fn badness(
    samples: &Samples,
    side: &'static str,
    direction: Direction,
) -> Result<Vec<f64>, StatsError> {
    if let Some(value) = samples.iter().find(|v| **v <= 0.0) {
        return Err(StatsError::NotPositive {
            side,
            value: *value,
        });
    }
    let sign = match direction {
        Direction::Lower => 1.0,
        Direction::Higher => -1.0,
    };
    let mut logs: Vec<f64> = samples.iter().map(|v| sign * v.ln()).collect();
    logs.sort_by(f64::total_cmp);
    Ok(logs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_out_names_the_baseline_outliers_the_mean_drops() {
        let s = |v: &[f64]| Samples::new(v.to_vec()).expect("finite");
        let b = [1.00, 1.01, 0.99, 9.0, 1.02, 0.98, 1.00, 1.01, 0.99, 1.0];
        let c = [1.10, 1.11, 1.09, 1.12, 0.2, 1.08, 1.10, 1.11, 1.09, 1.1];
        for direction in [Direction::Lower, Direction::Higher] {
            let e =
                super::compare(&s(&b), &s(&c), Statistic::Mean, 0.05, direction).expect("estimate");
            let left = left_out(&s(&b), Statistic::Mean, direction);
            assert_eq!(left, vec![3], "{direction:?}");
            assert_eq!(e.dropped(), left.len());
            assert!(left_out(&s(&b), Statistic::Median, direction).is_empty());
        }
        let clean = [1.0, 1.01, 0.99, 1.02];
        assert!(left_out(&s(&clean), Statistic::Mean, Direction::Lower).is_empty());
        assert!(left_out(&s(&[1.0, -1.0]), Statistic::Mean, Direction::Lower).is_empty());
    }

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

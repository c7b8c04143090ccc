//! The rule the gate shipped before, kept as the peer the simulation measures against:
//! fail when the ratio of geometric means is beyond the threshold and Welch's t against
//! the threshold gives p < 0.375, after far outliers are left out.
//!
//! Far outliers: samples more than 4 robust standard deviations from their side's
//! median, on log-values. Timing noise has a heavy slow tail (a preempted run, a cold
//! cache); one such run among ten moves a mean by most of a 5% threshold and inflates
//! its variance enough to hide a real regression, while 4 standard deviations almost
//! never cut a sample of well-behaved noise.
//!
//! The scale is the median absolute deviation pooled over both sides (20 deviations
//! instead of 10): with one side's own spread a single noisy estimate decides, and a
//! wide one lets the outlier stay. Quartile fences (Tukey's) were tried first; with ten
//! samples their width varies too much to catch a 1.5x outlier reliably.
//!
//! Outliers are a minority by definition: a side keeps every sample when half of it or
//! more lies beyond the fences. That happens when the sides differ in spread
//! (30 tight baseline rounds against 10 noisy current ones make the pooled scale the
//! baseline's); cutting there would judge a noisy side on a sliver of it, or on nothing.

use crate::stats::{MAD_TO_SIGMA, Welch, quantile};

/// The old rule's significance level.
const ALPHA: f64 = 0.375;

/// Whether the old rule fails `cur` against `base` (positive samples, lower is better).
pub(super) fn fails(base: &[f64], cur: &[f64], threshold: f64) -> bool {
    let sorted_logs = |values: &[f64]| {
        let mut logs: Vec<f64> = values.iter().map(|v| v.ln()).collect();
        logs.sort_by(f64::total_cmp);
        logs
    };
    let (all_x, all_y) = (sorted_logs(base), sorted_logs(cur));
    let (x, y) = trim(&all_x, &all_y);
    let welch = Welch::new(x, y);
    let null = threshold.ln_1p();
    welch.shift > null && welch.p_above(null) < ALPHA
}

/// How many robust standard deviations from the median make a far outlier.
const FENCE: f64 = 4.0;

/// The parts of sorted `x` and `y` within `FENCE` pooled robust standard deviations
/// of their own medians. Nothing is dropped when the pooled deviation is zero
/// (quantised timers), or when a side has fewer than four samples; a side never loses
/// half of its samples or more, so most of it always remains.
fn trim<'a>(x: &'a [f64], y: &'a [f64]) -> (&'a [f64], &'a [f64]) {
    if x.len() < 4 || y.len() < 4 {
        return (x, y);
    }
    let (mx, my) = (quantile(x, 0.5), quantile(y, 0.5));
    let mut deviations: Vec<f64> = x
        .iter()
        .map(|v| (v - mx).abs())
        .chain(y.iter().map(|v| (v - my).abs()))
        .collect();
    let scale = MAD_TO_SIGMA * median_unsorted(&mut deviations);
    (inside(x, mx, scale), inside(y, my, scale))
}

/// The part of sorted values within `FENCE * scale` of `center`, or all of them when
/// that would leave out half of them or more.
fn inside(sorted: &[f64], center: f64, scale: f64) -> &[f64] {
    if scale <= 0.0 {
        return sorted;
    }
    let (low, high) = (center - FENCE * scale, center + FENCE * scale);
    let start = sorted.partition_point(|v| *v < low);
    let end = sorted.partition_point(|v| *v <= high);
    if 2 * (sorted.len() - (end - start)) >= sorted.len() {
        return sorted;
    }
    &sorted[start..end]
}

/// Median by selection, without sorting (this runs once per benchmark).
fn median_unsorted(values: &mut [f64]) -> f64 {
    let (mid, odd) = (values.len() / 2, values.len() % 2 == 1);
    let (left, upper, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *upper;
    if odd {
        return upper;
    }
    let lower = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lower + upper) / 2.0
}

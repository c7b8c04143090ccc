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

/// How many robust standard deviations from the median make a far outlier.
const FENCE: f64 = 4.0;

/// Median absolute deviation to standard deviation, for normal data.
const MAD_TO_SIGMA: f64 = 1.4826;

/// The parts of sorted `x` and `y` within `FENCE` pooled robust standard deviations
/// of their own medians. Nothing is dropped when the pooled deviation is zero
/// (quantised timers), or when a side has fewer than four samples; a side never loses
/// half of its samples or more, so most of it always remains.
pub(super) fn trim<'a>(x: &'a [f64], y: &'a [f64]) -> (&'a [f64], &'a [f64]) {
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

/// Quantile of sorted values with linear interpolation between order statistics.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    let weight = position - below as f64;
    sorted[below] * (1.0 - weight) + sorted[above] * weight
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_only_far_outliers() {
        let mut v = vec![1.0, 1.01, 0.99, 1.02, 0.98, 1.0, 1.03, 0.97, 1.5];
        v.sort_by(f64::total_cmp);
        let (kept, same) = trim(&v, &v);
        assert_eq!((kept.len(), same.len()), (8, 8));
        assert_eq!(*kept.last().expect("kept"), 1.03);
        let spread = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(trim(&spread, &spread), (&spread[..], &spread[..]));
        let quantised = [100.0, 100.0, 100.0, 100.0, 150.0];
        assert_eq!(trim(&quantised, &quantised).0, &quantised);
        assert_eq!(trim(&v[..3], &v).0.len(), 3);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
        assert_eq!(median_unsorted(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median_unsorted(&mut [3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn a_side_wider_than_the_pooled_scale_is_kept_whole() {
        // 30 tight rounds against 10 spread ones whose two middle values sit far from
        // the pooled scale: cutting by the fences would leave the second side empty.
        let tight: Vec<f64> = (0..30).map(|i| f64::from(i) * 1e-4).collect();
        let wide: Vec<f64> = (0..10)
            .map(|i| if i < 5 { 0.3 } else { 0.5 } + f64::from(i) * 1e-4)
            .collect();
        let (x, y) = trim(&tight, &wide);
        assert_eq!((x.len(), y.len()), (30, 10));
        // Four far values among ten are still outliers; five are half the side.
        let mut four = tight[..6].to_vec();
        four.extend([0.5, 0.6, 0.7, 0.8]);
        assert_eq!(trim(&tight, &four).1.len(), 6);
        let mut five = tight[..5].to_vec();
        five.extend([0.5, 0.6, 0.7, 0.8, 0.9]);
        assert_eq!(trim(&tight, &five).1.len(), 10);
    }
}

//! Far outliers of the baseline: samples more than 4 robust standard deviations from the
//! baseline's median, on log-values. A preempted run or a cold cache in the baseline
//! hides a regression twice: it moves the baseline's mean towards the current one, and
//! it inflates the variance the test divides by.
//!
//! Only the baseline is trimmed, with its own scale (the median absolute deviation):
//! a slow run in the current results may be the regression itself, so it is never left
//! out, and nothing the current results hold changes what is left out of the baseline.
//! That keeps the decision monotone: making a current sample worse can only move the
//! estimate up. A quarter of the baseline at most is left out; beyond that the baseline
//! is not a clean distribution with outliers but a wide or many-moded one, and is kept
//! whole.

/// How many robust standard deviations from the median make a far outlier.
const FENCE: f64 = 4.0;

/// Median absolute deviation to standard deviation, for normal data.
pub(crate) const MAD_TO_SIGMA: f64 = 1.4826;

/// The part of sorted `x` within `FENCE` robust standard deviations of its median.
/// Nothing is dropped when the deviation is zero (quantised timers), when there are
/// fewer than four samples, or when more than a quarter would go.
pub(super) fn trim(x: &[f64]) -> &[f64] {
    if x.len() < 4 {
        return x;
    }
    let (center, scale) = (quantile(x, 0.5), robust_sd(x));
    if scale.is_nan() || scale <= 0.0 {
        return x;
    }
    let (low, high) = (center - FENCE * scale, center + FENCE * scale);
    let start = x.partition_point(|v| *v < low);
    let end = x.partition_point(|v| *v <= high);
    if 4 * (x.len() - (end - start)) > x.len() {
        return x;
    }
    &x[start..end]
}

/// The median absolute deviation of sorted values, as a standard deviation of normal
/// noise.
fn robust_sd(x: &[f64]) -> f64 {
    let center = quantile(x, 0.5);
    let mut deviations: Vec<f64> = x.iter().map(|v| (v - center).abs()).collect();
    deviations.sort_by(f64::total_cmp);
    MAD_TO_SIGMA * quantile(&deviations, 0.5)
}

/// The standard deviation of sorted values once their far outliers are left out: the
/// spread of the bulk, which a rank test's power depends on.
pub(super) fn bulk_sd(x: &[f64]) -> f64 {
    super::welch::mean_var(trim(x)).1.sqrt()
}

/// Quantile of sorted values with linear interpolation between order statistics.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
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
    fn drops_only_far_outliers_and_never_more_than_a_quarter() {
        let mut v = vec![1.0, 1.01, 0.99, 1.02, 0.98, 1.0, 1.03, 0.97, 1.5];
        v.sort_by(f64::total_cmp);
        let kept = trim(&v);
        assert_eq!(kept.len(), 8);
        assert_eq!(*kept.last().expect("kept"), 1.03);
        let spread = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(trim(&spread), &spread[..]);
        let quantised = [100.0, 100.0, 100.0, 100.0, 150.0];
        assert_eq!(trim(&quantised), &quantised);
        assert_eq!(trim(&v[..3]).len(), 3);
        // Two far values among eight are a quarter: left out; three are not.
        let two = [0.99, 1.0, 1.0, 1.01, 1.01, 1.02, 3.0, 4.0];
        assert_eq!(trim(&two).len(), 6);
        let three = [0.99, 1.0, 1.01, 1.01, 1.02, 3.0, 4.0, 5.0];
        assert_eq!(trim(&three).len(), 8);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
    }
}

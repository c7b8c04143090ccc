//! Far outliers: samples beyond Tukey's outer fences (3 interquartile ranges past the
//! quartiles, criterion's "severe" outliers), judged per side on log-values. Timing
//! noise has a heavy slow tail (a preempted run, a cold cache); one such run among ten
//! moves ranks and means enough to hide a real regression, while a fence this wide
//! almost never drops a sample of well-behaved noise.

/// How far past the quartiles, in interquartile ranges, a sample is a far outlier.
const FENCE: f64 = 3.0;

/// The parts of sorted `x` and `y` inside their outer fences. The fences sit at each
/// side's quartiles, but their width uses the mean of both sides' interquartile
/// ranges: with ten samples one side's range is itself noisy, and a wide one would
/// let a far outlier stay. Nothing is dropped when the ranges are zero (quantised
/// timers), or from a side of fewer than four samples.
pub(super) fn trim<'a>(x: &'a [f64], y: &'a [f64]) -> (&'a [f64], &'a [f64]) {
    if x.len() < 4 || y.len() < 4 {
        return (x, y);
    }
    let iqr = (iqr(x) + iqr(y)) / 2.0;
    (inside_fences(x, iqr), inside_fences(y, iqr))
}

fn iqr(sorted: &[f64]) -> f64 {
    quantile(sorted, 0.75) - quantile(sorted, 0.25)
}

/// The part of sorted values within `FENCE * iqr` of its quartiles.
fn inside_fences(sorted: &[f64], iqr: f64) -> &[f64] {
    let (q1, q3) = (quantile(sorted, 0.25), quantile(sorted, 0.75));
    if iqr <= 0.0 {
        return sorted;
    }
    let (low, high) = (q1 - FENCE * iqr, q3 + FENCE * iqr);
    let start = sorted.partition_point(|v| *v < low);
    let end = sorted.partition_point(|v| *v <= high);
    &sorted[start..end]
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
    }
}

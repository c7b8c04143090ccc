//! The drift check: does a series of nightly values creep in one direction?
//!
//! Each night may stay under the threshold while the sum does not, so the check looks
//! at the cumulative change over the last N runs. Two robust statistics keep noise from
//! failing it: the Theil–Sen slope (the median of all pairwise slopes) estimates the
//! trend without being pulled by single outliers, and the Mann–Kendall test asks
//! whether the values rise (or fall) more consistently than chance would make them.
//! A series fails only when both agree: the fitted change over the window exceeds the
//! threshold in the bad direction, and the trend is significant.

use safety_gate_core::Direction;
use statrs::distribution::{ContinuousCDF, Normal};

/// Fewest runs the check judges.
pub const MIN_RUNS: usize = 5;

/// Significance level of the Mann–Kendall test.
pub const ALPHA: f64 = 0.05;

/// What the check found for one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// Runs looked at.
    pub runs: usize,
    /// Fitted relative change from the first to the last run of the window.
    pub change: f64,
    /// One-sided p-value of a trend in the bad direction (two-sided when unknown).
    pub p_value: f64,
    /// Whether the change exceeds the threshold with a significant trend.
    pub drifted: bool,
    /// The fitted line's value at the first run of the window.
    pub fit_start: f64,
    /// The fitted line's value at the last run of the window.
    pub fit_end: f64,
}

/// Judges `values` (oldest first, already cut to the window) against `threshold`
/// (a fraction). `None` when there are fewer than [`MIN_RUNS`] values or the level is
/// not positive.
pub fn judge(values: &[f64], threshold: f64, better: Option<Direction>) -> Option<Drift> {
    let n = values.len();
    if n < MIN_RUNS {
        return None;
    }
    let slope = theil_sen(values);
    let intercept = median(
        &values
            .iter()
            .enumerate()
            .map(|(i, v)| v - slope * i as f64)
            .collect::<Vec<_>>(),
    );
    if intercept <= 0.0 || !intercept.is_finite() {
        return None;
    }
    let change = slope * (n - 1) as f64 / intercept;
    let z = mann_kendall_z(values);
    let (bad_change, p_value) = match better {
        Some(Direction::Lower) => (change, upper_tail(z)),
        Some(Direction::Higher) => (-change, upper_tail(-z)),
        None => (change.abs(), (2.0 * upper_tail(z.abs())).min(1.0)),
    };
    Some(Drift {
        runs: n,
        change,
        p_value,
        drifted: bad_change > threshold && p_value < ALPHA,
        fit_start: intercept,
        fit_end: intercept + slope * (n - 1) as f64,
    })
}

fn theil_sen(values: &[f64]) -> f64 {
    let mut slopes = Vec::new();
    for i in 0..values.len() {
        for j in i + 1..values.len() {
            slopes.push((values[j] - values[i]) / (j - i) as f64);
        }
    }
    median(&slopes)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.is_empty() {
        0.0
    } else if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// The Mann–Kendall statistic as a normal score, with continuity correction (the
/// normal approximation is adequate from about ten values; fewer make it conservative).
fn mann_kendall_z(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mut s = 0.0;
    for i in 0..values.len() {
        for j in i + 1..values.len() {
            s += (values[j] - values[i]).signum() * f64::from(values[j] != values[i]);
        }
    }
    let variance = n * (n - 1.0) * (2.0 * n + 5.0) / 18.0;
    let corrected = if s > 0.0 {
        s - 1.0
    } else if s < 0.0 {
        s + 1.0
    } else {
        0.0
    };
    corrected / variance.sqrt()
}

/// P(Z > z) for a standard normal Z.
fn upper_tail(z: f64) -> f64 {
    // Mean 0 and deviation 1 are valid parameters, so construction cannot fail.
    Normal::standard().sf(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten nights, each 1% slower than the last.
    fn creep() -> Vec<f64> {
        (0..10).map(|i| 1.25 * 1.01_f64.powi(i)).collect()
    }

    /// Ten nights of up-and-down noise of up to ±4% around a flat level.
    fn noise() -> Vec<f64> {
        [
            0.0, 0.03, -0.02, 0.04, -0.04, 0.01, -0.03, 0.02, -0.01, 0.03,
        ]
        .iter()
        .map(|d| 1.25 * (1.0 + d))
        .collect()
    }

    #[test]
    fn one_percent_a_day_fails_within_ten_days() {
        let d = judge(&creep(), 0.05, Some(Direction::Lower)).expect("judged");
        assert!(d.drifted, "{d:?}");
        assert!((d.change - 0.09).abs() < 0.01, "{d:?}");
        assert!(d.p_value < 0.001, "{d:?}");
        assert!(
            (d.fit_end / d.fit_start - 1.0 - d.change).abs() < 1e-12,
            "{d:?}"
        );
        assert!((d.fit_start - 1.25).abs() < 0.02, "{d:?}");
    }

    #[test]
    fn noise_passes() {
        let d = judge(&noise(), 0.05, Some(Direction::Lower)).expect("judged");
        assert!(!d.drifted, "{d:?}");
        let d = judge(&noise(), 0.05, None).expect("judged");
        assert!(!d.drifted, "{d:?}");
    }

    #[test]
    fn improvement_is_not_drift_when_the_direction_is_known() {
        let faster: Vec<f64> = creep().iter().rev().copied().collect();
        assert!(
            !judge(&faster, 0.05, Some(Direction::Lower))
                .expect("judged")
                .drifted
        );
        assert!(
            judge(&faster, 0.05, Some(Direction::Higher))
                .expect("judged")
                .drifted
        );
        assert!(judge(&faster, 0.05, None).expect("judged").drifted);
    }

    #[test]
    fn a_single_jump_is_not_a_creep_below_threshold() {
        let mut v = vec![1.0; 10];
        v[9] = 1.04;
        assert!(
            !judge(&v, 0.05, Some(Direction::Lower))
                .expect("judged")
                .drifted
        );
        assert_eq!(judge(&v[..4], 0.05, None), None);
    }

    #[test]
    fn normal_tail_matches_known_values() {
        assert!((upper_tail(0.0) - 0.5).abs() < 1e-12);
        assert!((upper_tail(1.959_964) - 0.025).abs() < 1e-6);
        assert!((upper_tail(-1.0) - 0.841_345).abs() < 1e-6);
        assert!(upper_tail(40.0) >= 0.0 && upper_tail(-40.0) <= 1.0);
    }
}

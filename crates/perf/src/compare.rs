//! Comparing one benchmark's baseline and current measurement against a threshold.

use safety_gate_core::Check;

use crate::model::{Direction, Measurement};

/// Slack for binary rounding when a change is compared with its threshold.
const ROUNDING: f64 = 1e-12;

/// How one benchmark is judged.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Largest change in the bad direction that passes, as a fraction.
    pub threshold: f64,
    /// Which way is better.
    pub direction: Direction,
}

/// Compares one benchmark. Several samples are summarised by their median; the plain
/// threshold then applies to the two summaries.
pub(crate) fn compare(
    id: &str,
    baseline: &Measurement,
    current: &Measurement,
    policy: Policy,
) -> Check {
    let (b, c) = (median(&baseline.values), median(&current.values));
    if b <= 0.0 {
        return Check::error(
            id,
            format!("baseline value {b} is not positive, so a relative change is undefined"),
        )
        .with_location(baseline.location.clone());
    }
    if c < 0.0 {
        return Check::error(id, format!("current value {c} is negative"))
            .with_location(current.location.clone());
    }
    let change = (c - b) / b;
    let bad_change = match policy.direction {
        Direction::Lower => change,
        Direction::Higher => -change,
    };
    let numbers = format!("{} -> {} ({:+.2}%)", fmt(b), fmt(c), change * 100.0);
    let basis = basis(baseline, current);
    let limit = format!(
        "threshold {:.2}%, {}",
        policy.threshold * 100.0,
        policy.direction.phrase()
    );
    // A change equal to the threshold passes; allow for decimal values not being exact
    // in binary (2.0 -> 2.1 must read as 5%, not 5.000000000000004%).
    let check = if bad_change > policy.threshold + ROUNDING {
        Check::fail(id, format!("regressed: {numbers} beyond {limit}{basis}"))
    } else if bad_change < -policy.threshold - ROUNDING {
        Check::pass(id, format!("improved: {numbers}, {limit}{basis}"))
    } else {
        Check::pass(id, format!("within threshold: {numbers}, {limit}{basis}"))
    };
    let check = check
        .with_values(b, c, change)
        .with_threshold(policy.threshold);
    let check = match current.unit.as_ref().or(baseline.unit.as_ref()) {
        Some(unit) => check.with_unit(unit.clone()),
        None => check,
    };
    check.with_location(current.location.clone())
}

/// Says how the values were summarised.
fn basis(baseline: &Measurement, current: &Measurement) -> String {
    if baseline.has_samples() || current.has_samples() {
        format!(
            " (medians of {} and {} samples)",
            baseline.values.len(),
            current.values.len()
        )
    } else {
        " (single values: plain threshold)".to_string()
    }
}

/// Median of finite, non-empty values.
pub(crate) fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 && mid > 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// Short number formatting: up to 6 significant digits, no trailing zeros.
fn fmt(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::{Location, Status};

    fn m(values: &[f64]) -> Measurement {
        Measurement {
            values: values.to_vec(),
            unit: None,
            direction: None,
            location: Location::file("f"),
        }
    }

    fn status(b: f64, c: f64, direction: Direction) -> Status {
        compare(
            "x",
            &m(&[b]),
            &m(&[c]),
            Policy {
                threshold: 0.05,
                direction,
            },
        )
        .status
    }

    #[test]
    fn regression_only_in_the_bad_direction() {
        assert_eq!(status(1.0, 1.06, Direction::Lower), Status::Fail);
        assert_eq!(status(1.0, 1.04, Direction::Lower), Status::Pass);
        assert_eq!(status(1.0, 0.5, Direction::Lower), Status::Pass);
        assert_eq!(status(100.0, 94.0, Direction::Higher), Status::Fail);
        assert_eq!(status(100.0, 96.0, Direction::Higher), Status::Pass);
        assert_eq!(status(100.0, 200.0, Direction::Higher), Status::Pass);
    }

    #[test]
    fn threshold_is_exclusive_and_change_is_signed() {
        let check = compare(
            "x",
            &m(&[2.0]),
            &m(&[2.1]),
            Policy {
                threshold: 0.05,
                direction: Direction::Lower,
            },
        );
        assert_eq!(check.status, Status::Pass);
        assert!((check.change.expect("change") - 0.05).abs() < 1e-12);
    }

    #[test]
    fn non_positive_baseline_is_an_error_not_a_division() {
        assert_eq!(status(0.0, 1.0, Direction::Lower), Status::Error);
        assert_eq!(status(-1.0, 1.0, Direction::Lower), Status::Error);
        assert_eq!(status(1.0, -1.0, Direction::Lower), Status::Error);
    }

    #[test]
    fn median_of_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}

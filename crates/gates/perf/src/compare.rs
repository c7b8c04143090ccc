//! Comparing one benchmark's baseline and current measurement: an estimate for the
//! statistical decision (`decision.rs`) when both sides have samples, the plain
//! threshold on single values otherwise.

use safety_gate_core::Check;

use crate::decision::Sampled;
use crate::model::{Direction, Measurement, Outcome};
use crate::stats::{self, Statistic, summarize};
use crate::units;

/// Slack for binary rounding when a change is compared with its threshold.
pub(crate) const ROUNDING: f64 = 1e-12;

/// How one benchmark is judged.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Largest change in the bad direction that passes, as a fraction.
    pub threshold: f64,
    /// Which way is better.
    pub direction: Direction,
    /// The summary compared.
    pub statistic: Statistic,
    /// Significance level of the one-sided test of "no worse than the threshold".
    pub alpha: f64,
    /// Fail only when the whole (90%) interval is beyond the threshold.
    pub conservative: bool,
}

/// One benchmark compared, before its family is decided.
#[derive(Debug, Clone)]
pub(crate) enum Compared {
    /// Decided on its own: an error, single values, zeros on both sides.
    Done(Box<Check>),
    /// Samples on both sides: decided with the rest of its family.
    Sampled(Box<Sampled>),
}

/// Compares one benchmark.
pub(crate) fn compare(
    id: &str,
    baseline: &Measurement,
    current: &Measurement,
    policy: Policy,
) -> Compared {
    let unit = baseline.unit.as_ref().or(current.unit.as_ref());
    match measure(id, baseline, current, policy) {
        Ok(Measured::Values(check)) => Compared::Done(Box::new(match unit {
            Some(unit) if check.baseline.is_some() => check.with_unit(unit.clone()),
            _ => check,
        })),
        Ok(Measured::Estimate(estimate, separated)) => Compared::Sampled(Box::new(Sampled {
            id: id.to_string(),
            estimate,
            policy,
            unit: unit.cloned(),
            location: current.location.clone(),
            separated,
        })),
        Err(check) => Compared::Done(check),
    }
}

/// What a benchmark with readable sides gave.
enum Measured {
    /// A check decided on plain values.
    Values(Check),
    /// An estimate from samples, and whether every current sample is worse than every
    /// baseline sample by more than twice the threshold.
    Estimate(stats::Estimate, bool),
}

/// Reads both sides into a decision on values or an estimate; an error check is located
/// at the side it blames.
fn measure(
    id: &str,
    baseline: &Measurement,
    current: &Measurement,
    policy: Policy,
) -> Result<Measured, Box<Check>> {
    let blame = |message: String, side: &Measurement| {
        Box::new(Check::error(id, message).with_location(side.location.clone()))
    };
    let (base, cur) = match (&baseline.outcome, &current.outcome) {
        (Outcome::Failed(error), _) | (_, Outcome::Failed(error)) => {
            let side = if baseline.error().is_some() {
                baseline
            } else {
                current
            };
            return Err(blame(
                format!("the benchmark reported an error: {error}"),
                side,
            ));
        }
        (Outcome::Measured(base), Outcome::Measured(cur)) => (base, cur),
    };
    let blame_current = |message: String| blame(message, current);
    if policy.direction == Direction::Higher && policy.threshold >= 1.0 {
        return Err(blame_current(format!(
            "threshold {:.0}% can never be exceeded by a higher-is-better metric (it \
             cannot drop by 100% or more), so the check could never fail; set one under 100%",
            policy.threshold * 100.0
        )));
    }
    let scale =
        units::factor(baseline.unit.as_deref(), current.unit.as_deref()).map_err(blame_current)?;
    let cur = cur
        .scaled(scale)
        .map_err(|e| blame_current(format!("in the baseline's unit, the current {e}")))?;
    // A non-positive baseline makes any relative change undefined; blame the baseline
    // file, not the current one (zero on both sides is the one case that compares).
    let zero_both = base.iter().chain(cur.iter()).all(|v| *v == 0.0);
    if let Some(b) = base.iter().find(|v| **v <= 0.0).filter(|_| !zero_both) {
        let message =
            format!("baseline value {b} is not positive, so a relative change is undefined");
        return Err(blame(message, baseline));
    }
    if base.len() < 2 || cur.len() < 2 {
        let check = compare_values(id, base, &cur, policy);
        return Ok(Measured::Values(
            check.with_location(current.location.clone()),
        ));
    }
    if zero_both {
        let check = Check::pass(id, "unchanged: zero in every sample").with_values(0.0, 0.0, 0.0);
        return Ok(Measured::Values(
            check.with_location(current.location.clone()),
        ));
    }
    let estimate = stats::compare(
        base,
        &cur,
        policy.statistic,
        policy.threshold,
        policy.direction,
    )
    .map_err(|e| blame_current(format!("cannot decide: {e}")))?;
    Ok(Measured::Estimate(estimate, separated(base, &cur, policy)))
}

/// Whether every current sample is worse than every baseline sample by more than twice
/// the threshold: a change no decision may pass.
fn separated(base: &[f64], cur: &[f64], policy: Policy) -> bool {
    let lowest = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let margin = 2.0 * policy.threshold;
    match policy.direction {
        Direction::Lower => lowest(cur) > highest(base) * (1.0 + margin),
        Direction::Higher => margin < 1.0 && highest(cur) < lowest(base) * (1.0 - margin),
    }
}

/// Single values (or one side with one value): the plain threshold.
fn compare_values(id: &str, base: &[f64], cur: &[f64], policy: Policy) -> Check {
    let (b, c) = (
        summarize(base, policy.statistic),
        summarize(cur, policy.statistic),
    );
    if b <= 0.0 {
        if b == 0.0 && c == 0.0 {
            return Check::pass(id, "unchanged: zero in both").with_values(0.0, 0.0, 0.0);
        }
        return Check::error(
            id,
            format!("baseline value {b} is not positive, so a relative change is undefined"),
        );
    }
    if c < 0.0 {
        return Check::error(id, format!("current value {c} is negative"));
    }
    let change = (c - b) / b;
    if !change.is_finite() {
        return Check::error(
            id,
            format!("the change from {b:e} to {c:e} is not a finite number"),
        );
    }
    let bad_change = match policy.direction {
        Direction::Lower => change,
        Direction::Higher => -change,
    };
    let numbers = format!("{} -> {} ({:+.2}%)", fmt(b), fmt(c), change * 100.0);
    let basis = if base.len() > 1 || cur.len() > 1 {
        format!(
            " ({}s of {} and {} samples; statistics need two or more per side: plain threshold)",
            policy.statistic.as_str(),
            base.len(),
            cur.len()
        )
    } else {
        " (single values: plain threshold)".to_string()
    };
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
    check
        .with_values(b, c, change)
        .with_threshold(policy.threshold)
}

/// Short number formatting: 6 significant digits, no trailing zeros.
pub(crate) fn fmt(value: f64) -> String {
    let decimals = if value.abs() >= 1.0 || value == 0.0 {
        6
    } else {
        (6 - value.abs().log10().floor() as i32 - 1).clamp(6, 15) as usize
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text.is_empty() || text == "-" || text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::decide_all;
    use crate::family::FamilyKind;
    use safety_gate_core::{Location, Status};

    /// Compares and decides one benchmark on its own, at a 2% false-alarm rate.
    fn compare(id: &str, b: &Measurement, c: &Measurement, policy: Policy) -> Check {
        let compared = super::compare(id, b, c, policy);
        decide_all(vec![compared], FamilyKind::Benchmark, 0.02)
            .0
            .remove(0)
    }

    fn m(values: &[f64]) -> Measurement {
        Measurement::new("x", values.to_vec(), Location::file("f")).expect("finite")
    }

    fn policy(direction: Direction) -> Policy {
        Policy {
            threshold: 0.05,
            direction,
            statistic: Statistic::Median,
            alpha: crate::DEFAULT_ALPHA,
            conservative: false,
        }
    }

    fn status(b: f64, c: f64, direction: Direction) -> Status {
        compare("x", &m(&[b]), &m(&[c]), policy(direction)).status
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
        let check = compare("x", &m(&[2.0]), &m(&[2.1]), policy(Direction::Lower));
        assert_eq!(check.status, Status::Pass);
        assert!((check.change.expect("change") - 0.05).abs() < 1e-12);
        assert!(
            check.message.contains("plain threshold"),
            "{}",
            check.message
        );
        assert_eq!(check.p_value, None);
    }

    #[test]
    fn non_positive_baseline_is_an_error_not_a_division() {
        assert_eq!(status(0.0, 1.0, Direction::Lower), Status::Error);
        assert_eq!(status(-1.0, 1.0, Direction::Lower), Status::Error);
        assert_eq!(status(1.0, -1.0, Direction::Lower), Status::Error);
        assert_eq!(status(0.0, 0.0, Direction::Lower), Status::Pass);
    }

    const BASE: [f64; 8] = [1.00, 1.03, 0.97, 1.01, 0.99, 1.02, 0.98, 1.00];

    fn scaled(factor: f64, values: &[f64]) -> Measurement {
        m(&values.iter().map(|v| v * factor).collect::<Vec<_>>())
    }

    #[test]
    fn significant_regression_beyond_threshold_fails_with_statistics() {
        let check = compare(
            "x",
            &m(&BASE),
            &scaled(1.2, &BASE),
            policy(Direction::Lower),
        );
        assert_eq!(check.status, Status::Fail, "{}", check.message);
        let [lo, hi] = check.interval.expect("interval");
        assert!(lo > 0.1 && hi < 0.3 && check.p_value.expect("p") < 0.01);
    }

    #[test]
    fn significant_but_small_change_passes() {
        // 3% slower with almost no noise: a certain change, yet within the 5% threshold.
        let tight: Vec<f64> = (0..8).map(|i| 1.0 + f64::from(i) * 1e-4).collect();
        let check = compare(
            "x",
            &m(&tight),
            &scaled(1.03, &tight),
            policy(Direction::Lower),
        );
        assert!(check.interval.expect("interval")[0] > 0.02, "{check:?}");
        assert!(check.p_value.expect("p") > 0.99, "{check:?}");
        assert_eq!(check.status, Status::Pass, "{}", check.message);
    }

    #[test]
    fn beyond_threshold_but_noisy_is_a_warning() {
        let base = [1.0, 2.0, 0.5, 1.5, 0.8];
        let cur = [1.2, 2.2, 0.6, 1.7, 0.9];
        let check = compare("x", &m(&base), &m(&cur), policy(Direction::Lower));
        assert_eq!(check.status, Status::Warn, "{}", check.message);
        assert!(
            check.message.starts_with("inconclusive"),
            "{}",
            check.message
        );
    }

    #[test]
    fn conservative_mode_needs_the_whole_interval_beyond() {
        let noisy: Vec<f64> = BASE.iter().map(|v| (v - 1.0) * 3.0 + 1.0).collect();
        let mut p = policy(Direction::Lower);
        p.alpha = crate::DEFAULT_ALPHA;
        let default = compare("x", &m(&noisy), &scaled(1.09, &noisy), p);
        p.conservative = true;
        let conservative = compare("x", &m(&noisy), &scaled(1.09, &noisy), p);
        assert_eq!(default.status, Status::Fail, "{}", default.message);
        assert_eq!(
            conservative.status,
            Status::Warn,
            "{}",
            conservative.message
        );
    }

    #[test]
    fn units_convert_and_mismatched_kinds_are_errors() {
        let mut b = m(&[1.0]);
        b.unit = Some("ms".into());
        let mut c = m(&[1100.0]);
        c.unit = Some("us".into());
        let check = compare("x", &b, &c, policy(Direction::Lower));
        assert_eq!(check.status, Status::Fail);
        assert!((check.change.expect("change") - 0.1).abs() < 1e-9);
        c.unit = Some("ops/s".into());
        assert_eq!(
            compare("x", &b, &c, policy(Direction::Lower)).status,
            Status::Error
        );
    }

    #[test]
    fn a_higher_is_better_threshold_that_can_never_be_exceeded_is_refused() {
        let mut p = policy(Direction::Higher);
        p.threshold = 1.0;
        for values in [&[100.0][..], &[100.0, 101.0, 99.0][..]] {
            let check = compare("x", &m(values), &m(&[1.0]), p);
            assert_eq!(check.status, Status::Error, "{}", check.message);
            assert!(
                check.message.contains("could never fail"),
                "{}",
                check.message
            );
        }
    }

    #[test]
    fn formats_numbers_shortly() {
        assert_eq!(fmt(1.25), "1.25");
        assert_eq!(fmt(740.740_740_7), "740.740741");
        assert_eq!(fmt(0.001_262_5), "0.0012625");
        assert_eq!(fmt(0.0), "0");
    }
}

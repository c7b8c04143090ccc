//! What the two sides of a comparison must agree on before any statistic runs: which
//! way is better, and that each side measured something. The baseline and the config
//! decide the direction; a current file that states the other direction is an error,
//! never a switch. A lower-is-better value of zero (or below) is no measurement (a
//! skipped or failed run) unless its unit counts something that can be zero, and so
//! is a time below a femtosecond (a zero in disguise: `5e-324 ms`). Without a unit on
//! either side, the magnitudes must agree: a current value 50 times better than the
//! baseline is what a tool that changed its unit (milliseconds written as seconds)
//! looks like, so it is refused rather than passed as a speed-up.

use crate::model::{Direction, Measurement};
use crate::stats::{Statistic, summarize};
use crate::units;

/// The shortest time a measurement can hold, in seconds: below it a time is no
/// measurement (no clock resolves a femtosecond; a cycle of a 5 GHz core is 200 fs).
pub(crate) const SHORTEST_TIME: f64 = 1e-15;

/// The factor by which a unitless current value may be better than the baseline's
/// before the sides are taken to be in different units: under the 60 between seconds
/// and minutes, and far under the 1000 between adjacent SI prefixes.
pub(crate) const UNITLESS_FACTOR: f64 = 50.0;

/// The direction of one benchmark: the config's when it names one (an override),
/// else the baseline's, else lower; or why the sides cannot be compared.
pub(crate) fn direction(
    configured: Option<Direction>,
    baseline: &Measurement,
    current: &Measurement,
) -> Result<Direction, String> {
    if let Some(direction) = configured {
        return Ok(direction);
    }
    let decided = baseline.direction.unwrap_or_default();
    match current.direction {
        Some(stated) if stated != decided => Err(format!(
            "the current results say {} but the baseline {}: the two sides disagree on \
             direction (set `direction` in an override to decide)",
            stated.phrase(),
            match baseline.direction {
                Some(b) => format!("says {}", b.phrase()),
                None => format!("states none, so it is {} by default", decided.phrase()),
            }
        )),
        _ => Ok(decided),
    }
}

/// Why a side holds no real measurement, if it does not (with that side): a
/// lower-is-better value of zero or below where zero cannot be a real value.
pub(crate) fn unmeasured<'a>(
    id: &str,
    baseline: &'a Measurement,
    current: &'a Measurement,
    direction: Direction,
) -> Option<(String, &'a Measurement)> {
    if direction != Direction::Lower {
        return None;
    }
    [("baseline", baseline), ("current", current)]
        .into_iter()
        .find_map(|(side, m)| {
            if units::zero_is_real(m.unit.as_deref()) {
                return None;
            }
            let unit = m
                .unit
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            if let Some(bad) = m.values().iter().find(|v| **v <= 0.0) {
                let why = format!(
                    "the {side} value of `{id}` is {bad}{unit}, and lower is better: a zero (or \
                     negative) measurement means the benchmark did not run (skipped, failed, \
                     or below the timer's resolution), so it is not compared"
                );
                return Some((why, m));
            }
            let seconds = m.unit.as_deref().and_then(units::seconds)?;
            let tiny = m.values().iter().find(|v| **v * seconds < SHORTEST_TIME)?;
            let why = format!(
                "the {side} value of `{id}` is {tiny:e}{unit}, under a femtosecond: no clock \
                 measures that, so it is a zero (a benchmark that did not run, or a value \
                 that underflowed), not a measurement"
            );
            Some((why, m))
        })
}

/// Why two sides that state no unit cannot be compared, if they cannot: the current
/// summary (median) better than the baseline's by [`UNITLESS_FACTOR`] or more. A change
/// that large in the bad direction still fails (a rollback is safe); in the good
/// direction it would pass a regression measured in a larger unit.
pub(crate) fn unit_change(
    id: &str,
    baseline: &Measurement,
    current: &Measurement,
    direction: Direction,
) -> Option<String> {
    if baseline.unit.is_some() || current.unit.is_some() {
        return None;
    }
    let (base, cur) = (baseline.values(), current.values());
    if base.is_empty() || cur.is_empty() {
        return None;
    }
    let (b, c) = (
        summarize(base, Statistic::Median),
        summarize(cur, Statistic::Median),
    );
    if b <= 0.0 || c <= 0.0 {
        return None;
    }
    let better = match direction {
        Direction::Lower => b / c,
        Direction::Higher => c / b,
    };
    // Also true when the ratio overflows: a subnormal current value.
    (better >= UNITLESS_FACTOR).then(|| {
        format!(
            "`{id}` is {better:.0} times better than the baseline (median {b} -> {c}), and \
             neither side states a unit: a change that large is what a value written in \
             another unit (milliseconds as seconds) or a run that measured nothing looks \
             like, so it is not read as a speed-up. If it is real, accept the new baseline; \
             a format that states units is compared across units"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::Location;

    fn m(values: &[f64], unit: Option<&str>, direction: Option<Direction>) -> Measurement {
        let mut m = Measurement::new("x", values.to_vec(), Location::file("f")).expect("finite");
        m.unit = unit.map(str::to_string);
        m.direction = direction;
        m
    }

    #[test]
    fn the_baseline_and_the_config_decide_and_a_disagreeing_current_is_an_error() {
        let silent = m(&[10.0], None, None);
        let higher = m(&[5.0], Some("ops/s"), Some(Direction::Higher));
        let lower = m(&[5.0], Some("ns"), Some(Direction::Lower));
        let err = direction(None, &silent, &higher).expect_err("kv vs ops/s");
        assert!(err.contains("disagree"), "{err}");
        assert_eq!(direction(None, &silent, &lower), Ok(Direction::Lower));
        assert_eq!(direction(None, &higher, &silent), Ok(Direction::Higher));
        assert!(direction(None, &lower, &higher).is_err());
        assert_eq!(
            direction(Some(Direction::Higher), &silent, &lower),
            Ok(Direction::Higher)
        );
    }

    #[test]
    fn a_time_under_a_femtosecond_is_no_measurement() {
        let base = m(&[10.0, 10.5], Some("ms"), None);
        for (tiny, unit) in [(5e-324, "ms"), (1e-300, "ms"), (0.5, "fs/op"), (9e-16, "s")] {
            let cur = m(&[tiny], Some(unit), None);
            let (why, side) = unmeasured("x", &base, &cur, Direction::Lower).expect("refused");
            assert!(
                why.contains("femtosecond") && why.contains("current"),
                "{why}"
            );
            assert_eq!(side.unit.as_deref(), Some(unit));
        }
        // A quarter of a nanosecond is a real (amortised) time; so is a small count.
        assert!(unmeasured("x", &base, &m(&[0.25], Some("ns"), None), Direction::Lower).is_none());
        let allocs = m(&[1e-300], Some("allocs/op"), None);
        assert!(unmeasured("x", &allocs, &allocs, Direction::Lower).is_none());
    }

    #[test]
    fn unitless_sides_fifty_times_apart_in_the_good_direction_are_refused() {
        let ms = m(&[10.0, 10.2, 9.9], None, None);
        // The same run 20% slower, written in seconds.
        let seconds = m(&[0.012, 0.0121, 0.0119], None, None);
        let why = unit_change("t", &ms, &seconds, Direction::Lower).expect("refused");
        assert!(why.contains("neither side states a unit"), "{why}");
        assert!(unit_change("t", &seconds, &ms, Direction::Higher).is_some());
        for tiny in [5e-324, 1e-300, 0.19] {
            let cur = m(&[tiny], None, None);
            assert!(
                unit_change("t", &ms, &cur, Direction::Lower).is_some(),
                "{tiny}"
            );
        }
        // In the bad direction it is a regression like any other; under 50x, a speed-up.
        assert!(unit_change("t", &seconds, &ms, Direction::Lower).is_none());
        let faster = m(&[0.21], None, None);
        assert!(unit_change("t", &ms, &faster, Direction::Lower).is_none());
        // A stated unit is converted instead.
        let stated = m(&[0.012], Some("s"), None);
        let base = m(&[10.0], Some("ms"), None);
        assert!(unit_change("t", &base, &stated, Direction::Lower).is_none());
    }

    #[test]
    fn zero_is_no_measurement_unless_the_unit_counts() {
        let base = m(&[100.0], Some("ns"), None);
        for zero in [0.0, -0.0, -1.0] {
            let cur = m(&[zero], Some("ns"), None);
            let (why, _) = unmeasured("x", &base, &cur, Direction::Lower).expect("refused");
            assert!(why.contains("current") && why.contains("`x`"), "{why}");
            assert!(unmeasured("x", &cur, &base, Direction::Lower).is_some());
        }
        let unitless = m(&[0.0], None, None);
        assert!(unmeasured("x", &m(&[1.0], None, None), &unitless, Direction::Lower).is_some());
        let allocs = m(&[0.0], Some("allocs/op"), None);
        assert!(unmeasured("x", &allocs, &allocs, Direction::Lower).is_none());
        let rate = m(&[0.0], Some("ops/s"), None);
        assert!(
            unmeasured(
                "x",
                &m(&[5.0], Some("ops/s"), None),
                &rate,
                Direction::Higher
            )
            .is_none()
        );
    }
}

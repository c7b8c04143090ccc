//! What the two sides of a comparison must agree on before any statistic runs: which
//! way is better, and that each side measured something. The baseline and the config
//! decide the direction; a current file that states the other direction is an error,
//! never a switch. A lower-is-better value of zero (or below) is no measurement (a
//! skipped or failed run) unless its unit counts something that can be zero.

use crate::model::{Direction, Measurement};
use crate::units;

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
            let bad = m.values().iter().find(|v| **v <= 0.0)?;
            let unit = m
                .unit
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            let why = format!(
                "the {side} value of `{id}` is {bad}{unit}, and lower is better: a zero (or \
                 negative) measurement means the benchmark did not run (skipped, failed, or \
                 below the timer's resolution), so it is not compared"
            );
            Some((why, m))
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

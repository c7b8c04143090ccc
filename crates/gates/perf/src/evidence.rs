//! The samples behind a comparison, as evidence a renderer can draw: both sides in the
//! baseline's unit, and which of them the estimate left out as far outliers.

use safety_gate_core::Check;
use safety_gate_core::evidence::{Evidence, SampleEvidence};

use crate::model::{Measurement, Outcome};
use crate::stats::{self, Statistic};
use crate::units;

/// `check` with the samples of `base` and `cur` attached, when both were measured and
/// the check compared them (a check without values or a direction carries none). The
/// left-out samples are those the estimate of `statistic` drops in the check's
/// direction.
pub(crate) fn attach(
    check: Check,
    base: &Measurement,
    cur: &Measurement,
    statistic: Statistic,
) -> Check {
    let Some(direction) = check.direction.filter(|_| check.baseline.is_some()) else {
        return check;
    };
    let (Outcome::Measured(b), Outcome::Measured(c)) = (&base.outcome, &cur.outcome) else {
        return check;
    };
    let Ok(c) = units::factor(base.unit.as_deref(), cur.unit.as_deref())
        .map_err(|_| ())
        .and_then(|scale| c.scaled(scale).map_err(|_| ()))
    else {
        return check;
    };
    let baseline_left_out = if b.len() > 1 && c.len() > 1 {
        stats::left_out(b, statistic, direction)
    } else {
        Vec::new()
    };
    check.with_evidence(Evidence::Samples(SampleEvidence {
        statistic: statistic.as_str().to_string(),
        baseline: b.to_vec(),
        current: c.to_vec(),
        baseline_left_out,
        current_left_out: Vec::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;
    use safety_gate_core::Location;

    fn m(values: &[f64], unit: &str) -> Measurement {
        let mut m = Measurement::new("x", values.to_vec(), Location::file("f")).expect("finite");
        m.unit = Some(unit.into());
        m
    }

    fn compared(direction: Direction) -> Check {
        Check::fail("x", "slower")
            .with_values(1.0, 1.1, 0.1)
            .with_direction(direction)
    }

    #[test]
    fn samples_are_in_the_baseline_unit_with_outliers_marked() {
        let base = m(&[1.0, 1.01, 0.99, 1.02, 0.98, 1.0, 1.01, 0.99, 7.0], "ms");
        let cur = m(&[1100.0, 1090.0, 1110.0, 1105.0, 1095.0, 1100.0], "us");
        let check = attach(compared(Direction::Lower), &base, &cur, Statistic::Mean);
        let Some(Evidence::Samples(s)) = check.evidence.as_deref() else {
            panic!("no samples: {check:?}");
        };
        assert_eq!(s.statistic, "mean");
        assert!((s.current[0] - 1.1).abs() < 1e-12, "{:?}", s.current);
        assert_eq!(s.baseline_left_out, vec![8]);
        assert!(s.current_left_out.is_empty());
    }

    #[test]
    fn a_check_without_values_or_direction_carries_no_samples() {
        let (one, other) = (m(&[1.0], "ms"), m(&[2.0], "ms"));
        let error = Check::error("x", "units differ");
        assert_eq!(
            attach(error, &one, &other, Statistic::Median).evidence,
            None
        );
        let undirected = Check::fail("x", "slower").with_values(1.0, 2.0, 1.0);
        assert_eq!(
            attach(undirected, &one, &other, Statistic::Median).evidence,
            None
        );
        let other_kind = m(&[2.0], "ops/s");
        let check = attach(
            compared(Direction::Lower),
            &one,
            &other_kind,
            Statistic::Median,
        );
        assert_eq!(check.evidence, None, "units that do not convert");
    }
}

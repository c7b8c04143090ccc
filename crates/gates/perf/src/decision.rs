//! The decision on a benchmark compared on samples. It fails only when three things
//! hold: the estimate is beyond the threshold, it is significantly so (the one-sided
//! test against the threshold at `alpha`), and the change is real — significant against
//! no change at all, at the family's false-alarm rate after Holm's adjustment. The last
//! bounds false alarms at every noise level and suite size; the first two keep small,
//! certain changes passing. Beyond the threshold without that evidence is a warning;
//! a gross change the test cannot tell from noise cannot be decided, and neither can a
//! comparison too noisy to detect even a tenfold change, whatever its estimate.

use safety_gate_core::{Check, Location};

use crate::compare::{Compared, Policy, ROUNDING};
use crate::family::{Adjusted, Family, FamilyKind, holm};
use crate::model::Direction;
use crate::stats::Estimate;
use crate::words::{Detection, describe, detectable, detection_note, family_phrase};

/// The log of a tenfold change: a comparison that cannot detect a shift this large (at
/// 90% power, at its family's level) has judged nothing, so it cannot decide. The
/// noisiest cell of the design grid (CV 20%, 3 samples a side, Holm over 50) detects
/// about a factor of 6.5, below it.
const BLIND_SHIFT: f64 = std::f64::consts::LN_10;

/// A benchmark compared on samples, waiting for its family's verdict.
#[derive(Debug, Clone)]
pub(crate) struct Sampled {
    /// The benchmark id.
    pub id: String,
    /// What the comparison found.
    pub estimate: Estimate,
    /// How it is judged.
    pub policy: Policy,
    /// The unit of both summaries.
    pub unit: Option<String>,
    /// Where the current value was read.
    pub location: Location,
    /// Every current sample worse than every baseline sample by more than twice the
    /// threshold.
    pub separated: bool,
}

impl Sampled {
    /// What this comparison can detect in `family`: the smallest relative change in the
    /// bad direction its test against no change finds with 90% power at the family's
    /// first level, and, when that is above the threshold, the samples per side that
    /// would bring it under.
    pub fn detection(&self, family: Family) -> Detection {
        let (level, noise) = (family.first_level(), self.estimate.noise());
        let (bad, threshold) = (self.policy.direction, self.policy.threshold);
        let relative = |shift: f64| match bad {
            Direction::Lower => shift.exp_m1(),
            Direction::Higher => -(-shift).exp_m1(),
        };
        let shift = noise.min_detectable_shift(level);
        let blind = shift.is_some_and(|shift| shift > BLIND_SHIFT);
        let mdc = shift.map(relative).filter(|c| c.is_finite());
        let needed = match mdc {
            Some(mdc) if mdc <= threshold => None,
            _ => {
                let target = match bad {
                    Direction::Lower => threshold.ln_1p(),
                    Direction::Higher => -(-threshold).ln_1p(),
                };
                Some(noise.samples_for(level, target))
            }
        };
        Detection { mdc, needed, blind }
    }
}

/// Decides every compared benchmark of a gate, in order: the sampled ones as one family
/// (`FamilyKind::Gate`) or each alone. Also returns the gate's line on what its
/// comparisons can detect.
pub(crate) fn decide_all(
    compared: Vec<Compared>,
    kind: FamilyKind,
    false_alarm_rate: f64,
) -> (Vec<Check>, Option<String>) {
    let sampled: Vec<&Sampled> = compared
        .iter()
        .filter_map(|c| match c {
            Compared::Sampled(s) => Some(&**s),
            Compared::Done(_) => None,
        })
        .collect();
    let family = Family {
        size: match kind {
            FamilyKind::Gate => sampled.len(),
            FamilyKind::Benchmark => 1,
        },
        false_alarm_rate,
    };
    let level = family.first_level();
    let p: Vec<f64> = sampled.iter().map(|s| s.estimate.p_zero(level)).collect();
    let adjusted = match kind {
        FamilyKind::Gate => holm(&p, false_alarm_rate),
        FamilyKind::Benchmark => p
            .iter()
            .flat_map(|p| holm(&[*p], false_alarm_rate))
            .collect(),
    };
    let detections: Vec<Detection> = sampled.iter().map(|s| s.detection(family)).collect();
    let thresholds: Vec<f64> = sampled.iter().map(|s| s.policy.threshold).collect();
    let note = detection_note(&detections, &thresholds, family);
    let mut verdicts = adjusted.into_iter().zip(detections);
    let checks = compared
        .into_iter()
        .map(|c| match c {
            Compared::Done(check) => *check,
            Compared::Sampled(s) => match verdicts.next() {
                Some((adjusted, detection)) => decide(&s, family, adjusted, detection),
                // One verdict per sampled benchmark, in the same order: never reached.
                None => Check::error(&s.id, "no verdict of its family"),
            },
        })
        .collect();
    (checks, note)
}

/// Decides one sampled benchmark given its family's verdict on "no change".
fn decide(s: &Sampled, family: Family, adjusted: Adjusted, detection: Detection) -> Check {
    let (e, policy) = (&s.estimate, s.policy);
    let check = judge(s, family, adjusted, detection);
    let [b, c] = e.summaries();
    let check = check
        .with_values(b, c, e.change())
        .with_threshold(policy.threshold)
        .with_statistics(e.p_value(), e.interval())
        .with_direction(policy.direction)
        .with_location(s.location.clone());
    let check = match detection.mdc {
        Some(mdc) => check.with_min_detectable_change(mdc),
        None => check,
    };
    match &s.unit {
        Some(unit) => check.with_unit(unit.clone()),
        None => check,
    }
}

/// The rule itself.
fn judge(s: &Sampled, family: Family, adjusted: Adjusted, detection: Detection) -> Check {
    let (id, e, policy) = (s.id.as_str(), &s.estimate, s.policy);
    let bad = |x: f64| match policy.direction {
        Direction::Lower => x,
        Direction::Higher => -x,
    };
    let bad_change = bad(e.change());
    let beyond = bad_change > policy.threshold + ROUNDING;
    let past_threshold = if policy.conservative {
        // The end of the 90% interval nearest to "no regression".
        let bound = bad(e.interval()[0]).min(bad(e.interval()[1]));
        bound > policy.threshold + ROUNDING
    } else {
        e.p_value() < policy.alpha
    };
    let text = format!(
        "{}{}",
        describe(s, family, adjusted),
        detectable(detection, policy.threshold, family)
    );
    if beyond && past_threshold && adjusted.rejected {
        return Check::fail(id, format!("regressed: {text}"));
    }
    if s.separated {
        return Check::error(
            id,
            format!(
                "cannot decide: every current sample is worse than every baseline sample by \
                 more than twice the threshold, yet the samples cannot tell the change from \
                 noise ({}); more samples, or quieter ones, would: {text}",
                missing_evidence(policy, past_threshold, family)
            ),
        );
    }
    if detection.blind {
        // Neither a pass nor a warning: such a comparison has judged nothing.
        return Check::error(
            id,
            format!(
                "cannot decide: the samples are so noisy that even a tenfold change would go \
                 undetected; more samples, or quieter ones, would decide: {text}"
            ),
        );
    }
    if beyond {
        let why = missing_evidence(policy, past_threshold, family);
        Check::warn(id, format!("inconclusive ({why}): {text}"))
    } else if bad_change < -policy.threshold - ROUNDING {
        Check::pass(id, format!("improved: {text}"))
    } else {
        Check::pass(id, format!("within threshold: {text}"))
    }
}

/// Which part of the evidence a change beyond the threshold lacks.
fn missing_evidence(policy: Policy, past_threshold: bool, family: Family) -> String {
    match (past_threshold, policy.conservative) {
        (false, true) => "the interval reaches below the threshold".to_string(),
        (false, false) => "not significantly beyond the threshold".to_string(),
        (true, _) => format!(
            "not significant against no change at {}",
            family_phrase(family)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare;
    use crate::model::Measurement;
    use crate::stats::Statistic;
    use safety_gate_core::Status;

    fn m(values: &[f64]) -> Measurement {
        Measurement::new("t", values.to_vec(), Location::file("f")).expect("finite")
    }

    fn policy(statistic: Statistic) -> Policy {
        Policy {
            threshold: 0.05,
            direction: Direction::Lower,
            statistic,
            alpha: crate::DEFAULT_ALPHA,
            conservative: false,
        }
    }

    /// `n` samples with a spread of about `spread`, times `factor`.
    fn side(factor: f64, n: usize, spread: f64) -> Vec<f64> {
        (0..n)
            .map(|i| factor * (1.0 + spread * ((i as f64 * 2.39).sin())))
            .collect()
    }

    /// Benchmark 0 changed by `factor`, the other `size - 1` unchanged.
    fn suite(
        factor: f64,
        size: usize,
        (n, spread): (usize, f64),
        statistic: Statistic,
        kind: FamilyKind,
    ) -> (Vec<Check>, Option<String>) {
        let compared = (0..size)
            .map(|i| {
                let f = if i == 0 { factor } else { 1.0 };
                let shuffle = |v: Vec<f64>| {
                    let mut v = v;
                    v.rotate_left(i % n);
                    v
                };
                compare(
                    &format!("b{i}"),
                    &m(&side(1.0, n, spread)),
                    &m(&shuffle(side(f, n, spread))),
                    policy(statistic),
                )
            })
            .collect();
        decide_all(compared, kind, 0.02)
    }

    #[test]
    fn a_change_significant_alone_can_be_inconclusive_in_a_family() {
        // +8% on 3% noise with 3 samples: p against no change about 0.015 alone.
        let (alone, _) = suite(1.08, 1, (3, 0.03), Statistic::Mean, FamilyKind::Gate);
        assert_eq!(alone[0].status, Status::Fail, "{}", alone[0].message);
        let (family, note) = suite(1.08, 50, (3, 0.03), Statistic::Mean, FamilyKind::Gate);
        assert_eq!(family[0].status, Status::Warn, "{}", family[0].message);
        assert!(
            family[0].message.contains("over 50 benchmarks"),
            "{}",
            family[0].message
        );
        assert!(family[1..].iter().all(|c| c.status == Status::Pass));
        let note = note.expect("note");
        assert!(note.contains("over 50 benchmarks"), "{note}");
        let (each, _) = suite(1.08, 50, (3, 0.03), Statistic::Mean, FamilyKind::Benchmark);
        assert_eq!(each[0].status, Status::Fail, "{}", each[0].message);
    }

    #[test]
    fn every_sampled_check_says_what_it_can_detect_and_how_many_samples_would_do() {
        let mut last = f64::INFINITY;
        for n in [3, 5, 10, 30] {
            let (checks, note) = suite(1.0, 1, (n, 0.01), Statistic::Mean, FamilyKind::Gate);
            let mdc = checks[0]
                .min_detectable_change
                .expect("sampled check carries it");
            assert!(mdc < last, "n = {n}: {mdc} >= {last}");
            last = mdc;
            assert!(note.is_some());
        }
        // Noise of about 20% with three samples: far above a 5% threshold.
        let noisy = [1.0, 1.3, 0.8];
        let compared = compare("t", &m(&noisy), &m(&noisy), policy(Statistic::Mean));
        let (checks, note) = decide_all(vec![compared], FamilyKind::Gate, 0.02);
        let check = &checks[0];
        assert!(check.min_detectable_change.expect("mdc") > 0.05);
        assert!(
            check
                .message
                .contains("samples per side would bring it under"),
            "{}",
            check.message
        );
        let note = note.expect("note");
        assert!(
            note.contains("1 of 1 sampled benchmarks cannot detect"),
            "{note}"
        );
    }

    #[test]
    fn where_the_rank_test_cannot_reach_the_family_level_welch_decides() {
        // Eight samples a side: Mann-Whitney works at 0.02 alone, not at 0.02 / 50, where
        // only a few of its 12,870 orderings reach the level.
        let (alone, _) = suite(1.3, 1, (8, 0.01), Statistic::Median, FamilyKind::Gate);
        assert_eq!(alone[0].status, Status::Fail, "{}", alone[0].message);
        assert!(
            alone[0].message.contains("(Mann-Whitney U"),
            "{}",
            alone[0].message
        );
        let (family, _) = suite(1.3, 50, (8, 0.01), Statistic::Median, FamilyKind::Gate);
        assert_eq!(family[0].status, Status::Fail, "{}", family[0].message);
        assert!(
            family[0].message.contains("(Welch's t"),
            "{}",
            family[0].message
        );
        assert!(family[1..].iter().all(|c| c.status == Status::Pass));
    }

    #[test]
    fn a_comparison_blind_to_a_tenfold_change_cannot_decide_whatever_its_estimate() {
        let base = [10.0, 10.5, 9.8, 10.2];
        // Two current samples a hundred times apart: +98% on the geometric mean, or none.
        for current in [[2.0, 200.0], [1.0, 100.0], [0.1, 1000.0]] {
            for statistic in [Statistic::Mean, Statistic::Median, Statistic::Min] {
                let compared = compare("t", &m(&base), &m(&current), policy(statistic));
                let (checks, _) = decide_all(vec![compared], FamilyKind::Gate, 0.02);
                let check = &checks[0];
                assert_ne!(check.status, Status::Pass, "{current:?}: {}", check.message);
                assert_ne!(check.status, Status::Warn, "{current:?}: {}", check.message);
            }
        }
        let compared = compare("t", &m(&base), &m(&[2.0, 200.0]), policy(Statistic::Mean));
        let (checks, _) = decide_all(vec![compared], FamilyKind::Gate, 0.02);
        assert_eq!(checks[0].status, Status::Error, "{}", checks[0].message);
        assert!(
            checks[0].message.contains("even a tenfold change"),
            "{}",
            checks[0].message
        );
        // The noisiest cell of the design grid still decides: 20% noise, 3 samples, 50.
        let (family, _) = suite(1.0, 50, (3, 0.2), Statistic::Mean, FamilyKind::Gate);
        assert!(
            family.iter().all(|c| c.status != Status::Error),
            "{:?}",
            family.iter().map(|c| &c.message).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_gross_change_the_test_cannot_tell_from_noise_cannot_decide() {
        // Every current sample 20% or more above every baseline one, but spread so wide
        // that Welch's t cannot tell it from noise: not a pass, not a warning.
        let compared = compare(
            "t",
            &m(&[1.0, 1.001]),
            &m(&[1.2, 9.0]),
            policy(Statistic::Mean),
        );
        let (checks, _) = decide_all(vec![compared], FamilyKind::Gate, 0.02);
        assert_eq!(checks[0].status, Status::Error, "{}", checks[0].message);
        assert!(
            checks[0].message.contains("twice the threshold"),
            "{}",
            checks[0].message
        );
    }
}

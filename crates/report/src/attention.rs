//! Which checks need attention, and what each means under its gate's mode: the one
//! classification every renderer words in its own vocabulary.

use safety_gate_core::{Check, GateReport, GateVerdict, Mode, RunReport, Status};

/// What a check that is neither a pass nor a skip means for the run, most serious
/// first (the order ranks GitHub annotations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attention {
    /// A warning: a waived failure, a baseline that differs from the ref's, or a
    /// change beyond the threshold that is not significant.
    Warning,
    /// A failure in a gate whose mode is `warn`: reported, the run still passes.
    FailedInWarnMode,
    /// An input that could not be read or judged: the run cannot decide.
    Undecided,
    /// A failure in an enforcing gate: roll the change back.
    Rollback,
}

impl Attention {
    /// What `check` means under `gate`'s mode; `None` for a pass or a skip. A check
    /// holding a number that is not finite is an error, as the verdict counts it.
    pub fn of(gate: &GateReport, check: &Check) -> Option<Attention> {
        match (check.effective_status(), gate.mode) {
            (Status::Fail, Mode::Enforce) => Some(Attention::Rollback),
            (Status::Fail, _) => Some(Attention::FailedInWarnMode),
            (Status::Error, _) => Some(Attention::Undecided),
            (Status::Warn, _) => Some(Attention::Warning),
            _ => None,
        }
    }
}

/// Every check that needs attention, in gate and check order, with what it means.
/// Gates switched off are left out.
pub fn needing_attention(report: &RunReport) -> Vec<(&GateReport, &Check, Attention)> {
    report
        .gates
        .iter()
        .filter(|g| g.verdict() != GateVerdict::Off)
        .flat_map(|g| g.checks.iter().map(move |c| (g, c)))
        .filter_map(|(g, c)| Attention::of(g, c).map(|a| (g, c, a)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_mode_decide_the_meaning() {
        let mut enforce = GateReport::new("perf", "e", Mode::Enforce);
        let mut warn = GateReport::new("perf", "w", Mode::Warn);
        for status in [
            Status::Pass,
            Status::Skip,
            Status::Warn,
            Status::Fail,
            Status::Error,
        ] {
            enforce.push(Check::new(status.as_str(), status, "m"));
            warn.push(Check::new(status.as_str(), status, "m"));
        }
        let off = GateReport::new("perf", "o", Mode::Off);
        let report = RunReport {
            gates: vec![enforce, warn, off],
        };
        let seen: Vec<(String, &str, Attention)> = needing_attention(&report)
            .into_iter()
            .map(|(g, c, a)| (g.name.clone(), c.id.as_str(), a))
            .collect();
        use Attention::*;
        let expected = [
            ("e", "warn", Warning),
            ("e", "fail", Rollback),
            ("e", "error", Undecided),
            ("w", "warn", Warning),
            ("w", "fail", FailedInWarnMode),
            ("w", "error", Undecided),
        ];
        let expected: Vec<(String, &str, Attention)> = expected
            .iter()
            .map(|(g, c, a)| (g.to_string(), *c, *a))
            .collect();
        assert_eq!(seen, expected);
        assert!(Rollback > Undecided && Undecided > FailedInWarnMode);
    }

    /// A number that is not finite makes a check an error in every output, even when
    /// the field was set directly and the check claims to pass.
    #[test]
    fn a_non_finite_number_is_an_error_in_every_output() {
        let mut gate = GateReport::new("perf", "nan", Mode::Enforce);
        let mut check = Check::pass("tick_ms", "within threshold");
        check.change = Some(f64::NAN);
        gate.push(check);
        gate.push(Check::pass("other", "within threshold"));
        let report = RunReport { gates: vec![gate] };
        assert_eq!(report.verdict(), safety_gate_core::Verdict::Error);
        let attention = needing_attention(&report);
        assert_eq!(attention.len(), 1);
        assert_eq!(attention[0].2, Attention::Undecided);
        let human = crate::human::render(&report, crate::human::Style { color: false }, false);
        assert!(human.contains("ERROR perf/nan tick_ms"), "{human}");
        let json = safety_gate_core::json_report::to_json(&report);
        let json: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(json["gates"][0]["checks"][0]["status"], "error");
        assert!(
            json["gates"][0]["checks"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("not a finite number")),
            "{json:#}"
        );
        let junit = String::from_utf8(safety_gate_core::junit::to_junit(&report)).expect("utf-8");
        assert!(junit.contains("<error"), "{junit}");
        let notes = crate::github::annotations(&report, None);
        assert!(notes.lines[0].starts_with("::error "), "{:?}", notes.lines);
    }
}

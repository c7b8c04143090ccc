//! Gate reports and the run report, with the rules that turn checks into verdicts.

use serde::Serialize;

use crate::check::Check;
use crate::counts::Counts;
use crate::status::{GateVerdict, Mode, Status, Verdict};

/// The checks one gate instance produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateReport {
    /// Kind of gate (`perf`, `characterization`, `snapshot`).
    pub gate: String,
    /// Instance name from the config, unique within a run.
    pub name: String,
    /// How failures count.
    pub mode: Mode,
    /// The checks, in a stable order.
    pub checks: Vec<Check>,
    /// Figures the gate measured beside its checks (tests run, passed...); empty when
    /// the gate has none.
    #[serde(skip_serializing_if = "Counts::is_empty")]
    pub counts: Counts,
}

impl GateReport {
    /// An empty report for a gate instance.
    pub fn new(gate: impl Into<String>, name: impl Into<String>, mode: Mode) -> Self {
        GateReport {
            gate: gate.into(),
            name: name.into(),
            mode,
            checks: Vec::new(),
            counts: Counts::default(),
        }
    }

    /// Adds a check.
    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// `gate/name`, the label used in human output and JUnit suite names.
    pub fn label(&self) -> String {
        format!("{}/{}", self.gate, self.name)
    }

    /// Number of checks with the given status (as the verdict counts it).
    pub fn count(&self, status: Status) -> usize {
        self.checks
            .iter()
            .filter(|c| c.effective_status() == status)
            .count()
    }

    /// The gate's verdict.
    ///
    /// An enforced failure is a rollback even when other checks errored; otherwise an
    /// error means the gate could not decide. A gate in `warn` mode turns failures into
    /// warnings, but an unreadable input is still an error: a run must never pass on
    /// input it could not read. A gate that compared nothing (no checks, or only skips)
    /// is an error too. A check carrying a number that is not finite counts as an error.
    pub fn verdict(&self) -> GateVerdict {
        if self.mode == Mode::Off {
            return GateVerdict::Off;
        }
        let has = |s: Status| self.checks.iter().any(|c| c.effective_status() == s);
        if self.mode == Mode::Enforce && has(Status::Fail) {
            GateVerdict::Rollback
        } else if has(Status::Error)
            || self
                .checks
                .iter()
                .all(|c| c.effective_status() == Status::Skip)
        {
            GateVerdict::Error
        } else if has(Status::Fail) || has(Status::Warn) {
            GateVerdict::Warn
        } else {
            GateVerdict::Pass
        }
    }
}

/// Every gate report of one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunReport {
    /// Gate reports in config order.
    pub gates: Vec<GateReport>,
}

impl RunReport {
    /// The run's verdict: rollback if any enforcing gate failed, else error if any gate
    /// could not decide (or no gate ran at all), else pass.
    pub fn verdict(&self) -> Verdict {
        let verdicts: Vec<GateVerdict> = self.gates.iter().map(GateReport::verdict).collect();
        if verdicts.contains(&GateVerdict::Rollback) {
            Verdict::Rollback
        } else if verdicts.contains(&GateVerdict::Error)
            || verdicts.iter().all(|v| *v == GateVerdict::Off)
        {
            Verdict::Error
        } else {
            Verdict::Pass
        }
    }

    /// Whether any check anywhere could not be evaluated.
    pub fn has_errors(&self) -> bool {
        self.gates.iter().any(|g| g.count(Status::Error) > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(mode: Mode, statuses: &[Status]) -> GateReport {
        let mut g = GateReport::new("perf", "g", mode);
        for (i, s) in statuses.iter().enumerate() {
            g.push(Check::new(format!("c{i}"), *s, "m"));
        }
        g
    }

    fn run(gates: Vec<GateReport>) -> Verdict {
        RunReport { gates }.verdict()
    }

    #[test]
    fn enforced_failure_is_rollback_even_with_errors() {
        assert_eq!(
            run(vec![gate(Mode::Enforce, &[Status::Fail, Status::Error])]),
            Verdict::Rollback
        );
        assert_eq!(
            run(vec![
                gate(Mode::Enforce, &[Status::Fail]),
                gate(Mode::Enforce, &[Status::Error])
            ]),
            Verdict::Rollback
        );
    }

    #[test]
    fn error_without_failure_cannot_decide() {
        assert_eq!(
            run(vec![gate(Mode::Enforce, &[Status::Pass, Status::Error])]),
            Verdict::Error
        );
        assert_eq!(
            run(vec![gate(Mode::Warn, &[Status::Error])]),
            Verdict::Error
        );
    }

    #[test]
    fn warn_mode_failure_passes_the_run() {
        let g = gate(Mode::Warn, &[Status::Fail]);
        assert_eq!(g.verdict(), GateVerdict::Warn);
        assert_eq!(run(vec![g]), Verdict::Pass);
    }

    #[test]
    fn nothing_checked_is_an_error() {
        assert_eq!(run(vec![]), Verdict::Error);
        assert_eq!(run(vec![gate(Mode::Enforce, &[])]), Verdict::Error);
        assert_eq!(
            run(vec![gate(Mode::Enforce, &[Status::Skip])]),
            Verdict::Error
        );
        assert_eq!(run(vec![gate(Mode::Off, &[Status::Pass])]), Verdict::Error);
    }

    #[test]
    fn passes_skips_and_warnings_pass() {
        assert_eq!(
            run(vec![gate(
                Mode::Enforce,
                &[Status::Pass, Status::Skip, Status::Warn]
            )]),
            Verdict::Pass
        );
    }
}

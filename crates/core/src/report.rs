//! Gate reports and the run report, with the rules that turn checks into verdicts.

use serde::Serialize;

use crate::check::Check;
use crate::counts::Counts;
use crate::status::{GateVerdict, Mode, Role, Status, Verdict};

/// The checks one gate instance produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateReport {
    /// Kind of gate (`perf`, `characterization`, `snapshot`).
    pub gate: String,
    /// Instance name from the config, unique within a run.
    pub name: String,
    /// How failures count.
    pub mode: Mode,
    /// A gate that must compare something (evidence, the default), or a report on the
    /// run itself (bookkeeping: waivers, trust, outputs), which needs no evidence.
    #[serde(skip_serializing_if = "Role::is_evidence")]
    pub role: Role,
    /// The checks, in a stable order.
    pub checks: Vec<Check>,
    /// Figures the gate measured beside its checks (tests run, passed...); empty when
    /// the gate has none.
    #[serde(skip_serializing_if = "Counts::is_empty")]
    pub counts: Counts,
    /// Lines about the gate as a whole (what its comparisons can detect), shown under
    /// its line in the human report and the step summary.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl GateReport {
    /// An empty report for a gate instance.
    pub fn new(gate: impl Into<String>, name: impl Into<String>, mode: Mode) -> Self {
        GateReport {
            gate: gate.into(),
            name: name.into(),
            mode,
            role: Role::Evidence,
            checks: Vec::new(),
            counts: Counts::default(),
            notes: Vec::new(),
        }
    }

    /// An enforcing report on the run itself (waivers, the trust boundary of
    /// `--baseline-ref`, outputs): its checks count like any, but it compared nothing
    /// and needs nothing compared to pass.
    pub fn bookkeeping(gate: impl Into<String>, name: impl Into<String>) -> Self {
        GateReport {
            role: Role::Bookkeeping,
            ..GateReport::new(gate, name, Mode::Enforce)
        }
    }

    /// Whether the gate compared something: at least one evidence check reached a
    /// judgement. Always true of a bookkeeping report.
    pub fn compared(&self) -> bool {
        self.role == Role::Bookkeeping || self.checks.iter().any(Check::compared)
    }

    /// Adds an error check saying why the gate cannot decide when it ran, compared
    /// nothing and holds no error check that says so already: the verdict does not need
    /// it (see [`GateReport::verdict`]), but every report must show why.
    pub fn explain_nothing_compared(&mut self) {
        if self.mode == Mode::Off || self.compared() || self.count(Status::Error) > 0 {
            return;
        }
        let skipped = self.count(Status::Skip);
        let bookkeeping = self
            .checks
            .iter()
            .filter(|c| c.role == Role::Bookkeeping)
            .count();
        let held = match (skipped, bookkeeping) {
            (0, 0) => "it holds no check".to_string(),
            (s, 0) => format!("{s} skipped"),
            (0, b) => format!("{b} bookkeeping checks only"),
            (s, b) => format!("{s} skipped, {b} bookkeeping"),
        };
        self.push(
            Check::error(
                "compared-nothing",
                format!(
                    "compared nothing: no measurement or record was judged ({held}); \
                     a gate must compare something to pass"
                ),
            )
            .bookkeeping(),
        );
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
    /// input it could not read. A gate that compared nothing is an error too, whatever
    /// bookkeeping checks it holds (see [`GateReport::compared`]). A check carrying a
    /// number that is not finite counts as an error.
    pub fn verdict(&self) -> GateVerdict {
        if self.mode == Mode::Off {
            return GateVerdict::Off;
        }
        let has = |s: Status| self.checks.iter().any(|c| c.effective_status() == s);
        if self.mode == Mode::Enforce && has(Status::Fail) {
            GateVerdict::Rollback
        } else if has(Status::Error) || !self.compared() {
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
    /// could not decide (or no evidence gate ran at all), else pass.
    pub fn verdict(&self) -> Verdict {
        let verdicts: Vec<GateVerdict> = self.gates.iter().map(GateReport::verdict).collect();
        if verdicts.contains(&GateVerdict::Rollback) {
            Verdict::Rollback
        } else if verdicts.contains(&GateVerdict::Error) || !self.ran_a_gate() {
            Verdict::Error
        } else {
            Verdict::Pass
        }
    }

    /// Whether a gate that compares (not a bookkeeping report) ran.
    pub fn ran_a_gate(&self) -> bool {
        self.gates
            .iter()
            .any(|g| g.role == Role::Evidence && g.mode != Mode::Off)
    }

    /// Makes every output say what the verdict counts, before any is rendered: a check
    /// holding a number that is not finite becomes an error naming it
    /// ([`Check::settle`]), and a gate that compared nothing gets an error check saying
    /// so ([`GateReport::explain_nothing_compared`]). The verdict is the same before and
    /// after; only the reports' words change.
    pub fn settle(&mut self) {
        for gate in &mut self.gates {
            gate.checks.iter_mut().for_each(Check::settle);
            gate.explain_nothing_compared();
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
    fn bookkeeping_never_stands_for_a_comparison() {
        let mut skipped = gate(Mode::Enforce, &[Status::Skip]);
        skipped.push(Check::pass("baseline-ref:b.json", "read from main").bookkeeping());
        assert_eq!(skipped.verdict(), GateVerdict::Error);
        let mut warned = gate(Mode::Warn, &[]);
        warned.push(Check::warn("baseline-ref:b.json", "differs").bookkeeping());
        assert_eq!(warned.verdict(), GateVerdict::Error);
        // A bookkeeping failure still fails an enforcing gate.
        let mut loosened = gate(Mode::Enforce, &[Status::Pass]);
        loosened.push(Check::fail("threshold", "raised").bookkeeping());
        assert_eq!(loosened.verdict(), GateVerdict::Rollback);
        // A bookkeeping report needs no evidence, but cannot make a run by itself.
        let mut waivers = GateReport::bookkeeping("waivers", "w.toml");
        assert_eq!(waivers.verdict(), GateVerdict::Pass);
        assert_eq!(run(vec![waivers.clone()]), Verdict::Error);
        waivers.push(Check::pass("perf/*", "waived 1").bookkeeping());
        assert_eq!(
            run(vec![waivers, gate(Mode::Off, &[Status::Pass])]),
            Verdict::Error
        );
        let mut explained = skipped.clone();
        explained.explain_nothing_compared();
        assert_eq!(explained.checks.len(), 3);
        assert!(
            explained.checks[2].message.contains(
                "compared nothing: no measurement or record was judged (1 skipped, 1 bookkeeping)"
            ),
            "{}",
            explained.checks[2].message
        );
        assert_eq!(explained.verdict(), GateVerdict::Error);
        let mut judged = gate(Mode::Enforce, &[Status::Pass]);
        judged.explain_nothing_compared();
        assert_eq!(
            judged.checks.len(),
            1,
            "a gate that compared is left as it is"
        );
        let json = serde_json::to_value(&skipped).expect("serializes");
        assert_eq!(json["checks"][1]["role"], "bookkeeping");
        assert!(json.get("role").is_none() && json["checks"][0].get("role").is_none());
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

//! Where the report files go, what the HTML report says beyond the run report, and
//! folding the outputs that could not be written into the run report, so that every
//! output still written says the verdict the exit code carries.

use safety_gate_core::{Check, GateReport, Location, RollbackPlan, RunReport};
use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::rollback::Meta;

/// Where reports go, after flags override config.
#[derive(Debug, Default, Clone)]
pub struct ReportPaths {
    /// JUnit XML.
    pub junit: Option<PathBuf>,
    /// Machine report.
    pub json: Option<PathBuf>,
    /// The self-contained HTML report.
    pub html: Option<PathBuf>,
}

/// What the HTML report says beyond the run report: each gate's rollback plan (by
/// label, `perf/tick`) and when and how the run was made.
#[derive(Debug, Clone, Copy)]
pub struct PageContext<'a> {
    /// Rollback plans by gate label.
    pub plans: &'a BTreeMap<String, RollbackPlan>,
    /// Time, commit, command and tool of the run.
    pub meta: &'a Meta,
}

/// An output of the run that could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedOutput {
    /// What the output is, as a check id: `junit`, `report-json`, `stdout`,
    /// `step-summary`...
    pub what: String,
    /// The file, when the output is one.
    pub path: Option<PathBuf>,
    /// Why, naming the file.
    pub message: String,
}

/// Name of the bookkeeping gate that holds the outputs which could not be written.
pub const OUTPUTS_GATE: &str = "outputs";

/// `report` with one more bookkeeping gate, `outputs/run`, holding an error check per
/// output that could not be written; `report` itself when none failed. A pass nobody
/// can see is not a pass: the gate makes a pass "cannot decide", and leaves a
/// rollback a rollback.
pub fn with_failed_outputs(report: &RunReport, failed: &[FailedOutput]) -> RunReport {
    let mut out = report.clone();
    if failed.is_empty() {
        return out;
    }
    let mut gate = GateReport::bookkeeping(OUTPUTS_GATE, "run");
    for failure in failed {
        let mut check = Check::error(format!("output:{}", failure.what), &failure.message);
        if let Some(path) = &failure.path {
            check = check.with_location(Location::file(path));
        }
        gate.push(check.bookkeeping());
    }
    out.gates.push(gate);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::{Mode, Verdict};

    fn passing() -> RunReport {
        let mut gate = GateReport::new("perf", "tick", Mode::Enforce);
        gate.push(Check::pass("tick_ms", "within threshold"));
        RunReport { gates: vec![gate] }
    }

    #[test]
    fn a_failed_output_undoes_a_pass_and_keeps_a_rollback() {
        let failed = [FailedOutput {
            what: "junit".into(),
            path: Some(PathBuf::from("out")),
            message: "failed to write out: is a directory".into(),
        }];
        let folded = with_failed_outputs(&passing(), &failed);
        assert_eq!(folded.verdict(), Verdict::Error);
        let gate = folded.gates.last().expect("outputs gate");
        assert_eq!(
            (gate.gate.as_str(), gate.checks[0].id.as_str()),
            ("outputs", "output:junit")
        );
        let mut rollback = passing();
        rollback.gates[0].push(Check::fail("x", "slower"));
        assert_eq!(
            with_failed_outputs(&rollback, &failed).verdict(),
            Verdict::Rollback
        );
        assert_eq!(with_failed_outputs(&passing(), &[]), passing());
    }
}

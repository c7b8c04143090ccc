//! The pull-request comment body (`check --pr-comment FILE`): the step summary's verdict,
//! gate table and checks that need attention, within GitHub's comment limit. The action
//! adds a hidden marker and a link to the run around it and posts or edits the comment.

use safety_gate_core::{RollbackPlan, RunReport};
use std::collections::BTreeMap;
use std::path::Path;

use crate::github::Annotations;
use crate::summary;

/// GitHub refuses a comment body over 65,536 characters.
pub const MAX_COMMENT_CHARS: usize = 65_536;

/// Room left for the marker line and run link the action puts around the body.
const ACTION_ROOM: usize = 1_536;

/// Renders the comment body. The budget is counted in bytes, which are never fewer than
/// characters, so the body stays within [`MAX_COMMENT_CHARS`] less the action's room.
/// Annotations are not part of a comment, so no line counts the ones left out.
pub fn render(
    report: &RunReport,
    root: Option<&Path>,
    plans: &BTreeMap<String, RollbackPlan>,
) -> String {
    summary::render_within(
        report,
        &Annotations::default(),
        root,
        plans,
        MAX_COMMENT_CHARS - ACTION_ROOM,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::{Check, GateReport, Mode};

    fn failing(n: usize) -> RunReport {
        let mut gate = GateReport::new("perf", "tick", Mode::Enforce);
        for i in 0..n {
            gate.push(
                Check::fail(
                    format!("bench_é_{i}"),
                    "regressed: 1.25 -> 1.35 (+8.00%) ❌",
                )
                .with_values(1.25, 1.35, 0.08)
                .with_threshold(0.05)
                .with_details(vec!["ü".repeat(200); 30]),
            );
        }
        RunReport { gates: vec![gate] }
    }

    #[test]
    fn a_large_report_stays_within_githubs_limit_and_counts_the_rest() {
        let body = render(&failing(5_000), None, &BTreeMap::new());
        assert!(body.chars().count() <= MAX_COMMENT_CHARS - ACTION_ROOM);
        assert!(
            body.len() <= MAX_COMMENT_CHARS - ACTION_ROOM,
            "{}",
            body.len()
        );
        assert!(body.starts_with("## ❌ safety-gate: ROLLBACK (exit 1)"));
        assert!(body.contains("| perf/tick | enforce | rollback | 5000 |"));
        assert!(body.contains("more checks are not shown"), "{body}");
    }

    #[test]
    fn a_small_report_is_the_step_summary() {
        let report = failing(2);
        let notes = Annotations::default();
        assert_eq!(
            render(&report, None, &BTreeMap::new()),
            summary::render(&report, &notes, None, &BTreeMap::new())
        );
    }
}

//! The machine report (`--report-json`): a stable, documented JSON shape.
//!
//! ```json
//! {"schema": 1, "verdict": "pass|rollback|error",
//!  "gates": [{"gate": "perf", "name": "tick", "mode": "enforce",
//!             "verdict": "pass|rollback|warn|error|off",
//!             "checks": [{"id": "tick_ms", "status": "fail", "message": "...",
//!                         "baseline": 1.0, "current": 1.06, "change": 0.06}],
//!             "counts": {"tests": 12, "passed": 11, "failed": 1}}]}
//! ```
//! Numeric fields appear only where they apply; non-finite numbers are written as null.
//! A check or gate that only reports on the run carries `"role": "bookkeeping"`; such a
//! check never stands for a comparison (see [`Role`]).
//! `counts` holds a gate's figures as integers (the characterization gate's `tests`,
//! `passed`, `failed`, `errored`, `skipped`, `xfailed`, `xpassed`, `flaky`) and is left
//! out for gates that report none. A check may carry `evidence`, tagged by `kind`:
//! `samples` (a benchmark's samples on both sides and those left out as outliers),
//! `trend` (a series' nightly values and fitted line), `changes` (golden values that
//! differ) or `schema` (schema changes with rule and example); see
//! [`crate::evidence`]. Consumers should ignore kinds they do not know.

use serde::Serialize;

use crate::check::Check;
use crate::counts::Counts;
use crate::report::{GateReport, RunReport};
use crate::status::{GateVerdict, Mode, Role, Verdict};

/// Version of the report's shape; raised only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct RunView<'a> {
    schema: u32,
    verdict: Verdict,
    gates: Vec<GateView<'a>>,
}

#[derive(Serialize)]
struct GateView<'a> {
    gate: &'a str,
    name: &'a str,
    mode: Mode,
    #[serde(skip_serializing_if = "Role::is_evidence")]
    role: Role,
    verdict: GateVerdict,
    checks: &'a [Check],
    #[serde(skip_serializing_if = "Counts::is_empty")]
    counts: &'a Counts,
}

impl<'a> From<&'a GateReport> for GateView<'a> {
    fn from(g: &'a GateReport) -> Self {
        GateView {
            gate: &g.gate,
            name: &g.name,
            mode: g.mode,
            role: g.role,
            verdict: g.verdict(),
            checks: &g.checks,
            counts: &g.counts,
        }
    }
}

/// Renders the run report as pretty-printed JSON, ending in a newline. Written from the settled report ([`RunReport::settle`]), so every status says what
/// the verdict counts.
pub fn to_json(report: &RunReport) -> String {
    let mut settled = report.clone();
    settled.settle();
    let view = RunView {
        schema: SCHEMA_VERSION,
        verdict: settled.verdict(),
        gates: settled.gates.iter().map(GateView::from).collect(),
    };
    // Serializing plain data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&view).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    #[test]
    fn shape_has_verdicts_and_only_applicable_numbers() {
        let mut gate = GateReport::new("perf", "tick", Mode::Enforce);
        gate.push(Check::fail("tick_ms", "slower").with_values(1.0, 1.06, 0.06));
        gate.push(Check::new("ticks", Status::Skip, "new"));
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&RunReport { gates: vec![gate] })).expect("valid json");
        assert_eq!(json["verdict"], "rollback");
        assert_eq!(json["gates"][0]["verdict"], "rollback");
        assert_eq!(json["gates"][0]["checks"][0]["change"], 0.06);
        assert!(json["gates"][0]["checks"][1].get("baseline").is_none());
        assert!(
            json["gates"][0].get("counts").is_none(),
            "no counts, no key"
        );
    }

    #[test]
    fn counts_are_numbers_in_the_order_set() {
        let mut gate = GateReport::new("characterization", "t", Mode::Enforce);
        gate.push(Check::pass("tests-executed", "2 tests"));
        gate.counts.set("tests", 2);
        gate.counts.set("passed", 2);
        let text = to_json(&RunReport { gates: vec![gate] });
        assert!(
            text.contains("\"counts\": {\n        \"tests\": 2,\n        \"passed\": 2\n"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid json");
        assert_eq!(json["gates"][0]["counts"]["tests"], 2);
    }
}

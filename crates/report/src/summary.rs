//! The Markdown step summary (`$GITHUB_STEP_SUMMARY`): the verdict, a table of gates,
//! then every check that needs attention with its numbers and evidence, kept under
//! GitHub's 1 MiB limit per step.

use safety_gate_core::evidence::Evidence;
use safety_gate_core::{
    Check, GateReport, GateVerdict, RollbackPlan, RunReport, Status, Verdict, exit_code,
};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use crate::attention::{Attention, needing_attention};
use crate::github::{Annotations, relative};
use crate::github_text::{cell_code_span, code_span, fenced, markdown};
use crate::mermaid;
use safety_gate_core::numbers::{number, percent};

/// GitHub refuses a step summary over 1 MiB; stay well below it.
pub const MAX_SUMMARY_BYTES: usize = 1000 * 1000;

/// Evidence lines shown per check.
const MAX_DETAIL_LINES: usize = 20;

/// Trend charts in one summary; the HTML report and `history show` draw every series.
const MAX_CHARTS: usize = 10;

/// Renders the summary within [`MAX_SUMMARY_BYTES`]; `plans` maps a gate's label to its
/// rollback plan.
pub fn render(
    report: &RunReport,
    notes: &Annotations,
    root: Option<&Path>,
    plans: &BTreeMap<String, RollbackPlan>,
) -> String {
    render_within(report, notes, root, plans, MAX_SUMMARY_BYTES)
}

/// Renders the summary within `budget` bytes: the verdict, the gate table and each
/// triggering gate's rollback procedure always, then as many problem checks as fit
/// with a line counting the rest, then a Mermaid chart of each drifting or failing
/// series over the recorded history, as many as fit.
pub fn render_within(
    report: &RunReport,
    notes: &Annotations,
    root: Option<&Path>,
    plans: &BTreeMap<String, RollbackPlan>,
    budget: usize,
) -> String {
    let verdict = report.verdict();
    let mut out = String::new();
    let icon = match verdict {
        Verdict::Pass => "✅",
        Verdict::Rollback => "❌",
        Verdict::Error => "⚠️",
    };
    let _ = writeln!(
        out,
        "## {icon} safety-gate: {} (exit {})\n",
        verdict.as_str().to_uppercase(),
        exit_code::for_verdict(verdict)
    );
    out.push_str("| Gate | Mode | Verdict | Fail | Error | Warn | Skip | Pass |\n");
    out.push_str("|---|---|---|---:|---:|---:|---:|---:|\n");
    for gate in &report.gates {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&gate.label()),
            gate.mode.as_str(),
            gate.verdict().as_str(),
            gate.count(Status::Fail),
            gate.count(Status::Error),
            gate.count(Status::Warn),
            gate.count(Status::Skip),
            gate.count(Status::Pass),
        );
    }
    let gate_notes: Vec<String> = report
        .gates
        .iter()
        .flat_map(|g| {
            g.notes
                .iter()
                .map(move |n| format!("- {}: {}\n", bold(&g.label()), markdown(n)))
        })
        .collect();
    if !gate_notes.is_empty() {
        out.push('\n');
        out.extend(gate_notes);
    }
    out.push_str(&rollback_table(report, plans));
    let problems = needing_attention(report);
    if problems.is_empty() {
        return out;
    }
    out.push_str("\n### Checks that need attention\n\n");
    out.push_str("| Gate | Check | Status | Baseline | Current | Change | Threshold |\n");
    out.push_str("|---|---|---|---:|---:|---:|---:|\n");
    let mut table = String::new();
    let mut evidence = String::new();
    let mut shown = 0;
    // Reserve room for the closing lines so the budget holds whatever is cut.
    let reserve = 400;
    for (gate, check, attention) in &problems {
        let row = table_row(gate, check, *attention);
        let more = evidence_block(gate, check, root);
        if out.len() + table.len() + evidence.len() + row.len() + more.len() + reserve > budget {
            break;
        }
        table.push_str(&row);
        evidence.push_str(&more);
        shown += 1;
    }
    out.push_str(&table);
    if shown < problems.len() {
        let _ = writeln!(
            out,
            "\n{} more checks are not shown (summary size limit); the JUnit and JSON reports list them all.",
            problems.len() - shown
        );
    }
    let omitted = notes.omitted_errors + notes.omitted_warnings;
    if omitted > 0 {
        let _ = writeln!(
            out,
            "\n{omitted} checks are shown here only: GitHub displays about ten annotations of each type per step."
        );
    }
    out.push_str("\n### Evidence\n\n");
    out.push_str(&evidence);
    let mut charts = String::new();
    for chart in trend_charts(report).into_iter().take(MAX_CHARTS) {
        if out.len() + charts.len() + chart.len() + 40 > budget {
            break;
        }
        charts.push_str(&chart);
    }
    if !charts.is_empty() {
        out.push_str("\n### Trends over the recorded history\n\n");
        out.push_str(&charts);
    }
    out
}

/// Each triggering gate's rollback procedure, risk and time to roll back, as the
/// rollback report gives them.
fn rollback_table(report: &RunReport, plans: &BTreeMap<String, RollbackPlan>) -> String {
    let triggered: Vec<&GateReport> = report
        .gates
        .iter()
        .filter(|g| g.verdict() == GateVerdict::Rollback)
        .collect();
    if triggered.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n### Rollback\n\n| Gate | Risk | Time to roll back | Procedure |\n|---|---|---|---|\n",
    );
    for gate in triggered {
        let plan = plans.get(&gate.label()).cloned().unwrap_or_default();
        let procedure = match plan.procedure.as_deref().map(str::trim) {
            Some(link) if plan.procedure_is_link() => cell_code_span(link),
            Some(text) => cell(text),
            None => "not configured: revert the change and redeploy the previous release".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {procedure} |",
            cell(&gate.label()),
            plan.risk.map_or("not set", |r| r.as_str()),
            cell(plan.time_to_rollback.as_deref().unwrap_or("not set")),
        );
    }
    out
}

/// A Mermaid chart per series of the drift gate that drifts, or whose check failed in
/// this run, drifting series first.
fn trend_charts(report: &RunReport) -> Vec<String> {
    let failing: Vec<String> = report
        .gates
        .iter()
        .flat_map(|g| g.checks.iter().map(move |c| (g, c)))
        .filter(|(_, c)| c.effective_status() == Status::Fail)
        .map(|(g, c)| format!("{}/{}", g.label(), c.id))
        .collect();
    let mut charts: Vec<(bool, String)> = Vec::new();
    for gate in report.gates.iter().filter(|g| g.gate == "drift") {
        for check in &gate.checks {
            let Some(Evidence::Trend(trend)) = check.evidence.as_deref() else {
                continue;
            };
            let drifting = check.effective_status() == Status::Fail;
            if !drifting && !failing.contains(&check.id) {
                continue;
            }
            let limits: Vec<f64> = check
                .threshold
                .map(|t| vec![trend.fit_start * (1.0 - t), trend.fit_start * (1.0 + t)])
                .unwrap_or_default();
            let title = format!(
                "{}{}",
                check.id,
                if drifting {
                    ": drifting"
                } else {
                    ": failing tonight"
                }
            );
            let mut chart = format!(
                "{}: {} (lines: each run; the threshold around the fitted start)\n\n",
                code_span(&check.id),
                markdown(&check.message)
            );
            chart.push_str(&mermaid::xychart(
                &title,
                check.unit.as_deref(),
                &trend.points,
                &limits,
            ));
            chart.push('\n');
            charts.push((drifting, chart));
        }
    }
    charts.sort_by_key(|(drifting, _)| !drifting);
    charts.into_iter().map(|(_, chart)| chart).collect()
}

fn table_row(gate: &GateReport, check: &Check, attention: Attention) -> String {
    let status = match attention {
        Attention::Rollback => "**fail**",
        Attention::FailedInWarnMode => "fail (warn mode)",
        Attention::Undecided => "error",
        Attention::Warning => "warn",
    };
    let unit = check
        .unit
        .as_deref()
        .map(|u| format!(" {}", markdown(u)))
        .unwrap_or_default();
    let num = |v: Option<f64>| {
        v.map(|v| format!("{}{unit}", number(v)))
            .unwrap_or_default()
    };
    let pct = |v: Option<f64>, sign: bool| v.map(|v| percent(v, sign)).unwrap_or_default();
    format!(
        "| {} | {} | {status} | {} | {} | {} | {} |\n",
        cell(&gate.label()),
        cell(&check.id),
        num(check.baseline),
        num(check.current),
        pct(check.change, true),
        pct(check.threshold, false),
    )
}

fn evidence_block(gate: &GateReport, check: &Check, root: Option<&Path>) -> String {
    let mut out = format!(
        "- {} {}: {}\n",
        bold(&gate.label()),
        code_span(&check.id),
        markdown(&check.message)
    );
    if let Some(loc) = &check.location {
        let line = loc.line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  at {}",
            code_span(&format!("{}{line}", relative(&loc.file, root)))
        );
    }
    if let (Some(p), Some([lo, hi])) = (check.p_value, check.interval) {
        let _ = writeln!(
            out,
            "  p = {p:.4}, change interval [{:+.2}%, {:+.2}%]",
            lo * 100.0,
            hi * 100.0
        );
    }
    if !check.details.is_empty() {
        out.push_str(&details_block(
            &check.details,
            MAX_DETAIL_LINES,
            "in the reports",
        ));
    }
    out
}

/// A name in bold: trailing whitespace would keep `**` from closing.
fn bold(text: &str) -> String {
    format!("**{}**", markdown(text.trim_end()))
}

/// A value safe inside a Markdown table cell (see [`markdown`]).
fn cell(text: &str) -> String {
    markdown(text)
}

/// A check's evidence lines as an indented fenced block: the first `max`, then how
/// many more are `elsewhere` (e.g. "in the reports").
pub(crate) fn details_block(details: &[String], max: usize, elsewhere: &str) -> String {
    let mut lines: Vec<String> = details.iter().take(max).cloned().collect();
    if details.len() > max {
        lines.push(format!(
            "... {} more lines {elsewhere}",
            details.len() - max
        ));
    }
    fenced("  ", "text", &lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::evidence::{TrendEvidence, TrendPoint};
    use safety_gate_core::{Location, Mode, Risk};

    fn plans() -> BTreeMap<String, RollbackPlan> {
        BTreeMap::from([(
            "perf/tick|x".to_string(),
            RollbackPlan {
                procedure: Some("docs/ROLLBACK.md#tick".into()),
                risk: Some(Risk::High),
                time_to_rollback: Some("15 minutes".into()),
            },
        )])
    }

    /// A drift gate of two series: one creeping (fails), one flat whose perf check
    /// failed tonight, one flat that passes.
    fn nightly() -> RunReport {
        let trend = |step: f64, failed_last: bool| {
            Evidence::Trend(TrendEvidence {
                better: None,
                points: (0..6)
                    .map(|i| TrendPoint {
                        time: format!("2026-11-{:02}T02:00:00Z", i + 1),
                        commit: None,
                        value: 1.25 + step * i as f64,
                        failed: failed_last && i == 5,
                    })
                    .collect(),
                fit_start: 1.25,
                fit_end: 1.25 + 5.0 * step,
            })
        };
        let mut perf = GateReport::new("perf", "tick", Mode::Enforce);
        perf.push(Check::fail("spike", "regressed").with_values(1.25, 1.4, 0.12));
        perf.push(Check::pass("flat", "within threshold"));
        let mut drift = GateReport::new("drift", "h.jsonl", Mode::Enforce);
        for (id, step, status, failed) in [
            ("perf/tick/creep", 0.02, Status::Fail, false),
            ("perf/tick/spike", 0.0, Status::Pass, true),
            ("perf/tick/flat", 0.0, Status::Pass, false),
        ] {
            drift.push(
                Check::new(id, status, "fitted")
                    .with_threshold(0.05)
                    .with_unit("ms")
                    .with_evidence(trend(step, failed)),
            );
        }
        RunReport {
            gates: vec![perf, drift],
        }
    }

    #[test]
    fn drifting_and_failing_series_get_a_chart_and_gates_their_rollback() {
        let text = render(&nightly(), &Annotations::default(), None, &BTreeMap::new());
        let charts = text.matches("```mermaid\nxychart-beta").count();
        assert_eq!(charts, 2, "{text}");
        let creep = text
            .find("title \"perf/tick/creep: drifting\"")
            .expect("creep");
        let spike = text
            .find("title \"perf/tick/spike: failing tonight\"")
            .expect("spike");
        assert!(creep < spike, "drifting first");
        assert!(!text.contains("perf/tick/flat:"), "{text}");
        assert!(
            text.contains("| perf/tick | not set | not set | not configured"),
            "{text}"
        );
        assert!(text.contains("\"11-06 ✗\""), "{text}");
    }

    fn report(n: usize) -> RunReport {
        let mut gate = GateReport::new("perf", "tick|x", Mode::Enforce);
        gate.notes
            .push("min detectable change (90% power, 2% false alarms): at most 3.1%".into());
        gate.push(Check::pass("ok", "within threshold"));
        for i in 0..n {
            gate.push(
                Check::fail(format!("bench_{i}"), "regressed: 1.25 -> 1.35 (+8.00%)")
                    .with_values(1.25, 1.35, 0.08)
                    .with_threshold(0.05)
                    .with_unit("ms")
                    .with_location(Location::line("/w/fixtures/x.json", 3))
                    .with_details(["first evidence line".to_string()]),
            );
        }
        let mut bad = GateReport::new("perf", "broken", Mode::Enforce);
        bad.push(Check::error("current", "failed to read x.json: not found"));
        RunReport {
            gates: vec![gate, bad],
        }
    }

    #[test]
    fn summary_has_verdict_table_and_numbers() {
        let text = render(
            &report(2),
            &Annotations::default(),
            Some(Path::new("/w")),
            &plans(),
        );
        insta::assert_snapshot!(text);
        assert!(text.contains("| perf/tick\\|x | enforce | rollback | 2 | 0 | 0 | 0 | 1 |"));
        assert!(text.contains("| 1.25 ms | 1.35 ms | +8.00% | 5.00% |"));
        assert!(
            text.contains("- **perf/tick\\|x**: min detectable change (90% power"),
            "{text}"
        );
    }

    #[test]
    fn stays_within_the_budget_and_counts_the_rest() {
        let big = report(20_000);
        let text = render(&big, &Annotations::default(), None, &plans());
        assert!(text.len() <= MAX_SUMMARY_BYTES, "{}", text.len());
        assert!(text.contains("more checks are not shown"));
        let small = render_within(&big, &Annotations::default(), None, &plans(), 4_000);
        assert!(small.len() <= 4_000, "{}", small.len());
        assert!(small.contains("| perf/broken | enforce | error |"));
    }
}

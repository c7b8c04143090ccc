//! GitHub Actions workflow commands, as pure functions over the report: `::error` and
//! `::warning` annotations (most important first, within GitHub's per-step budget) and
//! the `$GITHUB_OUTPUT` lines. Reading the environment and writing the runner's files
//! happen in the binary.

use safety_gate_core::{Check, GateReport, GateVerdict, Location, RunReport};

use crate::attention::{Attention, needing_attention};
use crate::github_text;
use std::fmt::Write;
use std::path::Path;

/// GitHub shows about ten annotations of each type per step; the rest go to the summary.
pub const MAX_PER_TYPE: usize = 10;

/// Evidence lines carried in one annotation; the summary and reports carry them all.
const MAX_DETAIL_LINES: usize = 5;

/// The annotation lines, and how many checks were left for the summary only.
#[derive(Debug, Default, PartialEq)]
pub struct Annotations {
    /// `::error ...` and `::warning ...` lines, errors first.
    pub lines: Vec<String>,
    /// Error-level checks beyond the budget.
    pub omitted_errors: usize,
    /// Warning-level checks beyond the budget.
    pub omitted_warnings: usize,
}

/// How much a check matters: higher first. An enforced failure outranks an input error,
/// and a failure far beyond its threshold outranks one just over it.
fn weight(check: &Check, attention: Attention) -> (Attention, f64) {
    let overshoot = match (check.change, check.threshold) {
        (Some(change), Some(t)) if t > 0.0 => change.abs() / t,
        (Some(change), _) => change.abs(),
        _ => 0.0,
    };
    (attention, overshoot)
}

/// Whether a check becomes an `::error` (else a `::warning`).
fn level(attention: Attention) -> &'static str {
    match attention {
        Attention::Rollback | Attention::Undecided => "error",
        Attention::FailedInWarnMode | Attention::Warning => "warning",
    }
}

/// The title of a check's annotation.
pub fn title(gate: &GateReport, check: &Check) -> String {
    let what = match Attention::of(gate, check) {
        Some(Attention::Rollback) => "rollback",
        Some(Attention::FailedInWarnMode) => "failed (warn mode)",
        Some(Attention::Undecided) => "cannot decide",
        _ => "warning",
    };
    format!("safety-gate {} {}: {what}", gate.label(), check.id)
}

/// Shows `path` relative to `root` when it lies below it, so annotations land on files.
pub fn relative(path: &Path, root: Option<&Path>) -> String {
    root.and_then(|r| path.strip_prefix(r).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every annotation, most important first, at most [`MAX_PER_TYPE`] of each type.
pub fn annotations(report: &RunReport, root: Option<&Path>) -> Annotations {
    let mut ranked = needing_attention(report);
    // Stable sort: equal weights keep config and check order.
    ranked.sort_by(|a, b| {
        let (wa, wb) = (weight(a.1, a.2), weight(b.1, b.2));
        wb.0.cmp(&wa.0).then(wb.1.total_cmp(&wa.1))
    });
    let mut out = Annotations::default();
    let (mut errors, mut warnings) = (0, 0);
    for (gate, check, attention) in ranked {
        let level = level(attention);
        // A check about several places in the code is annotated on each of them.
        let lines: Vec<String> = if check.occurrences.is_empty() {
            vec![annotation(level, gate, check, root)]
        } else {
            check
                .occurrences
                .iter()
                .map(|o| {
                    let props = properties(gate, check, Some(&o.location), root);
                    format!("::{level} {props}::{}", github_text::data(&o.message))
                })
                .collect()
        };
        for line in lines {
            let count = if level == "error" {
                &mut errors
            } else {
                &mut warnings
            };
            *count += 1;
            if *count > MAX_PER_TYPE {
                if level == "error" {
                    out.omitted_errors += 1;
                } else {
                    out.omitted_warnings += 1;
                }
                continue;
            }
            out.lines.push(line);
        }
    }
    out
}

/// `title=...,file=...,line=...,col=...` of an annotation about `check` at `location`.
fn properties(
    gate: &GateReport,
    check: &Check,
    location: Option<&Location>,
    root: Option<&Path>,
) -> String {
    let mut props = vec![format!(
        "title={}",
        github_text::property(&title(gate, check))
    )];
    if let Some(loc) = location {
        props.push(format!(
            "file={}",
            github_text::property(&relative(&loc.file, root))
        ));
        if let Some(line) = loc.line {
            props.push(format!("line={line}"));
        }
        if let Some(column) = loc.column {
            props.push(format!("col={column}"));
        }
    }
    props.join(",")
}

fn annotation(level: &str, gate: &GateReport, check: &Check, root: Option<&Path>) -> String {
    let props = properties(gate, check, check.location.as_ref(), root);
    let mut message = check.message.clone();
    for detail in check.details.iter().take(MAX_DETAIL_LINES) {
        let _ = write!(message, "\n{detail}");
    }
    if check.details.len() > MAX_DETAIL_LINES {
        let _ = write!(
            message,
            "\n... {} more lines in the step summary and reports",
            check.details.len() - MAX_DETAIL_LINES
        );
    }
    format!("::{level} {props}::{}", github_text::data(&message))
}

/// The values the step exposes as outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct StepOutputs {
    /// `pass`, `rollback` or `error`.
    pub verdict: String,
    /// Names of the gates that triggered a rollback or could not decide.
    pub failed_gates: Vec<String>,
    /// The JUnit file, when written.
    pub junit_path: Option<String>,
    /// The JSON report, when written.
    pub report_path: Option<String>,
    /// The HTML report, when written.
    pub html_path: Option<String>,
}

impl StepOutputs {
    /// The outputs of a run.
    pub fn of(
        report: &RunReport,
        junit: Option<&Path>,
        json: Option<&Path>,
        html: Option<&Path>,
    ) -> Self {
        StepOutputs {
            verdict: report.verdict().as_str().to_string(),
            failed_gates: report
                .gates
                .iter()
                .filter(|g| matches!(g.verdict(), GateVerdict::Rollback | GateVerdict::Error))
                .map(|g| g.name.clone())
                .collect(),
            junit_path: junit.map(|p| p.to_string_lossy().into_owned()),
            report_path: json.map(|p| p.to_string_lossy().into_owned()),
            html_path: html.map(|p| p.to_string_lossy().into_owned()),
        }
    }

    /// `name=value` lines for `$GITHUB_OUTPUT`. A value with a line break uses the
    /// `name<<DELIMITER` form, with a delimiter the value does not contain; a gate name
    /// holding a comma or `%` is escaped as in a property (`%2C`, `%25`), so the list
    /// keeps one item per gate.
    pub fn render(&self, delimiter: &str) -> String {
        let gates: Vec<String> = self
            .failed_gates
            .iter()
            .map(|g| github_text::list_item(g))
            .collect();
        let pairs = [
            ("verdict", self.verdict.clone()),
            ("rollback", (self.verdict == "rollback").to_string()),
            ("failed-gates", gates.join(",")),
            ("junit-path", self.junit_path.clone().unwrap_or_default()),
            ("report-path", self.report_path.clone().unwrap_or_default()),
            ("html-path", self.html_path.clone().unwrap_or_default()),
        ];
        pairs
            .iter()
            .map(|(name, value)| github_text::step_output(name, value, delimiter))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::{Mode, Occurrence};

    fn regressed() -> RunReport {
        let mut tick = GateReport::new("perf", "tick", Mode::Enforce);
        tick.push(
            Check::fail("tick_ms", "regressed: 1.25 -> 1.35 (+8.00%)")
                .with_values(1.25, 1.35, 0.08)
                .with_threshold(0.05)
                .with_location(Location::line("fixtures/demo/perf/tick-regressed.json", 3)),
        );
        tick.push(Check::pass("ticks_per_s", "within threshold"));
        let mut log = GateReport::new("perf", "tick-log", Mode::Enforce);
        log.push(
            Check::fail("average_tick_seconds", "regressed: +12.00%")
                .with_values(1.0, 1.12, 0.12)
                .with_threshold(0.05),
        );
        let mut soft = GateReport::new("perf", "soft", Mode::Warn);
        soft.push(Check::fail("x", "slower, 50%, really").with_details(["a: 1".to_string()]));
        RunReport {
            gates: vec![tick, log, soft],
        }
    }

    #[test]
    fn worst_regression_comes_first() {
        let lines = annotations(&regressed(), None).lines;
        insta::assert_snapshot!(lines.join("\n"));
        assert!(lines[0].starts_with("::error title=safety-gate perf/tick-log"));
        assert!(lines[1].contains("file=fixtures/demo/perf/tick-regressed.json,line=3"));
        assert!(lines[2].starts_with("::warning "));
    }

    #[test]
    fn budget_keeps_ten_of_each_type() {
        let mut gate = GateReport::new("perf", "many", Mode::Enforce);
        for i in 0..25 {
            gate.push(
                Check::fail(format!("b{i:02}"), "slower")
                    .with_values(1.0, 1.0 + i as f64 / 100.0, i as f64 / 100.0)
                    .with_threshold(0.05),
            );
        }
        let out = annotations(&RunReport { gates: vec![gate] }, None);
        assert_eq!(out.lines.len(), MAX_PER_TYPE);
        assert_eq!(out.omitted_errors, 15);
        assert!(out.lines[0].contains("b24"), "{}", out.lines[0]);
    }

    #[test]
    fn a_check_about_several_places_is_annotated_on_each_within_the_budget() {
        let mut gate = GateReport::new("findings", "lint", Mode::Enforce);
        let at = |line: u64| Occurrence {
            location: Location::line("/w/src/app.py", line),
            message: format!("warning B301: pickle, line {line}"),
        };
        gate.push(
            Check::fail("B301", "12 new findings")
                .with_location(Location::line("/w/src/app.py", 1))
                .with_occurrences((1..=12).map(at)),
        );
        let out = annotations(&RunReport { gates: vec![gate] }, Some(Path::new("/w")));
        assert_eq!(out.lines.len(), MAX_PER_TYPE);
        assert_eq!(out.omitted_errors, 2);
        assert_eq!(
            out.lines[2],
            "::error title=safety-gate findings/lint B301%3A rollback,file=src/app.py,line=3::warning B301: pickle, line 3"
        );
    }

    #[test]
    fn paths_are_relative_to_the_workspace() {
        assert_eq!(
            relative(Path::new("/w/repo/a/b.json"), Some(Path::new("/w/repo"))),
            "a/b.json"
        );
        assert_eq!(
            relative(Path::new("/elsewhere/b.json"), Some(Path::new("/w"))),
            "/elsewhere/b.json"
        );
    }

    #[test]
    fn outputs_name_failed_gates_and_guard_line_breaks() {
        let outputs = StepOutputs::of(
            &regressed(),
            Some(Path::new("j.xml")),
            None,
            Some(Path::new("r.html")),
        );
        let text = outputs.render("EOF");
        assert!(text.contains("html-path=r.html\n"), "{text}");
        assert!(text.contains("rollback=true\n"), "{text}");
        assert!(text.contains("failed-gates=tick,tick-log\n"), "{text}");
        assert!(text.contains("report-path=\n"), "{text}");
        let odd = StepOutputs {
            junit_path: Some("a\nEOF".into()),
            ..outputs
        };
        assert!(
            odd.render("EOF")
                .contains("junit-path<<EOF_\na\nEOF\nEOF_\n")
        );
    }
}

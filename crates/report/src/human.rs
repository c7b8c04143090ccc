//! The human report: one line per gate (and its notes, such as what its comparisons can
//! detect), then the checks that need attention with their numbers and evidence, then
//! the verdict line. Every name and message from an input is shown on one line, with
//! what a terminal would act on escaped ([`one_line`]).

use safety_gate_core::{Check, GateReport, GateVerdict, RunReport, Status, Verdict, exit_code};
use std::fmt::Write;

use crate::attention::{Attention, needing_attention};
use crate::terminal_text::one_line;

/// Evidence lines shown per check; the rest are counted (the reports carry them all).
const MAX_DETAIL_LINES: usize = 10;

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to emit colour codes.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Renders the whole report. With `quiet`, only problems and the verdict line.
pub fn render(report: &RunReport, style: Style, quiet: bool) -> String {
    let mut out = String::new();
    if !quiet {
        let width = report
            .gates
            .iter()
            .map(|g| one_line(&g.label()).chars().count())
            .max()
            .unwrap_or(0);
        for gate in &report.gates {
            let _ = writeln!(out, "{}", gate_line(gate, width, style));
            for note in &gate.notes {
                let _ = writeln!(out, "{:width$}  {}", "", one_line(note));
            }
        }
    }
    let problems = needing_attention(report);
    if !problems.is_empty() {
        if !quiet {
            out.push('\n');
        }
        for (gate, check, attention) in problems {
            out.push_str(&check_lines(gate, check, attention, style));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", verdict_line(report, style));
    out
}

fn gate_line(gate: &GateReport, width: usize, style: Style) -> String {
    let verdict = gate.verdict();
    let counts: Vec<String> = [
        Status::Fail,
        Status::Error,
        Status::Warn,
        Status::Skip,
        Status::Pass,
    ]
    .iter()
    .filter_map(|s| match gate.count(*s) {
        0 => None,
        n => Some(format!("{n} {s}")),
    })
    .collect();
    let counts = if counts.is_empty() {
        "no checks".to_string()
    } else {
        counts.join(", ")
    };
    let painted = style.paint(verdict_color(verdict), &format!("{:<8}", verdict.as_str()));
    format!(
        "{:<width$}  {:<7}  {painted}  {counts}",
        one_line(&gate.label()),
        gate.mode.as_str()
    )
}

fn check_lines(gate: &GateReport, check: &Check, attention: Attention, style: Style) -> String {
    let (tag, color) = match attention {
        Attention::Rollback => ("FAIL ", "1;31"),
        Attention::FailedInWarnMode => ("FAIL (warn mode)", "33"),
        Attention::Undecided => ("ERROR", "1;35"),
        Attention::Warning => ("WARN ", "33"),
    };
    let mut out = format!(
        "{} {} {}: {}\n",
        style.paint(color, tag),
        one_line(&gate.label()),
        one_line(&check.id),
        one_line(&check.message)
    );
    if let Some(loc) = &check.location {
        let line = loc.line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "      at {}{line}",
            one_line(&loc.file.display().to_string())
        );
    }
    for detail in check.details.iter().take(MAX_DETAIL_LINES) {
        let _ = writeln!(out, "      {}", one_line(detail));
    }
    if check.details.len() > MAX_DETAIL_LINES {
        let _ = writeln!(
            out,
            "      ... {} more (see the JSON or JUnit report)",
            check.details.len() - MAX_DETAIL_LINES
        );
    }
    out
}

fn verdict_line(report: &RunReport, style: Style) -> String {
    let verdict = report.verdict();
    let labels = |v: GateVerdict| -> String {
        report
            .gates
            .iter()
            .filter(|g| g.verdict() == v)
            .map(|g| one_line(&g.label()).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let reason = match verdict {
        Verdict::Pass => format!(
            "{} gate(s) passed",
            report
                .gates
                .iter()
                .filter(|g| g.verdict() != GateVerdict::Off)
                .count()
        ),
        Verdict::Rollback => format!("enforcing gate failed: {}", labels(GateVerdict::Rollback)),
        Verdict::Error if report.gates.iter().all(|g| g.verdict() == GateVerdict::Off) => {
            "no gate ran".to_string()
        }
        Verdict::Error => format!("could not decide: {}", labels(GateVerdict::Error)),
    };
    let code = exit_code::for_verdict(verdict);
    let head = style.paint(
        match verdict {
            Verdict::Pass => "1;32",
            Verdict::Rollback => "1;31",
            Verdict::Error => "1;35",
        },
        &format!("verdict: {}", verdict.as_str().to_uppercase()),
    );
    let mut line = format!("{head} (exit {code}): {reason}");
    if verdict == Verdict::Rollback {
        // A gate that rolled back may hold errors too (its verdict is `rollback`), and a
        // gate that compared nothing holds no error check: both are named.
        let undecided: Vec<String> = report
            .gates
            .iter()
            .filter(|g| g.count(Status::Error) > 0 || g.verdict() == GateVerdict::Error)
            .map(|g| one_line(&g.label()).into_owned())
            .collect();
        if !undecided.is_empty() {
            line.push_str(&format!(
                "; also could not decide: {}",
                undecided.join(", ")
            ));
        }
    }
    line
}

fn verdict_color(verdict: GateVerdict) -> &'static str {
    match verdict {
        GateVerdict::Pass => "32",
        GateVerdict::Rollback => "1;31",
        GateVerdict::Error => "1;35",
        _ => "33",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::Mode;

    fn gate(name: &str, checks: &[Status]) -> GateReport {
        let mut g = GateReport::new("perf", name, Mode::Enforce);
        for (i, status) in checks.iter().enumerate() {
            g.push(Check::new(format!("c{i}"), *status, "m"));
        }
        g
    }

    fn verdict_of(gates: Vec<GateReport>) -> String {
        verdict_line(&RunReport { gates }, Style { color: false })
    }

    #[test]
    fn a_rollback_names_every_gate_with_errors_and_never_an_empty_list() {
        let line = verdict_of(vec![gate("a", &[Status::Fail, Status::Error])]);
        assert_eq!(
            line,
            "verdict: ROLLBACK (exit 1): enforcing gate failed: perf/a; also could not decide: perf/a"
        );
        let line = verdict_of(vec![
            gate("a", &[Status::Fail]),
            gate("b", &[Status::Pass, Status::Error]),
            gate("c", &[Status::Pass]),
        ]);
        assert!(
            line.ends_with("failed: perf/a; also could not decide: perf/b"),
            "{line}"
        );
        let line = verdict_of(vec![gate("a", &[Status::Fail])]);
        assert!(!line.contains("also"), "{line}");
        for line in [
            verdict_of(vec![gate("a", &[Status::Error])]),
            verdict_of(vec![
                gate("a", &[Status::Fail, Status::Error]),
                gate("b", &[]),
            ]),
        ] {
            assert!(!line.ends_with(": ") && !line.contains(": ;"), "{line}");
        }
        let line = verdict_of(vec![gate("a", &[Status::Fail]), gate("b", &[Status::Skip])]);
        assert!(line.ends_with("also could not decide: perf/b"), "{line}");
    }

    #[test]
    fn names_from_inputs_never_move_the_cursor_or_start_a_line() {
        let hostile = "x\r\x1b[1A\x1b[2Kverdict: PASS (exit 0)\n\u{202E}SSAP";
        let mut g = GateReport::new("perf", hostile, Mode::Enforce);
        g.notes.push(hostile.into());
        g.push(
            Check::new(hostile, Status::Fail, hostile)
                .with_details(vec![hostile.into()])
                .with_file(std::path::Path::new(hostile)),
        );
        let report = RunReport { gates: vec![g] };
        for color in [false, true] {
            let text = render(&report, Style { color }, false);
            // Gate line, note, blank, check line, location, detail, blank, verdict.
            assert_eq!(text.lines().count(), 8, "{text}");
            assert!(!text.contains('\r') && !text.contains('\u{202E}'), "{text}");
            let ours = text.matches("\x1b[").count();
            assert_eq!(ours, if color { 6 } else { 0 }, "{text:?}");
            let verdicts = text
                .lines()
                .filter(|l| l.trim_start_matches("\x1b[1;31m").starts_with("verdict:"))
                .count();
            assert_eq!(verdicts, 1, "{text}");
        }
    }
}

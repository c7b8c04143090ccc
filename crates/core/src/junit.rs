//! JUnit XML output: one `<testsuite>` per gate instance, one `<testcase>` per check.
//!
//! Written with the junit-report crate. Text is made safe first: characters XML 1.0
//! cannot carry are shown as `\u{..}` escapes and `]]>` inside CDATA is split, so the
//! file stays well-formed whatever bytes a benchmark or test name holds.

use junit_report::{Duration, ReportBuilder, TestCase, TestCaseBuilder, TestSuiteBuilder};

use crate::check::Check;
use crate::error::WriteError;
use crate::report::{GateReport, RunReport};
use crate::status::{Mode, Status};

/// Renders the run report as JUnit XML.
pub fn to_junit(report: &RunReport) -> Vec<u8> {
    let mut builder = ReportBuilder::new();
    for gate in &report.gates {
        let mut suite = TestSuiteBuilder::new(&xml_text(&gate.label()));
        suite.add_testcases(gate.checks.iter().map(|c| testcase(gate, c)));
        builder.add_testsuite(suite.build());
    }
    let mut out = Vec::new();
    // Writing to a Vec cannot fail for I/O reasons; junit-report only errors on I/O.
    let _ = builder.build().write_xml(&mut out);
    out
}

/// Renders and writes the JUnit XML atomically.
pub fn write_junit(report: &RunReport, path: &std::path::Path) -> Result<(), WriteError> {
    crate::atomic::write_atomic(path, &to_junit(report))
}

fn testcase(gate: &GateReport, check: &Check) -> TestCase {
    let name = xml_text(&check.id);
    let message = xml_text(&failure_message(check));
    let body = cdata_text(&check_body(check));
    let zero = Duration::ZERO;
    let status = check.effective_status();
    let mut case = match status {
        Status::Fail if gate.mode == Mode::Enforce => {
            TestCaseBuilder::failure(&name, zero, "rollback", &message)
        }
        Status::Error => TestCaseBuilder::error(&name, zero, "input-error", &message),
        Status::Skip => TestCaseBuilder::skipped_with_cause(&name, "skip", &message),
        _ => TestCaseBuilder::success(&name, zero),
    };
    case.set_classname(&xml_text(&format!(
        "safety-gate.{}.{}",
        gate.gate, gate.name
    )));
    if !body.is_empty() {
        case.set_system_out(&body);
    }
    let mut built = case.build();
    if matches!(status, Status::Fail | Status::Error) && gate.mode == Mode::Enforce
        || status == Status::Error
    {
        built = attach_cause(built, &body);
    }
    built
}

/// Failure text stating the numbers: baseline, current, change and threshold.
fn failure_message(check: &Check) -> String {
    let mut parts = vec![format!("{}: {}", check.effective_status(), check.message)];
    if let (Some(b), Some(c)) = (check.baseline, check.current) {
        parts.push(format!("baseline {b}, current {c}"));
    }
    if let Some(change) = check.change {
        parts.push(format!("change {:+.2}%", change * 100.0));
    }
    if let Some(t) = check.threshold {
        parts.push(format!("threshold {:.2}%", t * 100.0));
    }
    if let (Some(p), Some([lo, hi])) = (check.p_value, check.interval) {
        parts.push(format!(
            "p={p:.4}, interval [{:+.2}%, {:+.2}%]",
            lo * 100.0,
            hi * 100.0
        ));
    }
    parts.join("; ")
}

/// Evidence lines and location, for `<system-out>`.
fn check_body(check: &Check) -> String {
    let mut lines = Vec::new();
    if let Some(loc) = &check.location {
        let mut at = loc.file.display().to_string();
        if let Some(l) = loc.line {
            at.push_str(&format!(":{l}"));
        }
        lines.push(format!("at {at}"));
    }
    lines.extend(check.details.iter().cloned());
    lines.join("\n")
}

/// The builder API sets a cause only at construction; rebuild with the body as cause.
fn attach_cause(case: TestCase, body: &str) -> TestCase {
    if body.is_empty() {
        return case;
    }
    let mut case = case;
    if let junit_report::TestResult::Failure { cause, .. }
    | junit_report::TestResult::Error { cause, .. } = &mut case.result
    {
        *cause = Some(body.to_string());
        case.system_out = None;
    }
    case
}

/// Replaces characters XML 1.0 cannot carry (control characters other than tab,
/// newline and carriage return; U+FFFE and U+FFFF) with visible `\u{..}` escapes.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let ok = matches!(ch, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&ch)
            || ('\u{E000}'..='\u{FFFD}').contains(&ch)
            || ch >= '\u{10000}';
        if ok {
            out.push(ch);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", ch as u32));
        }
    }
    out
}

/// [`xml_text`], plus `]]>` split across two CDATA sections so it cannot end one early.
fn cdata_text(text: &str) -> String {
    xml_text(text).replace("]]>", "]]]]><![CDATA[>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(check: Check, mode: Mode) -> RunReport {
        let mut gate = GateReport::new("perf", "demo", mode);
        gate.push(check);
        RunReport { gates: vec![gate] }
    }

    fn text(r: &RunReport) -> String {
        String::from_utf8(to_junit(r)).expect("utf-8")
    }

    #[test]
    fn failure_states_numbers() {
        let check = Check::fail("tick_ms", "6% slower")
            .with_values(1.0, 1.06, 0.06)
            .with_threshold(0.05);
        let xml = text(&report(check, Mode::Enforce));
        assert!(xml.contains("<failure type=\"rollback\""), "{xml}");
        assert!(
            xml.contains("baseline 1, current 1.06; change +6.00%; threshold 5.00%"),
            "{xml}"
        );
    }

    #[test]
    fn warn_mode_failure_is_not_a_junit_failure() {
        let xml = text(&report(
            Check::fail("x", "slow").with_details(["d".into()]),
            Mode::Warn,
        ));
        assert!(!xml.contains("<failure"), "{xml}");
        assert!(xml.contains("<system-out>"), "{xml}");
    }

    #[test]
    fn hostile_text_is_neutralised() {
        let nasty = "a\u{1}b]]>c<d>&\"e\u{FFFF}";
        let check = Check::error(nasty, nasty).with_details([nasty.to_string()]);
        let xml = text(&report(check, Mode::Enforce));
        assert!(!xml.contains('\u{1}') && !xml.contains('\u{FFFF}'));
        assert!(xml.contains("\\u{1}"));
        assert_eq!(xml.matches("<![CDATA[").count(), xml.matches("]]>").count());
    }
}

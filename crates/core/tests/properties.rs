//! Property tests of the verdict rules and the JUnit writer, with a fixed seed so a CI
//! run is reproducible (override with `PROPTEST_CASES`; a failure is shrunk and printed).

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use safety_gate_core::junit::{to_junit, xml_text};
use safety_gate_core::{Check, GateReport, GateVerdict, Mode, Role, RunReport, Status, Verdict};

/// Fixed seed and a case count that keeps the suite within a few seconds.
fn config() -> Config {
    Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x5afe_9a7e),
        failure_persistence: None,
        ..Config::default()
    }
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Pass),
        Just(Status::Skip),
        Just(Status::Warn),
        Just(Status::Fail),
        Just(Status::Error),
    ]
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Enforce), Just(Mode::Warn), Just(Mode::Off)]
}

/// An evidence gate of any mode whose checks are evidence or, one in four,
/// bookkeeping.
fn gate() -> impl Strategy<Value = GateReport> {
    let check = (status(), prop::bool::weighted(0.25));
    (mode(), prop::collection::vec(check, 0..6)).prop_map(|(mode, checks)| {
        let mut g = GateReport::new("perf", "g", mode);
        for (i, (s, bookkeeping)) in checks.into_iter().enumerate() {
            let check = Check::new(format!("c{i}"), s, "m");
            g.push(if bookkeeping {
                check.bookkeeping()
            } else {
                check
            });
        }
        g
    })
}

/// A bookkeeping report (waivers, trust, outputs) holding checks of any status.
fn bookkeeping_gate() -> impl Strategy<Value = GateReport> {
    prop::collection::vec(status(), 0..4).prop_map(|statuses| {
        let mut g = GateReport::bookkeeping("waivers", "w");
        for (i, s) in statuses.into_iter().enumerate() {
            g.push(Check::new(format!("w{i}"), s, "m").bookkeeping());
        }
        g
    })
}

/// Evidence gates with, now and then, a bookkeeping report among them.
fn gates() -> impl Strategy<Value = Vec<GateReport>> {
    let any = prop_oneof![4 => gate(), 1 => bookkeeping_gate()];
    prop::collection::vec(any, 0..5)
}

fn has(g: &GateReport, s: Status) -> bool {
    g.checks.iter().any(|c| c.status == s)
}

proptest! {
    #![proptest_config(config())]

    /// Any failure in an enforcing gate is a rollback, whatever else happened.
    #[test]
    fn enforced_failure_is_rollback(gates in gates()) {
        let enforced_fail = gates.iter().any(|g| g.mode == Mode::Enforce && has(g, Status::Fail));
        let verdict = RunReport { gates }.verdict();
        prop_assert_eq!(verdict == Verdict::Rollback, enforced_fail);
    }

    /// Without an enforced failure, any error in a gate that ran means "cannot decide".
    #[test]
    fn error_without_enforced_failure_cannot_decide(gates in gates()) {
        let enforced_fail = gates.iter().any(|g| g.mode == Mode::Enforce && has(g, Status::Fail));
        let error = gates.iter().any(|g| g.mode != Mode::Off && has(g, Status::Error));
        let verdict = RunReport { gates }.verdict();
        if !enforced_fail && error {
            prop_assert_eq!(verdict, Verdict::Error);
        }
    }

    /// A pass means: some evidence gate ran, no gate errored, and every evidence gate
    /// that ran has an evidence check that passed, warned or failed (skips and
    /// bookkeeping checks compared nothing).
    #[test]
    fn pass_means_everything_was_read(gates in gates()) {
        let report = RunReport { gates };
        if report.verdict() == Verdict::Pass {
            let ran: Vec<&GateReport> = report.gates.iter().filter(|g| g.mode != Mode::Off).collect();
            prop_assert!(ran.iter().any(|g| g.role == Role::Evidence));
            for g in ran {
                prop_assert!(!has(g, Status::Error));
                prop_assert!(!(g.mode == Mode::Enforce && has(g, Status::Fail)));
                if g.role == Role::Evidence {
                    prop_assert!(g.checks.iter().any(|c| c.role == Role::Evidence
                        && matches!(c.status, Status::Pass | Status::Warn | Status::Fail)));
                }
            }
        }
    }

    /// Bookkeeping checks that pass or warn never turn a gate that compared nothing
    /// into a pass, however many are added.
    #[test]
    fn bookkeeping_never_makes_a_gate_pass(
        gate in gate(),
        extra in prop::collection::vec(prop_oneof![Just(Status::Pass), Just(Status::Warn)], 1..4),
    ) {
        let before = gate.verdict();
        let mut after = gate;
        for (i, s) in extra.into_iter().enumerate() {
            after.push(Check::new(format!("b{i}"), s, "bookkeeping").bookkeeping());
        }
        if before == GateVerdict::Error {
            prop_assert_eq!(after.verdict(), GateVerdict::Error);
        }
        if !after.compared() {
            prop_assert!(matches!(after.verdict(), GateVerdict::Error | GateVerdict::Rollback | GateVerdict::Off));
        }
    }

    /// An extra error in a gate that runs can never turn a run into a pass, and the
    /// order of gates does not change the verdict.
    #[test]
    fn errors_never_help_and_order_does_not_matter(
        gates in gates().prop_filter("some gate", |g| !g.is_empty()),
        pick in any::<prop::sample::Index>(),
    ) {
        let mut reversed = gates.clone();
        reversed.reverse();
        let verdict = RunReport { gates: gates.clone() }.verdict();
        prop_assert_eq!(RunReport { gates: reversed }.verdict(), verdict);
        let mut worse = gates;
        let i = pick.index(worse.len());
        worse[i].push(Check::error("extra", "unreadable"));
        let off = worse[i].mode == Mode::Off;
        let after = RunReport { gates: worse }.verdict();
        if off {
            // A gate that is switched off does not count, whatever it holds.
            prop_assert_eq!(after, verdict);
            return Ok(());
        }
        prop_assert_ne!(after, Verdict::Pass);
        if verdict == Verdict::Rollback {
            prop_assert_eq!(after, Verdict::Rollback);
        }
    }
}

/// A number that is not finite.
fn non_finite() -> impl Strategy<Value = f64> {
    prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)]
}

/// A check of any status carrying one non-finite number, set through a builder
/// (`by_builder`) or written into the field directly.
fn check_with_non_finite(status: Status, field: usize, bad: f64, by_builder: bool) -> Check {
    let check = Check::new("bad", status, "m");
    if by_builder {
        return match field {
            0 => check.with_values(bad, 1.0, 0.0),
            1 => check.with_values(1.0, bad, 0.0),
            2 => check.with_values(1.0, 1.0, bad),
            3 => check.with_threshold(bad),
            4 => check.with_statistics(bad, [0.0, 0.1]),
            5 => check.with_statistics(0.5, [bad, 0.1]),
            _ => check.with_statistics(0.5, [0.0, bad]),
        };
    }
    let mut check = check;
    match field {
        0 => check.baseline = Some(bad),
        1 => check.current = Some(bad),
        2 => check.change = Some(bad),
        3 => check.threshold = Some(bad),
        4 => check.p_value = Some(bad),
        5 => check.interval = Some([bad, 0.1]),
        _ => check.interval = Some([0.0, bad]),
    }
    check
}

proptest! {
    #![proptest_config(config())]

    /// A check whose value, change, threshold, p-value or interval bound is not finite
    /// is an error, whatever its gate claims: the gate cannot pass or merely warn, and
    /// it rolls back only on another check's enforced failure.
    #[test]
    fn a_non_finite_number_is_an_error_whatever_the_gate(
        gate in gate(),
        claimed in status(),
        field in 0usize..7,
        bad in non_finite(),
        by_builder in any::<bool>(),
    ) {
        let check = check_with_non_finite(claimed, field, bad, by_builder);
        prop_assert_eq!(check.effective_status(), Status::Error);
        if by_builder {
            prop_assert_eq!(check.status, Status::Error);
            if claimed != Status::Error {
                prop_assert!(check.message.contains("not a finite number"), "{}", check.message);
            }
        }
        let other_enforced_fail = gate.mode == Mode::Enforce && has(&gate, Status::Fail);
        let mut gate = gate;
        gate.push(check);
        let expected = match gate.mode {
            Mode::Off => GateVerdict::Off,
            _ if other_enforced_fail => GateVerdict::Rollback,
            _ => GateVerdict::Error,
        };
        prop_assert_eq!(gate.verdict(), expected);
        prop_assert!(gate.mode == Mode::Off || gate.count(Status::Error) >= 1);
    }
}

proptest! {
    #![proptest_config(config())]

    /// Settling a report (what the engine does before any output is rendered) never
    /// changes a verdict; afterwards every check's status is the one the verdict counts,
    /// and every gate that cannot decide holds an error check saying why.
    #[test]
    fn settling_changes_words_never_verdicts(
        gates in gates(),
        bad in proptest::option::of((status(), 0usize..7, non_finite(), any::<bool>())),
    ) {
        let mut report = RunReport { gates };
        if let (Some((claimed, field, value, by_builder)), Some(first)) = (bad, report.gates.first_mut()) {
            first.push(check_with_non_finite(claimed, field, value, by_builder));
        }
        let before: Vec<GateVerdict> = report.gates.iter().map(GateReport::verdict).collect();
        let verdict = report.verdict();
        report.settle();
        let after: Vec<GateVerdict> = report.gates.iter().map(GateReport::verdict).collect();
        prop_assert_eq!(after, before);
        prop_assert_eq!(report.verdict(), verdict);
        for g in &report.gates {
            for c in &g.checks {
                prop_assert_eq!(c.status, c.effective_status());
            }
            if g.verdict() == GateVerdict::Error {
                prop_assert!(g.checks.iter().any(|c| c.status == Status::Error), "{:?}", g);
            }
        }
    }
}

/// Text meant to break XML: markup, CDATA terminators, control characters, U+FFFE,
/// and bytes decoded lossily (invalid UTF-8, CESU-encoded lone surrogates), which a
/// Rust string can only hold as U+FFFD.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        (0u32..0x20).prop_map(|c| char::from_u32(c).map(String::from).unwrap_or_default()),
        Just("]]>".to_string()),
        Just("]]]]><![CDATA[>".to_string()),
        Just("<![CDATA[".to_string()),
        Just("&amp;&#0;&bogus;".to_string()),
        Just("\"'<>&".to_string()),
        Just("\r\n".to_string()),
        Just("\u{FFFE}\u{FFFF}\u{0}".to_string()),
        Just(String::from_utf8_lossy(b"\xed\xa0\x80 lone surrogate").into_owned()),
        Just(String::from_utf16_lossy(&[0xD800, 0x41, 0xDC00])),
        prop::collection::vec(any::<u8>(), 0..12)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|parts| parts.concat())
}

/// What a JUnit document says, read back with a strict XML reader.
#[derive(Debug, Default)]
struct ReadBack {
    testcase_names: Vec<String>,
    error_bodies: Vec<String>,
}

/// Parses the whole document; any XML error is returned as text.
fn read_back(xml: &[u8]) -> Result<ReadBack, String> {
    let text = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
    if let Some(bad) = text.chars().find(|c| !allowed_in_xml10(*c)) {
        return Err(format!(
            "character U+{:04X} is not allowed in XML 1.0",
            bad as u32
        ));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut out = ReadBack::default();
    let mut in_error: Option<String> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| e.to_string())?;
                    if attr.key.as_ref() == b"name" {
                        let value = attr
                            .normalized_value(XmlVersion::Implicit1_0)
                            .map_err(|e| e.to_string())?;
                        out.testcase_names.push(value.into_owned());
                    }
                }
            }
            Event::Start(e) if e.name().as_ref() == b"error" => in_error = Some(String::new()),
            Event::End(e) if e.name().as_ref() == b"error" => {
                out.error_bodies
                    .extend(in_error.take().map(|b| line_ends(&b)));
            }
            Event::CData(c) => {
                if let Some(body) = in_error.as_mut() {
                    body.push_str(&c.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::Text(t) => {
                if let Some(body) = in_error.as_mut() {
                    body.push_str(&t.xml10_content().map_err(|e| e.to_string())?);
                }
            }
            Event::DocType(_) => return Err("unexpected DOCTYPE".into()),
            _ => {}
        }
    }
    Ok(out)
}

fn allowed_in_xml10(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

/// XML 1.0 line-end normalisation, which every parser applies to text and CDATA.
fn line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// XML 1.0 attribute-value normalisation: line ends become `\n`, then each of tab,
/// newline and carriage return becomes a space.
fn attribute_normalised(text: &str) -> String {
    text.replace("\r\n", "\n").replace(['\t', '\n', '\r'], " ")
}

proptest! {
    #![proptest_config(config())]

    /// Whatever text is in gate names, check ids, messages and evidence, the JUnit
    /// output is well-formed XML 1.0, and names and evidence read back as written
    /// (after the escaping of characters XML cannot carry).
    #[test]
    fn junit_output_always_parses(
        gate_name in hostile_text(),
        checks in prop::collection::vec(
            (hostile_text(), hostile_text(), hostile_text(), status()), 1..4),
        mode in mode(),
    ) {
        let mut gate = GateReport::new("perf", gate_name, mode);
        for (id, message, detail, status) in &checks {
            gate.push(Check::new(id.clone(), *status, message.clone()).with_details([detail.clone()]));
        }
        let xml = to_junit(&RunReport { gates: vec![gate] });
        let back = read_back(&xml).map_err(|e| {
            TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&xml)))
        })?;
        let names: Vec<String> = checks.iter().map(|(id, ..)| attribute_normalised(&xml_text(id))).collect();
        prop_assert_eq!(back.testcase_names, names);
        let bodies: Vec<String> = checks
            .iter()
            .filter(|(.., s)| *s == Status::Error)
            .map(|(_, _, detail, _)| line_ends(&xml_text(detail)))
            .filter(|d| !d.is_empty())
            .collect();
        let read: Vec<String> = back.error_bodies.into_iter().filter(|b| !b.is_empty()).collect();
        prop_assert_eq!(read, bodies);
    }
}

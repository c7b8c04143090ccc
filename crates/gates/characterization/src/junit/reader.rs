//! Streaming reader of one JUnit XML file.
//!
//! Events are read one at a time into a reused buffer, so memory does not grow with
//! the file. Untrusted input stays inert: a `<!DOCTYPE>` is refused outright (no
//! entity is ever defined, let alone expanded, and no external file is read), and
//! a reference to any entity other than the five predefined ones and character
//! references is an error.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use std::io::{BufReader, Read};
use std::path::Path;

use safety_gate_core::InputError;

use super::element::{State, xml_chars};
use super::testcase::TestCase;

/// Reads the testcases of one JUnit file, calling `on_case` for each in file order.
/// Returns the number of testcases. Errors name the file, and the line and column
/// of the problem when it is in the XML.
pub fn read_report(path: &Path, on_case: impl FnMut(TestCase)) -> Result<u64, InputError> {
    // Streamed, so no size limit by default: memory grows with the number of test ids only.
    read_report_within(path, None, on_case)
}

/// [`read_report`], refusing a file over `max_bytes` when a limit is given.
pub fn read_report_within(
    path: &Path,
    max_bytes: Option<u64>,
    mut on_case: impl FnMut(TestCase),
) -> Result<u64, InputError> {
    let file = safety_gate_core::inputs::open_file(path, max_bytes)?;
    let mut reader = Reader::from_reader(BufReader::with_capacity(1 << 16, file));
    let mut state = State::default();
    let mut buf = Vec::with_capacity(1024);
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => return Err(located(path, reader.error_position(), e.to_string())),
        };
        let step = match event {
            Event::Eof => break,
            Event::Start(e) => state.open(&e, false),
            Event::Empty(e) => state.open(&e, true).map(|case| {
                if let Some(case) = case {
                    on_case(case);
                }
                None
            }),
            Event::End(_) => Ok(state.close()),
            Event::Text(t) => {
                let text = xml_chars(&t).and_then(|()| t.decode().map_err(|e| e.to_string()));
                text.map(|t| state.text(&t)).map(|()| None)
            }
            Event::CData(t) => {
                let text = xml_chars(&t).and_then(|()| t.decode().map_err(|e| e.to_string()));
                text.map(|t| state.text(&t)).map(|()| None)
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(ch)) => Ok(ch.to_string()),
                    Ok(None) => r.decode().map_err(|e| e.to_string()).and_then(|name| {
                        resolve_predefined_entity(&name)
                            .map(str::to_string)
                            .ok_or_else(|| format!("undefined entity `&{name};`"))
                    }),
                    Err(e) => Err(e.to_string()),
                };
                resolved.map(|t| state.text(&t)).map(|()| None)
            }
            Event::DocType(_) => Err(
                "DOCTYPE declarations are refused: JUnit reports need none, and entities are never expanded"
                    .to_string(),
            ),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => Ok(None),
        };
        match step {
            Ok(Some(case)) => on_case(case),
            Ok(None) => {}
            Err(message) => return Err(located(path, at, message)),
        }
        buf.clear();
    }
    let end = reader.buffer_position();
    state
        .finish()
        .map_err(|message| located(path, end, message))
}

/// A malformed-input error at a byte offset, with line and column looked up.
fn located(path: &Path, offset: u64, message: String) -> InputError {
    match line_column_at(path, offset) {
        Some((line, column)) => InputError::malformed(path, Some(line), Some(column), message),
        None => InputError::malformed(path, None, None, message),
    }
}

/// Line and column of a byte offset, counted by reading the file again: only done on
/// error, so the happy path keeps no line index.
fn line_column_at(path: &Path, offset: u64) -> Option<(u64, u64)> {
    let file = safety_gate_core::inputs::open_file(path, None).ok()?;
    let mut reader = BufReader::new(file.take(offset));
    let (mut line, mut column) = (1u64, 1u64);
    let mut chunk = [0u8; 1 << 16];
    loop {
        let n = reader.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        for &b in &chunk[..n] {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                // Count characters, not UTF-8 continuation bytes.
                column += 1;
            }
        }
    }
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::junit::Outcome;

    fn read_text(xml: &str) -> Result<Vec<TestCase>, InputError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xml");
        std::fs::write(&path, xml).expect("write");
        let mut cases = Vec::new();
        read_report(&path, |c| cases.push(c))?;
        Ok(cases)
    }

    fn fixture(rel: &str) -> Vec<TestCase> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../fixtures/characterization/junit")
            .join(rel);
        let mut cases = Vec::new();
        read_report(&path, |c| cases.push(c)).expect("fixture parses");
        cases
    }

    fn outcomes(cases: &[TestCase]) -> Vec<(String, &'static str)> {
        cases
            .iter()
            .map(|c| (c.id.clone(), c.outcome.as_str()))
            .collect()
    }

    #[test]
    fn real_pytest_report_with_every_outcome() {
        let cases = fixture("pytest/mixed.xml");
        let got = outcomes(&cases);
        let want = [
            ("tests.test_fail::test_slugify_keeps_case", "failed"),
            ("tests.test_green::test_slugify_words", "passed"),
            ("tests.test_green::test_mean[values0-2]", "passed"),
            ("tests.test_green::test_mean[values1-5]", "passed"),
            (
                "tests.test_green.TestErrors::test_mean_of_nothing",
                "passed",
            ),
            ("tests.test_skip::test_regenerate_golden", "skipped"),
            ("tests.test_xfail::test_mean_is_integer", "xfailed"),
            ("tests.test_xfail::test_xpass_lenient", "passed"),
            ("tests.test_xfail::test_xpass_strict", "xpassed"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
        assert_eq!(got, want);
        assert!(
            cases[0]
                .message
                .starts_with("AssertionError: assert 'hello' == 'Hello'")
        );
        assert_eq!(cases[5].message, "golden file not regenerated yet");
        assert_eq!(cases[8].outcome, Outcome::Xpassed { strict: true });
    }

    #[test]
    fn real_pytest_collection_error() {
        let cases = fixture("pytest/collection-error.xml");
        assert_eq!(
            outcomes(&cases),
            vec![("broken.test_broken".to_string(), "error")]
        );
        assert_eq!(cases[0].message, "collection failure");
    }

    #[test]
    fn real_nextest_report() {
        let cases = fixture("nextest/failing.xml");
        let got = outcomes(&cases);
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[2],
            ("nextest-demo::tests::keeps_case".to_string(), "failed")
        );
        assert!(
            cases[2].message.contains("panicked at src/lib.rs"),
            "{}",
            cases[2].message
        );
    }

    #[test]
    fn surefire_and_jest_dialects() {
        let cases = fixture("surefire/TEST-com.example.SlugTest.xml");
        assert_eq!(
            outcomes(&cases),
            vec![
                ("com.example.SlugTest::opensDatabase".to_string(), "error"),
                ("com.example.SlugTest::joinsWords".to_string(), "passed"),
                ("com.example.SlugTest::keepsCase".to_string(), "failed"),
                // Failed once, passed on rerun: only <flakyFailure> children.
                ("com.example.SlugTest::flakyClock".to_string(), "passed"),
                (
                    "com.example.SlugTest::regenerateGolden".to_string(),
                    "skipped"
                ),
            ]
        );
        assert_eq!(cases[2].message, "expected:<[H]ello> but was:<[h]ello>");
        let cases = fixture("jest/junit.xml");
        let failed = cases
            .iter()
            .find(|c| c.outcome == Outcome::Failed)
            .expect("failure");
        assert_eq!(failed.id, "slugify keeps case");
        // The text is split by `&quot;` references; only its first line is the message.
        assert_eq!(
            failed.message,
            "Error: expect(received).toBe(expected) // Object.is equality"
        );
        assert!(cases.iter().any(|c| c.outcome == Outcome::Skipped));
    }

    #[test]
    fn failure_text_becomes_the_message_when_no_attribute() {
        let xml = "<testsuite><testcase classname=\"c\" name=\"n\"><failure>Error: expected 1\n  at x.js:1</failure></testcase></testsuite>";
        let cases = read_text(xml).expect("valid");
        assert_eq!(cases[0].message, "Error: expected 1");
    }

    #[test]
    fn malformed_xml_names_file_and_line() {
        let err = read_text("<testsuites>\n<testsuite>\n<testcase name=\"a\">\n</testsuite>\n")
            .expect_err("bad");
        let text = err.to_string();
        assert!(text.contains("r.xml:4:"), "{text}");
        let err = read_text("<testsuites>\n<testcase name=\"a\"/>\n").expect_err("truncated");
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(
            read_text("<html></html>")
                .expect_err("not junit")
                .to_string()
                .contains("<html>")
        );
        assert!(read_text("  \n").is_err());
    }

    #[test]
    fn doctype_and_unknown_entities_stay_inert() {
        let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<testsuite><testcase name=\"&x;\"/></testsuite>";
        let err = read_text(xxe).expect_err("doctype refused");
        assert!(err.to_string().contains("DOCTYPE"), "{err}");
        assert_eq!(err.line(), Some(2));
        let err =
            read_text("<testsuite><testcase name=\"a&x;\"/></testsuite>").expect_err("entity");
        assert!(err.to_string().contains("x"), "{err}");
        let err = read_text(
            "<testsuite><testcase name=\"a\"><failure>&x;</failure></testcase></testsuite>",
        )
        .expect_err("entity in text");
        assert!(err.to_string().contains("&x;"), "{err}");
        let ok = read_text("<testsuite><testcase name=\"a&lt;&#65;\"/></testsuite>")
            .expect("predefined");
        assert_eq!(ok[0].id, "a<A");
    }
}

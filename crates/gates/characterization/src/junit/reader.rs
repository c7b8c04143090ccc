//! Streaming reader of one JUnit XML file.
//!
//! Events are read one at a time into a reused buffer, each within a byte budget
//! ([`MAX_EVENT_BYTES`]), and elements nest at most 256 deep, so memory
//! stays bounded whatever the file holds. The document must be well-formed XML 1.0
//! (names, attribute lists, references, declarations, comments): a reader that guessed the meaning of a broken file
//! could judge a different report than the one the producer wrote. Untrusted input
//! stays inert: a `<!DOCTYPE>` is refused outright (no entity is ever defined, let
//! alone expanded, and no external file is read), and a reference to any entity
//! other than the five predefined ones and character references is an error.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read};
use std::path::Path;

use safety_gate_core::InputError;

use super::bounded::{Bounded, MAX_EVENT_BYTES};
use super::element::{Record, State};
use super::wellformed::{
    check_attributes, check_bytes, check_char, check_comment, check_declaration, check_name,
    check_pi, check_text,
};

/// Limits of one read: the file's size (none by default: the reader streams) and the
/// byte budget of one text node, tag or comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest file read, when a limit was chosen (`--max-input-size`).
    pub max_bytes: Option<u64>,
    /// Largest text node, tag or comment read.
    pub event_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_bytes: None,
            event_bytes: MAX_EVENT_BYTES,
        }
    }
}

/// Reads one JUnit file, calling `on_record` for each testcase and each suite
/// counter that disagrees with its elements, in file order. Errors name the file,
/// and the line and column of the problem when it is in the XML.
pub fn read_report(path: &Path, on_record: impl FnMut(Record)) -> Result<(), InputError> {
    read_report_with(path, ReadLimits::default(), on_record)
}

/// [`read_report`], refusing a file over `max_bytes` when a limit is given.
pub fn read_report_within(
    path: &Path,
    max_bytes: Option<u64>,
    on_record: impl FnMut(Record),
) -> Result<(), InputError> {
    let limits = ReadLimits {
        max_bytes,
        ..ReadLimits::default()
    };
    read_report_with(path, limits, on_record)
}

/// [`read_report`] within `limits`.
pub fn read_report_with(
    path: &Path,
    limits: ReadLimits,
    mut on_record: impl FnMut(Record),
) -> Result<(), InputError> {
    // Streamed, so no size limit unless one was chosen: memory does not grow with the file.
    let file = safety_gate_core::inputs::open_file(path, limits.max_bytes)?;
    let limit = limits.event_bytes;
    let bounded = Bounded::new(BufReader::with_capacity(1 << 16, file), limit);
    let mut reader = Reader::from_reader(bounded);
    reader.config_mut().check_comments = true;
    let report = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut state = State::new(&report);
    let mut ascii_only = false;
    let mut first = true;
    let mut buf = Vec::with_capacity(1024);
    loop {
        reader.get_mut().reset();
        let at = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(_) | Err(_) if reader.get_ref().exceeded() => {
                let message = format!(
                    "a text node, tag or comment longer than {limit} bytes: refused to keep memory bounded"
                );
                return Err(located(path, at, message));
            }
            Ok(event) => event,
            Err(e) => return Err(located(path, reader.error_position(), e.to_string())),
        };
        let was_first = std::mem::replace(&mut first, false);
        let step = match event {
            Event::Eof => break,
            Event::Start(e) => tag(&e, ascii_only).and_then(|()| state.open(&e, false)),
            Event::Empty(e) => tag(&e, ascii_only).and_then(|()| state.open(&e, true)),
            Event::End(e) => check_name(e.name().as_ref()).map(|()| state.close()),
            Event::Text(t) => check_bytes(&t, ascii_only)
                .and_then(|()| check_text(&t))
                .and_then(|()| t.decode().map_err(|e| e.to_string()))
                .and_then(|t| state.text(&t)),
            Event::CData(_) if state.depth() == 0 => {
                Err("a CDATA section outside the root element".to_string())
            }
            Event::CData(t) => check_bytes(&t, ascii_only)
                .and_then(|()| t.decode().map_err(|e| e.to_string()))
                .and_then(|t| state.text(&t)),
            Event::GeneralRef(_) if state.depth() == 0 => {
                Err("a reference outside the root element".to_string())
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(ch)) => check_char(ch).map(|()| ch.to_string()),
                    Ok(None) => r.decode().map_err(|e| e.to_string()).and_then(|name| {
                        resolve_predefined_entity(&name)
                            .map(str::to_string)
                            .ok_or_else(|| format!("undefined entity `&{name};`"))
                    }),
                    Err(e) => Err(e.to_string()),
                };
                resolved.and_then(|t| state.text(&t))
            }
            Event::DocType(_) => Err(
                "DOCTYPE declarations are refused: JUnit reports need none, and entities are never expanded"
                    .to_string(),
            ),
            Event::Decl(_) if !was_first => Err(
                "an XML declaration may only appear at the very start of the file".to_string(),
            ),
            Event::Decl(d) => check_bytes(&d, false)
                .and_then(|()| check_attributes(d.get(3..).unwrap_or_default()))
                .and_then(|()| {
                    let version = d.version().ok();
                    let encoding = d.encoding().and_then(Result::ok);
                    check_declaration(version.as_deref(), encoding.as_deref())
                })
                .map(|ascii| ascii_only = ascii),
            Event::PI(p) => check_bytes(&p, ascii_only).and_then(|()| check_pi(&p)),
            Event::Comment(c) => check_bytes(&c, ascii_only).and_then(|()| check_comment(&c)),
        };
        if let Err(message) = step {
            return Err(located(path, at, message));
        }
        for record in state.drain() {
            on_record(record);
        }
        buf.clear();
    }
    let end = reader.buffer_position();
    state
        .finish()
        .map_err(|message| located(path, end, message))
}

/// The checks of a start tag quick-xml does not make: its bytes, name and attributes.
fn tag(e: &BytesStart<'_>, ascii_only: bool) -> Result<(), String> {
    check_bytes(e, ascii_only)?;
    check_name(e.name().as_ref())?;
    check_attributes(e.attributes_raw())?;
    // quick-xml reports duplicate attributes only while iterating.
    for attr in e.attributes() {
        attr.map_err(|err| format!("bad attribute: {err}"))?;
    }
    Ok(())
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
    use crate::junit::{Outcome, TestCase};

    fn cases_of(path: &Path) -> Result<Vec<TestCase>, InputError> {
        let mut cases = Vec::new();
        read_report(path, |r| {
            if let Record::Case(c) = r {
                cases.push(c)
            }
        })?;
        Ok(cases)
    }

    fn read_text(xml: &str) -> Result<Vec<TestCase>, InputError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xml");
        std::fs::write(&path, xml).expect("write");
        cases_of(&path)
    }

    fn fixture(rel: &str) -> Vec<TestCase> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../fixtures/characterization/junit")
            .join(rel);
        cases_of(&path).expect("fixture parses")
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
    fn attributes_in_another_namespace_are_not_junit_s() {
        let cases = read_text(
            r#"<testsuites xmlns:x="urn:x"><testsuite name="s" x:failures="0">
            <testcase name="a" x:name="b" classname="c" x:classname="d" x:status="passed"/>
            <testcase name="b" classname="c" status="failed"/>
            </testsuite></testsuites>"#,
        )
        .expect("reads");
        let ids: Vec<(&str, Outcome)> = cases.iter().map(|c| (c.id.as_str(), c.outcome)).collect();
        assert_eq!(ids, [("c::a", Outcome::Passed), ("c::b", Outcome::Failed)]);
        // A testcase named only in another namespace has no `name`.
        let err = read_text(r#"<testsuite xmlns:x="urn:x"><testcase x:name="a"/></testsuite>"#)
            .expect_err("no name");
        assert!(err.to_string().contains("no name attribute"), "{err}");
    }

    #[test]
    fn real_pytest_collection_error() {
        let cases = fixture("pytest/collection-error.xml");
        assert_eq!(
            outcomes(&cases),
            vec![("pytest::broken.test_broken".to_string(), "error")]
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

//! What the elements of a JUnit report mean: the stack of open elements, the
//! testcases being read (nested ones too), and how outcome elements decide them.
//!
//! An outcome element (`<failure>`, `<error>`, `<skipped>`) belongs to the nearest
//! enclosing testcase, at any depth (even inside a rerun record, where no producer
//! writes one); outside any testcase it belongs to the nearest suite, and a suite
//! that holds one closes as a synthetic test named after it. So no outcome element
//! is ever ignored. Rerun records (`<flakyFailure>`...) decide nothing by themselves:
//! they mark a failed run of a testcase whose own children decide it.

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;

use super::suite::{Claimed, CounterNote, Shown, Suite};
use super::testcase::{Context, Outcome, TestCase, status_outcome, test_id};

/// Longest message kept per testcase, in characters.
const MESSAGE_CHARS: usize = 200;

/// Most body text read while looking for a message line.
const CAPTURE_BYTES: usize = 4096;

/// Deepest nesting of elements read; JUnit reports nest a handful.
pub(super) const MAX_DEPTH: usize = 256;

/// Something the reader found, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A testcase (or the synthetic test of a suite-level failure), when it closes.
    Case(TestCase),
    /// A suite counter that disagrees with the suite's elements, when it closes.
    Counters(CounterNote),
}

/// The outcome being decided for a testcase or a suite, and its message.
#[derive(Debug, Default)]
struct Verdict {
    outcome: Option<Outcome>,
    message: String,
    /// A `message` attribute that says nothing (`Failed`), used when the body is empty.
    placeholder: String,
}

impl Verdict {
    /// Applies an outcome element; returns whether its body should be captured as
    /// the message (it became decisive and has no meaningful `message` attribute).
    fn apply(&mut self, outcome: Outcome, message: Option<String>) -> bool {
        if self.outcome.is_some_and(|o| o >= outcome) {
            return false;
        }
        self.outcome = Some(outcome);
        let message = message.unwrap_or_default();
        if is_placeholder(&message) {
            self.placeholder = shorten(&message);
            self.message.clear();
            true
        } else {
            self.message = shorten(&message);
            false
        }
    }

    /// Appends captured body text; returns whether capture is complete (a line that
    /// says something ended, or enough text was read).
    fn text(&mut self, text: &str) -> bool {
        self.message.push_str(text);
        let complete = self
            .message
            .rsplit_once('\n')
            .map_or("", |(lines, _)| lines);
        let done = complete.lines().any(telling) || self.message.len() >= CAPTURE_BYTES;
        if done {
            self.message = shorten(&self.message);
        }
        done
    }

    fn message(&self) -> String {
        let m = shorten(&self.message);
        if m.is_empty() {
            self.placeholder.clone()
        } else {
            m
        }
    }
}

/// A `message` attribute that stands for no message: empty, or a bare word such as
/// go-junit-report's and gotestsum's `Failed`; the body text is shown instead.
fn is_placeholder(message: &str) -> bool {
    matches!(
        message.trim().to_ascii_lowercase().as_str(),
        "" | "failed" | "failure" | "error" | "errored" | "skipped"
    )
}

/// A testcase being read.
#[derive(Debug)]
struct Case {
    id: String,
    /// Index of the innermost suite (0: none).
    suite: u32,
    verdict: Verdict,
    status: Option<Outcome>,
    failed_run: Option<String>,
    /// A rerun that failed (Surefire's `<rerunFailure>`, `<rerunError>`): Surefire
    /// writes one only for a test that failed on every run, so with no outcome element
    /// beside it the test failed, never passed.
    rerun_failed: Option<(Outcome, String)>,
}

/// An open suite, with the outcome of any outcome element directly under it.
#[derive(Debug)]
struct SuiteFrame {
    suite: Suite,
    orphan: Verdict,
    /// Position among the file's suites, counted from 1 as they open.
    index: u32,
}

/// One open element.
#[derive(Debug)]
enum Frame {
    Suite(Box<SuiteFrame>),
    Case(Box<Case>),
    Other,
}

/// Whose message the text being read belongs to.
#[derive(Debug, Clone, Copy)]
struct Capture {
    /// Index of the outcome element whose body is read.
    element: usize,
    /// Index of the testcase or suite it decides.
    owner: usize,
}

/// Where the reader is in the document.
#[derive(Debug, Default)]
pub(super) struct State {
    frames: Vec<Frame>,
    /// Name of the root element, once seen.
    root: Option<String>,
    capture: Option<Capture>,
    /// The report's file name, for ids that have nothing else.
    report: String,
    /// Suites opened so far.
    suites: u32,
    /// Records ready to hand out.
    out: Vec<Record>,
}

impl State {
    /// A reader of the report named `report` (its file name).
    pub(super) fn new(report: &str) -> Self {
        State {
            report: report.to_string(),
            ..State::default()
        }
    }

    /// Records found since the last call.
    pub(super) fn drain(&mut self) -> std::vec::Drain<'_, Record> {
        self.out.drain(..)
    }

    /// Number of open elements.
    pub(super) fn depth(&self) -> usize {
        self.frames.len()
    }

    /// The end of the file: what is missing, if anything.
    pub(super) fn finish(&self) -> Result<(), String> {
        match &self.root {
            None => Err("no root element: not a JUnit report".into()),
            Some(root) if !self.frames.is_empty() => Err(format!(
                "unexpected end of file: {} elements are not closed, the outermost <{root}>",
                self.frames.len()
            )),
            Some(_) => Ok(()),
        }
    }

    /// An opening (or empty) tag.
    pub(super) fn open(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), String> {
        let local = e.local_name();
        let name = local.as_ref();
        if self.frames.is_empty() {
            let text = String::from_utf8_lossy(name).into_owned();
            if self.root.is_some() {
                return Err(format!("a second root element <{text}>"));
            }
            if name != b"testsuites" && name != b"testsuite" {
                return Err(format!(
                    "not a JUnit report: the root element is <{text}>, expected <testsuites> or <testsuite>"
                ));
            }
            self.root = Some(text);
        }
        if self.frames.len() >= MAX_DEPTH {
            return Err(format!(
                "elements nested more than {MAX_DEPTH} deep: not a JUnit report"
            ));
        }
        let frame = match name {
            b"testsuite" | b"testsuites" => {
                self.suites = self.suites.saturating_add(1);
                Frame::Suite(Box::new(self.suite(e, self.suites)?))
            }
            b"testcase" => Frame::Case(Box::new(self.case(e)?)),
            b"failure" | b"error" | b"skipped" => {
                self.outcome_element(e, name, empty)?;
                Frame::Other
            }
            b"flakyFailure" | b"flakyError" | b"rerunFailure" | b"rerunError" => {
                self.rerun_element(e, name)?;
                Frame::Other
            }
            _ => Frame::Other,
        };
        self.frames.push(frame);
        if empty {
            self.close();
        }
        Ok(())
    }

    /// A closing tag (quick-xml has checked that it matches).
    pub(super) fn close(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if self.capture.is_some_and(|c| c.element >= self.frames.len()) {
            self.capture = None;
        }
        match frame {
            Frame::Case(case) => self.close_case(*case),
            Frame::Suite(suite) => self.close_suite(*suite),
            Frame::Other => {}
        }
    }

    /// Character data. Outside the root only whitespace may appear; inside, text is
    /// kept only as the message of a decisive outcome element with no message.
    pub(super) fn text(&mut self, text: &str) -> Result<(), String> {
        if self.frames.is_empty() {
            if text
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            {
                return Ok(());
            }
            return Err(match self.root {
                Some(_) => "text after the root element".to_string(),
                None => "text before the root element".to_string(),
            });
        }
        let Some(capture) = self.capture else {
            return Ok(());
        };
        let verdict = match &mut self.frames[capture.owner] {
            Frame::Case(case) => &mut case.verdict,
            Frame::Suite(suite) => &mut suite.orphan,
            _ => return Ok(()),
        };
        if verdict.text(text) {
            self.capture = None;
        }
        Ok(())
    }

    fn suite(&self, e: &BytesStart<'_>, index: u32) -> Result<SuiteFrame, String> {
        let mut claimed = Claimed::default();
        let mut name = None;
        for attr in e.attributes() {
            let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
            // JUnit's attributes are in no namespace: `x:name` is another attribute.
            let key = attr.key;
            let value = value(&attr)?;
            if key.as_ref() == b"name" {
                name = Some(value);
            } else {
                claimed.attribute(key.as_ref(), &value);
            }
        }
        let tag = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let label = match &name {
            Some(n) => format!("<{tag} name=\"{n}\">"),
            None => format!("<{tag}>"),
        };
        Ok(SuiteFrame {
            suite: Suite {
                label,
                name: name.map(|n| collapse(&n)).unwrap_or_default(),
                claimed,
                shown: Shown::default(),
            },
            orphan: Verdict::default(),
            index,
        })
    }

    fn case(&self, e: &BytesStart<'_>) -> Result<Case, String> {
        let (mut classname, mut name, mut class, mut file) =
            (String::new(), None, String::new(), String::new());
        let mut status: Option<Outcome> = None;
        for attr in e.attributes() {
            let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
            // JUnit's attributes are in no namespace: `x:name` is another attribute.
            match attr.key.as_ref() {
                b"classname" => classname = value(&attr)?,
                b"name" => name = Some(value(&attr)?),
                b"class" => class = value(&attr)?,
                b"file" => file = value(&attr)?,
                b"status" | b"result" => {
                    let said = status_outcome(&value(&attr)?)?;
                    status = status.max(said);
                }
                _ => {}
            }
        }
        let Some(name) = name else {
            return Err(
                "<testcase> has no name attribute: the test cannot be identified".to_string(),
            );
        };
        let suite = self.frames.iter().rev().find_map(|f| match f {
            Frame::Suite(s) => Some((s.suite.name.as_str(), s.index)),
            _ => None,
        });
        let (suite_name, suite) = suite.unwrap_or(("", 0));
        let at = Context {
            suite: suite_name,
            class: &class,
            file: &file,
            report: &self.report,
        };
        Ok(Case {
            id: test_id(&classname, &name, at),
            suite,
            verdict: Verdict::default(),
            status,
            failed_run: None,
            rerun_failed: None,
        })
    }

    /// The index of the nearest open testcase or suite.
    fn owner(&self) -> Option<usize> {
        self.frames
            .iter()
            .rposition(|f| matches!(f, Frame::Case(_) | Frame::Suite(_)))
    }

    fn outcome_element(
        &mut self,
        e: &BytesStart<'_>,
        name: &[u8],
        empty: bool,
    ) -> Result<(), String> {
        let Some(owner) = self.owner() else {
            return Ok(());
        };
        let outcome = classify(e, name)?;
        let message = attribute(e, b"message")?;
        let element = self.frames.len();
        let capture = match &mut self.frames[owner] {
            Frame::Case(case) => case.verdict.apply(outcome, message),
            Frame::Suite(frame) => {
                frame.suite.shown.outcome(outcome);
                frame.orphan.apply(outcome, message)
            }
            _ => false,
        };
        if capture && !empty {
            self.capture = Some(Capture { element, owner });
        }
        Ok(())
    }

    fn rerun_element(&mut self, e: &BytesStart<'_>, name: &[u8]) -> Result<(), String> {
        let Some(owner) = self.owner() else {
            return Ok(());
        };
        let message = attribute(e, b"message")?.unwrap_or_default();
        let failed = if name.ends_with(b"Error") {
            Outcome::Errored
        } else {
            Outcome::Failed
        };
        match &mut self.frames[owner] {
            Frame::Case(case) => {
                if name.starts_with(b"rerun") {
                    case.rerun_failed
                        .get_or_insert_with(|| (failed, shorten(&message)));
                }
                case.failed_run.get_or_insert_with(|| shorten(&message));
            }
            // A rerun record outside any testcase reran nothing that passed: it is a
            // failure of the suite.
            Frame::Suite(frame) => {
                frame.suite.shown.outcome(failed);
                frame.orphan.apply(failed, Some(message));
                return Ok(());
            }
            _ => return Ok(()),
        }
        if let Some(suite) = self.innermost_suite() {
            suite.shown.reruns += 1;
        }
        Ok(())
    }

    fn innermost_suite(&mut self) -> Option<&mut Suite> {
        self.frames.iter_mut().rev().find_map(|f| match f {
            Frame::Suite(s) => Some(&mut s.suite),
            _ => None,
        })
    }

    fn close_case(&mut self, case: Case) {
        let rerun = case.rerun_failed.as_ref().map(|(outcome, _)| *outcome);
        let outcome = case
            .verdict
            .outcome
            .or(rerun)
            .or(case.status)
            .unwrap_or(Outcome::Passed);
        if let Some(suite) = self.innermost_suite() {
            suite.shown.case(outcome);
        }
        let message = match (case.verdict.outcome, &case.rerun_failed, case.status) {
            (None, Some((_, m)), _) if m.is_empty() => "a rerun failed".to_string(),
            (None, Some((_, m)), _) => format!("a rerun failed: {m}"),
            (None, None, Some(_)) => "status attribute says it did not pass".to_string(),
            _ => case.verdict.message(),
        };
        self.out.push(Record::Case(TestCase {
            id: case.id,
            outcome,
            message,
            failed_run: case.failed_run,
            suite: case.suite,
        }));
    }

    fn close_suite(&mut self, frame: SuiteFrame) {
        let SuiteFrame {
            suite,
            orphan,
            index,
        } = frame;
        if let Some(outcome) = orphan.outcome {
            let id = if suite.name.is_empty() {
                collapse(&self.report)
            } else {
                suite.name.clone()
            };
            let message = match orphan.message() {
                m if m.is_empty() => format!("suite-level {}", outcome.as_str()),
                m => format!("suite-level {}: {m}", outcome.as_str()),
            };
            let mut case = TestCase::new(id, outcome, message);
            case.suite = index;
            self.out.push(Record::Case(case));
        }
        self.out
            .extend(suite.notes().into_iter().map(Record::Counters));
        if let Some(parent) = self.innermost_suite() {
            parent.absorb(&suite);
        }
    }
}

/// The outcome a child element of `<testcase>` stands for.
fn classify(e: &BytesStart<'_>, child: &[u8]) -> Result<Outcome, String> {
    let message = || attribute(e, b"message");
    Ok(match child {
        b"error" => Outcome::Errored,
        b"failure" => {
            if message()?.is_some_and(|m| m.starts_with("[XPASS(strict)]")) {
                Outcome::Xpassed { strict: true }
            } else {
                Outcome::Failed
            }
        }
        _ => {
            let kind = attribute(e, b"type")?
                .unwrap_or_default()
                .to_ascii_lowercase();
            if kind == "pytest.xfail" || kind == "xfail" {
                Outcome::Xfailed
            } else if message()?.as_deref() == Some("xfail-marked test passes unexpectedly") {
                Outcome::Xpassed { strict: false }
            } else {
                Outcome::Skipped
            }
        }
    })
}

/// The unescaped, normalised value of an attribute.
fn value(attr: &quick_xml::events::attributes::Attribute<'_>) -> Result<String, String> {
    attr.normalized_value(XmlVersion::Implicit1_0)
        .map(|v| v.into_owned())
        .map_err(|err| format!("bad attribute value: {err}"))
}

/// The value of one attribute, when present.
fn attribute(e: &BytesStart<'_>, key: &[u8]) -> Result<Option<String>, String> {
    let found = e
        .try_get_attribute(key)
        .map_err(|err| format!("bad attribute: {err}"))?;
    found.map(|attr| value(&attr)).transpose()
}

/// Trims and collapses whitespace runs.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a line says something: not blank, and not go test's framing
/// (`=== RUN   TestX`), which gotestsum and go-junit-report put first in a body.
fn telling(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && !["=== RUN", "=== PAUSE", "=== CONT", "=== NAME"]
            .iter()
            .any(|p| line.starts_with(p))
}

/// The first telling line of a message, cut to [`MESSAGE_CHARS`].
fn shorten(message: &str) -> String {
    let first = message.lines().find(|l| telling(l)).unwrap_or("").trim();
    if first.chars().count() <= MESSAGE_CHARS {
        first.to_string()
    } else {
        let cut: String = first.chars().take(MESSAGE_CHARS).collect();
        format!("{cut}…")
    }
}

//! What the elements of a JUnit report mean: the reader's position in the document,
//! the testcase being read, and how its child elements decide its outcome.

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;
use std::borrow::Cow;

use super::testcase::{Outcome, TestCase, normalise_id};

/// Longest message kept per testcase, in characters.
const MESSAGE_CHARS: usize = 200;

/// Where the reader is in the document.
#[derive(Default)]
pub(super) struct State {
    /// Number of open elements.
    depth: usize,
    /// Name of the root element, once seen.
    root: String,
    root_seen: bool,
    /// The testcase being read, with the depth of its element.
    case: Option<(Pending, usize)>,
    /// Depth of the element whose text is the message, while it is open.
    capture: Option<usize>,
    cases: u64,
}

/// The testcase being read.
struct Pending {
    id: String,
    outcome: Outcome,
    message: String,
}

impl State {
    /// The end of the file: the number of testcases, or what is missing.
    pub(super) fn finish(self) -> Result<u64, String> {
        if !self.root_seen {
            return Err("no root element: not a JUnit report".into());
        }
        if self.depth > 0 {
            return Err(format!(
                "unexpected end of file: {} elements are not closed, the outermost <{}>",
                self.depth, self.root
            ));
        }
        Ok(self.cases)
    }

    /// An opening (or empty) tag. Returns a finished testcase for `<testcase/>`.
    pub(super) fn open(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
    ) -> Result<Option<TestCase>, String> {
        xml_chars(e)?;
        // Walk every attribute once: quick-xml reports duplicates and broken quoting
        // only while iterating, and a lookup by name would pass over them.
        for attr in e.attributes() {
            attr.map_err(|err| format!("bad attribute: {err}"))?;
        }
        let local = e.local_name();
        let name = local.as_ref();
        if self.depth == 0 {
            let text = String::from_utf8_lossy(name);
            if self.root_seen {
                return Err(format!("a second root element <{text}>"));
            }
            if name != b"testsuites" && name != b"testsuite" {
                return Err(format!(
                    "not a JUnit report: the root element is <{text}>, expected <testsuites> or <testsuite>"
                ));
            }
            self.root_seen = true;
            self.root = text.into_owned();
        }
        let depth = self.depth;
        match (&mut self.case, name) {
            (None, b"testcase") => {
                let pending = Pending {
                    id: testcase_id(e)?,
                    outcome: Outcome::Passed,
                    message: String::new(),
                };
                if empty {
                    self.cases += 1;
                    return Ok(Some(pending.finish()));
                }
                self.case = Some((pending, depth));
            }
            (Some((pending, case_depth)), child) if depth == *case_depth + 1 => {
                if let Some(outcome) = classify(e, child)?
                    && outcome > pending.outcome
                {
                    pending.outcome = outcome;
                    pending.message = attribute(e, b"message")?
                        .map(|m| shorten(&m))
                        .unwrap_or_default();
                    if pending.message.is_empty() && !empty {
                        self.capture = Some(depth);
                    }
                }
            }
            _ => {}
        }
        if !empty {
            self.depth += 1;
        }
        Ok(None)
    }

    /// A closing tag (quick-xml has checked it matches). Returns a finished testcase.
    pub(super) fn close(&mut self) -> Option<TestCase> {
        self.depth = self.depth.saturating_sub(1);
        let depth = self.depth;
        if self.capture == Some(depth) {
            self.capture = None;
        }
        match &self.case {
            Some((_, case_depth)) if *case_depth == depth => {
                let (pending, _) = self.case.take()?;
                self.cases += 1;
                Some(pending.finish())
            }
            _ => None,
        }
    }

    /// Character data: kept only as the message of a failure that has no `message`
    /// attribute, up to the end of its first non-blank line. Text arrives in pieces
    /// (entity references split it), so capture stops at that line's end.
    pub(super) fn text(&mut self, text: &str) {
        if self.capture.is_none() {
            return;
        }
        if let Some((pending, _)) = &mut self.case {
            pending.message.push_str(text);
            let started = pending.message.trim_start();
            let line_done = !started.is_empty() && started.contains('\n');
            if line_done || pending.message.chars().count() >= MESSAGE_CHARS {
                pending.message = shorten(&pending.message);
                self.capture = None;
            }
        }
    }
}

impl Pending {
    fn finish(self) -> TestCase {
        TestCase {
            id: self.id,
            outcome: self.outcome,
            message: if self.message.is_empty() {
                self.message
            } else {
                shorten(&self.message)
            },
        }
    }
}

/// The outcome a child element of `<testcase>` stands for, if any.
fn classify(e: &BytesStart<'_>, child: &[u8]) -> Result<Option<Outcome>, String> {
    let message = || attribute(e, b"message");
    Ok(match child {
        b"error" => Some(Outcome::Errored),
        b"failure" => {
            let xpass = message()?.is_some_and(|m| m.starts_with("[XPASS(strict)]"));
            Some(if xpass {
                Outcome::Xpassed { strict: true }
            } else {
                Outcome::Failed
            })
        }
        b"skipped" => {
            if attribute(e, b"type")?.as_deref() == Some("pytest.xfail") {
                Some(Outcome::Xfailed)
            } else if message()?.as_deref() == Some("xfail-marked test passes unexpectedly") {
                Some(Outcome::Xpassed { strict: false })
            } else {
                Some(Outcome::Skipped)
            }
        }
        // Surefire/nextest retries: the final outcome is decided by the other children.
        _ => None,
    })
}

/// The id of a `<testcase>`, from its `classname` and `name` read in one pass.
fn testcase_id(e: &BytesStart<'_>) -> Result<String, String> {
    let (mut classname, mut name): (Cow<'_, str>, Cow<'_, str>) =
        (Cow::Borrowed(""), Cow::Borrowed(""));
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
        let slot = match attr.key.local_name().as_ref() {
            b"classname" => &mut classname,
            b"name" => &mut name,
            _ => continue,
        };
        *slot = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| format!("bad attribute value: {err}"))?;
    }
    if name.trim().is_empty() {
        return Err("<testcase> has no name attribute: the test cannot be identified".to_string());
    }
    Ok(normalise_id(&classname, &name))
}

/// Refuses the control characters XML 1.0 forbids (all below U+0020 except tab,
/// newline and carriage return), which quick-xml passes through.
pub(super) fn xml_chars(raw: &[u8]) -> Result<(), String> {
    match raw
        .iter()
        .find(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r'))
    {
        Some(b) => Err(format!(
            "control character U+{b:04X} is not allowed in XML 1.0"
        )),
        None => Ok(()),
    }
}

/// The unescaped value of an attribute; unknown entities are errors.
fn attribute(e: &BytesStart<'_>, key: &[u8]) -> Result<Option<String>, String> {
    let found = e
        .try_get_attribute(key)
        .map_err(|err| format!("bad attribute: {err}"))?;
    match found {
        None => Ok(None),
        Some(attr) => attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|err| format!("bad attribute value: {err}")),
    }
}

/// First line of a message, cut to [`MESSAGE_CHARS`].
fn shorten(message: &str) -> String {
    let first = message.trim().lines().next().unwrap_or("").trim();
    if first.chars().count() <= MESSAGE_CHARS {
        first.to_string()
    } else {
        let cut: String = first.chars().take(MESSAGE_CHARS).collect();
        format!("{cut}…")
    }
}

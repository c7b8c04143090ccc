//! One testcase of a JUnit report: its id and outcome, across dialects.
//!
//! | dialect | passed | failed | error | skipped | xfail | unexpected pass |
//! |---|---|---|---|---|---|---|
//! | pytest | no child | `<failure>` | `<error>` (also collection errors, with `classname=""`) | `<skipped type="pytest.skip">` | `<skipped type="pytest.xfail">` | strict: `<failure message="[XPASS(strict)] ...">`; old pytest: `<skipped message="xfail-marked test passes unexpectedly">`; non-strict xpass is written as a plain pass |
//! | nextest | no child | `<failure>` | `<error>` | left out of the report (a manifest finds them) | – | – |
//! | Surefire | no child (`<flakyFailure>` = passed on rerun) | `<failure>` | `<error>` | `<skipped>` | – | – |
//! | jest-junit | no child (jest-junit 17 also writes `test.todo` this way) | `<failure>` (text only, no `message`) | `<error>` | `<skipped>` | – | – |

use std::borrow::Cow;

/// What happened to one testcase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Ran and passed.
    Passed,
    /// Skipped: did not run.
    Skipped,
    /// Ran and failed as expected (pytest xfail).
    Xfailed,
    /// Marked as expected to fail, but passed. `strict` when the tool itself
    /// failed the test for it (pytest `xfail(strict=True)`).
    Xpassed {
        /// Whether the runner counted it as a failure.
        strict: bool,
    },
    /// Ran and failed.
    Failed,
    /// Could not run properly: setup, teardown or collection error.
    Errored,
}

impl Outcome {
    /// Whether the test body ran (everything except a skip).
    pub fn ran(self) -> bool {
        self != Outcome::Skipped
    }

    /// Whether the outcome is one that counts as executed and not a skip/xfail.
    pub fn executed(self) -> bool {
        !matches!(self, Outcome::Skipped | Outcome::Xfailed)
    }

    /// Lowercase label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Skipped => "skipped",
            Outcome::Xfailed => "xfailed",
            Outcome::Xpassed { .. } => "xpassed",
            Outcome::Failed => "failed",
            Outcome::Errored => "error",
        }
    }
}

/// One testcase as read from a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    /// Normalised test id, see [`normalise_id`].
    pub id: String,
    /// Outcome.
    pub outcome: Outcome,
    /// The failure/error/skip message (first line, shortened), empty when none.
    pub message: String,
}

/// The test id of a testcase: `classname::name`, each part trimmed with inner runs of
/// whitespace collapsed to one space. When the classname is empty (pytest collection
/// errors) the id is the name; when both are equal (jest-junit's default templates
/// write the same text in both) the id is that text once.
///
/// pytest: `tests.test_green.TestErrors::test_mean_of_nothing`; nextest:
/// `nextest-demo::tests::joins_words`; Surefire: `com.example.FooTest::testBar`.
pub fn normalise_id(classname: &str, name: &str) -> String {
    let (c, n) = (collapse(classname), collapse(name));
    if c.is_empty() || c == n {
        n.into_owned()
    } else if n.is_empty() {
        c.into_owned()
    } else {
        format!("{c}::{n}")
    }
}

/// Trims and collapses whitespace runs; text already in that form (nearly every id)
/// is borrowed, which matters on reports with hundreds of thousands of testcases.
fn collapse(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let clean = bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && bytes.iter().all(|&b| b > b' ' && b < 0x80 || b == b' ')
        && !text.contains("  ");
    if clean {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_documented_rule() {
        assert_eq!(
            normalise_id("tests.test_a", "test_x[1-2]"),
            "tests.test_a::test_x[1-2]"
        );
        assert_eq!(normalise_id("", "broken.test_broken"), "broken.test_broken");
        assert_eq!(
            normalise_id("Suite adds 1 + 2", "Suite adds 1 + 2"),
            "Suite adds 1 + 2"
        );
        assert_eq!(normalise_id("  a\n  b ", " c\td "), "a b::c d");
        assert_eq!(normalise_id("a", ""), "a");
        assert_eq!(normalise_id("a\u{a0}", "b\u{2003}c"), "a::b c");
    }

    #[test]
    fn outcomes_rank_errors_above_failures_above_skips() {
        assert!(Outcome::Errored > Outcome::Failed);
        assert!(Outcome::Failed > Outcome::Xpassed { strict: true });
        assert!(Outcome::Xfailed > Outcome::Skipped);
        assert!(Outcome::Skipped > Outcome::Passed);
        assert!(!Outcome::Skipped.ran() && Outcome::Xfailed.ran());
        assert!(!Outcome::Xfailed.executed() && Outcome::Failed.executed());
    }
}

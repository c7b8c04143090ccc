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
    /// Test id, see [`test_id`].
    pub id: String,
    /// Outcome.
    pub outcome: Outcome,
    /// The failure/error/skip message (first line, shortened), empty when none.
    pub message: String,
    /// A failed run recorded inside the testcase (Surefire's `<flakyFailure>`,
    /// `<flakyError>`, `<rerunFailure>`, `<rerunError>`), with its message.
    pub failed_run: Option<String>,
    /// Position of the innermost enclosing suite among the file's suites (from 1; 0
    /// for none): an id written again in the same suite is another attempt of the
    /// test, in another suite it is another test of the same name.
    pub suite: u32,
}

impl TestCase {
    /// A testcase with no failed run recorded.
    pub fn new(id: impl Into<String>, outcome: Outcome, message: impl Into<String>) -> Self {
        TestCase {
            id: id.into(),
            outcome,
            message: message.into(),
            failed_run: None,
            suite: 0,
        }
    }
}

/// What a testcase's `status` or `result` attribute says, compared case-insensitively
/// after trimming: `Ok(None)` for values that leave it passed (`run`, `passed`,
/// `completed`, empty...), the outcome for values that say it did not pass, and an
/// error for any other value: a status this reader does not know may mean a test that
/// did not pass, so it is never read as a pass. The values are those real producers
/// write: googletest and CTest (`run`, `notrun`, `disabled`, `suppressed`), Ginkgo
/// (`pending`, `panicked`, `interrupted`, `aborted`, `timedout`), Qt Test (`pass`,
/// `fail`, `xfail`, `xpass`, `skip` and the blacklisted `bpass`, `bfail`, `bxfail`,
/// `bxpass`), Pester (`Inconclusive`, `NotRun`), Allure (`broken`), canary (`diffed`,
/// `not_run`, `cancelled`).
pub fn status_outcome(value: &str) -> Result<Option<Outcome>, String> {
    Ok(match value.trim().to_ascii_lowercase().as_str() {
        "" | "run" | "ran" | "pass" | "passed" | "success" | "succeeded" | "successful" | "ok"
        | "completed" | "complete" | "executed" | "bpass" => None,
        "notrun" | "not_run" | "not run" | "notexecuted" | "not_executed" | "untested"
        | "disabled" | "skipped" | "skip" | "suppressed" | "ignored" | "pending" | "excluded"
        | "inconclusive" => Some(Outcome::Skipped),
        "xfail" | "xfailed" | "bxfail" | "xdiff" => Some(Outcome::Xfailed),
        "xpass" | "xpassed" | "bxpass" => Some(Outcome::Xpassed { strict: true }),
        "failed" | "fail" | "failure" | "failing" | "broken" | "bfail" | "diffed" => {
            Some(Outcome::Failed)
        }
        "error" | "errored" | "timeout" | "timedout" | "timed_out" | "crashed" | "aborted"
        | "panicked" | "interrupted" | "cancelled" | "canceled" | "killed" => {
            Some(Outcome::Errored)
        }
        _ => {
            return Err(format!(
                "status `{}` is not one this reader knows: it may mean the test did not \
                 pass, so it is not read as a pass (known: run, passed, completed, skipped, \
                 notrun, disabled, failed, error, timeout...)",
                value.trim()
            ));
        }
    })
}

/// Where a testcase sits, for telling apart tests whose classname is missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Name of the innermost enclosing suite.
    pub suite: &'a str,
    /// The testcase's `class` attribute (PHPUnit).
    pub class: &'a str,
    /// The testcase's `file` attribute.
    pub file: &'a str,
    /// The report's file name, the last resort.
    pub report: &'a str,
}

/// The id of a testcase: [`normalise_id`] of its classname and name. When the
/// classname is missing or blank (jest-junit without a describe block, PHPUnit's
/// `class=` files, pytest collection errors), the innermost suite's name and the
/// `class` and `file` attributes stand in for it, so that equal titles in different
/// suites stay different tests; when all of those and the name are blank too, the
/// report's file name does.
pub fn test_id(classname: &str, name: &str, at: Context<'_>) -> String {
    if !collapse(classname).is_empty() {
        return normalise_id(classname, name);
    }
    let mut parts: Vec<Cow<'_, str>> = Vec::new();
    for part in [at.suite, at.class, at.file] {
        let part = collapse(part);
        if !part.is_empty() && !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() && collapse(name).is_empty() {
        parts.push(collapse(at.report));
    }
    normalise_id(&parts.join("::"), name)
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
    fn missing_classnames_take_the_suite_class_and_file() {
        let at = Context {
            suite: "src/a.test.js",
            class: "",
            file: "",
            report: "r.xml",
        };
        assert_eq!(test_id("c", "n", at), "c::n");
        assert_eq!(test_id("c", "", at), "c");
        assert_eq!(test_id("", "n", at), "src/a.test.js::n");
        assert_eq!(test_id(" ", "", at), "src/a.test.js");
        let php = Context {
            suite: "S",
            class: "FooTest",
            file: "/t/FooTest.php",
            report: "r.xml",
        };
        assert_eq!(
            test_id("", "testA", php),
            "S::FooTest::/t/FooTest.php::testA"
        );
        let bare = Context {
            report: "r.xml",
            ..Context::default()
        };
        assert_eq!(test_id("", "", bare), "r.xml");
        assert_eq!(test_id("", "n", bare), "n");
        let same = Context {
            suite: "S",
            class: "S",
            ..bare
        };
        assert_eq!(test_id("", "n", same), "S::n");
    }

    #[test]
    fn status_values_decide_only_when_they_say_so() {
        let said = |v: &str| status_outcome(v).expect("known");
        assert_eq!(said(" NotRun "), Some(Outcome::Skipped));
        assert_eq!(said("suppressed"), Some(Outcome::Skipped));
        assert_eq!(said("DISABLED"), Some(Outcome::Skipped));
        assert_eq!(said("fail"), Some(Outcome::Failed));
        assert_eq!(said("broken"), Some(Outcome::Failed));
        assert_eq!(said("errored"), Some(Outcome::Errored));
        assert_eq!(said("xfail"), Some(Outcome::Xfailed));
        // Ginkgo, Qt Test, Pester and canary.
        for errored in [
            "panicked",
            "interrupted",
            "Aborted",
            "timedout",
            "cancelled",
        ] {
            assert_eq!(said(errored), Some(Outcome::Errored), "{errored}");
        }
        assert_eq!(said("bfail"), Some(Outcome::Failed));
        assert_eq!(said("diffed"), Some(Outcome::Failed));
        assert_eq!(said("bxfail"), Some(Outcome::Xfailed));
        assert_eq!(said("Inconclusive"), Some(Outcome::Skipped));
        assert_eq!(said("not_run"), Some(Outcome::Skipped));
        assert_eq!(said("bpass"), None);
        for passed in ["run", "passed", "completed", "", "ok", "Success"] {
            assert_eq!(said(passed), None, "{passed}");
        }
    }

    #[test]
    fn an_unknown_status_is_never_read_as_a_pass() {
        for unknown in ["unknown", "maybe", "flaky", "0", "passed?"] {
            let err = status_outcome(unknown).expect_err(unknown);
            assert!(
                err.contains(unknown) && err.contains("not read as a pass"),
                "{err}"
            );
        }
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

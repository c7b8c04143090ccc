//! Reruns: a test run more than once in one report. Producers write them two ways:
//! as rerun records inside one testcase (Maven Surefire's `<flakyFailure>`...), or as
//! the same id written again (gotestsum `--rerun-fails`, pytest-rerunfailures, TestNG
//! retries). Either way the last attempt decides, unless [`Reruns::AnyFailure`] is
//! set, and a test that failed and then passed is flaky.

use serde::Deserialize;

use super::testcase::{Outcome, TestCase};

/// How attempts of one test are judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Reruns {
    /// The last attempt decides; a test that failed and then passed is flaky.
    #[default]
    Last,
    /// Any failed attempt makes the test failed.
    AnyFailure,
}

/// A test after its attempts are weighed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The test, with the outcome that counts.
    pub case: TestCase,
    /// It passed at the last attempt after a failed one.
    pub flaky: bool,
    /// The message of the first failed attempt, when one failed.
    pub failed_attempt: Option<String>,
}

/// Whether an attempt failed: it failed or errored, or recorded a failed run.
fn failed(case: &TestCase) -> Option<(Outcome, String)> {
    match case.outcome {
        Outcome::Failed | Outcome::Errored => Some((case.outcome, case.message.clone())),
        _ => case
            .failed_run
            .as_ref()
            .map(|m| (Outcome::Failed, m.clone())),
    }
}

/// The attempts of one test seen so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Attempts {
    /// Attempts in the file.
    pub total: u32,
    /// Attempts read so far.
    pub seen: u32,
    /// The first failed attempt's outcome and message.
    first_failure: Option<(Outcome, String)>,
}

impl Attempts {
    /// A test read twice so far, on the first pass.
    pub fn repeated() -> Self {
        Attempts {
            total: 2,
            ..Attempts::default()
        }
    }

    /// Takes one attempt; returns the judged test once the last attempt is read.
    pub fn push(&mut self, case: TestCase, reruns: Reruns) -> Option<Judged> {
        self.seen += 1;
        if self.first_failure.is_none() {
            self.first_failure = failed(&case);
        }
        (self.seen >= self.total).then(|| weigh(case, self.first_failure.take(), reruns))
    }
}

/// Judges a test that was read once.
pub fn single(case: TestCase, reruns: Reruns) -> Judged {
    let first = failed(&case);
    weigh(case, first, reruns)
}

fn weigh(mut last: TestCase, first_failure: Option<(Outcome, String)>, reruns: Reruns) -> Judged {
    let failed_attempt = first_failure.as_ref().map(|(_, m)| m.clone());
    let last_failed = matches!(last.outcome, Outcome::Failed | Outcome::Errored);
    let mut flaky = false;
    if let Some((outcome, message)) = first_failure
        && !last_failed
    {
        match reruns {
            Reruns::AnyFailure => {
                last.outcome = outcome;
                last.message = if message.is_empty() {
                    "failed on an earlier attempt".to_string()
                } else {
                    format!("failed on an earlier attempt: {message}")
                };
            }
            Reruns::Last => flaky = last.outcome == Outcome::Passed,
        }
    }
    Judged {
        case: last,
        flaky,
        failed_attempt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(outcome: Outcome, message: &str) -> TestCase {
        TestCase::new("t", outcome, message)
    }

    fn run(attempts: &[TestCase], reruns: Reruns) -> Judged {
        let mut a = Attempts::repeated();
        a.total = attempts.len() as u32;
        let mut judged = None;
        for c in attempts {
            assert!(judged.is_none(), "judged before the last attempt");
            judged = a.push(c.clone(), reruns);
        }
        judged.expect("judged at the last attempt")
    }

    #[test]
    fn last_attempt_decides_and_fail_then_pass_is_flaky() {
        let attempts = [case(Outcome::Failed, "boom"), case(Outcome::Passed, "")];
        let j = run(&attempts, Reruns::Last);
        assert_eq!((j.case.outcome, j.flaky), (Outcome::Passed, true));
        assert_eq!(j.failed_attempt.as_deref(), Some("boom"));
        let j = run(&attempts, Reruns::AnyFailure);
        assert_eq!((j.case.outcome, j.flaky), (Outcome::Failed, false));
        assert_eq!(j.case.message, "failed on an earlier attempt: boom");
    }

    #[test]
    fn testng_retry_skipped_then_failed_is_failed() {
        let attempts = [case(Outcome::Skipped, "retry"), case(Outcome::Failed, "x")];
        for reruns in [Reruns::Last, Reruns::AnyFailure] {
            let j = run(&attempts, reruns);
            assert_eq!((j.case.outcome, j.flaky), (Outcome::Failed, false));
        }
    }

    #[test]
    fn pass_then_fail_fails_and_errors_keep_their_kind() {
        let j = run(
            &[case(Outcome::Passed, ""), case(Outcome::Errored, "e")],
            Reruns::Last,
        );
        assert_eq!(j.case.outcome, Outcome::Errored);
        let j = run(
            &[case(Outcome::Errored, "e"), case(Outcome::Skipped, "")],
            Reruns::AnyFailure,
        );
        assert_eq!(j.case.outcome, Outcome::Errored);
        let j = run(
            &[case(Outcome::Errored, "e"), case(Outcome::Skipped, "")],
            Reruns::Last,
        );
        assert_eq!((j.case.outcome, j.flaky), (Outcome::Skipped, false));
    }

    #[test]
    fn surefire_rerun_records_make_a_single_testcase_flaky() {
        let mut c = case(Outcome::Passed, "");
        c.failed_run = Some("first run failed".into());
        let j = single(c.clone(), Reruns::Last);
        assert_eq!((j.case.outcome, j.flaky), (Outcome::Passed, true));
        let j = single(c, Reruns::AnyFailure);
        assert_eq!(j.case.outcome, Outcome::Failed);
        let j = single(case(Outcome::Passed, ""), Reruns::AnyFailure);
        assert_eq!((j.case.outcome, j.flaky), (Outcome::Passed, false));
    }
}

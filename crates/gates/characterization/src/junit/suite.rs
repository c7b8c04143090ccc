//! A `<testsuite>` or `<testsuites>` element: its name, the counters it claims
//! (`tests`, `failures`, `errors`, `skipped`...), what its elements show, and a
//! `<failure>` or `<error>` written directly under it (Ant, when a class cannot load).

use std::fmt;

use super::testcase::Outcome;

/// How a suite's counter compares with its elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterKind {
    /// Claims more failures or errors than the elements show, even counting the
    /// rerun elements: a failure may be missing from the file.
    ClaimsMore,
    /// Claims more failures or errors than the elements show, but the suite's rerun
    /// elements (`<flakyFailure>`...) make up the surplus, as Maven Surefire counts.
    RerunsMakeUp,
    /// Any other disagreement: more or fewer tests or skips, fewer failures.
    Harmless,
}

/// One counter of one suite that disagrees with the suite's elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterNote {
    /// `<testsuite name="...">`, as written.
    pub suite: String,
    /// `tests`, `failures`, `errors` or `skipped` (skips and `disabled` summed).
    pub counter: &'static str,
    /// What the counter says.
    pub claimed: u64,
    /// What the elements under the suite show.
    pub elements: u64,
    /// What the disagreement means.
    pub kind: CounterKind,
}

impl fmt::Display for CounterNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}={}, the elements show {}",
            self.suite, self.counter, self.claimed, self.elements
        )?;
        if self.kind == CounterKind::RerunsMakeUp {
            write!(f, " (the rest are rerun elements)")?;
        }
        Ok(())
    }
}

/// What the elements under a suite show, in the counters' terms.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shown {
    pub tests: u64,
    pub failures: u64,
    pub errors: u64,
    pub skipped: u64,
    pub reruns: u64,
}

impl Shown {
    /// Counts one testcase's outcome.
    pub fn case(&mut self, outcome: Outcome) {
        self.tests += 1;
        self.outcome(outcome);
    }

    /// Counts one outcome (of a testcase, or of an element outside any testcase).
    pub fn outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Passed => {}
            Outcome::Failed | Outcome::Xpassed { strict: true } => self.failures += 1,
            Outcome::Errored => self.errors += 1,
            Outcome::Skipped | Outcome::Xfailed | Outcome::Xpassed { strict: false } => {
                self.skipped += 1
            }
        }
    }

    fn add(&mut self, other: &Shown) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
        self.reruns += other.reruns;
    }
}

/// The counters a suite's start tag claims; absent or unreadable ones are `None`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Claimed {
    pub tests: Option<u64>,
    pub failures: Option<u64>,
    pub errors: Option<u64>,
    pub skipped: Option<u64>,
}

impl Claimed {
    /// Reads one attribute of the start tag into the counters.
    pub fn attribute(&mut self, key: &[u8], value: &str) {
        let Some(n) = counter_value(value) else {
            return;
        };
        let slot = match key {
            b"tests" => &mut self.tests,
            b"failures" => &mut self.failures,
            b"errors" => &mut self.errors,
            b"skipped" | b"skip" | b"skips" | b"disabled" => &mut self.skipped,
            _ => return,
        };
        *slot = Some(slot.unwrap_or(0).saturating_add(n));
    }
}

/// A counter's value: a whole number, also written as `3.0` by some producers.
fn counter_value(value: &str) -> Option<u64> {
    let v = value.trim();
    v.parse::<u64>().ok().or_else(|| {
        let f: f64 = v.parse().ok()?;
        (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1e15).then_some(f as u64)
    })
}

/// An open suite.
#[derive(Debug)]
pub(super) struct Suite {
    /// `<testsuite name="...">` as written, for notes.
    pub label: String,
    /// The `name` attribute, whitespace collapsed.
    pub name: String,
    pub claimed: Claimed,
    pub shown: Shown,
}

impl Suite {
    /// Folds a closed child suite's elements into this one.
    pub fn absorb(&mut self, child: &Suite) {
        self.shown.add(&child.shown);
    }

    /// The counters that disagree with the elements.
    pub fn notes(&self) -> Vec<CounterNote> {
        let s = &self.shown;
        let c = &self.claimed;
        // Rerun elements may make up a surplus of failures and errors together.
        let surplus = c.failures.map_or(0, |n| n.saturating_sub(s.failures))
            + c.errors.map_or(0, |n| n.saturating_sub(s.errors));
        let claims_more = if surplus > s.reruns {
            CounterKind::ClaimsMore
        } else {
            CounterKind::RerunsMakeUp
        };
        let rows = [
            ("tests", c.tests, s.tests, CounterKind::Harmless),
            ("failures", c.failures, s.failures, claims_more),
            ("errors", c.errors, s.errors, claims_more),
            ("skipped", c.skipped, s.skipped, CounterKind::Harmless),
        ];
        rows.into_iter()
            .filter_map(|(counter, claimed, elements, more)| {
                let claimed = claimed?;
                let kind = match claimed.cmp(&elements) {
                    std::cmp::Ordering::Equal => return None,
                    std::cmp::Ordering::Greater => more,
                    std::cmp::Ordering::Less => CounterKind::Harmless,
                };
                Some(CounterNote {
                    suite: self.label.clone(),
                    counter,
                    claimed,
                    elements,
                    kind,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite(claims: &[(&[u8], &str)], shown: Shown) -> Suite {
        let mut claimed = Claimed::default();
        for (k, v) in claims {
            claimed.attribute(k, v);
        }
        Suite {
            label: "<testsuite name=\"s\">".into(),
            name: "s".into(),
            claimed,
            shown,
        }
    }

    #[test]
    fn surplus_failures_claim_more_unless_reruns_make_it_up() {
        let shown = Shown {
            tests: 3,
            failures: 1,
            ..Shown::default()
        };
        let notes = suite(&[(b"tests", "3"), (b"failures", "2")], shown).notes();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, CounterKind::ClaimsMore);
        assert_eq!(
            notes[0].to_string(),
            "<testsuite name=\"s\">: failures=2, the elements show 1"
        );
        let with_rerun = Shown { reruns: 1, ..shown };
        let notes = suite(&[(b"failures", "2")], with_rerun).notes();
        assert_eq!(notes[0].kind, CounterKind::RerunsMakeUp);
    }

    #[test]
    fn other_disagreements_are_harmless_and_agreement_is_silent() {
        let shown = Shown {
            tests: 2,
            skipped: 1,
            failures: 1,
            ..Shown::default()
        };
        let notes = suite(
            &[
                (b"tests", "6"),
                (b"skip", "0"),
                (b"failures", "0"),
                (b"errors", "0"),
            ],
            shown,
        )
        .notes();
        let kinds: Vec<_> = notes.iter().map(|n| (n.counter, n.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("tests", CounterKind::Harmless),
                ("failures", CounterKind::Harmless),
                ("skipped", CounterKind::Harmless)
            ]
        );
        let agree = suite(
            &[(b"tests", "2.0"), (b"skipped", "1"), (b"failures", "1")],
            shown,
        );
        assert!(agree.notes().is_empty());
        let unreadable = suite(&[(b"tests", "many"), (b"failures", "-1")], shown);
        assert!(unreadable.notes().is_empty());
    }

    #[test]
    fn skipped_and_disabled_add_up() {
        let shown = Shown {
            tests: 3,
            skipped: 3,
            ..Shown::default()
        };
        assert!(
            suite(&[(b"skipped", "1"), (b"disabled", "2")], shown)
                .notes()
                .is_empty()
        );
    }
}

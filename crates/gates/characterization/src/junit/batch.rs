//! What one file contributes once its attempts are weighed: per-test counts, capped
//! lists of offending tests, suite-counter notes, manifest hits. A file's batch is
//! merged into the run's only when the file was read to its end.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::attempts::Judged;
use super::suite::{CounterKind, CounterNote};
use super::testcase::Outcome;

/// Hashing for keys that are already 64-bit hashes: hashing them again is wasted work
/// on reports with hundreds of thousands of testcases.
pub(super) type Prehashed = BuildHasherDefault<PrehashedHasher>;

/// See [`Prehashed`].
#[derive(Default)]
pub(super) struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else so the hasher stays correct.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// Offending tests listed per rule; the rest are counted.
pub const LISTED: usize = 50;

/// Longest id or evidence line kept in a list, in characters.
const LINE_CHARS: usize = 500;

/// Tests that broke one rule: the first [`LISTED`] with a note, and the count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offenders {
    /// How many tests broke the rule.
    pub total: usize,
    /// Ids of the first ones.
    pub ids: Vec<String>,
    /// The first ones as evidence lines: `id: message` or `id (note)`.
    pub listed: Vec<String>,
}

impl Offenders {
    /// Counts one offender and lists it while the list is short.
    pub fn add(&mut self, id: &str, line: impl FnOnce() -> String) {
        self.total += 1;
        if self.listed.len() < LISTED {
            self.ids.push(cut(id));
            self.listed.push(cut(&line()));
        }
    }

    /// Whether no test broke the rule.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn merge(&mut self, other: Offenders) {
        self.total += other.total;
        let room = LISTED.saturating_sub(self.listed.len());
        self.ids.extend(other.ids.into_iter().take(room));
        self.listed.extend(other.listed.into_iter().take(room));
    }
}

/// An id or line cut to [`LINE_CHARS`], so a hostile name cannot fill a report.
fn cut(text: &str) -> String {
    match text.char_indices().nth(LINE_CHARS) {
        None => text.to_string(),
        Some((at, _)) => format!("{}…", &text[..at]),
    }
}

/// Per-test figures, attempts of one test counted once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Tests (a suite-level failure counts as one synthetic test).
    pub tests: u64,
    /// Passed, flaky ones included.
    pub passed: u64,
    /// Failed.
    pub failed: u64,
    /// Errored: setup, teardown or collection errors.
    pub errored: u64,
    /// Skipped.
    pub skipped: u64,
    /// Failed as expected.
    pub xfailed: u64,
    /// Passed unexpectedly, strict ones included.
    pub xpassed: u64,
    /// Unexpected passes the runner itself failed (pytest strict xfail).
    pub strict_xpasses: u64,
    /// Passed at the last attempt after a failed one (counted in `passed` too).
    pub flaky: u64,
    /// Executed: not skipped, not xfailed.
    pub executed: u64,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.passed += other.passed;
        self.failed += other.failed;
        self.errored += other.errored;
        self.skipped += other.skipped;
        self.xfailed += other.xfailed;
        self.xpassed += other.xpassed;
        self.strict_xpasses += other.strict_xpasses;
        self.flaky += other.flaky;
        self.executed += other.executed;
    }

    /// The figures by name, in the order the JSON report gives them.
    pub fn named(&self) -> [(&'static str, u64); 8] {
        [
            ("tests", self.tests),
            ("passed", self.passed),
            ("failed", self.failed),
            ("errored", self.errored),
            ("skipped", self.skipped),
            ("xfailed", self.xfailed),
            ("xpassed", self.xpassed),
            ("flaky", self.flaky),
        ]
    }
}

/// What a batch needs to know about the run.
#[derive(Debug, Clone, Copy)]
pub(super) struct Context<'a> {
    /// Manifest ids and their positions.
    pub expected: &'a HashMap<String, usize>,
    /// Whether every id that ran is kept.
    pub collect_ids: bool,
}

/// What one or more files contribute.
#[derive(Debug, Default)]
pub struct Batch {
    /// Per-test figures.
    pub counts: Counts,
    /// Failed and errored tests.
    pub failures: Offenders,
    /// Skipped tests.
    pub skipped: Offenders,
    /// Expected failures.
    pub xfailed: Offenders,
    /// Unexpected passes.
    pub xpassed: Offenders,
    /// Tests that passed only on a later attempt.
    pub flaky: Offenders,
    /// Ids written more than once in the same file.
    pub repeated: Offenders,
    /// Suites whose counters claim more failures or errors than their elements show.
    pub counters_claim_more: Offenders,
    /// Other disagreements between suite counters and elements.
    pub counter_notes: Offenders,
    /// Manifest positions seen, with their outcome.
    pub(super) expected_seen: Vec<(usize, Outcome)>,
    /// Ids that ran, when collected.
    pub(super) ran: Vec<String>,
    file: String,
}

impl Batch {
    /// An empty batch for the file named `file`.
    pub(super) fn new(file: &str) -> Self {
        Batch {
            file: file.to_string(),
            ..Batch::default()
        }
    }

    /// Counts one test, read in `attempts` testcase elements.
    pub(super) fn add(&mut self, judged: Judged, attempts: u32, ctx: Context<'_>) {
        let Judged {
            case,
            flaky,
            failed_attempt,
        } = judged;
        let c = &mut self.counts;
        c.tests += 1;
        let line = || match case.message.is_empty() {
            true => case.id.clone(),
            false => format!("{}: {}", case.id, case.message),
        };
        match case.outcome {
            Outcome::Passed => c.passed += 1,
            Outcome::Failed => {
                c.failed += 1;
                self.failures.add(&case.id, line);
            }
            Outcome::Errored => {
                c.errored += 1;
                self.failures.add(&case.id, line);
            }
            Outcome::Skipped => {
                c.skipped += 1;
                self.skipped.add(&case.id, line);
            }
            Outcome::Xfailed => {
                c.xfailed += 1;
                self.xfailed.add(&case.id, line);
            }
            Outcome::Xpassed { strict } => {
                c.xpassed += 1;
                c.strict_xpasses += u64::from(strict);
                self.xpassed.add(&case.id, line);
            }
        }
        if case.outcome.executed() {
            c.executed += 1;
        }
        if flaky {
            c.flaky += 1;
            let first = failed_attempt.unwrap_or_default();
            self.flaky.add(&case.id, || match first.is_empty() {
                true => format!("{} (failed first)", case.id),
                false => format!("{} (failed first: {first})", case.id),
            });
        }
        if attempts > 1 {
            let file = &self.file;
            self.repeated.add(&case.id, || {
                format!(
                    "{} ({attempts} attempts in {file}; the last decides: {})",
                    case.id,
                    case.outcome.as_str()
                )
            });
        }
        if let Some(&i) = ctx.expected.get(&case.id) {
            self.expected_seen.push((i, case.outcome));
        }
        if ctx.collect_ids && case.outcome.ran() {
            self.ran.push(case.id);
        }
    }

    /// Records an id written again in `place` (the same suite, another suite) of
    /// this file, while every testcase of the file is counted on its own.
    pub(super) fn repeat(&mut self, id: &str, place: &str) {
        let file = &self.file;
        self.repeated.add(id, || {
            format!("{id} (again in {place} of {file}; ids repeat across suites there, so each testcase counts on its own)")
        });
    }

    /// Records a suite counter that disagrees with the suite's elements.
    pub(super) fn counter(&mut self, note: CounterNote) {
        let line = || format!("{}: {note}", self.file);
        match note.kind {
            CounterKind::ClaimsMore => self.counters_claim_more.add(&note.suite, line),
            CounterKind::RerunsMakeUp | CounterKind::Harmless => {
                self.counter_notes.add(&note.suite, line)
            }
        }
    }

    /// Adds another file's batch after this one.
    pub(super) fn merge(&mut self, other: Batch) {
        self.counts.add(&other.counts);
        self.failures.merge(other.failures);
        self.skipped.merge(other.skipped);
        self.xfailed.merge(other.xfailed);
        self.xpassed.merge(other.xpassed);
        self.flaky.merge(other.flaky);
        self.repeated.merge(other.repeated);
        self.counters_claim_more.merge(other.counters_claim_more);
        self.counter_notes.merge(other.counter_notes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_capped_and_lines_cut() {
        let mut a = Offenders::default();
        for i in 0..LISTED + 5 {
            a.add(&format!("t{i}"), || format!("t{i}"));
        }
        let mut b = Offenders::default();
        b.add(&"x".repeat(10_000), || "y".repeat(10_000));
        let mut merged = Offenders::default();
        merged.merge(b);
        merged.merge(a);
        assert_eq!(merged.total, LISTED + 6);
        assert_eq!(merged.listed.len(), LISTED);
        assert_eq!(merged.ids[0].chars().count(), LINE_CHARS + 1);
        assert_eq!(merged.ids[1], "t0");
    }
}

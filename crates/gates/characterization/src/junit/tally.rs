//! Merges the testcases of several JUnit files (CI shards) into counts, capped lists
//! of offending tests, duplicate ids, suite-counter disagreements and the state of
//! an expected-tests manifest.
//!
//! An id written again in the same suite of a file is another attempt of one test (a
//! rerun: gotestsum, pytest-rerunfailures and TestNG write them so), and the last
//! attempt decides. An id written again in another suite of the same file is another
//! test of the same name; as a rerun cannot then be told from a namesake, every
//! testcase of that file counts on its own, so that a failing namesake is never read
//! as the failed first attempt of a passing test. An id reported by another file is a
//! duplicate (overlapping shards).
//!
//! Memory stays flat in the number of testcases: every id is remembered only as a
//! 64-bit hash with the file and suite that first held it, and offending tests are
//! listed up to a cap and counted beyond it. A file that repeats an id is read a
//! second time: its attempts are counted on the first pass and weighed on the second,
//! so only repeated ids need state of their own. Full ids are kept only for
//! `--write-expected`.

use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

use safety_gate_core::InputError;

use super::attempts::{Attempts, Reruns, single};
use super::batch::{Batch, Context, Prehashed};
use super::element::Record;
use super::reader::{ReadLimits, read_report_with};
use super::testcase::{Outcome, TestCase};

pub use super::batch::{Counts, LISTED, Offenders};

/// Everything the strict rules need to know about the merged reports.
#[derive(Debug, Default)]
pub struct Tally {
    /// Files read.
    pub files: usize,
    /// Testcase elements read, every attempt and synthetic suite test included.
    pub elements: u64,
    /// Per-test figures and offending tests, attempts weighed.
    pub batch: Batch,
    /// Ids reported by more than one file.
    pub duplicates: Offenders,
    /// 64-bit hash of every id seen, with the file (index) and suite (position in
    /// that file) that held it.
    seen: HashMap<u64, (u32, u32), Prehashed>,
    /// Hashes of the ids already reported as duplicates across files.
    reported: HashSet<u64, Prehashed>,
    file_names: Vec<String>,
    expected: Vec<String>,
    expected_index: HashMap<String, usize>,
    expected_state: Vec<Option<Outcome>>,
    ran_ids: Option<BTreeSet<String>>,
    reruns: Reruns,
    limits: ReadLimits,
}

fn hash_of(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// The key of one test's attempts: its id within one suite.
fn attempt_key(case: &TestCase) -> u64 {
    let mut h = DefaultHasher::new();
    case.id.hash(&mut h);
    case.suite.hash(&mut h);
    h.finish()
}

impl Tally {
    /// An empty tally watching for the `expected` ids; keeps every id that ran when
    /// `collect_ids` is set (for writing a manifest).
    pub fn new(expected: &[String], collect_ids: bool) -> Self {
        Tally {
            expected: expected.to_vec(),
            expected_index: expected
                .iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect(),
            expected_state: vec![None; expected.len()],
            ran_ids: collect_ids.then(BTreeSet::new),
            ..Tally::default()
        }
    }

    /// Judges attempts of one test with `reruns`.
    pub fn with_reruns(mut self, reruns: Reruns) -> Self {
        self.reruns = reruns;
        self
    }

    /// Refuses reports over `max_bytes`, when a limit is given (none by default: the
    /// reader streams).
    pub fn with_max_bytes(mut self, max_bytes: Option<u64>) -> Self {
        self.limits.max_bytes = max_bytes;
        self
    }

    /// Reads with another byte budget per text node, tag or comment.
    pub fn with_event_limit(mut self, bytes: u64) -> Self {
        self.limits.event_bytes = bytes;
        self
    }

    /// Streams one report into the tally.
    pub fn add_file(&mut self, path: &Path) -> Result<(), InputError> {
        let file = u32::try_from(self.file_names.len()).unwrap_or(u32::MAX);
        let name = path.display().to_string();
        self.file_names.push(name.clone());
        let mut batch = Batch::new(&name);
        let mut repeats: HashMap<u64, Attempts, Prehashed> = HashMap::default();
        let mut elements = 0u64;
        let mut namesakes = false;
        let reruns = self.reruns;
        let context = Context {
            expected: &self.expected_index,
            collect_ids: self.ran_ids.is_some(),
        };
        let (seen, reported, duplicates, names) = (
            &mut self.seen,
            &mut self.reported,
            &mut self.duplicates,
            &self.file_names,
        );
        read_report_with(path, self.limits, |record| match record {
            Record::Case(case) => {
                elements += 1;
                let hash = hash_of(&case.id);
                match seen.entry(hash) {
                    Entry::Vacant(slot) => {
                        slot.insert((file, case.suite));
                    }
                    Entry::Occupied(slot) if *slot.get() == (file, case.suite) => {
                        // Weighed on the second pass, once every attempt is counted.
                        repeats
                            .entry(attempt_key(&case))
                            .and_modify(|a| a.total += 1)
                            .or_insert_with(Attempts::repeated);
                        batch.repeat(&case.id, "the same suite");
                    }
                    Entry::Occupied(slot) if slot.get().0 == file => {
                        namesakes = true;
                        batch.repeat(&case.id, "another suite");
                    }
                    Entry::Occupied(mut slot) => {
                        if reported.insert(hash) {
                            let first = names.get(slot.get().0 as usize);
                            let first = first.map_or("?", String::as_str);
                            duplicates.add(&case.id, || {
                                format!("{} (in {first}, again in {name})", case.id)
                            });
                        }
                        slot.insert((file, case.suite));
                    }
                }
                batch.add(single(case, reruns), 1, context);
            }
            Record::Counters(note) => batch.counter(note),
        })?;
        // With namesakes in other suites, the first pass (every testcase on its own)
        // stands; otherwise repeated ids are attempts, weighed on a second pass.
        if !repeats.is_empty() && !namesakes {
            batch = self.weigh_attempts(path, &name, &mut repeats, elements)?;
        }
        self.elements += elements;
        self.files += 1;
        self.commit(batch);
        Ok(())
    }

    /// The second pass over a file that repeats ids: tests read once are judged as
    /// they come, repeated ones at their last attempt.
    fn weigh_attempts(
        &self,
        path: &Path,
        name: &str,
        repeats: &mut HashMap<u64, Attempts, Prehashed>,
        elements: u64,
    ) -> Result<Batch, InputError> {
        let mut batch = Batch::new(name);
        let mut again = 0u64;
        let context = Context {
            expected: &self.expected_index,
            collect_ids: self.ran_ids.is_some(),
        };
        read_report_with(path, self.limits, |record| match record {
            Record::Case(case) => {
                again += 1;
                match repeats.get_mut(&attempt_key(&case)) {
                    Some(attempts) => {
                        let total = attempts.total;
                        if let Some(judged) = attempts.push(case, self.reruns) {
                            batch.add(judged, total, context);
                        }
                    }
                    None => batch.add(single(case, self.reruns), 1, context),
                }
            }
            Record::Counters(note) => batch.counter(note),
        })?;
        let unfinished = repeats.values().any(|a| a.seen != a.total);
        if again != elements || unfinished {
            return Err(InputError::malformed(
                path,
                None,
                None,
                "the file changed while it was read",
            ));
        }
        Ok(batch)
    }

    fn commit(&mut self, batch: Batch) {
        for (i, outcome) in &batch.expected_seen {
            let state = &mut self.expected_state[*i];
            // A test seen twice counts as run if either report ran it.
            if state.is_none_or(|s| !s.ran()) {
                *state = Some(*outcome);
            }
        }
        if let Some(ids) = &mut self.ran_ids {
            ids.extend(batch.ran.iter().cloned());
        }
        self.batch.merge(batch);
    }

    /// The per-test figures of every file read.
    pub fn counts(&self) -> &Counts {
        &self.batch.counts
    }

    /// Expected ids that did not run, in manifest order, with what happened instead.
    pub fn missing(&self) -> Offenders {
        let mut out = Offenders::default();
        for (id, state) in self.expected.iter().zip(&self.expected_state) {
            match state {
                Some(o) if o.ran() => {}
                Some(o) => out.add(id, || format!("{id} ({})", o.as_str())),
                None => out.add(id, || format!("{id} (absent)")),
            }
        }
        out
    }

    /// Number of ids in the manifest.
    pub fn expected_len(&self) -> usize {
        self.expected.len()
    }

    /// Every id that ran, sorted, when collected.
    pub fn ran_ids(&self) -> Option<&BTreeSet<String>> {
        self.ran_ids.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn junit(dir: &Path, name: &str) -> std::path::PathBuf {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../fixtures/characterization/junit/pytest")
            .join(name);
        let copy = dir.join(name);
        std::fs::copy(&path, &copy).expect("copy fixture");
        copy
    }

    fn write(dir: &Path, name: &str, xml: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, xml).expect("write");
        path
    }

    #[test]
    fn merges_shards_and_counts_outcomes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut t = Tally::new(&[], true);
        t.add_file(&junit(dir.path(), "shard-1.xml")).expect("read");
        t.add_file(&junit(dir.path(), "shard-2.xml")).expect("read");
        let c = t.counts();
        assert_eq!((t.files, c.tests, c.executed, c.passed), (2, 4, 4, 4));
        assert!(t.duplicates.is_empty());
        assert_eq!(t.ran_ids().map(BTreeSet::len), Some(4));
    }

    #[test]
    fn duplicate_ids_across_files_name_both_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut t = Tally::new(&[], false);
        t.add_file(&junit(dir.path(), "shard-1.xml")).expect("read");
        t.add_file(&junit(dir.path(), "green.xml")).expect("read");
        t.add_file(&junit(dir.path(), "one-skip.xml"))
            .expect("read");
        // test_slugify_words is in all three files, the other green tests in the last two.
        assert_eq!(t.duplicates.total, 4);
        let line = &t.duplicates.listed[0];
        assert!(
            line.starts_with("tests.test_green::test_slugify_words (in "),
            "{line}"
        );
        assert!(line.contains("shard-1.xml, again in "), "{line}");
        assert!(line.ends_with("green.xml)"), "{line}");
        assert!(t.batch.repeated.is_empty());
    }

    #[test]
    fn a_rerun_that_failed_fails_the_test_even_without_a_failure_beside_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let xml = r#"<testsuite name="s">
            <testcase classname="p" name="reran"><rerunFailure message="still broken"/></testcase>
            <testcase classname="p" name="reran_error"><rerunError message="e"/></testcase>
            <testcase classname="p" name="surefire"><failure message="f"/><rerunFailure message="r"/></testcase>
            <testcase classname="p" name="flaky"><flakyFailure message="once"/></testcase>
        </testsuite>"#;
        let path = write(dir.path(), "r.xml", xml);
        let mut t = Tally::new(&[], false);
        t.add_file(&path).expect("read");
        let c = t.counts();
        assert_eq!(
            (c.tests, c.passed, c.failed, c.errored, c.flaky),
            (4, 1, 2, 1, 1)
        );
        assert_eq!(t.batch.flaky.listed, ["p::flaky (failed first: once)"]);
    }

    #[test]
    fn repeated_ids_in_one_file_are_attempts_and_the_last_decides() {
        let dir = tempfile::tempdir().expect("tempdir");
        let xml = r#"<testsuite name="s">
            <testcase classname="p" name="flaky"><failure message="Failed">boom
            at line 3</failure></testcase>
            <testcase classname="p" name="ok"/>
            <testcase classname="p" name="flaky"/>
            <testcase classname="p" name="broken"/>
            <testcase classname="p" name="broken"><error message="e"/></testcase>
        </testsuite>"#;
        let path = write(dir.path(), "r.xml", xml);
        let mut t = Tally::new(&[], false);
        t.add_file(&path).expect("read");
        let c = t.counts();
        assert_eq!(t.elements, 5);
        assert_eq!(
            (c.tests, c.passed, c.failed, c.errored, c.flaky),
            (3, 2, 0, 1, 1)
        );
        assert_eq!(t.batch.flaky.listed, ["p::flaky (failed first: boom)"]);
        assert_eq!(t.batch.repeated.total, 2);
        assert!(t.batch.repeated.listed[0].contains("2 attempts in "));
        assert!(t.duplicates.is_empty());
        let mut any = Tally::new(&[], false).with_reruns(Reruns::AnyFailure);
        any.add_file(&path).expect("read");
        let c = any.counts();
        assert_eq!(
            (c.tests, c.passed, c.failed, c.errored, c.flaky),
            (3, 1, 1, 1, 0)
        );
    }

    #[test]
    fn manifest_reports_absent_and_skipped_tests() {
        let dir = tempfile::tempdir().expect("tempdir");
        let expected = vec![
            "tests.test_green::test_slugify_words".to_string(),
            "tests.test_skip::test_regenerate_golden".to_string(),
            "tests.test_gone::test_deleted".to_string(),
            "tests.test_xfail::test_mean_is_integer".to_string(),
        ];
        let mut t = Tally::new(&expected, false);
        t.add_file(&junit(dir.path(), "mixed.xml")).expect("read");
        let missing = t.missing();
        assert_eq!(
            missing.listed,
            vec![
                "tests.test_skip::test_regenerate_golden (skipped)",
                "tests.test_gone::test_deleted (absent)",
            ]
        );
        let b = &t.batch;
        assert_eq!(b.failures.total, 1);
        assert_eq!(
            (b.skipped.total, b.xfailed.total, b.xpassed.total),
            (1, 1, 1)
        );
        assert_eq!(b.counts.strict_xpasses, 1);
    }
}

//! Merges the testcases of several JUnit files (CI shards) into counts, capped lists
//! of offending tests, duplicate ids and the state of an expected-tests manifest.
//!
//! Memory stays flat in the number of testcases: every id is remembered only as a
//! 64-bit hash (to find duplicates across shards), and offending tests are listed up
//! to a cap and counted beyond it. Full ids are kept only for `--write-expected`.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::Path;

use safety_gate_core::InputError;

use super::reader::read_report_within;
use super::testcase::{Outcome, TestCase};

/// Hashing for keys that are already 64-bit hashes: hashing them again is wasted work
/// on reports with hundreds of thousands of testcases.
type Prehashed = BuildHasherDefault<PrehashedHasher>;

/// See [`Prehashed`].
#[derive(Default)]
struct PrehashedHasher(u64);

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
    fn add(&mut self, id: &str, line: impl FnOnce() -> String) {
        self.total += 1;
        if self.listed.len() < LISTED {
            self.ids.push(id.to_string());
            self.listed.push(line());
        }
    }

    /// Whether no test broke the rule.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// Everything the strict rules need to know about the merged reports.
#[derive(Debug, Default)]
pub struct Tally {
    /// Files read.
    pub files: usize,
    /// Testcases read.
    pub testcases: u64,
    /// Testcases that executed (not skipped, not xfailed).
    pub executed: u64,
    /// Testcases that passed.
    pub passed: u64,
    /// Failed and errored testcases.
    pub failures: Offenders,
    /// Skipped testcases.
    pub skipped: Offenders,
    /// Expected failures.
    pub xfailed: Offenders,
    /// Unexpected passes.
    pub xpassed: Offenders,
    /// Unexpected passes the runner itself counted as failures (pytest strict xfail).
    pub strict_xpasses: usize,
    /// Ids reported more than once.
    pub duplicates: Offenders,
    /// 64-bit hashes of every id seen: 8 bytes a testcase.
    seen: HashSet<u64, Prehashed>,
    /// Hashes of the ids already reported as duplicates.
    reported: HashSet<u64, Prehashed>,
    file_names: Vec<String>,
    expected: Vec<String>,
    expected_index: HashMap<String, usize>,
    expected_state: Vec<Option<Outcome>>,
    ran_ids: Option<BTreeSet<String>>,
    max_bytes: Option<u64>,
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

    /// Refuses reports over `max_bytes`, when a limit is given (none by default: the
    /// reader streams).
    pub fn with_max_bytes(mut self, max_bytes: Option<u64>) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Streams one report into the tally.
    pub fn add_file(&mut self, path: &Path) -> Result<u64, InputError> {
        let file = u32::try_from(self.file_names.len()).unwrap_or(u32::MAX);
        self.file_names.push(path.display().to_string());
        let max_bytes = self.max_bytes;
        let count = read_report_within(path, max_bytes, |case| self.add(case, file))?;
        self.files += 1;
        Ok(count)
    }

    fn add(&mut self, case: TestCase, file: u32) {
        self.testcases += 1;
        let line = || match case.message.is_empty() {
            true => case.id.clone(),
            false => format!("{}: {}", case.id, case.message),
        };
        match case.outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed | Outcome::Errored => self.failures.add(&case.id, line),
            Outcome::Skipped => self.skipped.add(&case.id, line),
            Outcome::Xfailed => self.xfailed.add(&case.id, line),
            Outcome::Xpassed { strict } => {
                self.strict_xpasses += usize::from(strict);
                self.xpassed.add(&case.id, line);
            }
        }
        if case.outcome.executed() {
            self.executed += 1;
        }
        let mut h = DefaultHasher::new();
        case.id.hash(&mut h);
        let hash = h.finish();
        // Each repeated id is reported once, with the file holding the repeat (the first
        // file is not remembered: that would double the memory per testcase).
        if !self.seen.insert(hash) && self.reported.insert(hash) {
            let names = &self.file_names;
            let name = names.get(file as usize).map_or("?", String::as_str);
            self.duplicates
                .add(&case.id, || format!("{} (again in {name})", case.id));
        }
        if let Some(&i) = self.expected_index.get(&case.id) {
            let state = &mut self.expected_state[i];
            // A test seen twice counts as run if either report ran it.
            if state.is_none_or(|s| !s.ran()) {
                *state = Some(case.outcome);
            }
        }
        if let Some(ids) = &mut self.ran_ids
            && case.outcome.ran()
        {
            ids.insert(case.id);
        }
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

    #[test]
    fn merges_shards_and_counts_outcomes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut t = Tally::new(&[], true);
        t.add_file(&junit(dir.path(), "shard-1.xml")).expect("read");
        t.add_file(&junit(dir.path(), "shard-2.xml")).expect("read");
        assert_eq!((t.files, t.testcases, t.executed, t.passed), (2, 4, 4, 4));
        assert!(t.duplicates.is_empty());
        assert_eq!(t.ran_ids().map(BTreeSet::len), Some(4));
    }

    #[test]
    fn duplicate_ids_are_reported_once_with_the_repeating_file() {
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
            line.starts_with("tests.test_green::test_slugify_words (again in "),
            "{line}"
        );
        assert!(line.ends_with("green.xml)"), "{line}");
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
        assert_eq!(t.failures.total, 1);
        assert_eq!(
            (t.skipped.total, t.xfailed.total, t.xpassed.total),
            (1, 1, 1)
        );
        assert_eq!(t.strict_xpasses, 1);
    }
}

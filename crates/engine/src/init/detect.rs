//! What `safety-gate init` looks for in a project: a pytest suite (and whether it uses
//! pytest-benchmark), benchmark results of the formats the perf gate reads, JUnit
//! reports, JSON Schemas, folders of saved snapshots and criterion's `target/criterion`.
//! Files are recognised by their content, as the gates read them, not by their names.

use std::path::{Path, PathBuf};

use safety_gate_perf::Format;
use safety_gate_perf::formats::{self, ReadOptions};

/// Folders never searched: version control, virtual environments, caches, builds
/// (criterion's results are looked up under `target/criterion` on their own).
const SKIPPED: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "target",
    "node_modules",
    ".venv",
    "venv",
    "env",
    ".tox",
    ".nox",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    "dist",
    "build",
    ".benchmarks",
    "baselines",
];

/// How deep the search goes below the project folder.
const MAX_DEPTH: usize = 6;

/// Most entries looked at: a huge tree is sampled, not walked whole.
const MAX_ENTRIES: usize = 20_000;

/// Largest file opened to recognise it.
const MAX_BYTES: u64 = 8 << 20;

/// What was found, with paths relative to the project folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Findings {
    /// A pytest suite: its test files.
    pub pytest_tests: Vec<PathBuf>,
    /// Whether a test uses pytest-benchmark's `benchmark` fixture.
    pub pytest_benchmark: bool,
    /// The Python to run pytest with: a project virtual environment's, else `python3`.
    pub python: String,
    /// Benchmark result files and the format each was read as.
    pub benchmarks: Vec<(PathBuf, Format)>,
    /// `target/criterion`, when it holds results.
    pub criterion: bool,
    /// JUnit XML reports.
    pub junit: Vec<PathBuf>,
    /// JSON Schemas (`*.schema.json`).
    pub schemas: Vec<PathBuf>,
    /// Folders of saved JSON snapshots (named `snapshots`).
    pub snapshot_dirs: Vec<PathBuf>,
}

impl Findings {
    /// Whether there is anything to gate.
    pub fn is_empty(&self) -> bool {
        self.pytest_tests.is_empty()
            && self.benchmarks.is_empty()
            && !self.criterion
            && self.junit.is_empty()
            && self.schemas.is_empty()
    }
}

/// Looks through the project at `root`.
pub fn detect(root: &Path) -> Findings {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    walk(root, Path::new(""), 0, &mut files, &mut dirs);
    files.sort();
    dirs.sort();
    let mut found = Findings {
        python: ["venv/bin/python", ".venv/bin/python"]
            .iter()
            .find(|p| root.join(p).is_file())
            .map_or("python3", |p| p)
            .to_string(),
        ..Findings::default()
    };
    for rel in &files {
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let path = root.join(rel);
        if name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py")) {
            if read_small(&path).is_some_and(|t| uses_benchmark_fixture(&t)) {
                found.pytest_benchmark = true;
            }
            found.pytest_tests.push(rel.clone());
        } else if name.ends_with(".schema.json") {
            found.schemas.push(rel.clone());
        } else if name.ends_with(".xml") {
            if read_small(&path).is_some_and(|t| is_junit(&t)) {
                found.junit.push(rel.clone());
            }
        } else if name.ends_with(".json") && !in_snapshot_dir(rel) {
            if let Some(format) = benchmark_format(&path) {
                found.benchmarks.push((rel.clone(), format));
            }
        }
    }
    found.snapshot_dirs = dirs
        .into_iter()
        .filter(|d| {
            d.file_name().is_some_and(|n| n == "snapshots")
                && files
                    .iter()
                    .any(|f| f.parent() == Some(d) && f.extension().is_some_and(|e| e == "json"))
        })
        .collect();
    found.criterion = has_criterion_results(&root.join("target/criterion"));
    found
}

fn walk(root: &Path, rel: &Path, depth: usize, files: &mut Vec<PathBuf>, dirs: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH || files.len() + dirs.len() > MAX_ENTRIES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let child = rel.join(&name);
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if SKIPPED.iter().any(|s| name == *s) {
                continue;
            }
            dirs.push(child.clone());
            walk(root, &child, depth + 1, files, dirs);
        } else if kind.is_file() {
            files.push(child);
        }
    }
}

fn read_small(path: &Path) -> Option<String> {
    safety_gate_core::inputs::read_text(path, MAX_BYTES).ok()
}

/// Whether a test file takes pytest-benchmark's `benchmark` fixture.
fn uses_benchmark_fixture(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        (l.starts_with("def test") || l.starts_with("async def test"))
            && l.split_once('(')
                .is_some_and(|(_, args)| args.split([',', ')', ':', ' ']).any(|a| a == "benchmark"))
    })
}

/// Whether XML text is a JUnit report: its first element is `testsuites` or `testsuite`.
fn is_junit(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if rest.starts_with("<?") || rest.starts_with("<!--") {
            let end = if rest.starts_with("<?") { "?>" } else { "-->" };
            match rest.find(end) {
                Some(i) => rest = &rest[i + end.len()..],
                None => return false,
            }
        } else {
            return rest.starts_with("<testsuites") || rest.starts_with("<testsuite");
        }
    }
}

fn in_snapshot_dir(rel: &Path) -> bool {
    rel.components().any(|c| c.as_os_str() == "snapshots")
}

/// The perf format a JSON file is read as, when it is benchmark results.
fn benchmark_format(path: &Path) -> Option<Format> {
    let options = ReadOptions {
        metrics: &[],
        criterion_dir: "new",
        max_bytes: MAX_BYTES,
        statistic: safety_gate_perf::Statistic::default(),
    };
    formats::read(path, Format::Auto, options)
        .ok()
        .map(|(_, format)| format)
        .filter(|f| *f != Format::Criterion)
}

fn has_criterion_results(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let p = e.path();
        p.join("new/estimates.json").is_file() || (p.is_dir() && has_criterion_results(&p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmark_fixture_is_seen_in_a_test_signature_only() {
        assert!(uses_benchmark_fixture(
            "def test_sum(benchmark):\n    benchmark(sum, [1])\n"
        ));
        assert!(uses_benchmark_fixture(
            "def test_x(tmp_path, benchmark) -> None:\n"
        ));
        assert!(!uses_benchmark_fixture("def test_x(benchmarks):\n"));
        assert!(!uses_benchmark_fixture(
            "# benchmark(f)\ndef helper(benchmark):\n"
        ));
    }

    #[test]
    fn junit_is_known_by_its_first_element() {
        assert!(is_junit(
            "<?xml version=\"1.0\"?>\n<!-- c -->\n<testsuites>"
        ));
        assert!(is_junit("\u{feff}<testsuite name=\"x\">"));
        assert!(!is_junit("<?xml version=\"1.0\"?><project>"));
        assert!(!is_junit("<!-- unterminated"));
    }
}

//! The bad-input corpus: every case in fixtures/bad/manifest.toml goes through the real
//! binary with the command that reads it, and must exit 2 with a message naming the
//! file, never 0 and never a panic, and leave the file as it was. The JUnit report
//! written for each run must still validate.

use crate::common;

use common::{assert_junit_valid, repo_root, run, run_plain};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Cases run from this build must number at least this many (issue: 60 or more).
const MIN_CASES: usize = 60;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    runner: Vec<Runner>,
    missing: Missing,
    names: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Runner {
    name: String,
    gate: String,
    args: Vec<String>,
    cases: Vec<String>,
    #[serde(default = "yes")]
    reports: bool,
    #[serde(default)]
    pending: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Missing {
    cases: Vec<String>,
}

fn yes() -> bool {
    true
}

fn manifest() -> Manifest {
    let path = repo_root().join("fixtures/bad/manifest.toml");
    let text = std::fs::read_to_string(&path).expect("manifest");
    toml::from_str(&text).unwrap_or_else(|e| panic!("fixtures/bad/manifest.toml: {e}"))
}

/// Every file under fixtures/bad that is a case: files, plus directories that are cases
/// themselves (their contents belong to them).
fn corpus_files(listed: &[&str]) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, listed: &[&str], out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read corpus dir").flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() && !listed.contains(&rel.as_str()) {
                walk(&path, root, listed, out);
            } else {
                out.push(rel);
            }
        }
    }
    let root = repo_root().join("fixtures/bad");
    let mut out = Vec::new();
    walk(&root, &root, listed, &mut out);
    out.retain(|f| {
        !(f.starts_with("good/") || f == "manifest.toml" || f == "generate.py" || f == "README.md")
    });
    out.sort();
    out
}

#[test]
fn every_corpus_file_is_listed_once_and_exists() {
    let manifest = manifest();
    let mut listed: Vec<&str> = manifest
        .runner
        .iter()
        .flat_map(|r| r.cases.iter().map(String::as_str))
        .collect();
    listed.sort();
    let before = listed.len();
    listed.dedup();
    assert_eq!(before, listed.len(), "a case is listed twice");
    let root = repo_root().join("fixtures/bad");
    for case in &listed {
        let exists = root.join(case).exists();
        let meant_missing = manifest.missing.cases.iter().any(|m| m == case);
        assert_eq!(exists, !meant_missing, "case {case}: exists = {exists}");
    }
    for key in manifest.names.keys() {
        assert!(listed.contains(&key.as_str()), "[names] {key} is no case");
    }
    let on_disk = corpus_files(&listed);
    let unlisted: Vec<&String> = on_disk
        .iter()
        .filter(|f| !listed.contains(&f.as_str()))
        .collect();
    assert!(unlisted.is_empty(), "not in the manifest: {unlisted:?}");
}

#[test]
fn every_bad_input_exits_2_naming_the_file() {
    let manifest = manifest();
    let mut problems = Vec::new();
    let mut ran = 0;
    for runner in manifest.runner.iter().filter(|r| r.pending.is_none()) {
        assert!(
            runner.args.iter().any(|a| a.contains("{case}")),
            "{}: args never use {{case}}",
            runner.name
        );
        for case in &runner.cases {
            ran += 1;
            let path = format!("fixtures/bad/{case}");
            let args: Vec<String> = runner
                .args
                .iter()
                .map(|a| a.replace("{case}", &path))
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let case_path = repo_root().join(&path);
            let before = std::fs::read(&case_path).ok();
            // The outcome owns its report folder: keep it until the JUnit file is checked.
            let (code, text, reported) = if runner.reports {
                let out = run(&args);
                if let Some(json) = &out.json {
                    if json["verdict"] != "error" {
                        problems.push(format!("{case}: JSON verdict {}", json["verdict"]));
                    }
                }
                (out.code, format!("{}{}", out.stdout, out.stderr), Some(out))
            } else {
                let out = run_plain(&args);
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                (out.status.code().unwrap_or(-1), text, None)
            };
            if std::fs::read(&case_path).ok() != before {
                problems.push(format!("{case}: reading it changed it"));
            }
            let names = manifest.names.get(case).unwrap_or(&path);
            if code != 2 {
                problems.push(format!("{case} ({}): exit {code}\n{text}", runner.gate));
            }
            if text.contains("panicked") {
                problems.push(format!("{case}: panicked\n{text}"));
            }
            if !text.contains(names.as_str()) {
                problems.push(format!("{case}: output does not name `{names}`\n{text}"));
            }
            if let Some(junit) = reported.as_ref().and_then(|out| out.junit.as_ref()) {
                assert_junit_valid(junit);
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {ran} cases misbehaved:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
    assert!(ran >= MIN_CASES, "only {ran} cases ran");
}

/// A pending runner waits for a gate this build does not have; once `safety-gate gates`
/// lists that gate, the runner must drop `pending` so its cases run.
#[test]
fn pending_runners_wait_only_for_gates_not_yet_built() {
    let manifest = manifest();
    let listed = run_plain(&["gates"]);
    let kinds: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(kinds.iter().any(|k| k == "perf"), "gates: {kinds:?}");
    let root = repo_root().join("fixtures/bad");
    for runner in manifest.runner.iter().filter(|r| r.pending.is_some()) {
        assert_eq!(runner.pending.as_deref(), Some(runner.gate.as_str()));
        assert!(
            !kinds.contains(&runner.gate),
            "runner {} is pending, but this build has the {} gate: remove `pending`",
            runner.name,
            runner.gate
        );
        for case in &runner.cases {
            let meant_missing = manifest.missing.cases.contains(case);
            assert!(
                meant_missing || root.join(case).exists(),
                "pending case {case} is missing"
            );
        }
    }
}

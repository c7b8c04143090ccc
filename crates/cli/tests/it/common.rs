//! Helpers shared by the integration tests: run the real binary from the repo root,
//! parse its JSON report, validate its JUnit output against the committed XSD.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root (tests run the binary from here so paths in output are relative).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// What one run of the binary produced.
pub struct Outcome {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The parsed `--report-json`, when the run was asked for one.
    pub json: Option<serde_json::Value>,
    /// The JUnit path, when the run was asked for one.
    pub junit: Option<PathBuf>,
    /// The folder the reports were written to, removed when the outcome is dropped.
    _reports: tempfile::TempDir,
}

/// Runs `safety-gate ARGS --report-json R --junit J --color never` from the repo root.
pub fn run(args: &[&str]) -> Outcome {
    let reports = tempfile::tempdir().expect("tempdir");
    let json_path = reports.path().join("report.json");
    let junit_path = reports.path().join("junit.xml");
    let mut cmd = Command::cargo_bin("safety-gate").expect("binary");
    cmd.current_dir(repo_root())
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .args(args);
    cmd.arg("--report-json")
        .arg(&json_path)
        .arg("--junit")
        .arg(&junit_path)
        .arg("--color")
        .arg("never");
    let out = cmd.output().expect("runs");
    let json = std::fs::read_to_string(&json_path)
        .ok()
        .map(|t| serde_json::from_str(&t).expect("report is JSON"));
    Outcome {
        code: out.status.code().expect("exit code, not a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        json,
        junit: junit_path.exists().then_some(junit_path),
        _reports: reports,
    }
}

/// A copy of a file or folder of the repository in a temporary folder, for tests that
/// compare an input with an unchanged version of itself (the same file on both sides
/// is refused). Returns the folder (removed when dropped) and the copy's path.
pub fn copy_of(rel: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = repo_root().join(rel);
    let to = dir.path().join(from.file_name().expect("a name"));
    crate::sandbox::copy(&from, &to);
    let text = to.to_str().expect("utf-8 path").to_string();
    (dir, text)
}

/// Runs the binary with exactly these arguments (no report flags added).
pub fn run_plain(args: &[&str]) -> std::process::Output {
    let mut cmd = Command::cargo_bin("safety-gate").expect("binary");
    cmd.current_dir(repo_root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs")
}

/// Asserts the JUnit file validates against fixtures/junit/junit-10.xsd with xmllint.
pub fn assert_junit_valid(path: &Path) {
    let xsd = repo_root().join("fixtures/junit/junit-10.xsd");
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(path)
        .output()
        .expect("xmllint must be installed (Debian package libxml2-utils)");
    assert!(
        out.status.success(),
        "JUnit output does not validate: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

/// Every check of every gate in a JSON report, as (gate name, check) pairs.
pub fn checks(json: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    json["gates"]
        .as_array()
        .expect("gates array")
        .iter()
        .flat_map(|g| {
            let name = g["name"].as_str().unwrap_or_default().to_string();
            g["checks"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |c| (name.clone(), c))
        })
        .collect()
}

/// The check with this id in a JSON report.
pub fn check<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["gates"]
        .as_array()
        .expect("gates array")
        .iter()
        .flat_map(|g| g["checks"].as_array().expect("checks array"))
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check `{id}` in {json:#}"))
}

//! Files that are not what they seem, through the real binary: a named pipe given as
//! any input is refused at once (never a hang), reports named as a device are written
//! through without replacing it, and time limits too large for the clock are refused
//! when parsed (never a panic).

use crate::common;

use assert_cmd::Command;
use common::repo_root;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longest a refused run may take; a read blocked on a pipe would never end.
const PATIENCE: Duration = Duration::from_secs(60);

fn mkfifo(path: &Path) {
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o600)).expect("mkfifo");
}

/// A config with one passing perf gate, for the options only `check` has.
fn passing_config(dir: &Path) -> PathBuf {
    let good = repo_root().join("fixtures/bad/good/perf.json");
    let same = repo_root().join("fixtures/bad/good/perf-current.json");
    let config = dir.join("safety-gate.toml");
    std::fs::write(
        &config,
        format!(
            "[[perf]]\nname = \"t\"\nbaseline = {good:?}\ncurrent = {same:?}\n\
             format = \"generic-json\"\nmetrics = [{{ name = \"t\", pointer = \"/t\" }}]\n"
        ),
    )
    .expect("config");
    config
}

/// Runs the binary from the repo root with a time limit; (exit code, stdout + stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("safety-gate")
        .expect("binary")
        .current_dir(repo_root())
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .args(args)
        .timeout(PATIENCE)
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_named_pipe_as_any_input_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("input.json");
    mkfifo(&fifo);
    let fifo = fifo.to_str().expect("utf-8 path");
    let config = passing_config(dir.path());
    let config = config.to_str().expect("utf-8 path");
    // `{fifo}`, `{config}` and `{good}` stand for the pipe, a passing config and
    // fixtures/bad/good; every other word is one argument.
    let cases = [
        "check --config {fifo}",
        "check --config {config} --waivers {fifo}",
        "check --config {config} --history {fifo}",
        "perf --format generic-json --baseline {fifo} --current {good}/perf.json --metric t=/t",
        "perf --format generic-json --baseline {good}/perf.json --current {fifo} --metric t=/t",
        "perf --format kv --baseline {fifo} --current {good}/perf.log --metric t",
        "perf --baseline {good}/perf.json --current {fifo} --metric t=/t",
        "characterization --results {fifo}",
        "characterization --results fixtures/characterization/junit/pytest/green.xml --expected {fifo}",
        "characterization --baseline {fifo} --current {good}/golden.json",
        "characterization --baseline {good}/golden.json --current {fifo}",
        "characterization --format jsonl --baseline {fifo} --current {good}/golden.jsonl",
        "characterization --format jsonl --baseline {good}/golden.jsonl --current {fifo}",
        "snapshot --schema {fifo} --snapshots {good}/snapshot.json",
        "snapshot --schema {good}/schema.json --snapshots {fifo}",
        "snapshot --schema {good}/schema.json --snapshots {good}/snapshot.json --previous-schema {fifo}",
        "snapshot --schema {good}/schema.json --snapshots {good}/snapshot.json --hashes {fifo}",
    ];
    let cases: Vec<Vec<String>> = cases
        .iter()
        .map(|case| {
            case.replace("{fifo}", fifo)
                .replace("{config}", config)
                .replace("{good}", "fixtures/bad/good")
                .split(' ')
                .map(str::to_string)
                .collect()
        })
        .collect();
    let mut problems = Vec::new();
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, text) = run(&args);
        if code != 2 || !text.contains(fifo) || text.contains("panicked") {
            problems.push(format!("{}: exit {code}\n{text}", args.join(" ")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn reports_named_as_a_device_are_written_through_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (junit, json) = (
        null_device(dir.path(), "junit"),
        null_device(dir.path(), "json"),
    );
    let (code, text) = run(&[
        "perf",
        "--format",
        "generic-json",
        "--baseline",
        "fixtures/bad/good/perf.json",
        "--current",
        "fixtures/bad/good/perf-current.json",
        "--metric",
        "t=/t",
        "--junit",
        junit.to_str().expect("utf-8"),
        "--report-json",
        json.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{text}");
    for device in [junit, json] {
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::symlink_metadata(&device)
            .expect("stat")
            .file_type();
        assert!(kind.is_char_device(), "{} was replaced", device.display());
    }
}

/// A character device like /dev/null: made in `dir` when this process may make
/// devices (so a regression cannot replace the machine's own /dev/null), else
/// /dev/null itself, which such a process cannot replace either.
fn null_device(dir: &Path, name: &str) -> PathBuf {
    use nix::sys::stat::{Mode, SFlag, makedev, mknod};
    let path = dir.join(name);
    match mknod(
        &path,
        SFlag::S_IFCHR,
        Mode::from_bits_truncate(0o666),
        makedev(1, 3),
    ) {
        Ok(()) => path,
        Err(_) => PathBuf::from("/dev/null"),
    }
}

#[test]
fn time_limits_beyond_the_clock_are_refused_when_parsed() {
    for limit in [
        "10000000000000000000",
        "18446744073709551616",
        "1e400",
        "25h",
        "0s",
    ] {
        let (code, text) = run(&[
            "snapshot",
            "--schema",
            "fixtures/bad/good/schema.json",
            "--snapshots",
            "fixtures/bad/good/snapshot.json",
            "--roundtrip",
            "true {snapshot}",
            "--timeout",
            limit,
        ]);
        assert_eq!(code, 2, "{limit}: {text}");
        assert!(!text.contains("panicked"), "{limit}: {text}");
        assert!(text.contains(limit), "{limit}: {text}");
    }
}

#[test]
fn the_history_is_read_within_the_input_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = passing_config(dir.path());
    let history = dir.path().join("history.jsonl");
    let line = "{\"time\":\"2026-01-01T00:00:00Z\",\"verdict\":\"pass\",\"checks\":[]}\n";
    std::fs::write(&history, line.repeat(100)).expect("history");
    let before = std::fs::read(&history).expect("read");
    let (code, text) = run(&[
        "check",
        "--config",
        config.to_str().expect("utf-8"),
        "--history",
        history.to_str().expect("utf-8"),
        "--max-input-size",
        "1KiB",
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("over the limit of 1024 bytes"), "{text}");
    assert_eq!(
        std::fs::read(&history).expect("read"),
        before,
        "history rewritten"
    );
}

#[test]
fn golden_numbers_compare_by_exact_value_through_the_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pair = |name: &str, baseline: &str, current: &str| {
        let (b, c) = (
            dir.path().join(format!("{name}-b.json")),
            dir.path().join(format!("{name}-c.json")),
        );
        std::fs::write(&b, baseline).expect("write");
        std::fs::write(&c, current).expect("write");
        let (b, c) = (b.display().to_string(), c.display().to_string());
        run(&["characterization", "--baseline", &b, "--current", &c])
    };
    // Values a double cannot tell apart are a rollback; spellings of one value pass.
    for (baseline, current) in [
        (
            "{\"id\": 18446744073709551616}",
            "{\"id\": 18446744073709551617}",
        ),
        ("{\"n\": 9007199254740993}", "{\"n\": 9007199254740992.0}"),
        ("{\"x\": 0.1}", "{\"x\": 0.10000000000000000001}"),
        // A string spelling the private NaN marker is a string, not NaN.
        ("{\"x\": NaN}", "{\"x\": \"\u{E000}NaN\"}"),
        ("{\"x\": NaN}", "{\"x\": \"\\ue000NaN\"}"),
    ] {
        let (code, text) = pair("differ", baseline, current);
        assert_eq!(code, 1, "{baseline} vs {current}: {text}");
    }
    for (baseline, current) in [
        ("{\"n\": 1000}", "{\"n\": 1000.0}"),
        ("{\"n\": 1e3, \"x\": NaN}", "{\"n\": 1000, \"x\": NaN}"),
    ] {
        let (code, text) = pair("same", baseline, current);
        assert_eq!(code, 0, "{baseline} vs {current}: {text}");
    }
}

//! The perf gate end to end: the demo, a townlet-shaped baseline, the kv reader, every
//! exit code, the JSON report and the JUnit output.

use crate::common;

use common::{assert_junit_valid, check, run, run_plain};
use serde_json::json;
use std::path::Path;

const TOWNLET_SHAPED: &str = "fixtures/perf/townlet-shaped/performance.json";
const TICK_MS: &str = "tick_ms=/tick_performance/average_tick_ms";
const TPS: &str = "ticks_per_s=/tick_performance/throughput_ticks_per_second:higher";

/// Writes a copy of the townlet-shaped baseline whose ticks are `factor` times slower.
fn slowed(dir: &Path, factor: f64) -> String {
    let text = std::fs::read_to_string(common::repo_root().join(TOWNLET_SHAPED)).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let perf = &mut doc["tick_performance"];
    perf["average_tick_ms"] = json!(perf["average_tick_ms"].as_f64().expect("ms") * factor);
    perf["throughput_ticks_per_second"] =
        json!(perf["throughput_ticks_per_second"].as_f64().expect("tps") / factor);
    let path = dir.join(format!("current-{factor}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn six_percent_slower_rolls_back_four_percent_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let six = slowed(dir.path(), 1.06);
    let out = run(&[
        "perf",
        "--baseline",
        TOWNLET_SHAPED,
        "--current",
        &six,
        "--metric",
        TICK_MS,
        "--metric",
        TPS,
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(json["verdict"], "rollback");
    let tick = check(&json, "tick_ms");
    assert_eq!(tick["status"], "fail");
    assert_eq!(tick["baseline"], 2.0);
    assert!((tick["change"].as_f64().expect("change") - 0.06).abs() < 1e-9);
    assert_eq!(tick["threshold"], 0.05);
    assert_eq!(check(&json, "ticks_per_s")["status"], "fail");
    assert_junit_valid(&out.junit.expect("junit"));

    let four = slowed(dir.path(), 1.04);
    let out = run(&[
        "perf",
        "--baseline",
        TOWNLET_SHAPED,
        "--current",
        &four,
        "--metric",
        TICK_MS,
        "--metric",
        TPS,
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(json["verdict"], "pass");
    assert!((check(&json, "tick_ms")["change"].as_f64().expect("change") - 0.04).abs() < 1e-9);
    assert_junit_valid(&out.junit.expect("junit"));
}

#[test]
fn per_run_threshold_applies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let six = slowed(dir.path(), 1.06);
    let out = run(&[
        "perf",
        "--baseline",
        TOWNLET_SHAPED,
        "--current",
        &six,
        "--metric",
        TICK_MS,
        "--threshold",
        "10%",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        check(&out.json.expect("report"), "tick_ms")["threshold"],
        0.1
    );
}

#[test]
fn demo_passes_with_reports() {
    let out = run(&["check"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let json = out.json.expect("report");
    assert_eq!(json["verdict"], "pass");
    assert!(
        json["gates"]
            .as_array()
            .expect("gates")
            .iter()
            .all(|g| g["verdict"] == "pass")
    );
    assert_junit_valid(&out.junit.expect("junit"));
}

#[test]
fn regressed_demo_rolls_back_and_reads_like_this() {
    let out = run(&["check", "--config", "fixtures/demo/regressed.toml"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(json["verdict"], "rollback");
    let log = check(&json, "average_tick_seconds");
    assert_eq!(log["status"], "fail");
    assert_eq!(
        log["location"]["line"], 5,
        "the kv reader names the line it read"
    );
    assert_junit_valid(&out.junit.expect("junit"));
    insta::assert_snapshot!("regressed_demo_human", out.stdout);
}

#[test]
fn kv_reader_finds_the_value_among_log_noise() {
    let out = run(&[
        "perf",
        "--format",
        "kv",
        "--baseline",
        "baselines/perf/tick_benchmark.txt",
        "--current",
        "fixtures/demo/perf/tick_benchmark.txt",
        "--metric",
        "average_tick_seconds",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json.expect("report");
    let c = check(&json, "average_tick_seconds");
    assert_eq!(c["baseline"], 0.00125);
    assert_eq!(c["current"], 0.0012625);
}

#[test]
fn missing_input_is_exit_2_naming_the_file() {
    let out = run(&[
        "perf",
        "--baseline",
        TOWNLET_SHAPED,
        "--current",
        "no/such/file.json",
        "--metric",
        TICK_MS,
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("no/such/file.json"), "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(json["verdict"], "error");
    assert_eq!(check(&json, "current")["status"], "error");
    assert_junit_valid(&out.junit.expect("junit"));
}

#[test]
fn malformed_and_degenerate_inputs_are_exit_2_with_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "truncated.json",
            "{\n  \"tick_performance\": {\n    \"average_tick_ms\": 1.0,\n",
            "truncated.json:4",
        ),
        ("empty.json", "", "empty.json is empty"),
        (
            "zero.json",
            "{\"tick_performance\": {\"average_tick_ms\": 0}}",
            "not positive",
        ),
        (
            "string.json",
            "{\"tick_performance\": {\"average_tick_ms\": \"1.0\"}}",
            "not a number",
        ),
        (
            "missing.json",
            "{\"tick_performance\": {}}",
            "no value at `/tick_performance/average_tick_ms`",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let path = path.to_string_lossy().into_owned();
        // The bad file as baseline, then as current.
        for (b, c) in [
            (path.as_str(), TOWNLET_SHAPED),
            (TOWNLET_SHAPED, path.as_str()),
        ] {
            let out = run(&["perf", "--baseline", b, "--current", c, "--metric", TICK_MS]);
            if name == "zero.json" && b == TOWNLET_SHAPED {
                // A zero current time is a 100% improvement, not an error.
                assert_eq!(out.code, 0, "{name}: {}", out.stdout);
                continue;
            }
            assert_eq!(out.code, 2, "{name}: {}", out.stdout);
            assert!(
                out.stdout.contains(expected),
                "{name}: expected `{expected}` in\n{}",
                out.stdout
            );
        }
    }
}

#[test]
fn kv_non_finite_value_is_exit_2_naming_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nan.txt");
    std::fs::write(&path, "noise\naverage_tick_seconds=NaN\n").expect("write");
    let out = run(&[
        "perf",
        "--format",
        "kv",
        "--baseline",
        "baselines/perf/tick_benchmark.txt",
        "--current",
        path.to_str().expect("utf-8"),
        "--metric",
        "average_tick_seconds",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("nan.txt:2"), "{}", out.stdout);
}

#[test]
fn new_metric_is_skipped_missing_metric_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("base.log");
    let cur = dir.path().join("cur.log");
    std::fs::write(&base, "a=1\nb=2\n").expect("write");
    std::fs::write(&cur, "a=1\nc=3\n").expect("write");
    let (base, cur) = (base.to_str().expect("utf-8"), cur.to_str().expect("utf-8"));
    let out = run(&[
        "perf",
        "--format",
        "kv",
        "--baseline",
        base,
        "--current",
        cur,
    ]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(check(&json, "b")["status"], "error");
    assert_eq!(check(&json, "c")["status"], "skip");
    assert_eq!(check(&json, "c")["message"], "no baseline yet");

    let out = run(&[
        "perf",
        "--format",
        "kv",
        "--baseline",
        base,
        "--current",
        cur,
        "--missing",
        "skip",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let out = run(&[
        "perf",
        "--format",
        "kv",
        "--baseline",
        base,
        "--current",
        cur,
        "--missing",
        "fail",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
}

#[test]
fn hostile_names_keep_junit_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("b.json");
    let cur = dir.path().join("c.json");
    std::fs::write(&base, "{\"x\": 1.0}").expect("write");
    std::fs::write(&cur, "{\"x\": 2.0}").expect("write");
    let name = "evil]]><x \"&\u{1}\u{7f}\u{fffe}'>=/x";
    let out = run(&[
        "perf",
        "--baseline",
        base.to_str().expect("utf-8"),
        "--current",
        cur.to_str().expect("utf-8"),
        "--metric",
        name,
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_junit_valid(&out.junit.expect("junit"));
}

#[test]
fn config_errors_are_exit_2_naming_file_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("empty.toml", "", "is empty"),
        ("nogates.toml", "[reports]\n", "defines no gate"),
        (
            "unknown.toml",
            "[[perf]]\nname = \"a\"\nbaseline = \"b\"\ncurrent = \"c\"\nthreshhold = \"5%\"\n",
            "unknown.toml:5:1",
        ),
        (
            "bare.toml",
            "[[perf]]\nname = \"a\"\nbaseline = \"b\"\ncurrent = \"c\"\nthreshold = 5\n",
            "bare.toml:5",
        ),
        (
            "dup.toml",
            "[[perf]]\nname = \"a\"\nbaseline = \"b\"\ncurrent = \"c\"\n[[perf]]\nname = \"a\"\nbaseline = \"b\"\ncurrent = \"c\"\n",
            "two gates are named `a`",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let out = run(&["check", "--config", path.to_str().expect("utf-8")]);
        assert_eq!(out.code, 2, "{name}: {}", out.stdout);
        assert!(
            out.stdout.contains(expected),
            "{name}: expected `{expected}` in\n{}",
            out.stdout
        );
        assert_eq!(out.json.expect("report")["verdict"], "error");
    }
    let out = run(&["check", "--config", "no/such/safety-gate.toml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("no/such/safety-gate.toml"),
        "{}",
        out.stdout
    );
}

#[test]
fn help_documents_exit_codes() {
    let out = run_plain(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for line in ["0  pass", "1  rollback", "2  cannot decide"] {
        assert!(text.contains(line), "--help lacks `{line}`:\n{text}");
    }
}

#[test]
fn unwritable_report_turns_pass_into_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").expect("write");
    let target = blocker.join("report.json");
    let out = run_plain(&["check", "--report-json", target.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("report.json"));
}

//! The formats added for the benchmark tools the peers read (libtest, criterion's
//! terminal output, Catch2, benchmark.js, JMH, BenchmarkDotNet, Julia, asv, Vitest,
//! callgrind, BMF, Luau), each on its real-tool fixture through the binary, explicitly
//! and auto-detected; and the fail-closed reads: failed or skipped measurements,
//! zero times and sides that disagree are errors, never speed-ups.

use crate::common;

use common::{check, run};
use std::path::Path;

const F: &str = "fixtures/perf";

/// (format, baseline, slowed current, ids the slowdown must fail).
const SLOWED: &[(&str, &str, &str, &[&str])] = &[
    (
        "libtest",
        "libtest/bencher-base.txt",
        "libtest/bencher-slow.txt",
        &["sum/large", "sum/small"],
    ),
    (
        "criterion-text",
        "criterion-text/base.txt",
        "criterion-text/slow.txt",
        &["sum/small"],
    ),
    (
        "catch2",
        "catch2/base.txt",
        "catch2/slow.txt",
        &["sum of the first twenty thousand integers, a long name that wraps"],
    ),
    (
        "benchmarkjs",
        "benchmarkjs/base.txt",
        "benchmarkjs/slow.txt",
        &["sum x 1000", "sum(20000)"],
    ),
    (
        "jmh",
        "jmh/base.json",
        "jmh/slow.json",
        &[
            "org.sample.SumBench.sum (size=1000) (thrpt)",
            "org.sample.SumBench.sum (size=1000) (avgt)",
        ],
    ),
    (
        "benchmarkdotnet",
        "benchmarkdotnet/base.json",
        "benchmarkdotnet/slow.json",
        &["Sample.Benchmarks.Fib10", "Sample.Benchmarks.Fib20"],
    ),
    (
        "julia",
        "julia/base.json",
        "julia/slow.json",
        &["sum/small", "sum/large"],
    ),
    (
        "asv",
        "asv/base.json",
        "asv/slow.json",
        &["bench.TimeSuite.time_sum_large", "bench.mem_list"],
    ),
    (
        "asv",
        "asv/run-base.txt",
        "asv/run-slow.txt",
        &["bench.TimeSuite.time_sum_large", "bench.mem_list"],
    ),
    (
        "vitest",
        "vitest/base.json",
        "vitest/slow.json",
        &["bench/sum.bench.js > sum > large"],
    ),
    (
        "callgrind",
        "callgrind/iai-base.txt",
        "callgrind/iai-slow.txt",
        &["iai_sum_small"],
    ),
    (
        "callgrind",
        "callgrind/gungraun-base.txt",
        "callgrind/gungraun-slow.txt",
        &["gung::demo::bench_sum large", "gung::demo::bench_sum small"],
    ),
    (
        "callgrind",
        "callgrind/gungraun-base.json",
        "callgrind/gungraun-slow.json",
        &["gung::demo::bench_sum large", "gung::demo::bench_sum small"],
    ),
    (
        "bmf",
        "bmf/base.json",
        "bmf/slow.json",
        &["sum::small", "sum::large:throughput"],
    ),
    (
        "benchmarkluau",
        "benchmarkluau/base.txt",
        "benchmarkluau/slow.txt",
        &["base64", "life"],
    ),
];

/// Each benchmark is judged on its own (`--family benchmark`): these fixtures were
/// recorded on a loaded two-core machine, and some of their slowdowns are inconclusive at
/// 2% false alarms for the whole gate (see `perf_decision.rs` for the family).
fn perf(baseline: &str, current: &str, extra: &[&str]) -> common::Outcome {
    let (b, c) = (format!("{F}/{baseline}"), format!("{F}/{current}"));
    let mut args = vec![
        "perf",
        "--family",
        "benchmark",
        "--baseline",
        b.as_str(),
        "--current",
        c.as_str(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn every_new_format_finds_the_slowdown_and_passes_unchanged_input() {
    for (format, base, slow, failing) in SLOWED {
        let out = perf(base, slow, &["--format", format]);
        assert_eq!(out.code, 1, "{format} {base}: {}", out.stdout);
        let json = out.json.expect("report");
        for id in *failing {
            let c = check(&json, id);
            assert_eq!(c["status"], "fail", "{format} {id}: {c:#}");
        }
        // Unchanged input: the baseline against a copy of itself (one file on both
        // sides is refused), in a copy of its format's folder.
        let (folder, inside) = base.split_once('/').expect("format folder");
        let (_copy, copy) = common::copy_of(&format!("{F}/{folder}"));
        let copy = format!("{copy}/{inside}");
        let b = format!("{F}/{base}");
        let same = run(&[
            "perf",
            "--baseline",
            &b,
            "--current",
            &copy,
            "--format",
            format,
        ]);
        assert_eq!(
            same.code, 0,
            "{format} {base} against itself: {}",
            same.stdout
        );
    }
}

#[test]
fn auto_detection_reads_every_new_format_and_says_which() {
    for (format, base, slow, failing) in SLOWED {
        let out = perf(base, slow, &[]);
        assert_eq!(out.code, 1, "{format}: {}", out.stdout);
        let json = out.json.expect("report");
        let message = check(&json, failing[0])["message"]
            .as_str()
            .expect("message")
            .to_string();
        assert!(
            message.ends_with(&format!("[read as {format} (auto-detected)]")),
            "{format}: {message}"
        );
    }
}

#[test]
fn callgrind_counts_are_judged_without_statistics() {
    let out = perf(
        "callgrind/gungraun-base.json",
        "callgrind/gungraun-slow.json",
        &[],
    );
    let json = out.json.expect("report");
    let c = check(&json, "gung::demo::bench_sum large");
    assert!(c.get("p_value").is_none(), "{c:#}");
    assert!(
        (c["change"].as_f64().expect("change") - 0.2523).abs() < 1e-3,
        "{c:#}"
    );
}

/// Writes `text` to a file in `dir` and returns its path as a string.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

fn perf_files(baseline: &str, current: &str, extra: &[&str]) -> common::Outcome {
    let mut args = vec!["perf", "--baseline", baseline, "--current", current];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn failed_or_skipped_measurements_are_errors_naming_the_benchmark() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let cases: Vec<(String, String, &str)> = vec![
        (
            write(
                d,
                "gb-base.json",
                r#"{"context": {}, "benchmarks": [{"name": "BM_x", "run_name": "BM_x", "run_type": "iteration", "real_time": 100, "time_unit": "ns"}]}"#,
            ),
            write(
                d,
                "gb-cur.json",
                r#"{"context": {}, "benchmarks": [{"name": "BM_x", "run_name": "BM_x", "run_type": "iteration", "skipped": true, "skip_message": "no device", "real_time": 0, "time_unit": "ns"}]}"#,
            ),
            "BM_x",
        ),
        (
            write(
                d,
                "hf-base.json",
                r#"{"results": [{"command": "work", "times": [1.0, 1.1, 0.9], "exit_codes": [0, 0, 0]}]}"#,
            ),
            write(
                d,
                "hf-cur.json",
                r#"{"results": [{"command": "work", "times": [0.01, 0.01, 0.01], "exit_codes": [1, 1, 1]}]}"#,
            ),
            "work",
        ),
        (
            write(d, "go-base.txt", "BenchmarkX-8 100 50 ns/op\n"),
            write(
                d,
                "go-cur.txt",
                "--- FAIL: BenchmarkX-8\n    x_test.go:9: boom\nFAIL\nFAIL\tdemo\t0.1s\n",
            ),
            "BenchmarkX",
        ),
        (
            write(
                d,
                "custom-base.json",
                r#"[{"name": "t", "unit": "ms", "value": 12}]"#,
            ),
            write(
                d,
                "custom-cur.json",
                r#"[{"name": "t", "unit": "ms", "value": -0}]"#,
            ),
            "t",
        ),
        (
            write(d, "kv-base.txt", "tick_ms=10\n"),
            write(d, "kv-cur.txt", "tick_ms=0\n"),
            "tick_ms",
        ),
    ];
    for (base, cur, id) in &cases {
        let out = perf_files(base, cur, &[]);
        assert_eq!(out.code, 2, "{cur}: {}", out.stdout);
        let json = out.json.expect("report");
        let c = check(&json, id);
        assert_eq!(c["status"], "error", "{cur}: {c:#}");
        assert!(
            c["message"].as_str().expect("message").contains(id),
            "{c:#}"
        );
    }
}

#[test]
fn the_current_file_cannot_decide_direction_or_unit_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let base = write(d, "base.txt", "tick_ms=10\n");
    let cur = write(
        d,
        "cur.json",
        r#"[{"name": "tick_ms", "unit": "ops/s", "value": 20}]"#,
    );
    let out = perf_files(&base, &cur, &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let json = out.json.expect("report");
    let message = check(&json, "tick_ms")["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(
        message.contains("disagree") || message.contains("unit"),
        "{message}"
    );
    // The same with the units agreeing on direction but present on one side only.
    let cur = write(
        d,
        "cur2.json",
        r#"[{"name": "tick_ms", "unit": "ms", "value": 5}]"#,
    );
    let out = perf_files(&base, &cur, &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
}

#[test]
fn bytes_do_not_decide_direction_under_auto() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let base = write(
        d,
        "base.json",
        r#"[{"name": "Free Memory", "unit": "MB", "value": 150}]"#,
    );
    let cur = write(
        d,
        "cur.json",
        r#"[{"name": "Free Memory", "unit": "MB", "value": 100}]"#,
    );
    let out = perf_files(&base, &cur, &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("custom-bigger-is-better"),
        "{}",
        out.stdout
    );
    let out = perf_files(&base, &cur, &["--format", "custom-bigger-is-better"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
}

#[test]
fn text_no_format_reads_is_refused_listing_the_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = write(dir.path(), "rules.txt", "=====\nnothing == here\n");
    let again = write(dir.path(), "again.txt", "=====\nnothing == here\n");
    let out = perf_files(&rules, &again, &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("matches no known benchmark format"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("catch2") && out.stdout.contains("libtest"),
        "{}",
        out.stdout
    );
    let crit = format!("{F}/criterion-text/base.txt");
    let out = perf_files(&crit, &crit, &["--format", "criterion"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("criterion-text"), "{}", out.stdout);
}

#[test]
fn help_lists_every_format() {
    let out = common::run_plain(&["perf", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for (_, name) in safety_gate_perf::formats::FORMATS {
        assert!(help.contains(name), "--help does not list {name}");
    }
}

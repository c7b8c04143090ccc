//! From an empty folder to a gate that means something, with a real pytest suite and
//! real pytest-benchmark output: `init` writes the config, `baseline accept` records the
//! first baselines, `check` passes; a benchmark made 20% slower rolls back; a result file
//! the command no longer writes is stale, and an error.
//!
//! pytest and pytest-benchmark come from `target/ci-tools/pytest`, which `.ci/setup-tools`
//! (part of the README's test command) installs. Without them the test fails, saying so:
//! it is never skipped.

use crate::sandbox;

use sandbox::{code, repo_root, shown};
use std::path::{Path, PathBuf};

/// The `bin` folder of the environment holding pytest and pytest-benchmark.
fn pytest_bin() -> PathBuf {
    let bin = repo_root().join("target/ci-tools/pytest/bin");
    let ok = std::process::Command::new(bin.join("python3"))
        .args(["-c", "import pytest, pytest_benchmark"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "pytest and pytest-benchmark are missing from {}: run .ci/setup-tools (the README's \
         test command does)",
        bin.display()
    );
    bin
}

/// A project with a module whose work sleeps (so timings hold on a busy machine: a
/// scheduling delay of a few milliseconds stays far below 5% of a 200 ms sleep), a
/// plain test and a benchmark of the work. `slowdown.txt` scales the work.
fn write_project(dir: &Path) {
    let files = [
        ("pytest.ini", "[pytest]\npythonpath = .\n"),
        (
            "app.py",
            "import time\n\n\ndef slowdown():\n    with open(\"slowdown.txt\") as f:\n        \
             return float(f.read())\n\n\ndef work(seconds):\n    time.sleep(seconds * slowdown())\n    \
             return seconds\n",
        ),
        ("slowdown.txt", "1.0\n"),
        (
            "tests/test_app.py",
            "from app import work\n\n\ndef test_work_returns_its_input():\n    \
             assert work(0) == 0\n\n\ndef test_work_speed(benchmark):\n    \
             benchmark.pedantic(work, args=(0.2,), rounds=5, iterations=1)\n",
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

#[test]
fn init_accept_check_then_a_slower_benchmark_rolls_back_and_stale_results_are_errors() {
    let bin = pytest_bin();
    let project = tempfile::tempdir().expect("tempdir");
    write_project(project.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("safety-gate")
            .expect("binary")
            .current_dir(project.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_ACTIONS")
            .args(args)
            .output()
            .expect("runs")
    };
    let stdout = |out: &std::process::Output| String::from_utf8_lossy(&out.stdout).into_owned();

    let out = run(&["init"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(
        stdout(&out).contains("with 2 gate(s): characterization/tests, perf/benchmarks"),
        "{}",
        shown(&out)
    );
    assert!(
        stdout(&out).contains("safety-gate baseline accept"),
        "{}",
        shown(&out)
    );
    let config = std::fs::read_to_string(project.path().join("safety-gate.toml")).expect("config");
    assert!(
        config.contains("--benchmark-json=reports/benchmark.json"),
        "{config}"
    );
    // Never overwritten without --force.
    let out = run(&["init"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--force"),
        "{}",
        shown(&out)
    );

    let out = run(&["baseline", "accept"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    for file in [
        "baselines/perf/benchmarks.json",
        "baselines/characterization/tests-expected.txt",
    ] {
        assert!(
            project.path().join(file).is_file(),
            "{file}: {}",
            shown(&out)
        );
    }
    let manifest = std::fs::read_to_string(
        project
            .path()
            .join("baselines/characterization/tests-expected.txt"),
    )
    .expect("manifest");
    assert!(manifest.contains("test_work_speed"), "{manifest}");

    let out = run(&["check"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(
        stdout(&out).contains("verdict: PASS (exit 0)"),
        "{}",
        shown(&out)
    );

    // The change under test makes the work 20% slower: the check rolls it back.
    std::fs::write(project.path().join("slowdown.txt"), "1.2\n").expect("write");
    let out = run(&["check"]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let text = stdout(&out);
    assert!(text.contains("FAIL  perf/benchmarks"), "{text}");
    assert!(text.contains("test_work_speed"), "{text}");
    assert!(text.contains("verdict: ROLLBACK (exit 1)"), "{text}");

    // The command no longer writes the file the gate reads (a typo in the config): the
    // file left by the last run is stale, and an error, even though it would pass.
    std::fs::write(project.path().join("slowdown.txt"), "1.0\n").expect("write");
    let out = run(&["check"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let typo = config.replace(
        "--benchmark-json=reports/benchmark.json",
        "--benchmark-json=reports/benchmarks.json",
    );
    std::fs::write(project.path().join("safety-gate.toml"), typo).expect("write");
    let out = run(&["check"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    let text = stdout(&out);
    assert!(
        text.contains("ERROR perf/benchmarks stale:reports/benchmark.json"),
        "{text}"
    );
    assert!(text.contains("stale results never pass"), "{text}");
}

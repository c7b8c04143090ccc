//! Init on small projects made in a temporary folder: what it finds, and that what it
//! writes loads as a config with the gates it names.

use super::*;
use std::path::PathBuf;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn labels(dir: &tempfile::TempDir) -> Vec<String> {
    plan(dir.path(), &dir.path().join("safety-gate.toml"))
        .expect("plan")
        .config
        .gates
}

const PYTEST_BENCHMARK: &str = include_str!("../../../../fixtures/perf/pytest-benchmark/base.json");

#[test]
fn a_pytest_suite_with_benchmarks_gets_one_producer_for_two_gates() {
    let dir = project(&[
        (
            "tests/test_sum.py",
            "def test_sum(benchmark):\n    benchmark(sum, [1, 2])\n",
        ),
        (
            "tests/test_plain.py",
            "def test_plain():\n    assert True\n",
        ),
    ]);
    let plan = plan(dir.path(), &dir.path().join("safety-gate.toml")).expect("plan");
    assert_eq!(
        plan.config.gates,
        ["characterization/tests", "perf/benchmarks"]
    );
    let config =
        config::parse(&dir.path().join("safety-gate.toml"), &plan.config.text).expect("loads");
    let run = |i: usize| config.instances()[i].producer().expect("run").argv.clone();
    assert_eq!(run(0), run(1), "one command writes both");
    assert_eq!(
        run(0),
        [
            "python3",
            "-m",
            "pytest",
            "-q",
            "--junitxml=reports/junit.xml",
            "--benchmark-json=reports/benchmark.json"
        ]
    );
    assert_eq!(plan.findings.pytest_tests.len(), 2);
}

#[test]
fn results_on_disk_become_gates_of_their_format() {
    let dir = project(&[
        ("out/bench.json", PYTEST_BENCHMARK),
        (
            "reports/junit-1.xml",
            "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"s\" tests=\"0\"/></testsuites>\n",
        ),
        ("reports/other.xml", "<project/>"),
        ("schemas/state.schema.json", "{\"type\": \"object\"}"),
        ("tests/snapshots/one.json", "{}"),
        ("package.json", "{\"name\": \"x\"}"),
        ("node_modules/x/junit.xml", "<testsuites/>"),
    ]);
    assert_eq!(
        labels(&dir),
        ["perf/bench", "characterization/junit", "snapshot/state"]
    );
    let plan = plan(dir.path(), &dir.path().join("safety-gate.toml")).expect("plan");
    assert!(
        plan.config.text.contains("format = \"pytest-benchmark\""),
        "{}",
        plan.config.text
    );
    assert!(
        plan.config
            .text
            .contains("snapshots = [\"tests/snapshots/*.json\"]"),
        "{}",
        plan.config.text
    );
    assert_eq!(plan.findings.junit, [PathBuf::from("reports/junit-1.xml")]);
}

#[test]
fn an_empty_project_is_an_error_that_says_what_init_looks_for() {
    let dir = project(&[("README.md", "hello")]);
    let err = plan(dir.path(), &dir.path().join("safety-gate.toml")).expect_err("nothing");
    assert!(
        err.contains("found nothing to gate") && err.contains("pytest"),
        "{err}"
    );
}

#[test]
fn names_are_unique_and_next_steps_name_a_non_default_config() {
    let dir = project(&[
        ("a/bench.json", PYTEST_BENCHMARK),
        ("b/bench.json", PYTEST_BENCHMARK),
    ]);
    let config_path = dir.path().join("ci/gates.toml");
    let plan = plan(dir.path(), &config_path).expect("plan");
    assert_eq!(plan.config.gates, ["perf/bench", "perf/bench-2"]);
    let steps = next_steps(Path::new("ci/gates.toml"), &plan);
    assert!(
        steps.contains("safety-gate baseline accept --config ci/gates.toml"),
        "{steps}"
    );
    assert!(
        steps.contains("safety-gate hook install --config ci/gates.toml"),
        "{steps}"
    );
}

//! The characterization gate end to end: strict and lenient JUnit rules on real pytest
//! and nextest reports, the expected-tests manifest, malformed and hostile XML, golden
//! JSON and JSONL drift with tolerances and redactions, and the reports it writes.

use crate::common;
use crate::sandbox;

use common::{assert_junit_valid, check, run};
use serde_json::{Value, json};
use std::path::Path;

const PYTEST: &str = "fixtures/characterization/junit/pytest";
const METRICS: &str = "baselines/characterization/metrics.json";

fn pytest(name: &str) -> String {
    format!("{PYTEST}/{name}.xml")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn one_skip_passes_lenient_and_rolls_back_strict() {
    let lenient = run(&[
        "characterization",
        "--results",
        &pytest("one-skip"),
        "--lenient",
    ]);
    assert_eq!(lenient.code, 0, "{}", lenient.stdout);
    let json = lenient.json.expect("report");
    assert_eq!(check(&json, "no-skips")["status"], "warn");

    let strict = run(&["characterization", "--results", &pytest("one-skip")]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    let json = strict.json.expect("report");
    let skips = check(&json, "no-skips");
    assert_eq!(skips["status"], "fail");
    assert_eq!(
        skips["message"],
        "1 test skipped: tests.test_skip::test_regenerate_golden"
    );
    assert_junit_valid(&strict.junit.expect("junit"));
}

#[test]
fn zero_testcases_rolls_back_strict() {
    let out = run(&["characterization", "--results", &pytest("empty")]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let executed = check(out.json.as_ref().expect("report"), "tests-executed");
    assert_eq!(executed["status"], "fail");
    assert_eq!(
        executed["message"],
        "no test executed: no testcase in 1 file"
    );
}

#[test]
fn manifest_naming_an_absent_test_rolls_back_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = write(
        dir.path(),
        "expected-tests.txt",
        "# pinned suite\ntests.test_green::test_slugify_words\ntests.test_green::test_deleted_by_refactor\n",
    );
    let out = run(&[
        "characterization",
        "--results",
        &pytest("green"),
        "--expected",
        &manifest,
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let missing = check(out.json.as_ref().expect("report"), "expected-tests");
    assert_eq!(missing["status"], "fail");
    assert_eq!(
        missing["message"],
        "1 test expected but did not run: tests.test_green::test_deleted_by_refactor"
    );
    assert_eq!(
        missing["details"],
        json!(["tests.test_green::test_deleted_by_refactor (absent)"])
    );
    assert!(
        out.stdout.contains("test_deleted_by_refactor"),
        "{}",
        out.stdout
    );
}

#[test]
fn malformed_xml_is_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = write(
        dir.path(),
        "junit.xml",
        "<testsuites>\n  <testsuite name=\"s\">\n    <testcase name=\"a\">\n  </testsuite>\n</testsuites>\n",
    );
    let out = run(&["characterization", "--results", &bad]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let json = out.json.expect("report");
    let error = check(&json, &format!("results:{bad}"));
    assert_eq!(error["status"], "error");
    assert_eq!(error["location"]["line"], 4);
    let message = error["message"].as_str().expect("message");
    assert!(message.starts_with(&format!("{bad}:4:")), "{message}");
    // No rule is judged on partial input.
    assert_eq!(json["gates"][0]["checks"].as_array().map(Vec::len), Some(1));
}

#[test]
fn doctype_is_refused_and_no_file_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = write(dir.path(), "secret.txt", "TOP-SECRET");
    let xxe = write(
        dir.path(),
        "xxe.xml",
        &format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM \"file://{secret}\">]>\n<testsuite><testcase name=\"&x;\"/></testsuite>\n"
        ),
    );
    let out = run(&["characterization", "--results", &xxe]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("DOCTYPE"), "{}", out.stdout);
    let report = serde_json::to_string(&out.json.expect("report")).expect("json");
    assert!(!report.contains("TOP-SECRET"));
}

#[test]
fn shards_merge_and_duplicates_are_reported() {
    let out = run(&[
        "characterization",
        "--results",
        &format!("{PYTEST}/shard-*.xml"),
    ]);
    // shard-1, shard-2 and shard-2-with-skip: the skip fails, and shard-2's tests appear twice.
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    let dupes = check(&json, "unique-test-ids");
    assert_eq!(dupes["status"], "fail");
    assert!(
        dupes["message"]
            .as_str()
            .expect("message")
            .starts_with("3 tests reported by more than one file (overlapping shards?)"),
        "{dupes}"
    );

    let clean = run(&[
        "characterization",
        "--results",
        &pytest("shard-1"),
        "--results",
        &pytest("shard-2"),
        "--expected",
        "baselines/characterization/expected-tests.txt",
    ]);
    assert_eq!(clean.code, 0, "{}", clean.stdout);
}

#[test]
fn real_nextest_and_collection_errors_fail_in_both_modes() {
    for file in [
        "fixtures/characterization/junit/nextest/failing.xml",
        &pytest("collection-error"),
    ] {
        let out = run(&["characterization", "--results", file, "--lenient"]);
        assert_eq!(out.code, 1, "{file}: {}", out.stdout);
        let failures = check(out.json.as_ref().expect("report"), "no-failures");
        assert_eq!(failures["status"], "fail");
    }
    let green = run(&[
        "characterization",
        "--results",
        "fixtures/characterization/junit/nextest/green.xml",
    ]);
    assert_eq!(green.code, 0, "{}", green.stdout);
}

#[test]
fn write_expected_writes_the_manifest_of_a_green_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = dir.path().join("expected-tests.txt");
    let manifest = manifest.to_string_lossy();
    let out = run(&[
        "characterization",
        "--results",
        &pytest("green"),
        "--write-expected",
        &manifest,
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let written = std::fs::read_to_string(&*manifest).expect("written");
    let committed = std::fs::read_to_string(
        common::repo_root().join("baselines/characterization/expected-tests.txt"),
    )
    .expect("committed manifest");
    assert_eq!(written, committed);

    let red = run(&[
        "characterization",
        "--results",
        &pytest("one-skip"),
        "--write-expected",
        &format!("{manifest}.red"),
    ]);
    assert_eq!(red.code, 1, "{}", red.stdout);
    assert!(!Path::new(&format!("{manifest}.red")).exists());
}

/// A copy of the metrics baseline with one nested value changed.
fn drifted_metrics(dir: &Path) -> String {
    let text = std::fs::read_to_string(common::repo_root().join(METRICS)).expect("baseline");
    let mut doc: Value = serde_json::from_str(&text).expect("json");
    doc["metrics"]["thresholds"]["option_thrash"]["max_switch_rate"] = json!(0.2500001);
    write(
        dir,
        "metrics.json",
        &serde_json::to_string_pretty(&doc).expect("json"),
    )
}

#[test]
fn golden_drift_reports_exactly_the_changed_pointer_and_tolerance_passes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let current = drifted_metrics(dir.path());
    let out = run(&[
        "characterization",
        "--baseline",
        METRICS,
        "--current",
        &current,
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    let drift = check(&json, &format!("golden:{METRICS}"));
    assert_eq!(drift["status"], "fail");
    assert_eq!(
        drift["details"],
        json!(["changed /metrics/thresholds/option_thrash/max_switch_rate: 0.25 -> 0.2500001"])
    );
    assert_junit_valid(&out.junit.expect("junit"));

    let tolerated = run(&[
        "characterization",
        "--baseline",
        METRICS,
        "--current",
        &current,
        "--tolerance",
        "/metrics/thresholds/*/max_*_rate=abs:1e-6",
    ]);
    assert_eq!(tolerated.code, 0, "{}", tolerated.stdout);
    let narrow = run(&[
        "characterization",
        "--baseline",
        METRICS,
        "--current",
        &current,
        "--tolerance",
        "/metrics/thresholds/*/max_*_rate=rel:1e-9",
    ]);
    assert_eq!(
        narrow.code, 1,
        "a tighter tolerance still fails: {}",
        narrow.stdout
    );
}

#[test]
fn golden_drift_reads_like_this() {
    let out = run(&[
        "characterization",
        "--baseline",
        METRICS,
        "--current",
        "fixtures/demo/characterization/regressed/metrics.json",
        "--ignore",
        "/generated_at",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    insta::assert_snapshot!("golden_drift_human", out.stdout);
}

#[test]
fn jsonl_insertion_reads_like_this() {
    let out = run(&[
        "characterization",
        "--baseline",
        "baselines/characterization/events.jsonl",
        "--current",
        "fixtures/demo/characterization/regressed/events.jsonl",
    ]);
    // Without the redaction every record differs in `ts`: paired up, not cascaded.
    assert_eq!(out.code, 1, "{}", out.stdout);
    insta::assert_snapshot!("jsonl_unredacted_human", out.stdout);
}

#[test]
fn jsonl_log_lines_error_strict_and_are_skipped_lenient() {
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = write(
        dir.path(),
        "base.jsonl",
        "{\"tick\":1,\"e\":\"a\"}\n{\"tick\":2,\"e\":\"b\"}\n",
    );
    let current = write(
        dir.path(),
        "cur.jsonl",
        "Running simulation...\n{\"tick\":1,\"e\":\"a\"}\n{\"tick\":2,\"e\":\"b\"}\n",
    );
    let strict = run(&[
        "characterization",
        "--baseline",
        &baseline,
        "--current",
        &current,
    ]);
    assert_eq!(strict.code, 2, "{}", strict.stdout);
    assert!(strict.stdout.contains("cur.jsonl:1:1"), "{}", strict.stdout);
    let lenient = run(&[
        "characterization",
        "--baseline",
        &baseline,
        "--current",
        &current,
        "--lenient",
    ]);
    assert_eq!(lenient.code, 0, "{}", lenient.stdout);
    let pass = check(
        lenient.json.as_ref().expect("report"),
        &format!("golden:{baseline}"),
    );
    assert!(
        pass["message"]
            .as_str()
            .expect("message")
            .contains("1 in current"),
        "{pass}"
    );
}

#[test]
fn demo_config_gate_passes_and_regressed_rolls_back() {
    let out = run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json.expect("report");
    let gate = json["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["gate"] == "characterization")
        .expect("characterization gate in the demo");
    assert_eq!(gate["verdict"], "pass");

    let out = run(&["check", "--config", "fixtures/demo/regressed.toml"]);
    assert_eq!(out.code, 1);
    let json = out.json.expect("report");
    assert_eq!(check(&json, "no-skips")["status"], "fail");
    assert_eq!(
        check(&json, "golden:baselines/characterization/events.jsonl")["details"][0],
        "[current line 4] added record: {\"agent\":\"bob\",\"event\":\"alert\",\"tick\":3,\"ts\":1503}"
    );
}

#[test]
fn nextest_leaves_ignored_tests_out_and_the_manifest_finds_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = write(
        dir.path(),
        "expected-tests.txt",
        "nextest-demo::tests::joins_words\nnextest-demo::tests::regenerate_golden\n",
    );
    let green = "fixtures/characterization/junit/nextest/green.xml";
    let without = run(&["characterization", "--results", green]);
    assert_eq!(
        without.code, 0,
        "the report alone looks green: {}",
        without.stdout
    );
    let with = run(&[
        "characterization",
        "--results",
        green,
        "--expected",
        &manifest,
    ]);
    assert_eq!(with.code, 1, "{}", with.stdout);
    let missing = check(with.json.as_ref().expect("report"), "expected-tests");
    assert_eq!(
        missing["details"],
        json!(["nextest-demo::tests::regenerate_golden (absent)"])
    );
}

#[test]
fn every_rule_and_pair_is_a_junit_testcase() {
    let (_copy, same) = common::copy_of(METRICS);
    let out = run(&[
        "characterization",
        "--results",
        &pytest("one-skip"),
        "--expected",
        "baselines/characterization/expected-tests.txt",
        "--baseline",
        METRICS,
        "--current",
        &same,
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let junit = out.junit.expect("junit");
    assert_junit_valid(&junit);
    let xml = std::fs::read_to_string(&junit).expect("junit text");
    for id in [
        "tests-executed",
        "no-failures",
        "no-skips",
        "no-xfails",
        "no-unexpected-passes",
        "unique-test-ids",
        "expected-tests",
        "golden:baselines/characterization/metrics.json",
    ] {
        assert!(
            xml.contains(&format!("name=\"{id}\"")),
            "{id} missing:\n{xml}"
        );
    }
    assert_eq!(
        xml.matches("<failure").count(),
        1,
        "only no-skips fails:\n{xml}"
    );
}

#[test]
fn baseline_accept_promotes_golden_outputs_and_refuses_a_red_run() {
    let sandbox = sandbox::Sandbox::demo();
    let out = sandbox.run(&["baseline", "accept", "--gate", "characterization"]);
    assert_eq!(code_of(&out), 0, "{}", sandbox::shown(&out));
    assert_eq!(
        sandbox.read(METRICS),
        sandbox.read("fixtures/demo/characterization/metrics.json")
    );
    let out = sandbox.run(&["check", "--gate", "characterization"]);
    assert_eq!(code_of(&out), 0, "{}", sandbox::shown(&out));

    let before = sandbox.read(METRICS);
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        "fixtures/demo/regressed.toml",
        "--gate",
        "characterization",
    ]);
    assert_ne!(code_of(&out), 0, "a skipped test is not a baseline");
    assert!(
        sandbox::shown(&out).contains("not green (no-skips)"),
        "{}",
        sandbox::shown(&out)
    );
    assert_eq!(sandbox.read(METRICS), before, "nothing was written");
}

fn code_of(out: &std::process::Output) -> i32 {
    out.status.code().expect("exit code")
}

//! JUnit as producers write it, through the real binary: suite-level failures (Ant,
//! TAP), `name=""` (jest-junit, Surefire 3), status attributes (googletest, tst), suite
//! counters, nested testcases, reruns (gotestsum, pytest-rerunfailures, TestNG), ids
//! repeated in one file, unittest's XFAIL, gotestsum's `message="Failed"`, malformed
//! XML, the per-event byte budget, structured counts and per-rule strictness.
//! Fixtures: fixtures/characterization/junit/*, made as fixtures/README.md says.

use crate::common;

use common::{check, run};
use serde_json::Value;
use std::path::Path;

const JUNIT: &str = "fixtures/characterization/junit";

fn fixture(rel: &str) -> String {
    format!("{JUNIT}/{rel}")
}

/// Runs the gate on `results` with `extra` flags; returns the exit code and report.
fn judge(results: &[&str], extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["characterization".to_string()];
    for r in results {
        args.push("--results".into());
        args.push(fixture(r));
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&argv);
    let json = out.json.unwrap_or(Value::Null);
    (out.code, json, out.stdout)
}

/// The gate's counts as `[tests, passed, failed, errored, skipped, xfailed, xpassed, flaky]`.
fn counts(json: &Value) -> [u64; 8] {
    let c = &json["gates"][0]["counts"];
    [
        "tests", "passed", "failed", "errored", "skipped", "xfailed", "xpassed", "flaky",
    ]
    .map(|k| {
        c[k].as_u64()
            .unwrap_or_else(|| panic!("counts.{k} is not a number: {c}"))
    })
}

fn status(json: &Value, id: &str) -> String {
    check(json, id)["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn message(json: &Value, id: &str) -> String {
    check(json, id)["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn a_suite_level_error_fails_merged_with_green_reports_and_nested() {
    // Ant: ClockTest cannot load; SlugTest is green. Both modes roll back.
    for mode in [&[][..], &["--lenient"][..]] {
        let (code, json, out) = judge(
            &[
                "ant/TEST-com.example.ClockTest.xml",
                "ant/TEST-com.example.SlugTest.xml",
            ],
            mode,
        );
        assert_eq!(code, 1, "{out}");
        assert_eq!(counts(&json), [2, 1, 0, 1, 0, 0, 0, 0]);
        let details = &check(&json, "no-failures")["details"];
        assert_eq!(
            details[0],
            "com.example.ClockTest: suite-level error: com/example/BaseClock"
        );
    }
    let (code, json, out) = judge(&["hand/suite-level-failure-nested.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        message(&json, "no-failures").contains("com.example.DbTest"),
        "{out}"
    );
    // TAP::Formatter::JUnit: a test script that died, no testcase, a suite-level <error>.
    let (code, json, out) = judge(&["tap/formatter-junit-dies.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(counts(&json)[3], 1);
}

#[test]
fn an_empty_name_is_judged_with_an_id_from_classname_or_suite() {
    let (code, json, out) = judge(&["hand/surefire3-beforeall-empty-name.xml"], &["--lenient"]);
    assert_eq!(
        code, 1,
        "a failing @BeforeAll is a failure, not an input error: {out}"
    );
    assert_eq!(counts(&json), [3, 2, 0, 1, 0, 0, 0, 0]);
    assert_eq!(
        check(&json, "no-failures")["details"][0],
        "com.example.DbTest: Connection refused"
    );
    // jest-junit: an untitled top-level test, classname="" and name="".
    let (code, json, out) = judge(&["jest/titles.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    let failed = check(&json, "no-failures")["details"].to_string();
    assert!(
        failed.contains("\"undefined: Error: expect(received)"),
        "{failed}"
    );
}

#[test]
fn status_attributes_decide_tests_with_no_outcome_child() {
    let (code, json, out) = judge(&["googletest/slug.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    // DISABLED_Unicode (notrun/suppressed) and RegenerateGolden (GTEST_SKIP) are skips.
    assert_eq!(counts(&json), [4, 1, 1, 0, 2, 0, 0, 0]);
    assert!(
        message(&json, "no-skips").contains("Slug::DISABLED_Unicode"),
        "{out}"
    );
    let (_, json, _) = judge(&["hand/status-attributes.xml"], &["--lenient"]);
    assert_eq!(counts(&json), [7, 1, 3, 1, 2, 0, 0, 0]);
    // A disabled test does not satisfy a manifest that expects it to run.
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = write(
        dir.path(),
        "expected.txt",
        "Slug::Lowercases\nSlug::DISABLED_Unicode\n",
    );
    let (_, json, _) = judge(
        &["googletest/slug.xml"],
        &["--lenient", "--expected", &manifest],
    );
    assert_eq!(
        message(&json, "expected-tests"),
        "1 test expected but did not run: Slug::DISABLED_Unicode"
    );
}

#[test]
fn suite_counters_claiming_unseen_failures_fail_strict_and_warn_lenient() {
    let (code, json, out) = judge(&["hand/counters-claim-failure-no-testcases.xml"], &[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(status(&json, "suite-counters"), "fail");
    assert!(
        message(&json, "suite-counters")
            .contains("<testsuite name=\"summary\">: failures=1, the elements show 0"),
        "{out}"
    );
    let (code, json, out) = judge(
        &["hand/counters-claim-failure-no-testcases.xml"],
        &["--lenient"],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(status(&json, "suite-counters"), "warn");
    // Surefire counts failed reruns in `failures`: the rerun elements make up the surplus,
    // and a counter of more tests than testcases decides nothing.
    let (_, json, _) = judge(&["surefire/TEST-com.example.SlugTest.xml"], &[]);
    assert_eq!(status(&json, "suite-counters"), "pass");
    let details = check(&json, "suite-counters")["details"].to_string();
    assert!(
        details.contains("failures=4, the elements show 1 (the rest are rerun elements)"),
        "{details}"
    );
    assert!(
        details.contains("tests=10, the elements show 5"),
        "{details}"
    );
}

#[test]
fn nested_testcases_are_counted_and_judged() {
    let (code, json, out) = judge(&["hand/nested-testcase.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(counts(&json), [2, 1, 1, 0, 0, 0, 0, 0]);
    assert_eq!(
        check(&json, "no-failures")["details"][0],
        "checkout.flow.pays::charges the card: card declined"
    );
}

#[test]
fn reruns_in_one_suite_are_attempts_and_the_last_decides() {
    // gotestsum --rerun-fails: TestFlakyClock failed, then passed.
    let rerun = "gotestsum/rerun-fails.xml";
    let (code, json, out) = judge(&[rerun], &[]);
    assert_eq!(code, 1, "strict: a repeated id fails: {out}");
    assert_eq!(counts(&json), [7, 6, 0, 0, 1, 0, 0, 1]);
    assert_eq!(status(&json, "no-failures"), "pass");
    assert_eq!(status(&json, "no-flaky-tests"), "warn");
    assert!(message(&json, "no-flaky-tests").contains("example.com/junitdemo::TestFlakyClock"));
    let repeated = message(&json, "unique-test-ids");
    assert!(repeated.contains("repeated in the same file"), "{repeated}");
    assert!(!repeated.contains("shards"), "{repeated}");
    let (code, _, out) = judge(
        &[rerun],
        &["--rule", "duplicates=warn", "--rule", "skips=warn"],
    );
    assert_eq!(code, 0, "{out}");
    let (code, json, out) = judge(&[rerun], &["--lenient", "--reruns", "any-failure"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(counts(&json), [7, 5, 1, 0, 1, 0, 0, 0]);
    assert!(
        message(&json, "no-failures").contains("TestFlakyClock"),
        "{out}"
    );
    let (code, _, out) = judge(&[rerun], &["--lenient", "--rule", "flaky=fail"]);
    assert_eq!(code, 1, "{out}");
    // TestNG retry: skipped first, failed on retry.
    let (code, json, out) = judge(&["hand/testng-retry.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(counts(&json), [2, 1, 1, 0, 0, 0, 0, 0]);
    // pytest-rerunfailures writes failed attempts as plain testcases: the last decides.
    let (_, json, _) = judge(&["pytest/rerunfailures.xml"], &["--lenient"]);
    assert_eq!(counts(&json), [3, 2, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn ids_repeated_across_suites_of_one_file_are_separate_tests() {
    // jest-junit names both top-level suites "undefined": "parses the config" fails in
    // one file and passes in the other. Neither reading may let the pass hide the failure.
    let (code, json, out) = judge(&["jest/titles.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(counts(&json), [4, 2, 2, 0, 0, 0, 0, 0]);
    assert!(
        message(&json, "unique-test-ids").contains("undefined::parses the config"),
        "{out}"
    );
    // go test -count=2: every test twice in one suite, all attempts of one test each.
    let (code, json, out) = judge(&["gotestsum/count-2.xml"], &["--lenient"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(counts(&json)[0], 7);
    assert_eq!(status(&json, "unique-test-ids"), "warn");
}

#[test]
fn xfails_of_unittest_and_placeholder_messages_of_gotestsum() {
    let (code, json, out) = judge(&["unittest/outcomes.xml"], &["--lenient"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(counts(&json), [6, 1, 1, 2, 1, 1, 0, 0]);
    assert!(message(&json, "no-xfails").contains("test_outcomes.Outcomes::test_expected_failure"));
    let (_, json, _) = judge(&["gotestsum/failing.xml"], &["--lenient"]);
    assert_eq!(
        check(&json, "no-failures")["details"][0],
        "example.com/junitdemo::TestSlugKeepsCase: slug_test.go:19: Slug(\"Hello\") = \"hello\", want \"Hello\""
    );
}

#[test]
fn counts_are_numbers_for_every_characterization_gate() {
    let (_, json, _) = judge(&["pytest/mixed.xml"], &[]);
    let c = &json["gates"][0]["counts"];
    let keys: Vec<&str> = c
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    // serde_json's map sorts the keys; the report writes them in this order.
    assert_eq!(
        keys,
        [
            "errored", "failed", "flaky", "passed", "skipped", "tests", "xfailed", "xpassed"
        ]
    );
    assert_eq!(counts(&json), [9, 5, 1, 0, 1, 1, 1, 0]);
    // Golden-only gates read no tests and report no counts.
    let golden = run(&[
        "characterization",
        "--baseline",
        "baselines/characterization/metrics.json",
        "--current",
        "baselines/characterization/metrics.json",
    ]);
    let json = golden.json.expect("report");
    assert!(json["gates"][0].get("counts").is_none(), "{json}");
}

#[test]
fn each_rule_has_its_own_severity_in_flags_and_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = write(dir.path(), "events.jsonl", "{\"a\":1}\n");
    let current = write(dir.path(), "current.jsonl", "starting up\n{\"a\":1}\n");
    // Log lines tolerated, skips still fail.
    let (code, json, out) = judge(
        &["pytest/one-skip.xml"],
        &[
            "--baseline",
            &baseline,
            "--current",
            &current,
            "--rule",
            "jsonl=ignore",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert_eq!(status(&json, "no-skips"), "fail");
    let golden = json["gates"][0]["checks"]
        .as_array()
        .expect("checks")
        .last()
        .cloned()
        .expect("golden");
    assert_eq!(golden["status"], "pass", "{golden}");
    // The same from a config table, with skips ignored (reported, not judged).
    let config = write(
        dir.path(),
        "safety-gate.toml",
        &format!(
            "[[characterization]]\nname = \"c\"\nresults = [\"{root}/{skip}\"]\nrules = {{ jsonl = \"warn\", skips = \"ignore\" }}\n\n[[characterization.golden]]\nbaseline = \"{baseline}\"\ncurrent = \"{current}\"\n",
            root = common::repo_root().display(),
            skip = fixture("pytest/one-skip.xml"),
        ),
    );
    let out = run(&["check", "--config", &config]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(status(&json, "no-skips"), "skip");
    assert!(
        message(&json, "no-skips").starts_with("not judged (rule set to ignore): 1 test skipped")
    );
    let golden = json["gates"][0]["checks"]
        .as_array()
        .expect("checks")
        .last()
        .cloned()
        .expect("golden");
    assert_eq!(golden["status"], "warn", "{golden}");
    let bad = write(
        dir.path(),
        "bad.toml",
        "[[characterization]]\nname = \"c\"\nresults = [\"x.xml\"]\nrules = { skip = \"warn\" }\n",
    );
    let out = run(&["check", "--config", &bad]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("bad.toml:4:11: unknown field `skip`"),
        "{}",
        out.stdout
    );
}

#[test]
fn malformed_xml_is_refused_naming_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "lt.xml",
            "<testsuite>\n<testcase classname=\"c\" name=\"a<b\"/></testsuite>",
            ":2:1:",
            "literal `<`",
        ),
        (
            "decl.xml",
            "<testsuite>\n<?xml version=\"1.0\"?><testcase classname=\"c\" name=\"a\"/></testsuite>",
            ":2:1:",
            "XML declaration",
        ),
        (
            "after.xml",
            "<testsuite><testcase classname=\"c\" name=\"a\"/></testsuite>\n FAILED: 1",
            ":1:58:",
            "text after the root element",
        ),
        (
            "second.xml",
            "<testsuite><testcase classname=\"c\" name=\"a\"/></testsuite>\n<testcase name=\"b\"><failure/></testcase>",
            ":2:1:",
            "a second root element",
        ),
    ];
    for (name, xml, at, what) in cases {
        let path = write(dir.path(), name, xml);
        for lenient in [false, true] {
            let mut args = vec!["characterization", "--results", &path];
            if lenient {
                args.push("--lenient");
            }
            let out = run(&args);
            assert_eq!(out.code, 2, "{name}: {}", out.stdout);
            let text = format!("{}{}", out.stdout, out.stderr);
            assert!(text.contains(&format!("{name}{at}")), "{name}: {text}");
            assert!(text.contains(what), "{name}: {text}");
        }
    }
}

#[test]
fn a_text_node_past_the_byte_budget_is_refused_with_its_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.xml");
    let mut xml = String::from("<testsuite>\n<testcase classname=\"c\" name=\"a\"><system-out>");
    xml.push_str(&"x".repeat((64 << 20) + 1));
    xml.push_str("</system-out></testcase></testsuite>\n");
    std::fs::write(&path, xml).expect("write");
    let out = run(&[
        "characterization",
        "--results",
        &path.to_string_lossy(),
        "--lenient",
    ]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(text.contains("huge.xml:2:46:"), "{text}");
    assert!(text.contains("longer than 67108864 bytes"), "{text}");
}

//! The findings gate through the binary, on real tools' output (fixtures/findings/,
//! made by fixtures/findings/make_fixtures.sh): bandit and ruff SARIF, ruff's and mypy's
//! JSON, clippy through clippy-sarif, on a sample whose findings moved, were added,
//! fixed or sit on edited lines; level limits; evidence in JUnit and GitHub
//! annotations; `baseline accept` and `--baseline-ref`.

use crate::{common, sandbox};

use common::{Outcome, assert_junit_valid, check, repo_root, run};
use sandbox::{Sandbox, code, shown};
use serde_json::Value;

const PY: &str = "fixtures/findings/python";
const RS: &str = "fixtures/findings/rust";

/// `safety-gate findings --baseline BASE --current CURRENT... EXTRA...`.
fn findings(baseline: &str, current: &[&str], extra: &[&str]) -> Outcome {
    let mut args = vec!["findings", "--baseline", baseline];
    for file in current {
        args.extend(["--current", file]);
    }
    args.extend_from_slice(extra);
    run(&args)
}

fn report(out: &Outcome) -> &Value {
    out.json
        .as_ref()
        .unwrap_or_else(|| panic!("no report: {}{}", out.stdout, out.stderr))
}

fn counts(out: &Outcome) -> &Value {
    &report(out)["gates"][0]["counts"]
}

fn statuses(out: &Outcome) -> Vec<(String, String)> {
    report(out)["gates"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("").into(),
                c["status"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

#[test]
fn every_line_shifted_by_ten_passes_on_real_bandit_and_ruff_sarif() {
    for tool in ["bandit.sarif", "ruff.sarif"] {
        let out = findings(
            &format!("{PY}/base/{tool}"),
            &[&format!("{PY}/shifted/{tool}")],
            &[],
        );
        assert_eq!(out.code, 0, "{tool}: {}", out.stdout);
        let c = counts(&out);
        assert_eq!(
            (c["new"].as_u64(), c["fixed"].as_u64()),
            (Some(0), Some(0)),
            "{tool}: {c}"
        );
        assert_eq!(
            c["moved"], c["findings"],
            "{tool}: every finding moved: {c}"
        );
        assert!(c["findings"].as_u64() >= Some(4), "{tool}: {c}");
    }
}

#[test]
fn one_new_finding_fails_naming_it() {
    let out = findings(
        &format!("{PY}/base/bandit.sarif"),
        &[&format!("{PY}/added/bandit.sarif")],
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    let failed: Vec<_> = statuses(&out)
        .into_iter()
        .filter(|(_, s)| s == "fail")
        .collect();
    assert_eq!(failed, [("B307".to_string(), "fail".to_string())]);
    let b307 = check(report(&out), "B307");
    assert_eq!(b307["message"], "1 new finding (1 now, 0 in the baseline)");
    assert_eq!(
        b307["details"][0],
        "new: src/app.py:33 warning B307: Use of possibly insecure function - consider using safer ast.literal_eval."
    );
    assert_eq!(b307["location"]["line"], 33);
    assert!(
        out.stdout
            .contains("FAIL  findings/findings B307: 1 new finding"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("new: src/app.py:33 warning B307"),
        "{}",
        out.stdout
    );

    // The same change seen by ruff: its S307, named by ruff's own message.
    let out = findings(
        &format!("{PY}/base/ruff.sarif"),
        &[&format!("{PY}/added/ruff.sarif")],
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    let s307 = check(report(&out), "S307");
    assert_eq!(s307["status"], "fail");
    let detail = s307["details"][0].as_str().unwrap_or_default();
    assert!(detail.ends_with("src/app.py:33 error S307: Use of possibly insecure function; consider using `ast.literal_eval`"), "{detail}");
}

#[test]
fn a_fixed_finding_passes_and_is_reported_as_improved() {
    for (tool, rule, level) in [
        ("bandit.sarif", "B506", "warning"),
        ("ruff.sarif", "S506", "error"),
    ] {
        let out = findings(
            &format!("{PY}/base/{tool}"),
            &[&format!("{PY}/fixed/{tool}")],
            &[],
        );
        assert_eq!(out.code, 0, "{tool}: {}", out.stdout);
        let fixed = check(report(&out), rule);
        assert_eq!(fixed["status"], "pass");
        assert_eq!(
            fixed["message"],
            "improved: 1 fixed (0 now, 1 in the baseline)"
        );
        let detail = fixed["details"][0].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("fixed: ")
                && detail.contains(&format!("src/app.py:17 {level} {rule}: ")),
            "{detail}"
        );
        assert_eq!(counts(&out)["fixed"], 1);
    }
}

#[test]
fn a_warning_limit_of_50_passes_at_50_and_fails_at_51() {
    let at = |n: u32| format!("{PY}/limit-{n}/bandit.sarif");
    // Baselines holding the same findings (a file is never compared with itself).
    let dir50 = tempfile::tempdir().expect("tempdir");
    let same50 = accept(dir50.path(), &["limit-50/bandit.sarif"]);
    let dir51 = tempfile::tempdir().expect("tempdir");
    let same51 = accept(dir51.path(), &["limit-51/bandit.sarif"]);

    let out = findings(&same50, &[&at(50)], &["--max", "warning=50"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let limit = check(report(&out), "max:warning");
    assert_eq!(
        limit["message"],
        "50 warning findings, within the limit of 50"
    );

    // The same 51 findings on both sides: nothing is new, the limit alone fails.
    let out = findings(&same51, &[&at(51)], &["--max", "warning=50"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let limit = check(report(&out), "max:warning");
    assert_eq!(limit["status"], "fail");
    assert_eq!(
        limit["message"],
        "51 warning findings, over the limit of 50"
    );
    assert_eq!(limit["details"][0], "B301: 51");
    assert_eq!(counts(&out)["new"], 0);
    assert_eq!(check(report(&out), "B301")["status"], "pass");

    // From 50 to 51: the 51st is new, and over the limit.
    let out = findings(&at(50), &[&at(51)], &["--max", "warning=50"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(check(report(&out), "max:warning")["status"], "fail");
    let b301 = check(report(&out), "B301");
    assert_eq!(
        b301["message"],
        "1 new finding (51 now, 50 in the baseline)"
    );
    assert!(
        b301["details"][0]
            .as_str()
            .unwrap_or("")
            .starts_with("new: src/many.py:"),
        "{b301}"
    );

    // A rule's own limit, and other levels' limits, hold the same way.
    let out = findings(
        &same51,
        &[&at(51)],
        &["--rule", "B301=51", "--max", "note=1"],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    let out = findings(&same51, &[&at(51)], &["--rule", "B301=50"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(
        check(report(&out), "B301")["message"],
        "51 findings over the limit of 50 (51 now, 51 in the baseline)"
    );
}

#[test]
fn edited_lines_ruff_and_mypy_json_and_merged_tools_match_too() {
    // The pickle and shell lines were edited (and moved): same findings, not new.
    let out = findings(
        &format!("{PY}/base/bandit.sarif"),
        &[&format!("{PY}/edited/bandit.sarif")],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(counts(&out)["edited"], 2);

    // ruff's and mypy's JSON read directly, as the current side, against SARIF from
    // the same tools: the baseline below is `baseline accept` of base/ (see below).
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = accept(
        dir.path(),
        &["base/bandit.sarif", "base/ruff.json", "base/mypy.json"],
    );
    for variant in ["shifted", "edited"] {
        let current: Vec<String> = ["bandit.sarif", "ruff.json", "mypy.json"]
            .iter()
            .map(|f| format!("{PY}/{variant}/{f}"))
            .collect();
        let current: Vec<&str> = current.iter().map(String::as_str).collect();
        let out = findings(&baseline, &current, &["--root", "/tmp/safety-gate-sample"]);
        assert_eq!(out.code, 0, "{variant}: {}", out.stdout);
        assert_eq!(counts(&out)["new"], 0, "{variant}");
        assert_eq!(counts(&out)["findings"], 11, "{variant}");
    }
    let out = findings(
        &baseline,
        &[&format!("{PY}/added/ruff.json")],
        &["--root", "/tmp/safety-gate-sample"],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    let s307 = check(report(&out), "S307");
    assert_eq!(
        s307["details"][0],
        "new: src/app.py:33 error S307: Use of possibly insecure function; consider using `ast.literal_eval`"
    );
}

/// Writes `baseline accept` of these python fixtures to DIR/baseline.sarif, with the
/// root the tools ran in; returns its path.
fn accept(dir: &std::path::Path, files: &[&str]) -> String {
    let root = repo_root();
    let current: Vec<String> = files
        .iter()
        .map(|f| format!("\"{}\"", root.join(PY).join(f).display()))
        .collect();
    let config = dir.join("safety-gate.toml");
    std::fs::write(
        &config,
        format!(
            "[[findings]]\nname = \"python\"\nbaseline = \"baseline.sarif\"\ncurrent = [{}]\nroot = \"/tmp/safety-gate-sample\"\n",
            current.join(", ")
        ),
    )
    .expect("config");
    let config = config.display().to_string();
    let out = common::run_plain(&["baseline", "accept", "--config", &config]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("baseline.sarif").display().to_string()
}

#[test]
fn accepting_twice_writes_the_same_normalised_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = ["base/bandit.sarif", "base/ruff.sarif", "base/mypy.json"];
    let first = std::fs::read(accept(dir.path(), &files)).expect("baseline");
    let again = std::fs::read(accept(dir.path(), &files)).expect("baseline");
    assert_eq!(first, again);
    let text = String::from_utf8(first).expect("utf-8");
    for volatile in [
        "endTimeUtc",
        "invocations",
        "metrics",
        "/tmp/safety-gate-sample",
        "fullDescription",
    ] {
        assert!(!text.contains(volatile), "{volatile} kept");
    }
    // Shifted findings against the accepted baseline: the tools' paths, made relative
    // to where they ran, still match.
    let baseline = dir.path().join("baseline.sarif").display().to_string();
    let shifted = [
        format!("{PY}/shifted/bandit.sarif"),
        format!("{PY}/shifted/ruff.sarif"),
        format!("{PY}/shifted/mypy.json"),
    ];
    let shifted: Vec<&str> = shifted.iter().map(String::as_str).collect();
    let out = findings(&baseline, &shifted, &["--root", "/tmp/safety-gate-sample"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(counts(&out)["moved"], 11);
}

#[test]
fn clippy_sarif_findings_move_are_added_and_fixed() {
    let base = format!("{RS}/base/clippy.sarif");
    let out = findings(&base, &[&format!("{RS}/shifted/clippy.sarif")], &[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(counts(&out)["new"], 0);
    let out = findings(&base, &[&format!("{RS}/added/clippy.sarif")], &[]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let failed: Vec<_> = statuses(&out)
        .into_iter()
        .filter(|(_, s)| s == "fail")
        .collect();
    assert_eq!(
        failed,
        [(
            "clippy::manual_range_contains".to_string(),
            "fail".to_string()
        )]
    );
    let out = findings(&base, &[&format!("{RS}/fixed/clippy.sarif")], &[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let fixed = check(report(&out), "clippy::needless_return");
    assert!(
        fixed["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("improved: 1 fixed"),
        "{fixed}"
    );
}

#[test]
fn junit_has_one_testcase_per_rule_and_annotations_land_on_each_new_line() {
    let root = repo_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("safety-gate.toml");
    // The tools ran in the `added` sample, so new findings land on its lines.
    let text = format!(
        "[[findings]]\nname = \"python\"\nbaseline = \"{py}/base/bandit.sarif\"\n\
         current = \"{py}/added/bandit.sarif\"\nroot = \"{py}/added\"\nmax = {{ error = 1 }}\n",
        py = root.join(PY).display()
    );
    std::fs::write(&config, text).expect("config");
    let config = config.display().to_string();

    let out = run(&["check", "--config", &config]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let junit = out.junit.as_ref().expect("junit written");
    assert_junit_valid(junit);
    let xml = std::fs::read_to_string(junit).expect("junit");
    let names: Vec<&str> = xml
        .split("<testcase name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(
        names,
        ["B301", "B307", "B403", "B404", "B506", "B602", "max:error"]
    );
    assert!(xml.contains("new: src/app.py:33 warning B307"), "{xml}");

    let summary = tempfile::NamedTempFile::new().expect("summary");
    let gh = assert_cmd::Command::cargo_bin("safety-gate")
        .expect("binary")
        .current_dir(&root)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", summary.path())
        .env("GITHUB_WORKSPACE", &root)
        .env_remove("GITHUB_OUTPUT")
        .args(["check", "--config", &config, "--color", "never"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&gh.stdout);
    assert!(
        stdout.contains(
            "::error title=safety-gate findings/python B307%3A rollback,\
             file=fixtures/findings/python/added/src/app.py,line=33,col=12::\
             new warning B307: Use of possibly insecure function"
        ),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(summary.path()).expect("summary");
    assert!(
        summary.contains("new: src/app.py:33 warning B307"),
        "{summary}"
    );
}

#[test]
fn the_demo_accepts_its_findings_and_baseline_ref_catches_a_baseline_edited_to_hide_one() {
    const REGRESSED: &str = "fixtures/demo/regressed.toml";
    const BASELINE: &str = "baselines/findings/python.sarif";
    let sandbox = Sandbox::demo_repo();
    let python = ["--gate", "python"];
    // The committed baseline is what `baseline accept` writes for the demo.
    let committed = sandbox.read(BASELINE);
    let out = sandbox.run(&["baseline", "accept", python[0], python[1]]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(
        sandbox.read(BASELINE),
        committed,
        "accepting again changed the bytes"
    );

    // The change accepts its own new finding into the working tree's baseline...
    let accept = [
        "baseline",
        "accept",
        "--config",
        REGRESSED,
        "--allow-regression",
    ];
    let out = sandbox.run(&[&accept[..], &python[..]].concat());
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(sandbox.read(BASELINE).contains("\"B307\""));
    let check = ["check", "--config", REGRESSED, python[0], python[1]];
    let out = sandbox.run(&check);
    assert_eq!(
        code(&out),
        0,
        "the edited baseline hides it: {}",
        shown(&out)
    );

    // ...and the baseline at main still finds it new.
    let out = sandbox.run(&[&check[..], &["--baseline-ref", "main"]].concat());
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FAIL  findings/python B307: 1 new finding"),
        "{text}"
    );
}

#[test]
fn a_current_glob_that_also_matches_the_baseline_cannot_decide() {
    // The accepted findings read as current ones would hide nothing new, but would
    // count twice against limits and never let a fixed finding go: refused, by name.
    let out = findings(
        &format!("{PY}/base/bandit.sarif"),
        &[&format!("{PY}/base/*.sarif")],
        &[],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(
        text.contains("base/bandit.sarif")
            && text.contains("is the baseline, matched by `current`"),
        "{text}"
    );
}

#[test]
fn a_tool_of_the_baseline_with_no_run_in_the_current_results_cannot_decide() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty_run = |tool: &str| {
        let path = dir.path().join(format!("{tool}.sarif"));
        let log = format!(
            r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "{tool}"}}}}, "results": []}}]}}"#
        );
        std::fs::write(&path, log).expect("write");
        path.to_string_lossy().into_owned()
    };
    // Another tool's clean results cannot vouch that bandit's findings were fixed:
    // each would read as fixed and the gate as improved.
    let base = format!("{PY}/base/bandit.sarif");
    let out = findings(&base, &[&empty_run("ruff")], &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let tool = check(report(&out), "tool:Bandit");
    assert_eq!(tool["status"], "error");
    let message = tool["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(
            "5 finding(s) of Bandit, but no current file has a run of Bandit (they hold ruff)"
        ),
        "{message}"
    );
    assert_eq!(counts(&out)["fixed"], 0, "{}", out.stdout);
    // A new finding of a tool that did run still rolls back.
    let out = findings(&base, &[&format!("{PY}/added/ruff.sarif")], &[]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(check(report(&out), "tool:Bandit")["status"], "error");
    // The same tool with nothing left is a real improvement.
    let out = findings(&base, &[&empty_run("Bandit")], &[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(counts(&out)["fixed"], 5, "{}", out.stdout);
}

#[test]
fn a_suppression_the_change_adds_is_shown_for_review_without_failing() {
    // bandit's own output with one more result, suppressed in source (`# nosec`).
    let base = format!("{PY}/base/bandit.sarif");
    let mut log: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join(&base)).expect("read"))
            .expect("json");
    let results = log["runs"][0]["results"].as_array_mut().expect("results");
    let mut hidden = results[0].clone();
    hidden["suppressions"] = serde_json::json!([{"kind": "inSource"}]);
    results.push(hidden);
    let dir = tempfile::tempdir().expect("tempdir");
    let current = dir.path().join("bandit.sarif");
    std::fs::write(&current, log.to_string()).expect("write");

    let out = findings(&base, &[current.to_str().expect("utf-8")], &[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let check = check(report(&out), "suppressed");
    assert_eq!(check["status"], "warn", "{check}");
    assert_eq!(
        check["message"],
        "1 result(s) suppressed now, 0 in the baseline: a suppression the change added hides \
         what it found; review it"
    );
    assert_eq!(counts(&out)["suppressed"], 1);

    // The same suppression already in the baseline is nothing new.
    let accepted = dir.path().join("accepted.sarif");
    std::fs::copy(&current, &accepted).expect("copy");
    let out = findings(
        accepted.to_str().expect("utf-8"),
        &[current.to_str().expect("utf-8")],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        statuses(&out).iter().all(|(id, _)| id != "suppressed"),
        "{:?}",
        statuses(&out)
    );
}

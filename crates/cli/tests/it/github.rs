//! GitHub Actions integration end to end: with GITHUB_ACTIONS=true the binary prints
//! `::error` annotations, appends a summary table to $GITHUB_STEP_SUMMARY and writes
//! the verdict, rollback flag and failed gates to $GITHUB_OUTPUT; `--pr-comment` writes
//! the pull-request comment body.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

struct GithubRun {
    code: i32,
    stdout: String,
    summary: String,
    outputs: String,
}

fn run_in_github(sandbox: &Sandbox, args: &[&str]) -> GithubRun {
    let files = tempfile::tempdir().expect("tempdir");
    let summary = files.path().join("summary.md");
    let output = files.path().join("output.txt");
    // The runner creates both files empty before the step starts.
    std::fs::write(&summary, "").expect("summary");
    std::fs::write(&output, "earlier=step\n").expect("output");
    let out = sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_WORKSPACE", sandbox.path())
        .args(args)
        .output()
        .expect("runs");
    GithubRun {
        code: code(&out),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        summary: std::fs::read_to_string(&summary).expect("summary"),
        outputs: std::fs::read_to_string(&output).expect("output"),
    }
}

#[test]
fn regressed_demo_writes_outputs_summary_and_error_annotations() {
    let sandbox = Sandbox::demo();
    let run = run_in_github(
        &sandbox,
        &["check", "--config", "fixtures/demo/regressed.toml"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);

    // $GITHUB_OUTPUT: appended after what earlier steps wrote.
    assert!(run.outputs.starts_with("earlier=step\n"), "{}", run.outputs);
    let lines: Vec<&str> = run.outputs.lines().collect();
    assert!(lines.contains(&"verdict=rollback"), "{}", run.outputs);
    assert!(lines.contains(&"rollback=true"), "{}", run.outputs);
    assert!(
        lines.contains(&"failed-gates=tick,tick-log,demo,telemetry,python"),
        "{}",
        run.outputs
    );
    assert!(
        lines.contains(&"junit-path=target/safety-gate/regressed-junit.xml"),
        "{}",
        run.outputs
    );

    // $GITHUB_STEP_SUMMARY: the verdict, the gate table, the failing checks with numbers.
    assert!(
        run.summary.contains("safety-gate: ROLLBACK (exit 1)"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("| Gate | Mode | Verdict | Fail | Error | Warn | Skip | Pass |")
    );
    assert!(
        run.summary
            .contains("| perf/tick | enforce | rollback | 2 | 0 | 0 | 0 | 0 |"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("| perf/tick | tick\\_ms | **fail** | 1.25 | 1.35 | +8.00% | 5.00% |"),
        "{}",
        run.summary
    );

    // stdout: one ::error per failing check, worst first, with title, file and line.
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    // Five failing gates give more failing checks than GitHub shows per step.
    assert_eq!(errors.len(), 10, "{}", run.stdout);
    assert!(errors[0].starts_with(
        "::error title=safety-gate perf/tick-log average_tick_seconds%3A rollback,file=fixtures/demo/perf/tick_benchmark-regressed.txt,line=5::regressed"
    ), "{}", errors[0]);
    assert!(
        errors[1].contains("title=safety-gate perf/tick tick_ms%3A rollback"),
        "{}",
        errors[1]
    );
    assert!(errors[1].contains("(+8.00%25)"), "{}", errors[1]);
}

#[test]
fn passing_demo_says_no_rollback_and_gate_selection_narrows() {
    let sandbox = Sandbox::demo();
    let run = run_in_github(&sandbox, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.outputs.contains("\nrollback=false\n"),
        "{}",
        run.outputs
    );
    assert!(run.outputs.contains("\nfailed-gates=\n"), "{}", run.outputs);
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
    assert!(run.summary.contains("safety-gate: PASS (exit 0)"));

    let run = run_in_github(
        &sandbox,
        &[
            "check",
            "--config",
            "fixtures/demo/regressed.toml",
            "--gate",
            "tick-log",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.outputs.contains("\nfailed-gates=tick-log\n"),
        "{}",
        run.outputs
    );
    assert!(!run.summary.contains("perf/tick |"), "{}", run.summary);
}

#[test]
fn unknown_gate_selector_cannot_decide() {
    let sandbox = Sandbox::demo();
    let out = sandbox.run(&["check", "--gate", "tik"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("--gate `tik` matches no configured gate")
    );
}

#[test]
fn without_github_nothing_is_annotated() {
    let sandbox = Sandbox::demo();
    let out = sandbox.run(&["check", "--config", "fixtures/demo/regressed.toml"]);
    assert_eq!(code(&out), 1);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error"));
}

#[test]
fn unwritable_report_makes_the_verdict_output_error_not_pass() {
    let sandbox = Sandbox::demo();
    let blocker = sandbox.path().join("not-a-folder");
    std::fs::write(&blocker, "x").expect("write");
    let target = blocker.join("report.json");
    let run = run_in_github(
        &sandbox,
        &["check", "--report-json", target.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.outputs.contains("\nverdict=error\n"), "{}", run.outputs);
    assert!(
        run.outputs.contains("\nrollback=false\n"),
        "{}",
        run.outputs
    );
    // The outputs name only what was written: the config's JUnit file, no JSON report.
    assert!(run.outputs.contains("\nreport-path=\n"), "{}", run.outputs);
    assert!(
        run.outputs
            .contains("\njunit-path=target/safety-gate/junit.xml\n"),
        "{}",
        run.outputs
    );
}

#[test]
fn pr_comment_body_carries_the_verdict_and_the_failing_checks() {
    let sandbox = Sandbox::demo();
    let body = sandbox.path().join("comment/body.md");
    let body_arg = body.to_str().expect("utf-8");
    let out = sandbox.run(&[
        "check",
        "--config",
        "fixtures/demo/regressed.toml",
        "--pr-comment",
        body_arg,
    ]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let text = std::fs::read_to_string(&body).expect("the body is written");
    assert!(
        text.starts_with("## ❌ safety-gate: ROLLBACK (exit 1)"),
        "{text}"
    );
    assert!(
        text.contains("| perf/tick | enforce | rollback | 2 |"),
        "{text}"
    );
    assert!(text.contains("### Checks that need attention"), "{text}");
    assert!(text.contains("tick_ms"), "{text}");
    assert!(text.chars().count() <= 65_536);

    // A later passing run replaces the body; GitHub output is not needed for it.
    let out = sandbox.run(&["check", "--pr-comment", body_arg]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let text = std::fs::read_to_string(&body).expect("the body is written");
    assert!(
        text.starts_with("## ✅ safety-gate: PASS (exit 0)"),
        "{text}"
    );
    assert!(!text.contains("Checks that need attention"), "{text}");
}

#[test]
fn unwritable_pr_comment_cannot_decide() {
    let sandbox = Sandbox::demo();
    let blocker = sandbox.path().join("not-a-folder");
    std::fs::write(&blocker, "x").expect("write");
    let target = blocker.join("body.md");
    let out = sandbox.run(&["check", "--pr-comment", target.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("body.md"),
        "{}",
        shown(&out)
    );
}

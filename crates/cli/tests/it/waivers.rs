//! Waivers and the rollback report end to end.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

const REGRESSED: &str = "fixtures/demo/regressed.toml";

fn waiver(check: &str, expires: &str) -> String {
    format!(
        "[[waiver]]\ncheck = \"{check}\"\nreason = \"known slowdown, fix tracked in #42\"\nexpires = \"{expires}\"\n"
    )
}

#[test]
fn waived_failures_warn_with_their_reason() {
    let sandbox = Sandbox::demo();
    sandbox.write("waivers.toml", &waiver("perf/*", "2999-12-31"));
    // The perf gates only: the regressed demo's other gates fail unwaived.
    let out = sandbox.run(&[
        "check",
        "--config",
        REGRESSED,
        "--gate",
        "perf",
        "--waivers",
        "waivers.toml",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("WARN  perf/tick tick_ms: waived until 2999-12-31 (known slowdown, fix tracked in #42): regressed"),
        "{stdout}"
    );
}

#[test]
fn partial_waiver_still_rolls_back() {
    let sandbox = Sandbox::demo();
    sandbox.write("waivers.toml", &waiver("perf/tick/*", "2999-12-31"));
    let out = sandbox.run(&["check", "--config", REGRESSED, "--waivers", "waivers.toml"]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
}

#[test]
fn expired_waiver_fails_and_unmatched_waiver_is_reported() {
    let sandbox = Sandbox::demo();
    // The default location: baselines/waivers.toml beside the config.
    sandbox.write(
        "baselines/waivers.toml",
        &format!(
            "{}{}",
            waiver("perf/tick/*", "2020-01-01"),
            waiver("perf/gone/*", "2999-12-31")
        ),
    );
    let out = sandbox.run(&["check"]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("waiver expired on 2020-01-01"), "{stdout}");
    assert!(
        stdout.contains("perf/gone/*: waiver matches no check"),
        "{stdout}"
    );
}

#[test]
fn malformed_waivers_cannot_decide() {
    let sandbox = Sandbox::demo();
    sandbox.write(
        "w.toml",
        "[[waiver]]\ncheck = \"*\"\nreason = \"r\"\nexpires = \"2999-01-01\"\nowner = \"me\"\n",
    );
    let out = sandbox.run(&["check", "--waivers", "w.toml"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("w.toml:5:"),
        "{}",
        shown(&out)
    );
}

#[test]
fn rollback_report_is_written_on_rollback_only() {
    let sandbox = Sandbox::demo_repo();
    let out = sandbox.run(&[
        "check",
        "--config",
        REGRESSED,
        "--rollback-report",
        "rollback.md",
    ]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let text = sandbox.read("rollback.md");
    assert!(text.starts_with("# Rollback report: "), "{text}");
    assert!(
        text.contains("| perf/tick | high | 15 minutes | `tick_ms`, `ticks_per_s` |"),
        "{text}"
    );
    assert!(
        text.contains(
            "Follow [docs/ROLLBACK.md#tick-regression](docs/ROLLBACK.md#tick-regression)."
        ),
        "{text}"
    );
    assert!(text.contains("Revert the scheduler change"), "{text}");
    assert!(
        text.contains("baseline 1.25 → current 1.35 (+8.00%), threshold 5.00%"),
        "{text}"
    );
    let head = sandbox.git(&["rev-parse", "HEAD"]);
    assert!(
        text.contains(String::from_utf8_lossy(&head.stdout).trim()),
        "{text}"
    );

    let out = sandbox.run(&["check", "--rollback-report", "pass.md"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(!sandbox.path().join("pass.md").exists());
}

#[test]
fn a_run_narrowed_with_gate_does_not_call_other_gates_waivers_unused() {
    let sandbox = Sandbox::demo();
    sandbox.write(
        "baselines/waivers.toml",
        &format!(
            "{}{}",
            waiver("snapshot/telemetry/*", "2999-12-31"),
            waiver("perf/tick/gone", "2999-12-31")
        ),
    );
    let out = sandbox.run(&["check", "--gate", "tick"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("snapshot/telemetry/*"), "{stdout}");
    assert!(
        stdout.contains("perf/tick/gone: waiver matches no check"),
        "{stdout}"
    );
    // Only waivers of gates that did not run: no waivers gate, and the run passes.
    sandbox.write(
        "baselines/waivers.toml",
        &waiver("snapshot/telemetry/*", "2999-12-31"),
    );
    let out = sandbox.run(&["check", "--gate", "tick"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("waivers"),
        "{}",
        shown(&out)
    );
}

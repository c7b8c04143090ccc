//! Snapshots of the human report in its main situations: pass, cannot decide, quiet
//! and coloured output.

use crate::common;

use common::run_plain;

fn stdout(args: &[&str]) -> (i32, String) {
    let out = run_plain(args);
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn passing_demo() {
    let (code, text) = stdout(&["check", "--color", "never"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}

#[test]
fn input_error_names_the_file() {
    let (code, text) = stdout(&[
        "perf",
        "--color",
        "never",
        "--baseline",
        "baselines/perf/tick.json",
        "--current",
        "fixtures/missing.json",
        "--metric",
        "tick_ms=/tick_performance/average_tick_ms",
    ]);
    assert_eq!(code, 2);
    // The OS error text differs between platforms; keep the part that is ours.
    let text = text.replace("No such file or directory (os error 2)", "<not found>");
    insta::assert_snapshot!(text);
}

#[test]
fn quiet_shows_only_problems_and_verdict() {
    let (code, text) = stdout(&[
        "check",
        "--config",
        "fixtures/demo/regressed.toml",
        "--quiet",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1);
    assert!(
        !text.contains("enforce  rollback"),
        "gate lines are left out:\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn colour_always_paints_and_no_color_wins_over_auto() {
    let (_, painted) = stdout(&[
        "check",
        "--config",
        "fixtures/demo/regressed.toml",
        "--color",
        "always",
    ]);
    assert!(
        painted.contains("\x1b[1;31mverdict: ROLLBACK\x1b[0m"),
        "{painted:?}"
    );
    let (_, plain) = stdout(&[
        "check",
        "--config",
        "fixtures/demo/regressed.toml",
        "--color",
        "auto",
    ]);
    assert!(
        !plain.contains('\x1b'),
        "auto with NO_COLOR and no terminal must not paint"
    );
}

#[test]
fn sampled_perf_gate_says_what_it_can_detect() {
    // A noisy go test -bench run: each gate says in one line how small a change its
    // sampled comparisons detect and how many samples would reach its threshold; the
    // inconclusive slowdowns are warnings naming the family they were judged in.
    let (code, text) = stdout(&[
        "perf",
        "--color",
        "never",
        "--baseline",
        "fixtures/perf/go-bench/base.txt",
        "--current",
        "fixtures/perf/go-bench/slow.txt",
    ]);
    assert_eq!(code, 0);
    assert!(text.contains("min detectable change"), "{text}");
    insta::assert_snapshot!(text);
}

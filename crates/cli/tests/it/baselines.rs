//! Baselines end to end: `baseline accept` promotes the current results (with a
//! provenance record) so that `check` passes; `--dry-run` writes nothing; a crash
//! between writing and renaming leaves the old baseline intact; `--baseline-ref`
//! judges against a git ref's baselines and says when the working tree's differ.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

const REGRESSED: &str = "fixtures/demo/regressed.toml";
const BASELINE: &str = "baselines/perf/tick.json";

#[test]
fn accept_then_check_passes_with_provenance() {
    let sandbox = Sandbox::demo_repo();
    assert_eq!(code(&sandbox.run(&["check", "--config", REGRESSED])), 1);

    // Only the perf gates: the regressed demo's characterization run is red, which no
    // baseline may accept (tests/gate_baselines.rs accepts every gate of a green run).
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        REGRESSED,
        "--gate",
        "perf",
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(
        sandbox.read(BASELINE),
        sandbox.read("fixtures/demo/perf/tick-regressed.json")
    );
    let out = sandbox.run(&["check", "--config", REGRESSED, "--gate", "perf"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));

    let record: serde_json::Value =
        serde_json::from_str(&sandbox.read("baselines/perf/tick.json.provenance.json"))
            .expect("json");
    let head = sandbox.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        record["commit"],
        String::from_utf8_lossy(&head.stdout).trim()
    );
    assert_eq!(record["gate"], "perf/tick");
    assert_eq!(record["source"], "fixtures/demo/perf/tick-regressed.json");
    assert!(record["host"].as_str().is_some_and(|h| !h.is_empty()));
    assert_eq!(
        record["tool"],
        format!("safety-gate {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn dry_run_shows_the_change_and_writes_nothing() {
    let sandbox = Sandbox::demo();
    let before = sandbox.read(BASELINE);
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        REGRESSED,
        "--gate",
        "tick",
        "--dry-run",
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("perf/tick: would update baselines/perf/tick.json"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-     \"average_tick_ms\": 1.25,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+     \"average_tick_ms\": 1.35,"),
        "{stdout}"
    );
    assert!(!stdout.contains("tick-log"), "{stdout}");
    assert_eq!(sandbox.read(BASELINE), before);
    assert!(
        !sandbox
            .path()
            .join("baselines/perf/tick.json.provenance.json")
            .exists()
    );
}

#[test]
fn crash_mid_write_leaves_the_old_baseline_intact() {
    let sandbox = Sandbox::demo();
    let before = sandbox.read(BASELINE);
    let out = sandbox
        .cmd()
        .env("SAFETY_GATE_FAILPOINT", "baseline-before-rename")
        .args([
            "baseline",
            "accept",
            "--config",
            REGRESSED,
            "--gate",
            "tick",
            "--allow-regression",
        ])
        .output()
        .expect("runs");
    // The process died (SIGABRT) with the new baseline written to its temporary file.
    assert_eq!(out.status.code(), None, "{}", shown(&out));
    assert_eq!(sandbox.read(BASELINE), before);
    let leftovers: Vec<String> = std::fs::read_dir(sandbox.path().join("baselines/perf"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "the crash happened after the baseline and its record were staged: {leftovers:?}"
    );
    // The old baseline still judges: the regression is still caught.
    assert_eq!(code(&sandbox.run(&["check", "--config", REGRESSED])), 1);
}

#[test]
fn accept_over_several_gates_is_all_or_nothing() {
    let sandbox = Sandbox::demo();
    let before = sandbox.read(BASELINE);
    let log_before = sandbox.read("baselines/perf/tick_benchmark.txt");
    // The second gate's provenance record cannot be written: a folder is in its way.
    std::fs::create_dir(
        sandbox
            .path()
            .join("baselines/perf/tick_benchmark.txt.provenance.json"),
    )
    .expect("mkdir");
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        REGRESSED,
        "--gate",
        "perf",
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tick_benchmark.txt.provenance.json") && stderr.contains("directory"),
        "{stderr}"
    );
    assert_eq!(
        sandbox.read(BASELINE),
        before,
        "the first gate's baseline changed"
    );
    assert_eq!(
        sandbox.read("baselines/perf/tick_benchmark.txt"),
        log_before
    );
    assert!(
        !sandbox
            .path()
            .join("baselines/perf/tick.json.provenance.json")
            .exists()
    );
    let leftovers: Vec<String> = std::fs::read_dir(sandbox.path().join("baselines/perf"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".safety-gate-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn accept_keeps_the_mode_of_a_committed_baseline() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::demo();
    let target = sandbox.path().join(BASELINE);
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o7777;
    // Each accept changes the baseline (regressed, then back), so each one writes.
    for wanted in [0o664, 0o644, 0o640] {
        for args in [
            &["--config", REGRESSED, "--allow-regression"][..],
            &["--config", "safety-gate.toml"][..],
        ] {
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(wanted))
                .expect("chmod");
            let mut argv = vec!["baseline", "accept", "--gate", "tick"];
            argv.extend(args);
            let out = sandbox.run(&argv);
            assert_eq!(code(&out), 0, "{}", shown(&out));
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("accepted"),
                "{}",
                shown(&out)
            );
            assert_eq!(mode(&target), wanted, "{wanted:o}");
        }
    }
    // A new file (the provenance record) gets 0666 less the umask, like any new file.
    let probe = sandbox.path().join("probe");
    std::fs::write(&probe, "").expect("probe");
    let record = sandbox
        .path()
        .join("baselines/perf/tick.json.provenance.json");
    std::fs::remove_file(&record).expect("rm");
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        REGRESSED,
        "--gate",
        "tick",
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(mode(&record), mode(&probe));
}

#[test]
fn unreadable_current_results_are_not_accepted() {
    let sandbox = Sandbox::demo();
    sandbox.write("fixtures/demo/perf/tick-regressed.json", "{ not json");
    let before = sandbox.read(BASELINE);
    let out = sandbox.run(&["baseline", "accept", "--config", REGRESSED]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("tick-regressed.json:1:"),
        "{}",
        shown(&out)
    );
    assert_eq!(sandbox.read(BASELINE), before);
}

#[test]
fn baseline_ref_judges_against_the_ref_not_an_edited_baseline() {
    let sandbox = Sandbox::demo_repo();
    // A change that regresses ticks and "fixes" its own baselines to hide it.
    for (current, baseline) in [
        ("tick-regressed.json", "baselines/perf/tick.json"),
        (
            "tick_benchmark-regressed.txt",
            "baselines/perf/tick_benchmark.txt",
        ),
    ] {
        let text = sandbox.read(&format!("fixtures/demo/perf/{current}"));
        sandbox.write(baseline, &text);
    }
    let json = sandbox.path().join("report.json");
    // Only the perf gates: the regressed demo's characterization and snapshot gates
    // fail for reasons no perf baseline can hide.
    let out = sandbox.run(&["check", "--config", REGRESSED, "--gate", "perf"]);
    assert_eq!(
        code(&out),
        0,
        "the edited baselines hide it: {}",
        shown(&out)
    );

    let out = sandbox.run(&[
        "check",
        "--config",
        REGRESSED,
        "--gate",
        "perf",
        "--baseline-ref",
        "HEAD",
        "--report-json",
        &json.to_string_lossy(),
    ]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("json");
    let tick = &report["gates"][0];
    let note = tick["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "baseline-ref:baselines/perf/tick.json")
        .expect("baseline-ref check");
    assert_eq!(note["status"], "warn");
    assert!(
        note["message"]
            .as_str()
            .expect("message")
            .contains("differs from HEAD's"),
        "{note}"
    );
    assert_eq!(tick["checks"][0]["baseline"], 1.25);

    let out = sandbox.run(&["check", "--baseline-ref", "no-such-ref"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no-such-ref does not name a commit"),
        "{}",
        shown(&out)
    );
}

#[test]
fn a_regression_is_refused_unless_allowed_saying_what_would_be_accepted() {
    let sandbox = Sandbox::demo();
    let before = sandbox.read(BASELINE);
    for extra in [&[][..], &["--dry-run"][..]] {
        let mut args = vec![
            "baseline", "accept", "--config", REGRESSED, "--gate", "tick",
        ];
        args.extend(extra);
        let out = sandbox.run(&args);
        assert_eq!(code(&out), 1, "{}", shown(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        for line in [
            "safety-gate: not accepted: the gates fail on the current results",
            "safety-gate:   perf/tick tick_ms: regressed: 1.25 -> 1.35 (+8.00%)",
            "safety-gate: rerun with --allow-regression to accept them as the new baselines:",
            "safety-gate:   perf/tick: baselines/perf/tick.json from fixtures/demo/perf/tick-regressed.json",
        ] {
            assert!(stderr.contains(line), "missing {line:?}: {stderr}");
        }
        assert_eq!(sandbox.read(BASELINE), before);
        assert!(
            !sandbox
                .path()
                .join("baselines/perf/tick.json.provenance.json")
                .exists()
        );
    }
}

#[test]
fn accepting_what_is_already_there_writes_nothing() {
    let sandbox = Sandbox::demo_repo();
    // The demo's baseline is the same numbers written differently: the first accept
    // writes it, the second finds nothing to do.
    let out = sandbox.run(&["baseline", "accept", "--gate", "tick"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    sandbox.commit("accepted once");
    let out = sandbox.run(&["baseline", "accept", "--gate", "tick"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "perf/tick: baselines/perf/tick.json unchanged\n\
         nothing to accept: every baseline already holds the current results\n"
    );
    // Neither the baseline nor a provenance record was touched: git sees no change.
    let status = sandbox.git(&["status", "--porcelain"]);
    assert_eq!(String::from_utf8_lossy(&status.stdout), "", "churn");

    // Accepting a change, then accepting again, changes nothing the second time.
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        REGRESSED,
        "--gate",
        "tick",
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    sandbox.commit("accepted");
    let out = sandbox.run(&[
        "baseline", "accept", "--config", REGRESSED, "--gate", "tick",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let status = sandbox.git(&["status", "--porcelain"]);
    assert_eq!(String::from_utf8_lossy(&status.stdout), "", "churn");
}

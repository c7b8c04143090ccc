//! A baseline that does not exist yet is an error that says how to create it: `baseline
//! accept` for a configured gate, `--write-expected`/`--write-hashes` or a copy for the
//! ad-hoc commands.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

fn error_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("ERROR"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn configured_gates_name_the_accept_command() {
    let sandbox = Sandbox::demo();
    for file in [
        "baselines/perf/tick.json",
        "baselines/characterization/expected-tests.txt",
        "baselines/snapshot/hashes.json",
    ] {
        std::fs::remove_file(sandbox.path().join(file)).expect("remove");
    }
    let out = sandbox.run(&["check", "--quiet"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    let lines = error_lines(&out);
    for (file, gate) in [
        ("baselines/perf/tick.json", "tick"),
        ("baselines/characterization/expected-tests.txt", "demo"),
        ("baselines/snapshot/hashes.json", "telemetry"),
    ] {
        let hint = format!(
            "create it from the current results with `safety-gate baseline accept --gate {gate}`"
        );
        assert!(
            lines.iter().any(|l| l.contains(file) && l.ends_with(&hint)),
            "{file}: {lines:#?}"
        );
    }
    // The hint is true: accepting creates them, and the demo passes again.
    let out = sandbox.run(&["baseline", "accept"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let out = sandbox.run(&["check", "--quiet"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));

    // Another config file is named in the command.
    std::fs::copy(
        sandbox.path().join("safety-gate.toml"),
        sandbox.path().join("other.toml"),
    )
    .expect("copy");
    std::fs::remove_file(sandbox.path().join("baselines/perf/tick.json")).expect("remove");
    let out = sandbox.run(&["check", "--config", "other.toml", "--gate", "tick"]);
    assert!(
        error_lines(&out)[0]
            .ends_with("`safety-gate baseline accept --config other.toml --gate tick`"),
        "{}",
        shown(&out)
    );
}

#[test]
fn ad_hoc_runs_name_the_flag_that_writes_the_file() {
    let sandbox = Sandbox::demo();
    let out = sandbox.run(&[
        "characterization",
        "--results",
        "fixtures/demo/characterization/junit-*.xml",
        "--expected",
        "expected.txt",
    ]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        error_lines(&out)[0].ends_with(
            "write it from a green run with `--write-expected expected.txt` (instead of --expected)"
        ),
        "{}",
        shown(&out)
    );
    let out = sandbox.run(&[
        "snapshot",
        "--schema",
        "fixtures/demo/snapshot/telemetry.schema.json",
        "--snapshots",
        "baselines/snapshot/telemetry/*.json",
        "--hashes",
        "hashes.json",
    ]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        error_lines(&out)[0].ends_with(
            "record the current hashes with `--write-hashes hashes.json` (instead of --hashes)"
        ),
        "{}",
        shown(&out)
    );
    let out = sandbox.run(&[
        "perf",
        "--baseline",
        "base.json",
        "--current",
        "fixtures/demo/perf/tick.json",
        "--format",
        "generic-json",
        "--metric",
        "t=/tick_performance/average_tick_ms",
    ]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        error_lines(&out)[0].ends_with("copy fixtures/demo/perf/tick.json to base.json"),
        "{}",
        shown(&out)
    );
}

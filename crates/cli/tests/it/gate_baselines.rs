//! Baselines of the characterization and snapshot gates end to end: `baseline accept`
//! promotes golden files, the expected-tests manifest and golden hashes (and refuses a
//! red run); `--dry-run` lists them; `--baseline-ref` judges against a git ref's golden
//! files and hashes even when the working tree's were edited to hide a drift; the
//! rollback report shows each gate's procedure.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

const REGRESSED: &str = "fixtures/demo/regressed.toml";
const DRIFTED: &str = "fixtures/demo/drifted.toml";
const METRICS: &str = "baselines/characterization/metrics.json";
const MANIFEST: &str = "baselines/characterization/expected-tests.txt";
const HASHES: &str = "baselines/snapshot/hashes.json";

/// Every gate of the demo after a change whose outputs moved but whose test run is
/// green and whose schema is unchanged: only baselines stand between it and a pass.
const DRIFTED_TOML: &str = r#"
[[perf]]
name = "tick"
baseline = "../../baselines/perf/tick.json"
current = "perf/tick-regressed.json"
format = "generic-json"
threshold = "5%"
metrics = [{ name = "tick_ms", pointer = "/tick_performance/average_tick_ms", direction = "lower" }]

[[characterization]]
name = "demo"
results = ["characterization/junit-*.xml"]
expected = "../../baselines/characterization/expected-tests.txt"

[[characterization.golden]]
baseline = "../../baselines/characterization/metrics.json"
current = "characterization/regressed/metrics.json"
ignore = ["/generated_at"]

[[snapshot]]
name = "telemetry"
schema = "snapshot/telemetry.schema.json"
snapshots = ["../../baselines/snapshot/telemetry/*.json"]
redact = ["/saved_at"]
hashes = "../../baselines/snapshot/hashes.json"
hash_command = { seeded-run = ["python3", "../snapshot/loader.py", "--simulate", "7", "--drift"] }
"#;

fn drifted_repo() -> Sandbox {
    let sandbox = Sandbox::demo();
    sandbox.write(DRIFTED, DRIFTED_TOML);
    sandbox.git(&["init", "-q", "-b", "main"]);
    sandbox.commit("demo");
    sandbox
}

fn failing_ids(sandbox: &Sandbox, args: &[&str]) -> (i32, Vec<String>, String) {
    let json = sandbox.path().join("report.json");
    let mut all = args.to_vec();
    let json_arg = json.to_string_lossy().into_owned();
    all.extend(["--report-json", &json_arg]);
    let out = sandbox.run(&all);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("json");
    let mut ids = Vec::new();
    for gate in report["gates"].as_array().expect("gates") {
        for check in gate["checks"].as_array().expect("checks") {
            if check["status"] != "pass" {
                ids.push(format!(
                    "{}:{}:{}",
                    gate["name"].as_str().unwrap_or_default(),
                    check["id"].as_str().unwrap_or_default(),
                    check["status"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    (code(&out), ids, shown(&out))
}

#[test]
fn accept_every_gate_then_check_passes() {
    let sandbox = drifted_repo();
    let (exit, ids, _) = failing_ids(&sandbox, &["check", "--config", DRIFTED]);
    assert_eq!(exit, 1);
    assert!(ids.contains(&"tick:tick_ms:fail".to_string()), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("demo:golden:")), "{ids:?}");
    assert!(
        ids.contains(&"telemetry:hash:seeded-run:fail".to_string()),
        "{ids:?}"
    );

    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        DRIFTED,
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let (exit, ids, text) = failing_ids(&sandbox, &["check", "--config", DRIFTED]);
    assert_eq!((exit, ids), (0, Vec::<String>::new()), "{text}");

    assert_eq!(
        sandbox.read(METRICS),
        sandbox.read("fixtures/demo/characterization/regressed/metrics.json")
    );
    for file in [METRICS, HASHES] {
        let record = sandbox.read(&format!("{file}.provenance.json"));
        assert!(record.contains("\"accepted_at\""), "{file}: {record}");
    }
    // The manifest already listed the same tests: left alone, with no new record.
    assert!(
        !sandbox
            .path()
            .join(format!("{MANIFEST}.provenance.json"))
            .exists()
    );
    // The snapshot keys still name the same files, relative to the hashes file.
    let hashes: serde_json::Value = serde_json::from_str(&sandbox.read(HASHES)).expect("json");
    assert!(
        hashes.get("telemetry/telemetry_0.9.0.json").is_some(),
        "{hashes}"
    );
}

#[test]
fn a_red_run_is_refused_and_nothing_is_written() {
    let sandbox = Sandbox::demo();
    let before = [METRICS, MANIFEST, HASHES, "baselines/perf/tick.json"].map(|f| sandbox.read(f));
    let out = sandbox.run(&["baseline", "accept", "--config", REGRESSED]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("characterization/demo"), "{stderr}");
    assert!(stderr.contains("not green (no-skips)"), "{stderr}");
    let after = [METRICS, MANIFEST, HASHES, "baselines/perf/tick.json"].map(|f| sandbox.read(f));
    assert_eq!(before, after);
}

#[test]
fn dry_run_lists_golden_files_manifest_and_hashes() {
    let sandbox = drifted_repo();
    let before = sandbox.read(HASHES);
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        DRIFTED,
        "--dry-run",
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [
        "characterization/demo: would update baselines/characterization/metrics.json",
        "characterization/demo: baselines/characterization/expected-tests.txt unchanged",
        "snapshot/telemetry: would update baselines/snapshot/hashes.json",
        "-   \"seeded-run\": \"8e429450",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in\n{stdout}");
    }
    assert_eq!(sandbox.read(HASHES), before);
}

#[test]
fn baseline_ref_catches_edited_golden_files_and_hashes() {
    let sandbox = drifted_repo();
    // The change moves the outputs and "fixes" its own golden file and hashes to hide it.
    let out = sandbox.run(&[
        "baseline",
        "accept",
        "--config",
        DRIFTED,
        "--allow-regression",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let (exit, _, text) = failing_ids(&sandbox, &["check", "--config", DRIFTED]);
    assert_eq!(exit, 0, "the edited baselines hide it: {text}");

    let (exit, ids, text) = failing_ids(
        &sandbox,
        &["check", "--config", DRIFTED, "--baseline-ref", "main"],
    );
    assert_eq!(exit, 1, "{text}");
    for id in [
        "telemetry:hash:seeded-run:fail",
        "telemetry:baseline-ref:baselines/snapshot/hashes.json:warn",
        "demo:baseline-ref:baselines/characterization/metrics.json:warn",
    ] {
        assert!(ids.contains(&id.to_string()), "missing {id} in {ids:?}");
    }
    // The golden check keeps its id (the working-tree baseline path), not the copy's.
    let golden = ids
        .iter()
        .find(|i| i.starts_with("demo:golden:"))
        .expect("golden check fails");
    assert!(
        golden.ends_with("baselines/characterization/metrics.json:fail")
            && !golden.contains("safety-gate-ref-"),
        "{golden}"
    );
    // The saved snapshots' keys still resolve against the ref's copy of the hashes.
    assert!(
        !ids.iter().any(|i| i.contains("telemetry_0.9.0")),
        "{ids:?}"
    );
    // The manifest did not change, and says so.
    assert!(!ids.iter().any(|i| i.contains("expected-tests")), "{ids:?}");
}

#[test]
fn rollback_report_shows_each_gates_procedure() {
    let sandbox = Sandbox::demo();
    let report = sandbox.path().join("rollback.md");
    let out = sandbox.run(&[
        "check",
        "--config",
        REGRESSED,
        "--rollback-report",
        &report.to_string_lossy(),
    ]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let text = std::fs::read_to_string(&report).expect("report");
    for needle in [
        "docs/ROLLBACK.md#characterization-drift",
        "docs/ROLLBACK.md#snapshot-incompatibility",
        "critical",
        "1 hour",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let guide = sandbox.read("docs/ROLLBACK.md");
    assert!(guide.contains("## Characterization drift"));
    assert!(guide.contains("## Snapshot incompatibility"));
}

//! The snapshot gate end to end: schema validation of old snapshots, compatibility
//! modes, golden hashes, the project's loader (accepting, rejecting, hanging), version
//! policy, remote references, the JSON report and the JUnit output.

use crate::common;

use common::{assert_junit_valid, check, run};
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

const STRICT: &str = "fixtures/snapshot/schemas/telemetry.schema.json";
const TICK_OPTIONAL: &str = "fixtures/snapshot/schemas/telemetry_tick_optional.schema.json";
const OLD_SNAPSHOTS: &str = "fixtures/snapshot/telemetry/*.json";
const OLD_020: &str = "schema:fixtures/snapshot/telemetry/telemetry_0.2.0.json";
const OLD_090: &str = "schema:fixtures/snapshot/telemetry/telemetry_0.9.0.json";

/// Runs the gate on the old fixture snapshots with `tick` optional, plus `extra` flags.
fn old_snapshots_with(extra: &[&str]) -> common::Outcome {
    let mut args = vec![
        "snapshot",
        "--schema",
        TICK_OPTIONAL,
        "--snapshots",
        OLD_SNAPSHOTS,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn old_snapshots_without_tick_fail_then_pass_with_tick_optional() {
    let out = run(&["snapshot", "--schema", STRICT, "--snapshots", OLD_SNAPSHOTS]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(json["verdict"], "rollback");
    for id in [OLD_020, OLD_090] {
        let c = check(&json, id);
        assert_eq!(c["status"], "fail");
        assert!(
            c["message"]
                .as_str()
                .expect("message")
                .contains("\"tick\" is a required property"),
            "{c}"
        );
        assert_eq!(
            c["details"][0],
            "at (root) (schema /required): \"tick\" is a required property"
        );
    }
    assert_junit_valid(&out.junit.expect("junit"));
    insta::assert_snapshot!("missing_tick_human", out.stdout);

    let out = old_snapshots_with(&[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json.expect("report");
    assert_eq!(check(&json, OLD_020)["status"], "pass");
    assert_eq!(check(&json, OLD_090)["status"], "pass");
}

#[test]
fn optional_made_required_breaks_backward_not_forward() {
    let compat = |mode: &str| {
        run(&[
            "snapshot",
            "--schema",
            STRICT,
            "--previous-schema",
            TICK_OPTIONAL,
            "--compatibility",
            mode,
        ])
    };
    let id = format!("compat:{TICK_OPTIONAL}");
    let out = compat("backward");
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    let c = check(&json, &id);
    assert_eq!(c["status"], "fail");
    let details = c["details"].as_array().expect("details");
    assert_eq!(details.len(), 1, "{c}");
    let detail = details[0].as_str().expect("detail");
    assert!(
        detail.starts_with(
            "breaking: /required [required] narrows: \"tick\" is a required property; example {"
        ),
        "{detail}"
    );
    assert!(
        detail.ends_with("}: valid under the previous schema, invalid now"),
        "{detail}"
    );
    assert!(
        !detail.contains("\"tick\":"),
        "the example lacks tick: {detail}"
    );
    insta::assert_snapshot!("optional_made_required_backward_human", out.stdout);

    let out = compat("forward");
    assert_eq!(out.code, 0, "{}", out.stdout);
    let c = check(out.json.as_ref().expect("report"), &id).clone();
    assert_eq!(c["status"], "pass");
    assert!(
        c["details"][0]
            .as_str()
            .expect("detail")
            .starts_with("compatible: /required [required] narrows:"),
        "{c}"
    );

    assert_eq!(compat("full").code, 1);
}

#[test]
fn transitive_backward_checks_every_earlier_schema() {
    let out = run(&[
        "snapshot",
        "--schema",
        "fixtures/demo/snapshot/telemetry-regressed.schema.json",
        "--previous-schema",
        "baselines/snapshot/schemas/*.json",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    for file in ["telemetry-1.0.schema.json", "telemetry-1.1.schema.json"] {
        let c = check(&json, &format!("compat:baselines/snapshot/schemas/{file}"));
        assert_eq!(c["status"], "fail", "{c}");
    }
    let out = run(&[
        "snapshot",
        "--schema",
        "fixtures/demo/snapshot/telemetry.schema.json",
        "--previous-schema",
        "baselines/snapshot/schemas/*.json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

/// Writes `doc` re-indented with keys in reverse order, as another tool might save it.
fn write_reordered(path: &Path, doc: &Value) {
    fn reorder(v: &Value, out: &mut String, depth: usize) {
        let pad = "    ".repeat(depth + 1);
        match v {
            Value::Object(map) => {
                out.push_str("{\n");
                let entries: Vec<_> = map.iter().rev().collect();
                for (i, (k, item)) in entries.iter().enumerate() {
                    out.push_str(&format!(
                        "{pad}{}: ",
                        serde_json::to_string(k).expect("key")
                    ));
                    reorder(item, out, depth + 1);
                    out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
                }
                out.push_str(&"    ".repeat(depth));
                out.push('}');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut text = String::new();
    reorder(doc, &mut text, 0);
    std::fs::write(path, text).expect("write");
}

#[test]
fn golden_hash_survives_reindent_and_key_order_but_not_a_changed_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = dir.path().join("telemetry.json");
    let hashes = dir.path().join("hashes.json");
    let original = common::repo_root().join("fixtures/snapshot/telemetry/telemetry_0.9.0.json");
    std::fs::copy(&original, &snap).expect("copy");
    let (snap_s, hashes_s) = (snap.to_string_lossy(), hashes.to_string_lossy());
    let args = |flag: &'static str| {
        [
            "snapshot",
            "--schema",
            TICK_OPTIONAL,
            "--snapshots",
            &snap_s,
            flag,
            &hashes_s,
        ]
        .map(str::to_owned)
    };
    let run_with = |flag| {
        let a = args(flag);
        run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    assert_eq!(run_with("--write-hashes").code, 0);
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(&hashes).expect("hashes")).expect("json");
    assert!(recorded["telemetry.json"].as_str().is_some(), "{recorded}");

    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&snap).expect("read")).expect("json");
    write_reordered(&snap, &doc);
    let rewritten = std::fs::read_to_string(&snap).expect("read");
    assert_ne!(rewritten, std::fs::read_to_string(&original).expect("read"));
    let out = run_with("--hashes");
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        check(&out.json.expect("report"), "hash:telemetry.json")["status"],
        "pass"
    );

    doc["employment"]["queue_limit"] = json!(9);
    write_reordered(&snap, &doc);
    let out = run_with("--hashes");
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    let c = check(&json, "hash:telemetry.json");
    assert_eq!(c["status"], "fail");
    assert!(
        c["message"]
            .as_str()
            .expect("message")
            .contains("differs from the recorded"),
        "{c}"
    );
}

#[test]
fn loader_accepts_old_snapshots_and_rejects_an_unknown_object_type() {
    let out = old_snapshots_with(&[
        "--snapshots",
        "fixtures/snapshot/rejected/*.json",
        "--roundtrip",
        "python3 fixtures/snapshot/loader.py --resave {snapshot}",
        "--roundtrip-compare",
        "--redact",
        "/saved_at",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    for name in [
        "telemetry/telemetry_0.2.0.json",
        "telemetry/telemetry_0.9.0.json",
    ] {
        let c = check(&json, &format!("roundtrip:fixtures/snapshot/{name}"));
        assert_eq!(c["status"], "pass", "{c}");
    }
    let c = check(
        &json,
        "roundtrip:fixtures/snapshot/rejected/telemetry_sauna.json",
    );
    assert_eq!(c["status"], "fail");
    let message = c["message"].as_str().expect("message");
    assert!(
        message.contains("exit code 1: KeyError: 'sauna'"),
        "{message}"
    );
    assert!(
        c["details"]
            .as_array()
            .expect("stderr tail")
            .iter()
            .any(|l| l == "stderr: KeyError: 'sauna'")
    );
    // The traceback's layout and paths vary with the Python version and the checkout;
    // its lines are asserted above and left out of the snapshot.
    let human: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !l.trim_start().starts_with("stderr:"))
        .collect();
    insta::assert_snapshot!("loader_rejects_human", human.join("\n"));
}

#[test]
fn resaved_snapshot_must_match_unless_redacted() {
    let out = old_snapshots_with(&[
        "--roundtrip",
        "python3 fixtures/snapshot/loader.py --resave {snapshot}",
        "--roundtrip-compare",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    let c = check(
        &json,
        "roundtrip:fixtures/snapshot/telemetry/telemetry_0.9.0.json",
    );
    assert_eq!(c["status"], "fail");
    let detail = c["details"][0].as_str().expect("detail");
    assert!(
        detail.starts_with("/saved_at: \"2025-03-02T17:30:00+00:00\" -> "),
        "{detail}"
    );
}

#[test]
fn hanging_loader_is_killed_at_the_timeout_and_the_run_finishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pid_file = dir.path().join("helper.pid");
    let command = format!(
        "python3 fixtures/snapshot/hang.py '{}' {{snapshot}}",
        pid_file.display()
    );
    let started = Instant::now();
    let out = run(&[
        "snapshot",
        "--schema",
        TICK_OPTIONAL,
        "--snapshots",
        "fixtures/snapshot/telemetry/telemetry_0.9.0.json",
        "--roundtrip",
        &command,
        "--timeout",
        "2s",
    ]);
    let elapsed = started.elapsed();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    let json = out.json.expect("report");
    assert_eq!(check(&json, OLD_090)["status"], "pass");
    let c = check(
        &json,
        "roundtrip:fixtures/snapshot/telemetry/telemetry_0.9.0.json",
    );
    assert_eq!(c["status"], "fail");
    let message = c["message"].as_str().expect("message");
    assert!(
        message.contains("hung: killed after the 2s timeout, process group killed"),
        "{message}"
    );
    let helper: i32 = std::fs::read_to_string(&pid_file)
        .expect("the loader started its helper before hanging")
        .trim()
        .parse()
        .expect("pid");
    assert!(!running(helper), "helper {helper} outlived the run");
}

/// Whether a process exists and is not a zombie awaiting its reaper.
fn running(pid: i32) -> bool {
    for _ in 0..100 {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => return false,
            Ok(stat) => {
                let state = stat.rsplit(')').next().unwrap_or("").trim_start();
                if state.starts_with(['Z', 'X']) {
                    return false;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

#[test]
fn version_policy_fails_old_versions_and_reports_those_seen() {
    let out = old_snapshots_with(&[
        "--version-pointer",
        "/schema_version",
        "--min-version",
        "0.5",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json.expect("report");
    let old = check(
        &json,
        "version:fixtures/snapshot/telemetry/telemetry_0.2.0.json",
    );
    assert_eq!(old["status"], "fail");
    assert_eq!(old["message"], "version 0.2.0 is below the minimum 0.5");
    let newer = check(
        &json,
        "version:fixtures/snapshot/telemetry/telemetry_0.9.0.json",
    );
    assert_eq!(newer["status"], "pass");
    assert_eq!(
        check(&json, "versions")["message"],
        "versions seen: 0.2.0 (1), 0.9.0 (1)"
    );
}

#[test]
fn remote_ref_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = dir.path().join("remote.schema.json");
    let doc =
        json!({"properties": {"tick": {"$ref": "https://schemas.example.invalid/tick.json"}}});
    std::fs::write(&schema, doc.to_string()).expect("write");
    let out = run(&[
        "snapshot",
        "--schema",
        &schema.to_string_lossy(),
        "--snapshots",
        OLD_SNAPSHOTS,
    ]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("$ref at /properties/tick/$ref points to https://schemas.example.invalid/tick.json: remote references are refused"),
        "{}",
        out.stdout
    );
    assert_eq!(
        check(&out.json.expect("report"), "schema")["status"],
        "error"
    );
}

#[test]
fn unreadable_snapshot_and_empty_glob_are_exit_2_naming_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"schema_version\": \"1.0\",\n  \"tick\": ,\n}\n",
    )
    .expect("write");
    let out = run(&[
        "snapshot",
        "--schema",
        TICK_OPTIONAL,
        "--snapshots",
        &broken.to_string_lossy(),
    ]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("broken.json:3:"), "{}", out.stdout);

    let out = run(&[
        "snapshot",
        "--schema",
        TICK_OPTIONAL,
        "--snapshots",
        "fixtures/snapshot/none/*.json",
    ]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("matched no file"), "{}", out.stdout);
    assert_junit_valid(&out.junit.expect("junit"));
}

#[test]
fn config_table_runs_in_check() {
    let out = run(&["check"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let json = out.json.expect("report");
    let gate = json["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["gate"] == "snapshot")
        .expect("snapshot gate in the demo");
    assert_eq!(gate["verdict"], "pass");
    assert_eq!(check(&json, "hash:seeded-run")["status"], "pass");
    assert_eq!(
        check(
            &json,
            "compat:baselines/snapshot/schemas/telemetry-1.0.schema.json"
        )["status"],
        "pass"
    );
}

#[test]
fn redacting_two_items_of_a_list_leaves_the_third_compared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (schema, snap, hashes) = (
        dir.path().join("s.json"),
        dir.path().join("events.json"),
        dir.path().join("hashes.json"),
    );
    std::fs::write(&schema, r#"{"type": "object"}"#).expect("schema");
    std::fs::write(&snap, r#"{"events": ["boot", "tick", "save"]}"#).expect("snapshot");
    let paths = [&schema, &snap, &hashes].map(|p| p.to_string_lossy().into_owned());
    let run_with = |flag: &str| {
        run(&[
            "snapshot",
            "--schema",
            &paths[0],
            "--snapshots",
            &paths[1],
            "--redact",
            "/events/0",
            "--redact",
            "/events/1",
            flag,
            &paths[2],
        ])
    };
    assert_eq!(run_with("--write-hashes").code, 0);
    // The first two items may change; the third may not.
    std::fs::write(&snap, r#"{"events": ["start", "step", "save"]}"#).expect("snapshot");
    assert_eq!(run_with("--hashes").code, 0);
    std::fs::write(&snap, r#"{"events": ["boot", "tick", "lost"]}"#).expect("snapshot");
    let out = run_with("--hashes");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(
        check(&out.json.expect("report"), "hash:events.json")["status"],
        "fail"
    );
}

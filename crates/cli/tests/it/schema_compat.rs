//! Schema compatibility through the real binary: a chain of previous schemas under each
//! mode, `--draft` for schemas without `$schema`, and the exit codes of what cannot be
//! judged.

use crate::common;

use common::{check, run};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, serde_json::to_string_pretty(value).expect("json")).expect("write");
    path
}

fn model(max_len: Option<u64>, kinds: &[&str]) -> Value {
    let mut name = json!({"type": "string"});
    if let Some(n) = max_len {
        name["maxLength"] = json!(n);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"name": name, "kind": {"enum": kinds}}
    })
}

fn compat(current: &Path, previous: &str, mode: &str, extra: &[&str]) -> common::Outcome {
    let current = current.to_str().expect("utf-8");
    let mut args = vec![
        "snapshot",
        "--schema",
        current,
        "--previous-schema",
        previous,
        "--compatibility",
        mode,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn status(out: &common::Outcome, file: &Path) -> String {
    let json = out.json.as_ref().expect("report");
    let id = format!("compat:{}", file.display());
    check(json, &id)["status"]
        .as_str()
        .expect("status")
        .to_owned()
}

#[test]
fn every_schema_of_a_chain_is_checked_in_each_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v1 = write(dir.path(), "history/v1.json", &model(None, &["a"]));
    let v2 = write(dir.path(), "history/v2.json", &model(Some(8), &["a"]));
    let current = write(dir.path(), "current.json", &model(Some(8), &["a", "b"]));
    let chain = dir.path().join("history/*.json");
    let chain = chain.to_str().expect("utf-8");

    // v1 -> current adds maxLength (narrows); v2 -> current adds an enum value (widens).
    let out = compat(&current, chain, "backward", &[]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(status(&out, &v1), "fail");
    assert_eq!(status(&out, &v2), "pass");
    let json = out.json.as_ref().expect("report");
    let failed = check(json, &format!("compat:{}", v1.display()));
    let detail = failed["details"][0].as_str().expect("detail");
    assert!(
        detail.starts_with("breaking: /properties/name/maxLength [length] narrows:"),
        "{detail}"
    );

    let out = compat(&current, chain, "forward", &[]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(status(&out, &v1), "fail");
    assert_eq!(status(&out, &v2), "fail");

    let out = compat(&current, chain, "full", &[]);
    assert_eq!(
        (status(&out, &v1), status(&out, &v2)),
        ("fail".into(), "fail".into())
    );

    let only_v2 = v2.to_str().expect("utf-8");
    assert_eq!(compat(&current, only_v2, "backward", &[]).code, 0);
    // Swapping the pair swaps the modes.
    assert_eq!(
        compat(&v2, current.to_str().expect("utf-8"), "forward", &[]).code,
        0
    );
    assert_eq!(
        compat(&v2, current.to_str().expect("utf-8"), "backward", &[]).code,
        1
    );
}

#[test]
fn draft_option_decides_how_schemas_without_schema_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(
        dir.path(),
        "old.json",
        &json!({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s"}),
    );
    // Draft 7 ignores keywords beside $ref; 2019-09 and later apply them.
    let new = write(
        dir.path(),
        "new.json",
        &json!({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s", "maxLength": 3}),
    );
    let old = old.to_str().expect("utf-8");
    assert_eq!(compat(&new, old, "backward", &["--draft", "7"]).code, 0);
    let out = compat(&new, old, "backward", &[]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("/maxLength [length] narrows"),
        "{}",
        out.stdout
    );
}

#[test]
fn unknown_keywords_that_change_cannot_be_decided() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(
        dir.path(),
        "old.json",
        &json!({"type": "integer", "x-connect-type": "int32"}),
    );
    let new = write(
        dir.path(),
        "new.json",
        &json!({"type": "integer", "x-connect-type": "int64"}),
    );
    let out = compat(&new, old.to_str().expect("utf-8"), "backward", &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let json = out.json.as_ref().expect("report");
    let c = check(json, &format!("compat:{}", old.display()));
    assert_eq!(c["status"], "error");
    assert!(
        c["message"]
            .as_str()
            .expect("message")
            .starts_with("cannot decide:"),
        "{c}"
    );
    assert!(
        c["details"][0]
            .as_str()
            .expect("detail")
            .starts_with("cannot decide: /x-connect-type [keyword-not-compared]"),
        "{c}"
    );
    // Unchanged, the same keyword decides nothing and the schemas are compatible.
    let same = write(
        dir.path(),
        "same.json",
        &json!({"type": "number", "x-connect-type": "int32"}),
    );
    assert_eq!(
        compat(&same, old.to_str().expect("utf-8"), "backward", &[]).code,
        0
    );
}

#[test]
fn a_previous_schema_that_cannot_be_read_is_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(
        dir.path(),
        "old.json",
        &json!({"properties": {"a": {"$ref": "#/$defs/gone"}}}),
    );
    let new = write(dir.path(), "new.json", &json!({}));
    let out = compat(&new, old.to_str().expect("utf-8"), "backward", &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("previous schema cannot be compared"),
        "{}",
        out.stdout
    );
    let out = compat(
        &new,
        old.to_str().expect("utf-8"),
        "backward",
        &["--draft", "9"],
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
}

/// The hand-written adversarial pairs of `fixtures/snapshot/compat/cases.json`, one or
/// more per class of change, each run in both modes with its expected verdicts.
#[test]
fn adversarial_pairs_give_their_expected_verdicts_in_both_modes() {
    let path = common::repo_root().join("fixtures/snapshot/compat/cases.json");
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("cases")).expect("json");
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut names: Vec<&str> = cases
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wrong = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let old = write(dir.path(), &format!("{name}/old.json"), &case["old"]);
        let new = write(dir.path(), &format!("{name}/new.json"), &case["new"]);
        for (mode, key) in [
            ("backward", "backward_compatible"),
            ("forward", "forward_compatible"),
        ] {
            let want = if case[key].as_bool().expect(key) {
                0
            } else {
                1
            };
            let out = compat(&new, old.to_str().expect("utf-8"), mode, &[]);
            if out.code != want {
                wrong.push(format!(
                    "{name} {mode}: exit {} (want {want})\n{}",
                    out.code, out.stdout
                ));
            }
            for line in out
                .stdout
                .lines()
                .filter(|l| l.trim_start().starts_with("breaking:"))
            {
                assert!(
                    line.contains("; example ") || line.ends_with("no example could be built"),
                    "{name}: {line}"
                );
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

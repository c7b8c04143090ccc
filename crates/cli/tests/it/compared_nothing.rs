//! A gate that compared nothing cannot pass, whatever else it holds: the same file on
//! both sides (by path, spelled with `..`, through a link), lenient JSONL with no record
//! on either side, and a gate whose only benchmark was skipped under `--baseline-ref`,
//! where the bookkeeping check saying where the baseline came from used to stand for a
//! comparison. (An empty JUnit run is the `empty` rule's to judge: it fails in strict
//! mode and, as documented, only warns in lenient mode.)

use crate::common::{check, repo_root, run};
use crate::sandbox::{Sandbox, code};

const GOOD: &str = "fixtures/bad/good/perf.json";

fn perf_args<'a>(baseline: &'a str, current: &'a str) -> Vec<&'a str> {
    vec![
        "perf",
        "--format",
        "generic-json",
        "--baseline",
        baseline,
        "--current",
        current,
        "--metric",
        "t=/t",
    ]
}

#[test]
fn the_same_file_on_both_sides_is_an_error_by_any_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("perf.json");
    std::fs::copy(repo_root().join(GOOD), &copy).expect("copy");
    let hard = dir.path().join("hard.json");
    std::fs::hard_link(&copy, &hard).expect("hard link");
    let soft = dir.path().join("soft.json");
    std::os::unix::fs::symlink(&copy, &soft).expect("symlink");
    let (copy, hard, soft) = (
        copy.to_str().expect("utf-8").to_string(),
        hard.to_str().expect("utf-8").to_string(),
        soft.to_str().expect("utf-8").to_string(),
    );
    let dotted = format!("{}/../{}/perf.json", dir.path().display(), {
        dir.path()
            .file_name()
            .expect("name")
            .to_str()
            .expect("utf-8")
    });
    for (baseline, current) in [
        (GOOD, GOOD),
        (GOOD, "fixtures/bad/../bad/good/./perf.json"),
        (copy.as_str(), hard.as_str()),
        (soft.as_str(), copy.as_str()),
        (copy.as_str(), dotted.as_str()),
    ] {
        let out = run(&perf_args(baseline, current));
        assert_eq!(out.code, 2, "{baseline} vs {current}: {}", out.stdout);
        let json = out.json.expect("report");
        assert_eq!(json["verdict"], "error");
        assert_eq!(check(&json, "same-file")["status"], "error");
        assert!(out.stdout.contains("same file"), "{}", out.stdout);
    }
    // Two files with equal contents are a real comparison.
    let out = run(&perf_args(GOOD, "fixtures/bad/good/perf-current.json"));
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn a_config_naming_one_file_twice_is_refused_for_every_gate_kind() {
    let sandbox = Sandbox::empty();
    sandbox.write("b.json", "{\"t\": 1.0}\n");
    sandbox.write("schema.json", "{\"type\": \"object\"}\n");
    for (kind, table) in [
        (
            "perf",
            "[[perf]]\nname = \"p\"\nbaseline = \"b.json\"\ncurrent = \"./b.json\"\n\
             format = \"generic-json\"\nmetrics = [{ name = \"t\", pointer = \"/t\" }]\n",
        ),
        (
            "characterization",
            "[[characterization]]\nname = \"c\"\n[[characterization.golden]]\n\
             baseline = \"b.json\"\ncurrent = \"sub/../b.json\"\n",
        ),
        (
            "snapshot",
            "[[snapshot]]\nname = \"s\"\nschema = \"schema.json\"\n\
             previous_schemas = [\"schema.json\"]\n",
        ),
    ] {
        sandbox.write("safety-gate.toml", table);
        let out = sandbox.run(&["check"]);
        let text = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        assert_eq!(code(&out), 2, "{kind}: {text}");
        assert!(
            text.contains("baseline and current are the same file"),
            "{kind}: {text}"
        );
        assert!(text.contains("safety-gate.toml"), "{kind}: {text}");
    }
}

#[test]
fn lenient_jsonl_with_no_record_on_either_side_cannot_decide() {
    let sandbox = Sandbox::empty();
    sandbox.write("b.jsonl", "starting\nINFO done\n");
    sandbox.write("c.jsonl", "a log line, not JSON\n");
    for extra in [&["--lenient"][..], &["--rule", "jsonl=ignore"][..]] {
        let mut args = vec![
            "characterization",
            "--baseline",
            "b.jsonl",
            "--current",
            "c.jsonl",
        ];
        args.extend_from_slice(extra);
        let out = sandbox.run(&args);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(code(&out), 2, "{extra:?}: {text}");
        assert!(text.contains("no JSON record on either side"), "{text}");
    }
    // One record on one side is compared (and differs).
    sandbox.write("c.jsonl", "log\n{\"event\": 1}\n");
    let out = sandbox.run(&[
        "characterization",
        "--baseline",
        "b.jsonl",
        "--current",
        "c.jsonl",
        "--lenient",
    ]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stdout));
}

/// A repository whose one perf gate's only benchmark is not in the current results,
/// with `missing = "skip"`, and whose current results hold only a new benchmark:
/// nothing is compared.
fn skipped_only_repo() -> Sandbox {
    let sandbox = Sandbox::empty();
    sandbox.write(
        "safety-gate.toml",
        "[[perf]]\nname = \"tick\"\nbaseline = \"baselines/tick.json\"\n\
         current = \"out/tick.json\"\nformat = \"custom-smaller-is-better\"\n\
         missing = \"skip\"\n",
    );
    sandbox.write(
        "baselines/tick.json",
        "[{\"name\": \"tick\", \"value\": 1.0, \"unit\": \"ms\"}]\n",
    );
    sandbox.write(".gitignore", "/out\n/target\n");
    sandbox.init_repo();
    sandbox.write(
        "out/tick.json",
        "[{\"name\": \"renamed\", \"value\": 9.0, \"unit\": \"ms\"}]\n",
    );
    sandbox
}

#[test]
fn bookkeeping_under_baseline_ref_never_stands_for_a_comparison() {
    let sandbox = skipped_only_repo();
    let json = sandbox.path().join("target/report.json");
    let out = sandbox.run(&[
        "check",
        "--baseline-ref",
        "main",
        "--report-json",
        json.to_str().expect("utf-8"),
    ]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // Both benchmarks were skipped: the check saying where the baseline came from
    // compared nothing, so the gate cannot pass on it.
    assert_eq!(code(&out), 2, "{text}");
    assert!(text.contains("compared nothing"), "{text}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("json");
    let gate = &report["gates"][0];
    assert_eq!(gate["verdict"], "error", "{report:#}");
    let ids: Vec<&str> = gate["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"baseline-ref:baselines/tick.json"), "{ids:?}");
}

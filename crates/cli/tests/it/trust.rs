//! The trust boundary of `--baseline-ref`, through the binary: a change cannot pass by
//! loosening what judges it. The ref's waivers and gate settings are judged, each thing
//! the change loosens is its own failing check of `trust/<REF>`, and `--allow-loosening`
//! (a maintainer's approval) turns them into warnings and judges the change's settings.

use crate::sandbox::{Sandbox, code};
use serde_json::Value;

const CONFIG: &str = "[[perf]]\nname = \"tick\"\nbaseline = \"baselines/tick.json\"\n\
    current = \"out/tick.json\"\nformat = \"generic-json\"\nthreshold = \"5%\"\n\
    metrics = [{ name = \"t\", pointer = \"/t\" }]\n\n\
    [[perf]]\nname = \"mem\"\nbaseline = \"baselines/mem.json\"\ncurrent = \"out/mem.json\"\n\
    format = \"generic-json\"\nmetrics = [{ name = \"m\", pointer = \"/m\" }]\n";

/// A repository whose `main` holds CONFIG and its baselines, and whose working tree
/// holds a change 30% slower on `tick`.
fn repo() -> Sandbox {
    let sandbox = Sandbox::empty();
    sandbox.write("safety-gate.toml", CONFIG);
    sandbox.write("baselines/tick.json", "{\"t\": 1.0}\n");
    sandbox.write("baselines/mem.json", "{\"m\": 100.0}\n");
    sandbox.write(".gitignore", "/out\n/target\n");
    sandbox.init_repo();
    sandbox.write("out/tick.json", "{\"t\": 1.3}\n");
    sandbox.write("out/mem.json", "{\"m\": 100.0}\n");
    sandbox
}

/// Runs `check --baseline-ref main` with `extra`; the exit code, the JSON report and
/// stdout.
fn check(sandbox: &Sandbox, extra: &[&str]) -> (i32, Value, String) {
    let json = sandbox.path().join("target/report.json");
    let mut args = vec!["check", "--baseline-ref", "main", "--report-json"];
    let json_arg = json.to_str().expect("utf-8").to_string();
    args.push(&json_arg);
    args.extend_from_slice(extra);
    let out = sandbox.run(&args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = std::fs::read_to_string(&json)
        .map(|t| serde_json::from_str(&t).expect("JSON"))
        .unwrap_or(Value::Null);
    (code(&out), report, text)
}

/// The checks of the `trust` gate, as `id: status`.
fn trust(report: &Value) -> Vec<String> {
    report["gates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["gate"] == "trust")
        .flat_map(|g| g["checks"].as_array().cloned().unwrap_or_default())
        .map(|c| {
            format!(
                "{}: {}",
                c["id"].as_str().unwrap_or(""),
                c["status"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn status_of(report: &Value, gate: &str, id: &str) -> String {
    report["gates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["name"] == gate)
        .flat_map(|g| g["checks"].as_array().cloned().unwrap_or_default())
        .find(|c| c["id"] == id)
        .map(|c| c["status"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[test]
fn a_change_that_loosens_nothing_is_judged_as_the_ref_says() {
    let sandbox = repo();
    let (code, report, text) = check(&sandbox, &[]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(trust(&report), ["settings: pass"], "{text}");
    // Tightening the threshold is not a loosening; the ref's 5% is judged.
    sandbox.write(
        "safety-gate.toml",
        &CONFIG.replace("threshold = \"5%\"", "threshold = \"3%\""),
    );
    sandbox.write("out/tick.json", "{\"t\": 1.04}\n");
    let (code, report, text) = check(&sandbox, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(trust(&report), ["settings: pass"], "{text}");
}

#[test]
fn every_loosening_of_the_issue_fails_on_its_own() {
    let sandbox = repo();
    // A waiver of everything until 2099, the threshold raised to 50%, the gate switched
    // to warn, another gate deleted.
    let loosened = CONFIG
        .replace("threshold = \"5%\"", "threshold = \"50%\"\nmode = \"warn\"")
        .split("\n\n")
        .next()
        .expect("first gate")
        .to_string();
    sandbox.write("safety-gate.toml", &loosened);
    sandbox.write(
        "baselines/waivers.toml",
        "[[waiver]]\ncheck = \"*\"\nreason = \"trust me\"\nexpires = \"2099-12-31\"\n",
    );
    let (code, report, text) = check(&sandbox, &[]);
    assert_eq!(code, 1, "{text}");
    let found = trust(&report);
    for expected in [
        "loosened:perf/tick:mode: fail",
        "loosened:perf/tick:threshold: fail",
        "loosened:perf/tick:metrics.t.threshold: fail",
        "removed:perf/mem: fail",
        "loosened:waiver * added: fail",
    ] {
        assert!(
            found.contains(&expected.to_string()),
            "{expected} not in {found:#?}\n{text}"
        );
    }
    // Judged as main says: the regression is a failure, not waived, not a warning.
    assert_eq!(status_of(&report, "tick", "t"), "fail", "{text}");
    // The deleted gate still ran.
    assert_eq!(status_of(&report, "mem", "m"), "pass", "{text}");
    assert!(
        text.contains("a maintainer can allow it with --allow-loosening"),
        "{text}"
    );

    // A maintainer allows it: warnings, and the change's own settings and waivers.
    let (code, report, text) = check(&sandbox, &["--allow-loosening"]);
    assert_eq!(code, 0, "{text}");
    let found = trust(&report);
    assert!(found.iter().all(|c| c.ends_with(": warn")), "{found:#?}");
    assert_eq!(found.len(), 5, "{found:#?}");
    // The change's own 50% is judged: 30% slower passes it.
    assert_eq!(status_of(&report, "tick", "t"), "pass", "{text}");
}

#[test]
fn a_waiver_held_longer_is_a_loosening_and_main_s_waivers_are_the_ones_applied() {
    let sandbox = Sandbox::empty();
    sandbox.write("safety-gate.toml", CONFIG);
    sandbox.write("baselines/tick.json", "{\"t\": 1.0}\n");
    sandbox.write("baselines/mem.json", "{\"m\": 100.0}\n");
    sandbox.write(
        "baselines/waivers.toml",
        "[[waiver]]\ncheck = \"perf/tick/t\"\nreason = \"known\"\nexpires = \"2000-01-01\"\n",
    );
    sandbox.write(".gitignore", "/out\n/target\n");
    sandbox.init_repo();
    sandbox.write("out/tick.json", "{\"t\": 1.3}\n");
    sandbox.write("out/mem.json", "{\"m\": 100.0}\n");
    sandbox.write(
        "baselines/waivers.toml",
        "[[waiver]]\ncheck = \"perf/tick/t\"\nreason = \"known\"\nexpires = \"2099-01-01\"\n",
    );
    let (code, report, text) = check(&sandbox, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        trust(&report).contains(&"loosened:waiver perf/tick/t extended: fail".to_string()),
        "{text}"
    );
    // main's waiver (expired) is the one applied: it fails the run, it waives nothing.
    let waivers_gate = report["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["gate"] == "waivers")
        .expect("waivers gate");
    assert_eq!(
        waivers_gate["name"], "main:baselines/waivers.toml",
        "{waivers_gate:#}"
    );
    assert_eq!(status_of(&report, "tick", "t"), "fail");
}

#[test]
fn a_gate_added_by_the_change_is_judged_with_its_own_settings_and_reported() {
    let sandbox = repo();
    // The new gate reads a baseline main already has.
    let added = format!(
        "{CONFIG}\n[[perf]]\nname = \"tick-loose\"\nbaseline = \"baselines/tick.json\"\n\
         current = \"out/tick.json\"\nformat = \"generic-json\"\nthreshold = \"50%\"\n\
         metrics = [{{ name = \"t\", pointer = \"/t\" }}]\n"
    );
    sandbox.write("safety-gate.toml", &added);
    let (code, report, text) = check(&sandbox, &[]);
    assert_eq!(code, 1, "the old gate still fails: {text}");
    assert!(
        trust(&report).contains(&"added:perf/tick-loose: warn".to_string()),
        "{text}"
    );
    assert_eq!(
        status_of(&report, "tick-loose", "t"),
        "pass",
        "its own 50%: {text}"
    );
}

#[test]
fn a_config_the_ref_does_not_have_is_a_loosening() {
    let sandbox = repo();
    sandbox.write(
        "ci/elsewhere.toml",
        &CONFIG
            .replace("baselines/", "../baselines/")
            .replace("out/", "../out/")
            .replace("5%", "90%"),
    );
    let (code, report, text) = check(&sandbox, &["--config", "ci/elsewhere.toml"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        trust(&report).contains(&"config: fail".to_string()),
        "{text}"
    );
}

#[test]
fn a_producer_changed_by_the_change_is_a_loosening() {
    let sandbox = Sandbox::empty();
    let with_run = CONFIG.replace(
        "current = \"out/tick.json\"\n",
        "current = \"out/tick.json\"\nrun = [\"sh\", \"-c\", \"mkdir -p out && echo '{\\\"t\\\": 1.3}' > out/tick.json\"]\n",
    );
    sandbox.write("safety-gate.toml", &with_run);
    sandbox.write("baselines/tick.json", "{\"t\": 1.0}\n");
    sandbox.write("baselines/mem.json", "{\"m\": 100.0}\n");
    sandbox.write(".gitignore", "/out\n/target\n");
    sandbox.init_repo();
    sandbox.write("out/mem.json", "{\"m\": 100.0}\n");
    // The change's producer copies the baseline over the results.
    sandbox.write("safety-gate.toml", &with_run.replace("1.3", "1.0"));
    let (code, report, text) = check(&sandbox, &[]);
    assert_eq!(code, 1, "main's producer ran: {text}");
    assert!(
        trust(&report).contains(&"loosened:perf/tick:run: fail".to_string()),
        "{text}"
    );
}

/// The HTML report of a change that loosens its gate: the trust gate is in the gate
/// table with its verdict and each loosening is a check that needs attention, beside
/// the regression judged as the ref says.
#[test]
fn the_html_report_shows_each_loosening() {
    let sandbox = repo();
    sandbox.write(
        "safety-gate.toml",
        &CONFIG.replace("threshold = \"5%\"", "threshold = \"50%\""),
    );
    let (code, report, text) = check(&sandbox, &["--html", "target/report.html"]);
    assert_eq!(code, 1, "{text}");
    let page = sandbox.read("target/report.html");
    let failing: Vec<String> = trust(&report)
        .iter()
        .filter_map(|c| c.strip_suffix(": fail").map(str::to_string))
        .collect();
    assert!(
        failing.contains(&"loosened:perf/tick:threshold".to_string()),
        "{failing:?}"
    );
    assert!(
        page.contains(
            ">trust&#x2f;main</a></td><td>enforce</td>\
             <td><span class=\"badge badge-rollback\">rollback</span>"
        ),
        "{page}"
    );
    for id in &failing {
        let article = format!(
            "data-gate=\"trust&#x2f;main\" data-check=\"{}\" data-status=\"fail\"",
            id.replace('/', "&#x2f;")
        );
        assert!(page.contains(&article), "{article} not in {page}");
    }
    assert!(
        page.contains("data-gate=\"perf&#x2f;tick\" data-check=\"t\" data-status=\"fail\""),
        "the regression judged at the ref's 5%: {page}"
    );
}

/// A snapshot gate whose `main` holds a released schema, a saved snapshot (with no
/// golden hash, so nothing else vouches for it) and the current schema.
fn snapshot_repo() -> Sandbox {
    let sandbox = Sandbox::empty();
    sandbox.write(
        "safety-gate.toml",
        "[[snapshot]]\nname = \"state\"\nschema = \"schemas/current.json\"\n\
         snapshots = [\"saved/*.json\"]\nprevious_schemas = [\"schemas/released/*.json\"]\n",
    );
    let schema = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "properties": {"v": {"type": "string"}, "n": {"type": "number"}}, "required": ["v"]}"#;
    sandbox.write("schemas/current.json", schema);
    sandbox.write("schemas/released/v1.json", schema);
    sandbox.write("saved/a.json", "{\"v\": \"1\", \"n\": 1}\n");
    sandbox.write(".gitignore", "/target\n");
    sandbox.init_repo();
    sandbox
}

#[test]
fn released_schemas_and_saved_snapshots_the_change_edits_are_judged_as_the_ref_has_them() {
    // A breaking schema change (`n` must now be a string, `tags` an array), with the
    // released schema rewritten to match it and the saved snapshot edited to fit.
    let sandbox = snapshot_repo();
    let breaking = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "properties": {"v": {"type": "string"}, "n": {"type": "string"}, "tags": {"type": "array"}},
        "required": ["v"]}"#;
    sandbox.write("schemas/current.json", breaking);
    sandbox.write("schemas/released/v1.json", breaking);
    sandbox.write("saved/a.json", "{\"v\": \"1\", \"n\": \"1\"}\n");
    sandbox.write("saved/b.json", "{\"v\": \"2\"}\n");
    // Judged by its own files, the change passes.
    let out = sandbox.run(&["check"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let (exit, report, text) = check(&sandbox, &[]);
    assert_eq!(exit, 1, "{text}");
    assert_eq!(
        status_of(&report, "state", "compat:schemas/released/v1.json"),
        "fail",
        "{text}"
    );
    assert_eq!(
        status_of(&report, "state", "schema:saved/a.json"),
        "fail",
        "{text}"
    );
    assert_eq!(
        status_of(&report, "state", "baseline-ref:schemas/released/*.json"),
        "warn",
        "{text}"
    );
    assert!(
        text.contains("only in the working tree, not judged: saved/b.json"),
        "{text}"
    );
    // A released schema the change deletes is still compared.
    let sandbox = snapshot_repo();
    sandbox.write("schemas/current.json", breaking);
    std::fs::remove_file(sandbox.path().join("schemas/released/v1.json")).expect("rm");
    sandbox.write("schemas/released/v2.json", breaking);
    let (exit, report, text) = check(&sandbox, &[]);
    assert_eq!(exit, 1, "{text}");
    assert_eq!(
        status_of(&report, "state", "compat:schemas/released/v1.json"),
        "fail",
        "{text}"
    );
    // A change that leaves them alone reads the same files and passes.
    let sandbox = snapshot_repo();
    let (exit, report, text) = check(&sandbox, &[]);
    assert_eq!(exit, 0, "{text}");
    assert_eq!(
        status_of(&report, "state", "baseline-ref:saved/*.json"),
        "pass",
        "{text}"
    );
}

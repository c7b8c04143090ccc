//! `--max-input-size` and `max_input_size` hold for every registered gate, ad hoc and
//! under `check`: a file over the limit is exit 2 naming the file, and the same inputs
//! without the limit are judged (so the limit, not something else, refused them).

use crate::common;

use common::run;
use std::path::Path;

/// The limit every case runs with; each case has one input well over it.
const LIMIT: &str = "64B";

/// A gate kind's inputs: the ad-hoc arguments and the same as a config table, and the
/// file over the limit.
struct Case {
    kind: &'static str,
    what: &'static str,
    adhoc: Vec<String>,
    table: String,
    big: String,
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

/// A JSON object with a `pad` string that makes it `len` bytes or more.
fn padded(body: &str, len: usize) -> String {
    format!("{{{body}, \"pad\": \"{}\"}}", "x".repeat(len))
}

fn cases(dir: &Path) -> Vec<Case> {
    let strings = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut all = Vec::new();

    let baseline = write(dir, "perf-base.json", "{\"t\": 1.0}");
    let big = write(dir, "perf-current.json", &padded("\"t\": 1.0", 200));
    all.push(Case {
        kind: "perf",
        what: "current results",
        adhoc: strings(&[
            "perf",
            "--baseline",
            &baseline,
            "--current",
            &big,
            "--metric",
            "t=/t",
        ]),
        table: format!(
            "[[perf]]\nname = \"p\"\nbaseline = \"{baseline}\"\ncurrent = \"{big}\"\n\
             metrics = [{{ name = \"t\", pointer = \"/t\" }}]\n"
        ),
        big,
    });

    let case = "<testcase classname=\"t\" name=\"a\" time=\"0.1\"/>";
    let junit =
        format!("<?xml version=\"1.0\"?>\n<testsuite name=\"s\" tests=\"1\">{case}</testsuite>\n");
    let big = write(dir, "junit.xml", &junit);
    all.push(Case {
        kind: "characterization",
        what: "JUnit report (a streamed reader)",
        adhoc: strings(&["characterization", "--results", &big]),
        table: format!("[[characterization]]\nname = \"c\"\nresults = [\"{big}\"]\n"),
        big,
    });

    let golden = padded("\"a\": 1", 200);
    let baseline = write(dir, "golden-base.json", &golden);
    let big = write(dir, "golden-current.json", &golden);
    all.push(Case {
        kind: "characterization",
        what: "golden pair",
        adhoc: strings(&[
            "characterization",
            "--baseline",
            &baseline,
            "--current",
            &big,
        ]),
        table: format!(
            "[[characterization]]\nname = \"g\"\n[[characterization.golden]]\n\
             baseline = \"{baseline}\"\ncurrent = \"{big}\"\n"
        ),
        big: baseline,
    });

    let schema = write(dir, "schema.json", "{\"type\": \"object\"}");
    let big = write(dir, "snapshot.json", &padded("\"a\": 1", 200));
    all.push(Case {
        kind: "snapshot",
        what: "snapshot",
        adhoc: strings(&["snapshot", "--schema", &schema, "--snapshots", &big]),
        table: format!(
            "[[snapshot]]\nname = \"s\"\nschema = \"{schema}\"\nsnapshots = [\"{big}\"]\n"
        ),
        big,
    });

    let sarif = "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": []}]";
    let baseline = write(dir, "findings-base.sarif", &format!("{sarif}}}"));
    let big = write(
        dir,
        "findings.sarif",
        &format!("{sarif}, \"pad\": \"{}\"}}", "x".repeat(200)),
    );
    all.push(Case {
        kind: "findings",
        what: "current SARIF",
        adhoc: strings(&["findings", "--baseline", &baseline, "--current", &big]),
        table: format!(
            "[[findings]]\nname = \"f\"\nbaseline = \"{baseline}\"\ncurrent = \"{big}\"\n"
        ),
        big,
    });
    all
}

fn assert_refused(args: &[&str], case: &Case, how: &str) {
    let out = run(args);
    let label = format!("{} {} ({how})", case.kind, case.what);
    assert_eq!(out.code, 2, "{label}: {}{}", out.stdout, out.stderr);
    let json = out.json.expect("report");
    let text = json.to_string();
    assert!(
        text.contains(&case.big) && text.contains("over the limit of 64 bytes"),
        "{label}: {text}"
    );
}

#[test]
fn every_gate_refuses_a_file_over_the_limit_ad_hoc_and_under_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = cases(dir.path());
    for gate in safety_gate_engine::GATES {
        assert!(
            cases.iter().any(|c| c.kind == gate.kind),
            "no input-limit case for the `{}` gate: add one here",
            gate.kind
        );
    }
    for (i, case) in cases.iter().enumerate() {
        let adhoc: Vec<&str> = case.adhoc.iter().map(String::as_str).collect();
        let judged = run(&adhoc);
        assert!(
            judged.code < 2,
            "{} {} without a limit: {}",
            case.kind,
            case.what,
            judged.stdout
        );
        let mut limited = adhoc.clone();
        limited.extend(["--max-input-size", LIMIT]);
        assert_refused(&limited, case, "--max-input-size, ad hoc");

        let config = write(dir.path(), &format!("flag-{i}.toml"), &case.table);
        let args = ["check", "--config", &config, "--max-input-size", LIMIT];
        assert_refused(&args, case, "--max-input-size under check");

        let text = format!("max_input_size = \"{LIMIT}\"\n{}", case.table);
        let config = write(dir.path(), &format!("key-{i}.toml"), &text);
        assert_refused(&["check", "--config", &config], case, "max_input_size");
    }
}

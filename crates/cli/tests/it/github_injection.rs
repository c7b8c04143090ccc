//! Names from inputs cannot command the GitHub runner: a hyperfine `command` holding
//! `\n::stop-commands::x` (which used to suppress every later annotation), `##[` forms,
//! `\r` line breaks, and gate names that reach stderr in a config error, through the
//! real binary under `GITHUB_ACTIONS=true`. The runner's reading of a line is taken
//! broadly: a line (ended by `\n`, `\r` or `\r\n`) starting with `::` after whitespace,
//! or holding `##[`, is a command; only our own `::error`/`::warning` lines may be.

use crate::sandbox::{Sandbox, code};

/// Every line of `text` the runner could read as a workflow command.
fn commands(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .filter(|l| l.trim_start().starts_with("::") || l.contains("##["))
        .map(str::to_string)
        .collect()
}

/// A hyperfine result file whose one benchmark is named `command`.
fn hyperfine(command: &str, seconds: f64) -> String {
    let times: Vec<f64> = (0..10)
        .map(|i| seconds * (1.0 + f64::from(i) * 0.001))
        .collect();
    serde_json::json!({"results": [{
        "command": command, "mean": seconds, "stddev": 0.0001, "median": seconds,
        "user": 0.0, "system": 0.0, "min": times[0], "max": times[9], "times": times,
        "exit_codes": vec![0; 10],
    }]})
    .to_string()
}

fn run_in_github(sandbox: &Sandbox, args: &[&str]) -> (i32, String, String, String) {
    let summary = sandbox.path().join("summary.md");
    let outputs = sandbox.path().join("outputs.txt");
    let out = sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_WORKSPACE", sandbox.path())
        .args(args)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let summary = std::fs::read_to_string(summary).unwrap_or_default();
    (code(&out), stdout, stderr, summary)
}

#[test]
fn a_benchmark_name_cannot_stop_the_annotations_that_follow() {
    for name in [
        "work\n::stop-commands::x",
        "work\r::stop-commands::x",
        "work\r\n  ::error::forged",
        "work ##[error]forged",
        "work\n\u{3000}::add-mask::secret",
    ] {
        let sandbox = Sandbox::empty();
        sandbox.write(
            "safety-gate.toml",
            "[[perf]]\nname = \"a\"\nbaseline = \"base.json\"\ncurrent = \"slow.json\"\n\
             format = \"hyperfine\"\n\n\
             [[perf]]\nname = \"b\"\nbaseline = \"base-b.json\"\ncurrent = \"slow-b.json\"\n\
             format = \"hyperfine\"\n",
        );
        sandbox.write("base.json", &hyperfine(name, 0.1));
        sandbox.write("slow.json", &hyperfine(name, 0.2));
        sandbox.write("base-b.json", &hyperfine("later", 0.1));
        sandbox.write("slow-b.json", &hyperfine("later", 0.2));
        let (code, stdout, stderr, summary) = run_in_github(&sandbox, &["check"]);
        assert_eq!(code, 1, "{name:?}: {stdout}{stderr}");
        let found = commands(&stdout);
        assert!(
            found
                .iter()
                .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")),
            "{name:?}: a line the runner reads as a command of the input's: {found:#?}"
        );
        // Both regressions are annotated, the second after the hostile name.
        assert_eq!(found.len(), 2, "{name:?}: {found:#?}");
        assert!(
            found[0].contains("perf/a") || found[1].contains("perf/a"),
            "{found:#?}"
        );
        assert!(
            found.iter().any(|l| l.contains("perf/b later")),
            "{found:#?}"
        );
        assert!(commands(&stderr).is_empty(), "{stderr}");
        // The summary is a file GitHub renders as Markdown: the name is code there.
        assert!(summary.contains("perf/a"), "{summary}");
    }
}

#[test]
fn names_on_stderr_cannot_command_the_runner() {
    let sandbox = Sandbox::empty();
    // A name no gate may have: the config error quotes it.
    sandbox.write(
        "safety-gate.toml",
        "[[perf]]\nname = \"x\\r::stop-commands::y ##[error]z\"\nbaseline = \"b.json\"\n\
         current = \"c.json\"\n\
         [[perf]]\nname = \"x\\r::stop-commands::y ##[error]z\"\nbaseline = \"b.json\"\n\
         current = \"c.json\"\n",
    );
    let (code, stdout, stderr, _) = run_in_github(&sandbox, &["check"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let forged: Vec<String> = commands(&format!("{stdout}\n{stderr}"))
        .into_iter()
        .filter(|l| !l.starts_with("::error ") && !l.starts_with("::warning "))
        .collect();
    assert!(forged.is_empty(), "{forged:#?}\n{stdout}{stderr}");
    assert!(
        stdout.contains("gate name") && stdout.contains("holds '\\r'"),
        "{stdout}"
    );
}

#[test]
fn ad_hoc_runs_under_github_are_marked_too() {
    let sandbox = Sandbox::empty();
    let name = "work\n::stop-commands::x\r##[error]y";
    sandbox.write("base.json", &hyperfine(name, 0.1));
    sandbox.write("slow.json", &hyperfine(name, 0.2));
    let (code, stdout, stderr, _) = run_in_github(
        &sandbox,
        &[
            "perf",
            "--format",
            "hyperfine",
            "--baseline",
            "base.json",
            "--current",
            "slow.json",
        ],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(commands(&stdout).is_empty(), "{:#?}", commands(&stdout));
    assert!(
        stdout.contains("stop-commands"),
        "the name is still shown: {stdout}"
    );
}

//! Producers end to end: a gate's `run` command writes its results before the gate
//! reads them; its exit status and output tail are in the report; a result file it did
//! not write is stale and never passes; `--no-run` judges the files as they are.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

/// A perf gate on the demo's tick numbers, produced by copying `source` over the
/// current results with `sh -c` (which also appends to `runs.log`, to count runs).
fn config(source: &str, extra: &str) -> String {
    format!(
        "[[perf]]\nname = \"tick\"\nbaseline = \"baselines/perf/tick.json\"\n\
         current = \"out/tick.json\"\nformat = \"generic-json\"\n\
         metrics = [{{ name = \"tick_ms\", pointer = \"/tick_performance/average_tick_ms\" }}]\n\
         run = [\"sh\", \"-c\", \"echo produced >> runs.log; echo copying {source}; mkdir -p out && cp {source} out/tick.json\"]\n\
         {extra}"
    )
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn check_produces_then_judges_and_reports_the_command() {
    let sandbox = Sandbox::demo();
    sandbox.write("c.toml", &config("fixtures/demo/perf/tick.json", ""));
    let out = sandbox.run(&["check", "--config", "c.toml", "--report-json", "r.json"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let report: serde_json::Value = serde_json::from_str(&sandbox.read("r.json")).expect("json");
    let run = &report["gates"][0]["checks"][0];
    assert_eq!(run["id"], "run");
    assert_eq!(run["status"], "pass");
    let message = run["message"].as_str().expect("message");
    assert!(message.starts_with("`sh -c '"), "{message}");
    assert!(message.contains("exited 0 in "), "{message}");
    assert_eq!(
        run["details"][0], "stdout: copying fixtures/demo/perf/tick.json",
        "{run}"
    );

    // The same command producing slower numbers rolls back.
    sandbox.write(
        "c.toml",
        &config("fixtures/demo/perf/tick-regressed.json", ""),
    );
    let out = sandbox.run(&["check", "--config", "c.toml"]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    assert_eq!(sandbox.read("runs.log").lines().count(), 2);
}

#[test]
fn a_result_file_the_command_did_not_write_is_stale_and_never_passes() {
    let sandbox = Sandbox::demo();
    sandbox.write(
        "out/tick.json",
        &sandbox.read("fixtures/demo/perf/tick.json"),
    );
    // The command runs, but writes somewhere else: out/tick.json is left from before.
    let stale = config("fixtures/demo/perf/tick.json", "").replace(
        "cp fixtures/demo/perf/tick.json out/tick.json",
        "cp fixtures/demo/perf/tick.json out/elsewhere.json",
    );
    sandbox.write("c.toml", &stale);
    let out = sandbox.run(&["check", "--config", "c.toml"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "ERROR perf/tick stale:out/tick.json: out/tick.json was not written by `sh -c"
        ),
        "{text}"
    );
    assert!(text.contains("stale results never pass"), "{text}");
    // The gate was not judged on the old numbers: only the producer's checks.
    assert!(!text.contains("tick_ms"), "{text}");

    // --no-run judges the files as they are, without running anything.
    let before = sandbox.read("runs.log");
    let out = sandbox.run(&["check", "--config", "c.toml", "--no-run"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(sandbox.read("runs.log"), before, "--no-run ran the command");
}

#[test]
fn a_failing_timed_out_or_missing_command_cannot_pass() {
    let sandbox = Sandbox::demo();
    // Exit 3 after writing fresh, passing results: judged, but the run cannot pass.
    let failing = config("fixtures/demo/perf/tick.json", "").replace(
        "out/tick.json\"]",
        "out/tick.json; echo boom >&2; exit 3\"]",
    );
    sandbox.write("c.toml", &failing);
    let out = sandbox.run(&["check", "--config", "c.toml"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    let text = stdout(&out);
    assert!(text.contains("exited 3 in"), "{text}");
    assert!(text.contains("(expected 0)"), "{text}");
    assert!(text.contains("it ended with: boom"), "{text}");

    // Exit codes that mean "results written" can be named.
    let allowed = failing
        .replace("run = [", "run = { exit_codes = [0, 3], command = [")
        .replace("exit 3\"]", "exit 3\"] }");
    sandbox.write("c.toml", &allowed);
    let out = sandbox.run(&["check", "--config", "c.toml"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));

    let hung = "[[perf]]\nname = \"tick\"\nbaseline = \"baselines/perf/tick.json\"\n\
        current = \"fixtures/demo/perf/tick.json\"\nformat = \"generic-json\"\n\
        metrics = [{ name = \"tick_ms\", pointer = \"/tick_performance/average_tick_ms\" }]\n\
        run = { command = [\"sleep\", \"30\"], timeout = \"300ms\" }\n";
    sandbox.write("c.toml", hung);
    let out = sandbox.run(&["check", "--config", "c.toml"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        stdout(&out).contains("`sleep 30` killed after the 0.3s timeout"),
        "{}",
        shown(&out)
    );

    sandbox.write(
        "c.toml",
        &hung.replace("\"sleep\", \"30\"", "\"no-such-producer-x\""),
    );
    let out = sandbox.run(&["check", "--config", "c.toml"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        stdout(&out).contains("could not run `no-such-producer-x`"),
        "{}",
        shown(&out)
    );
}

#[test]
fn one_command_shared_by_two_gates_runs_once() {
    let sandbox = Sandbox::demo();
    let one = config("fixtures/demo/perf/tick.json", "");
    let two = one.replace("name = \"tick\"", "name = \"tick-again\"");
    sandbox.write("c.toml", &format!("{one}\n{two}"));
    let out = sandbox.run(&["check", "--config", "c.toml"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(sandbox.read("runs.log"), "produced\n");
}

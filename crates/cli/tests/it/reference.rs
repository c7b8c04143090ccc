//! The describing commands: `gates --config` lists the configured instances with their
//! inputs, `config schema` prints the committed schema, `completions` and `man` print
//! what shells and `man` read.

use crate::sandbox;

use sandbox::{Sandbox, code, repo_root, shown};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn gates_with_a_config_lists_instances_and_their_inputs() {
    let sandbox = Sandbox::demo();
    let out = sandbox.run(&["gates", "--config", "safety-gate.toml"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let text = stdout(&out);
    for line in [
        "perf/tick              enforce",
        "    baseline  baselines/perf/tick.json",
        "    reads     fixtures/demo/perf/tick.json",
        "characterization/demo  enforce",
        "    reads     fixtures/demo/characterization/junit-*.xml",
        "snapshot/telemetry     enforce",
        "    baseline  baselines/snapshot/hashes.json",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Without --config: the kinds this build knows.
    let out = sandbox.run(&["gates"]);
    assert!(stdout(&out).starts_with("perf "), "{}", shown(&out));
    let out = sandbox.run(&["gates", "--config", "missing.toml"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
}

#[test]
fn config_schema_prints_the_committed_schema() {
    let sandbox = Sandbox::demo();
    let out = sandbox.run(&["config", "schema"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let committed =
        std::fs::read_to_string(repo_root().join("docs/safety-gate.schema.json")).expect("read");
    assert_eq!(stdout(&out), committed);
}

#[test]
fn completions_and_man_page_are_generated() {
    let sandbox = Sandbox::demo();
    for (shell, marker) in [
        ("bash", "complete -F _safety__gate"),
        ("zsh", "#compdef safety-gate"),
        ("fish", "complete -c safety-gate"),
    ] {
        let out = sandbox.run(&["completions", shell]);
        assert_eq!(code(&out), 0, "{}", shown(&out));
        let text = stdout(&out);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("baseline"), "{shell} completes subcommands");
    }
    let out = sandbox.run(&["man"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let page = stdout(&out);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains(".TH safety-gate 1"), "{page}");
    assert!(page.contains("init"), "{page}");
    let out = sandbox.run(&["completions", "tcsh"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
}

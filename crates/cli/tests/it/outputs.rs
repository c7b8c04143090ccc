//! Every output says the verdict the exit code carries, decided once every output was
//! attempted: a report (JUnit, JSON, HTML) naming a folder, a runner file that cannot be
//! appended to, a full device as stdout or as a report, both stdout and stderr full, a
//! closed pipe.
//! A failed output turns a pass into exit 2 and leaves a rollback a rollback; the
//! outputs still written say so. A closed pipe on stdout is not a failure, but never
//! turns a rollback into exit 0; nothing panics.

use crate::sandbox::Sandbox;
use serde_json::Value;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A one-gate project that passes, or rolls back with `slower`.
fn project(slower: bool) -> Sandbox {
    let sandbox = Sandbox::empty();
    sandbox.write(
        "safety-gate.toml",
        "[[perf]]\nname = \"tick\"\nbaseline = \"baseline.json\"\ncurrent = \"current.json\"\n\
         format = \"generic-json\"\nmetrics = [{ name = \"t\", pointer = \"/t\" }]\n",
    );
    sandbox.write("baseline.json", "{\"t\": 1.0}\n");
    let current = if slower {
        "{\"t\": 2.0}\n"
    } else {
        "{\"t\": 1.0}\n"
    };
    sandbox.write("current.json", current);
    std::fs::create_dir(sandbox.path().join("a-folder")).expect("mkdir");
    sandbox
}

/// What each output of one run said.
#[derive(Debug)]
struct Said {
    code: i32,
    stdout: String,
    stderr: String,
    json: Option<Value>,
    junit: Option<String>,
    html: Option<String>,
    summary: Option<String>,
    step_outputs: Option<String>,
}

/// Paths of a run's outputs; a name of `a-folder` makes that output fail.
struct Targets {
    json: &'static str,
    junit: &'static str,
    html: &'static str,
    summary: &'static str,
    step_outputs: &'static str,
}

const GOOD: Targets = Targets {
    json: "r.json",
    junit: "j.xml",
    html: "r.html",
    summary: "summary.md",
    step_outputs: "outputs.txt",
};

fn command(sandbox: &Sandbox, t: &Targets) -> Command {
    let p = |name: &str| sandbox.path().join(name);
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("safety-gate"));
    cmd.current_dir(sandbox.path())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env("GITHUB_STEP_SUMMARY", p(t.summary))
        .env("GITHUB_OUTPUT", p(t.step_outputs))
        .env("GITHUB_WORKSPACE", sandbox.path())
        .args(["check", "--github", "--color", "never"])
        .arg("--report-json")
        .arg(p(t.json))
        .arg("--junit")
        .arg(p(t.junit))
        .arg("--html")
        .arg(p(t.html));
    cmd
}

fn said(sandbox: &Sandbox, t: &Targets, out: Output) -> Said {
    // A device is written through, not read back.
    let read = |name: &str| {
        (!name.starts_with("/dev/"))
            .then(|| std::fs::read_to_string(sandbox.path().join(name)).ok())
            .flatten()
    };
    Said {
        code: out.status.code().expect("an exit code, not a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        json: read(t.json).map(|t| serde_json::from_str(&t).expect("JSON report")),
        junit: read(t.junit),
        html: read(t.html),
        summary: read(t.summary),
        step_outputs: read(t.step_outputs),
    }
}

fn run(sandbox: &Sandbox, t: &Targets) -> Said {
    said(sandbox, t, command(sandbox, t).output().expect("runs"))
}

/// Asserts that every output that was written says the verdict of the exit code.
fn assert_agree(said: &Said, stdout_seen: bool) {
    assert!(!said.stderr.contains("panicked"), "{said:#?}");
    let verdict = match said.code {
        0 => "pass",
        1 => "rollback",
        2 => "error",
        other => panic!("exit {other}: {said:#?}"),
    };
    if let Some(json) = &said.json {
        assert_eq!(json["verdict"], verdict, "JSON report: {said:#?}");
    }
    if let Some(summary) = &said.summary {
        let head = format!(
            "safety-gate: {} (exit {})",
            verdict.to_uppercase(),
            said.code
        );
        assert!(summary.contains(&head), "step summary: {said:#?}");
    }
    if let Some(outputs) = &said.step_outputs {
        assert!(
            outputs.contains(&format!("verdict={verdict}\n")),
            "step outputs: {said:#?}"
        );
    }
    if let Some(html) = &said.html {
        let head = format!(
            "<h1>safety-gate: {} (exit {})</h1>",
            verdict.to_uppercase(),
            said.code
        );
        assert!(html.contains(&head), "HTML report: {said:#?}");
    }
    if let Some(json) = &said.json {
        // Every report holds the `outputs` gate, or none does.
        let in_json = json["gates"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g["gate"] == "outputs"));
        if let Some(junit) = &said.junit {
            assert_eq!(
                junit.contains("safety-gate.outputs.run"),
                in_json,
                "JUnit: {said:#?}"
            );
        }
        if let Some(html) = &said.html {
            assert_eq!(
                html.contains("data-gate=\"outputs&#x2f;run\""),
                in_json,
                "HTML: {said:#?}"
            );
        }
    }
    if stdout_seen {
        let line = format!("verdict: {} (exit {})", verdict.to_uppercase(), said.code);
        assert!(said.stdout.contains(&line), "stdout: {said:#?}");
    }
}

#[test]
fn a_report_naming_a_folder_is_exit_2_in_every_output() {
    let sandbox = project(false);
    let said = run(
        &sandbox,
        &Targets {
            junit: "a-folder",
            ..GOOD
        },
    );
    assert_eq!(said.code, 2, "{said:#?}");
    assert_agree(&said, true);
    let json = said.json.as_ref().expect("JSON report");
    let gate = json["gates"]
        .as_array()
        .expect("gates")
        .last()
        .expect("a gate")
        .clone();
    assert_eq!(
        (gate["gate"].as_str(), gate["role"].as_str()),
        (Some("outputs"), Some("bookkeeping"))
    );
    assert!(
        said.stderr.contains("a-folder: is a directory"),
        "{}",
        said.stderr
    );
    // The step outputs name only the reports that were written.
    let outputs = said.step_outputs.expect("step outputs");
    assert!(
        outputs.contains("junit-path=\n") && outputs.contains("report-path=/"),
        "{outputs}"
    );
}

/// The HTML report is one more output: a path it cannot be written to is exit 2 in every
/// other output, and when another output fails the page says so and its verdict.
#[test]
fn the_html_report_is_an_output_like_the_others() {
    let fail = |slower, targets| run(&project(slower), &targets);
    let said = fail(
        false,
        Targets {
            html: "a-folder",
            ..GOOD
        },
    );
    assert_eq!(said.code, 2, "{said:#?}");
    assert_agree(&said, true);
    assert!(
        said.json
            .as_ref()
            .is_some_and(|j| j.to_string().contains("output:html")),
        "{said:#?}"
    );
    assert!(said.stderr.contains("a-folder"), "{}", said.stderr);
    let outputs = said.step_outputs.as_deref().expect("step outputs");
    assert!(outputs.contains("html-path=\n"), "{outputs}");

    let said = fail(
        false,
        Targets {
            junit: "a-folder",
            ..GOOD
        },
    );
    assert_eq!(said.code, 2, "{said:#?}");
    assert_agree(&said, true);
    let html = said.html.as_deref().expect("HTML report written");
    assert!(html.contains("data-check=\"output:junit\""), "{html}");
    let outputs = said.step_outputs.as_deref().expect("step outputs");
    assert!(outputs.contains("html-path=/"), "{outputs}");

    // A page written through a device cannot be taken back, and says what stdout says.
    let said = fail(
        true,
        Targets {
            html: "/dev/full",
            ..GOOD
        },
    );
    assert_eq!(said.code, 1, "{said:#?}");
    assert_agree(&said, true);
    assert!(said.stderr.contains("/dev/full"), "{}", said.stderr);
}

#[test]
fn runner_files_that_cannot_be_appended_are_exit_2_in_every_output() {
    for targets in [
        Targets {
            step_outputs: "a-folder",
            ..GOOD
        },
        Targets {
            summary: "a-folder",
            ..GOOD
        },
    ] {
        let sandbox = project(false);
        let said = run(&sandbox, &targets);
        assert_eq!(said.code, 2, "{said:#?}");
        assert_agree(&said, true);
        assert!(
            said.stderr.contains("failed to append to"),
            "{}",
            said.stderr
        );
    }
}

#[test]
fn a_failed_output_never_undoes_a_rollback() {
    let sandbox = project(true);
    let said = run(
        &sandbox,
        &Targets {
            json: "a-folder",
            step_outputs: "a-folder",
            ..GOOD
        },
    );
    assert_eq!(said.code, 1, "{said:#?}");
    assert_agree(&said, true);
    assert!(
        said.summary
            .as_deref()
            .is_some_and(|s| s.contains("output:report-json")),
        "{said:#?}"
    );
}

/// Every subset of the five files failing, on a pass and on a rollback: whatever is
/// written agrees with the exit code.
#[test]
fn whatever_fails_every_written_output_agrees_with_the_exit_code() {
    for slower in [false, true] {
        for mask in 0..32u8 {
            let pick =
                |bit: u8, good: &'static str| if mask & bit != 0 { "a-folder" } else { good };
            let targets = Targets {
                json: pick(1, GOOD.json),
                junit: pick(2, GOOD.junit),
                summary: pick(4, GOOD.summary),
                step_outputs: pick(8, GOOD.step_outputs),
                html: pick(16, GOOD.html),
            };
            let sandbox = project(slower);
            let said = run(&sandbox, &targets);
            let want = match (slower, mask) {
                (true, _) => 1,
                (false, 0) => 0,
                (false, _) => 2,
            };
            assert_eq!(said.code, want, "mask {mask:05b}: {said:#?}");
            assert_agree(&said, true);
        }
    }
}

/// Runs with stdout (and optionally stderr) on `/dev/full`.
fn run_on_full_device(sandbox: &Sandbox, stderr_too: bool) -> Said {
    let full = || {
        Stdio::from(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        )
    };
    let mut cmd = command(sandbox, &GOOD);
    cmd.stdout(full());
    if stderr_too {
        cmd.stderr(full());
    }
    said(sandbox, &GOOD, cmd.output().expect("runs"))
}

#[test]
fn a_full_device_as_stdout_is_an_error_like_any_other() {
    let sandbox = project(false);
    let said = run_on_full_device(&sandbox, false);
    assert_eq!(said.code, 2, "{said:#?}");
    assert!(
        said.stderr.contains("failed to write to stdout"),
        "{}",
        said.stderr
    );
    // The GitHub outputs are still written, and say what the exit code says.
    assert!(
        said.summary.is_some() && said.step_outputs.is_some(),
        "{said:#?}"
    );
    assert_agree(&said, false);
    assert!(
        said.json
            .as_ref()
            .is_some_and(|j| j.to_string().contains("output:stdout"))
    );
    // With stderr full too there is nowhere to say why, but nothing panics.
    let sandbox = project(false);
    let said = run_on_full_device(&sandbox, true);
    assert_eq!(said.code, 2, "{said:#?}");
    assert_agree(&said, false);
    // A rollback stays a rollback.
    let sandbox = project(true);
    let said = run_on_full_device(&sandbox, false);
    assert_eq!(said.code, 1, "{said:#?}");
    assert_agree(&said, false);
}

#[test]
fn a_full_device_as_a_report_is_exit_2_and_the_other_reports_say_so() {
    let sandbox = project(false);
    let said = run(
        &sandbox,
        &Targets {
            json: "/dev/full",
            ..GOOD
        },
    );
    assert_eq!(said.code, 2, "{said:#?}");
    assert!(said.stderr.contains("/dev/full"), "{}", said.stderr);
    let junit = said.junit.as_deref().expect("JUnit written");
    assert!(junit.contains("output:report-json"), "{junit}");
    assert!(
        said.stdout.contains("verdict: ERROR (exit 2)"),
        "{}",
        said.stdout
    );
}

/// Runs with stdout on a pipe whose reader is already gone.
fn run_on_closed_pipe(sandbox: &Sandbox) -> Said {
    let (read, write): (OwnedFd, OwnedFd) = nix::unistd::pipe().expect("pipe");
    drop(read);
    let mut cmd = command(sandbox, &GOOD);
    cmd.stdout(Stdio::from(write));
    said(sandbox, &GOOD, cmd.output().expect("runs"))
}

#[test]
fn a_closed_pipe_ends_stdout_quietly_and_never_exits_0_on_a_rollback() {
    let sandbox = project(false);
    let said = run_on_closed_pipe(&sandbox);
    assert_eq!(said.code, 0, "{said:#?}");
    assert!(
        said.stderr.is_empty(),
        "a closed pipe is not worth a message: {}",
        said.stderr
    );
    assert_agree(&said, false);
    let sandbox = project(true);
    let said = run_on_closed_pipe(&sandbox);
    assert_eq!(said.code, 1, "{said:#?}");
    assert_agree(&said, false);
    // The other commands that print end quietly too.
    let (read, write): (OwnedFd, OwnedFd) = nix::unistd::pipe().expect("pipe");
    drop(read);
    let out = Command::new(assert_cmd::cargo::cargo_bin("safety-gate"))
        .arg("gates")
        .stdout(Stdio::from(write))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

#[test]
fn ad_hoc_runs_fold_failed_outputs_too() {
    let sandbox = project(false);
    let folder: PathBuf = sandbox.path().join("a-folder");
    let json: PathBuf = sandbox.path().join("r.json");
    let out = sandbox.run(&[
        "perf",
        "--format",
        "generic-json",
        "--baseline",
        "baseline.json",
        "--current",
        "current.json",
        "--metric",
        "t=/t",
        "--junit",
        path(&folder),
        "--report-json",
        path(&json),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("JSON");
    assert_eq!(report["verdict"], "error");
    assert!(String::from_utf8_lossy(&out.stdout).contains("verdict: ERROR (exit 2)"));
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

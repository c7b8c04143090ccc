//! `safety-gate check`: the engine runs the config; this writes the reports, prints the
//! human report, GitHub annotations, summary and step outputs, the pull-request comment
//! body and the rollback report.

use safety_gate_core::{Clock, RunReport, Verdict, exit_code};
use safety_gate_engine::{CheckRun, git};
use safety_gate_report::files::ReportPaths;
use safety_gate_report::{github, pr_comment, rollback, summary};
use std::path::Path;

use super::output::{conclude, finish, print, report_paths};
use crate::args::CheckArgs;
use crate::env;
use crate::error::Error;

/// Runs `check` and returns the verdict's exit code.
pub fn run(args: &CheckArgs) -> Result<u8, Error> {
    let options = args.to_options();
    let run = safety_gate_engine::check(&args.config, &options);
    for note in &run.notes {
        eprintln!("safety-gate: {note}");
    }
    let from_config = ReportPaths {
        junit: run.reports.junit.clone(),
        json: run.reports.json.clone(),
    };
    let paths = report_paths(&args.output, from_config);
    let (code, mut problems, written) = finish(&run.report, &paths, &args.output)?;
    if let Some(path) = &args.ci.pr_comment {
        let body = pr_comment::render(&run.report, env::github().root.as_deref());
        if let Err(e) = safety_gate_core::atomic::write_atomic(path, body.as_bytes()) {
            problems.push(e.to_string());
        }
    }
    if env::github_enabled(args.ci.github) {
        // A report that could not be written turns a pass into exit 2, and the
        // `verdict` output must then say `error`, not `pass`; the outputs name only
        // the reports that were written.
        let undecided = code == exit_code::ERROR || !problems.is_empty();
        problems.extend(github_outputs(&run.report, &written, undecided)?);
    }
    if let Some(path) = &args.ci.rollback_report {
        if run.report.verdict() == Verdict::Rollback {
            problems.extend(rollback_report(&run, args, &options.clock, path).err());
        }
    }
    conclude(code, problems)
}

/// Annotations on stdout, the step summary and the step outputs; returns the files
/// that could not be written.
fn github_outputs(
    report: &RunReport,
    paths: &ReportPaths,
    undecided: bool,
) -> Result<Vec<String>, Error> {
    let runner = env::github();
    let root = runner.root.as_deref();
    let notes = github::annotations(report, root);
    let mut lines = notes.lines.join("\n");
    if !lines.is_empty() {
        lines.push('\n');
    }
    print(&lines)?;
    let mut problems = Vec::new();
    if let Some(path) = &runner.summary {
        if let Err(e) = env::append(path, &summary::render(report, &notes, root)) {
            problems.push(e);
        }
    }
    if let Some(path) = &runner.output {
        let mut outputs =
            github::StepOutputs::of(report, paths.junit.as_deref(), paths.json.as_deref());
        if undecided {
            outputs.verdict = Verdict::Error.as_str().to_string();
        }
        if let Err(e) = env::append(path, &outputs.render(&env::output_delimiter())) {
            problems.push(e);
        }
    }
    Ok(problems)
}

/// Writes the Markdown rollback report.
fn rollback_report(
    run: &CheckRun,
    args: &CheckArgs,
    clock: &Clock,
    path: &Path,
) -> Result<(), String> {
    let meta = rollback::Meta {
        time: clock.rfc3339(),
        commit: git::head_commit(),
        command: format!("safety-gate check --config {}", args.config.display()),
        tool: format!("safety-gate {}", env!("CARGO_PKG_VERSION")),
    };
    let text = rollback::render(&run.report, &run.plans, &meta);
    safety_gate_core::atomic::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
}

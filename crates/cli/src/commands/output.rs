//! Printing, and what every verdict-producing command does at its end: deliver the
//! JUnit, JSON and HTML reports and the human report (see [`super::deliver`]), and turn
//! the verdict every output said into an exit code.

use safety_gate_core::{Clock, RunReport, exit_code, json_report, junit};
use safety_gate_engine::git;
use safety_gate_report::files::{PageContext, ReportPaths};
use safety_gate_report::rollback::Meta;
use safety_gate_report::{github_text, html, human};
use std::io::Write;

use super::deliver::{Delivered, Output};
use crate::args::OutputArgs;
use crate::env;
use crate::error::Error;

/// What became of a write to stdout.
#[derive(Debug)]
pub enum Stdout {
    /// Written and flushed.
    Written,
    /// The reader went away (`| head`): not an error, and nothing more is printed.
    Closed,
    /// Any other error (a full device): an output that failed like any other.
    Failed(std::io::Error),
}

/// Writes `text` to stdout and flushes it.
pub fn write_stdout(text: &str) -> Stdout {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Stdout::Written,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Stdout::Closed,
        Err(e) => Stdout::Failed(e),
    }
}

/// Prints to stdout, marked for the runner's log under GitHub Actions (see
/// [`github_text::log`]). A reader that went away (`| head`) is not an error: the exit
/// code still carries the outcome. Any other write error is.
pub fn print(text: &str) -> Result<(), Error> {
    match write_stdout(&for_log(text, env::github_enabled(false))) {
        Stdout::Failed(e) => Err(Error::Failed(format!("failed to write to stdout: {e}"))),
        Stdout::Written | Stdout::Closed => Ok(()),
    }
}

/// Prints each line of `text` to stderr after `safety-gate: `, marked so that no line
/// is read as a GitHub workflow command (the runner reads stderr too; see
/// [`github_text::log`]). A stderr that cannot be written is ignored: there is nowhere
/// left to say so, and the exit code still holds.
pub fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    for line in github_text::log(text).lines() {
        let _ = writeln!(err, "safety-gate: {line}");
    }
}

/// The report paths: flags override the config's.
pub fn report_paths(output: &OutputArgs, from_config: ReportPaths) -> ReportPaths {
    ReportPaths {
        junit: output.junit.clone().or(from_config.junit),
        json: output.report_json.clone().or(from_config.json),
        html: output.html.clone().or(from_config.html),
    }
}

/// The JUnit, JSON and HTML reports asked for, as outputs to deliver. The HTML page
/// also shows `page`: the rollback plans and when and how the run was made.
pub fn report_outputs<'a>(paths: &ReportPaths, page: PageContext<'a>) -> Vec<Output<'a>> {
    let mut outputs = Vec::new();
    if let Some(path) = &paths.junit {
        outputs.push(Output::replace("junit", path, |r: &RunReport, _: &[_]| {
            junit::to_junit(r)
        }));
    }
    if let Some(path) = &paths.json {
        outputs.push(Output::replace(
            "report-json",
            path,
            |r: &RunReport, _: &[_]| json_report::to_json(r).into_bytes(),
        ));
    }
    if let Some(path) = &paths.html {
        let shown = path.display().to_string();
        outputs.push(Output::try_replace(
            "html",
            path,
            move |r: &RunReport, _: &[_]| {
                html::render(r, page.plans, page.meta)
                    .map(String::into_bytes)
                    .map_err(|e| format!("failed to write {shown}: {e}"))
            },
        ));
    }
    outputs
}

/// When and how this run was made, for the HTML and rollback reports.
pub fn run_meta(clock: &Clock, command: String) -> Meta {
    Meta {
        time: clock.rfc3339(),
        commit: git::head_commit(),
        command,
        tool: format!("safety-gate {}", env!("CARGO_PKG_VERSION")),
    }
}

/// `text` as printed: marked so that no line is a workflow command when GitHub reads
/// it (`github`), as it is otherwise.
pub fn for_log(text: &str, github: bool) -> String {
    if github {
        github_text::log(text)
    } else {
        text.to_string()
    }
}

/// The human report as the flags ask for it; marked for the runner's log when GitHub
/// reads it (`github`).
pub fn human_report(output: &OutputArgs, github: bool) -> impl Fn(&RunReport) -> String + use<> {
    let style = human::Style {
        color: env::use_color(output.color),
    };
    let quiet = output.quiet;
    move |report| for_log(&human::render(report, style, quiet), github)
}

/// The exit code of the verdict every output said, or the error naming the outputs
/// that failed (whose exit code is that verdict's: never 0).
pub fn conclude(delivered: Delivered) -> Result<u8, Error> {
    let code = exit_code::for_verdict(delivered.report.verdict());
    if delivered.failed.is_empty() {
        Ok(code)
    } else {
        Err(Error::Outputs {
            problems: delivered.failed.into_iter().map(|f| f.message).collect(),
            verdict: code,
        })
    }
}

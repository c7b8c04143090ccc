//! Printing, and what every verdict-producing command does at its end: write the JUnit
//! and JSON reports, print the human report, and turn the verdict into an exit code.

use safety_gate_core::{RunReport, exit_code};
use safety_gate_report::files::{self, ReportPaths};
use safety_gate_report::human;
use std::io::Write;

use crate::args::OutputArgs;
use crate::env;
use crate::error::Error;

/// Prints to stdout. A reader that went away (`| head`) is not an error: the exit code
/// still carries the verdict.
pub fn print(text: &str) -> Result<(), Error> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Failed(format!("failed to write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// The report paths: flags override the config's.
pub fn report_paths(output: &OutputArgs, from_config: ReportPaths) -> ReportPaths {
    ReportPaths {
        junit: output.junit.clone().or(from_config.junit),
        json: output.report_json.clone().or(from_config.json),
    }
}

/// Writes the reports and prints the human report. Returns the verdict's exit code, the
/// messages of the reports that could not be written, and the paths that were.
pub fn finish(
    report: &RunReport,
    paths: &ReportPaths,
    output: &OutputArgs,
) -> Result<(u8, Vec<String>, ReportPaths), Error> {
    let failures = files::write_all(report, paths);
    let written = files::written(paths, &failures);
    let problems: Vec<String> = failures.iter().map(ToString::to_string).collect();
    let style = human::Style {
        color: env::use_color(output.color),
    };
    print(&human::render(report, style, output.quiet))?;
    Ok((exit_code::for_verdict(report.verdict()), problems, written))
}

/// The exit code, or the error carrying the outputs that failed.
pub fn conclude(code: u8, problems: Vec<String>) -> Result<u8, Error> {
    if problems.is_empty() {
        Ok(code)
    } else {
        Err(Error::Outputs {
            problems,
            verdict: code,
        })
    }
}

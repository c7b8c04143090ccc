//! Dispatch: run the chosen command, write reports, print, pick the exit code.

use clap::Parser;
use safety_gate_characterization::CharacterizationGate;
use safety_gate_core::{
    Check, Gate, GateInstance, GateReport, InputLimits, Mode, RunContext, RunReport, Verdict,
};
use safety_gate_engine::run::run_one;
use safety_gate_perf::PerfGate;
use safety_gate_snapshot::SnapshotGate;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use crate::args::{Args, ColorChoice, Command, OutputArgs};
use crate::outputs::{self, ReportPaths};
use crate::{commands, exit_codes, human};

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let args = Args::parse();
    let code = match args.command {
        Command::Gates => {
            for gate in safety_gate_engine::GATES {
                println!("{:<18} {}", gate.kind, gate.summary);
            }
            exit_codes::PASS
        }
        Command::Check(check) => crate::check::run(&check),
        Command::Hook(command) => commands::hook(command),
        Command::Baseline(command) => commands::baseline(command),
        Command::History(command) => commands::history(command),
        Command::Characterization(args) => {
            adhoc::<CharacterizationGate>(args.to_config(), &args.output)
        }
        Command::Perf(args) => adhoc::<PerfGate>(args.to_config(), &args.output),
        Command::Snapshot(args) => adhoc::<SnapshotGate>(args.to_config(), &args.output),
    };
    ExitCode::from(code)
}

/// Runs one gate from ad-hoc flags: the flags' input limit, paths from the current folder.
fn adhoc<G: Gate>(config: G::Config, output: &OutputArgs) -> u8 {
    let ctx = RunContext {
        limits: InputLimits::new(output.max_input_size),
        ..RunContext::default()
    };
    let report = run_one(&GateInstance::<G>::new(config), &ctx);
    finish(&report, ReportPaths::default(), output)
}

/// A report standing for a config that could not be loaded, so that the JUnit and JSON
/// outputs still say why the run could not decide.
pub(crate) fn config_error_report(path: &Path, message: &str) -> RunReport {
    let mut gate = GateReport::new("config", path.display().to_string(), Mode::Enforce);
    gate.push(Check::error("config", message).with_file(path));
    RunReport { gates: vec![gate] }
}

/// Writes the reports, prints the human report, and returns the exit code. A report
/// that cannot be written turns a pass into "cannot decide".
pub(crate) fn finish(report: &RunReport, from_config: ReportPaths, output: &OutputArgs) -> u8 {
    let paths = ReportPaths {
        junit: output.junit.clone().or(from_config.junit),
        json: output.report_json.clone().or(from_config.json),
    };
    let write_errors = outputs::write_all(report, &paths);
    let style = human::Style {
        color: use_color(output.color),
    };
    print!("{}", human::render(report, style, output.quiet));
    for e in &write_errors {
        eprintln!("safety-gate: {e}");
    }
    let verdict = report.verdict();
    if verdict == Verdict::Pass && !write_errors.is_empty() {
        return exit_codes::ERROR;
    }
    exit_codes::for_verdict(verdict)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

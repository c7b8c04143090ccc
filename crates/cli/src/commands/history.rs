//! `safety-gate history show`.

use safety_gate_core::{InputLimits, exit_code};
use safety_gate_engine::history;

use super::output::print;
use crate::args::HistoryCommand;
use crate::error::Error;

/// Prints the trend of every series of a history file.
pub fn run(command: HistoryCommand) -> Result<u8, Error> {
    let HistoryCommand::Show(args) = command;
    if !args.file.exists() {
        return Err(format!("{} does not exist", args.file.display()).into());
    }
    let entries = history::load(&args.file, InputLimits::default().max_bytes())?;
    if entries.is_empty() {
        return Err(format!("{} holds no runs", args.file.display()).into());
    }
    let trends = history::trends(
        &entries,
        args.last,
        args.drift_window,
        args.drift_threshold.map(|t| t.fraction()),
    );
    print(&safety_gate_report::history::render(&trends))?;
    Ok(exit_code::PASS)
}

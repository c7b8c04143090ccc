//! `safety-gate history show`.

use safety_gate_core::{InputLimits, atomic, exit_code};
use safety_gate_engine::history as recorded;
use safety_gate_report::{history, html};

use super::output::print;
use crate::args::HistoryCommand;
use crate::error::Error;

/// Prints the trend of every series of a history file (text or Markdown) and writes
/// the HTML page and the SVG when asked.
pub fn run(command: HistoryCommand) -> Result<u8, Error> {
    let HistoryCommand::Show(args) = command;
    if !args.file.exists() {
        return Err(format!("{} does not exist", args.file.display()).into());
    }
    let entries = recorded::load(&args.file, InputLimits::default().max_bytes())?;
    if entries.is_empty() {
        return Err(format!("{} holds no runs", args.file.display()).into());
    }
    let trends = recorded::trends(
        &entries,
        args.last,
        args.drift_window,
        args.drift_threshold.map(|t| t.fraction()),
    );
    let tool = format!("safety-gate {}", env!("CARGO_PKG_VERSION"));
    let mut problems = Vec::new();
    let pages = [
        (&args.html, html::history_page(&trends, &tool)),
        (&args.svg, html::history_svg(&trends)),
    ];
    for (path, drawn) in pages {
        let Some(path) = path else { continue };
        let written = drawn
            .map_err(|e| format!("failed to write {}: {e}", path.display()))
            .and_then(|text| {
                atomic::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
            });
        problems.extend(written.err());
    }
    let text = if args.markdown {
        history::render_markdown(&trends)
    } else {
        history::render(&trends)
    };
    print(&text)?;
    if problems.is_empty() {
        Ok(exit_code::PASS)
    } else {
        // Nothing was judged: a page that could not be written is exit 2.
        Err(Error::Outputs {
            problems,
            verdict: exit_code::PASS,
        })
    }
}

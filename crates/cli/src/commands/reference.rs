//! The commands that describe rather than judge: `gates` (kinds, or a config's
//! instances), `config schema`, `completions` and `man`.

use clap::CommandFactory;
use safety_gate_core::exit_code;
use safety_gate_engine::{config, listing};

use super::output::print;
use crate::args::{Args, CompletionsArgs, ConfigCommand, GatesArgs};
use crate::error::Error;

/// The gate kinds this build knows, or the instances a config defines.
pub fn gates(args: &GatesArgs) -> Result<u8, Error> {
    let text = match &args.config {
        Some(path) => {
            let mut loaded = config::load(path)?;
            listing::render(&listing::list(&mut loaded))
        }
        None => safety_gate_engine::GATES
            .iter()
            .map(|gate| format!("{:<18} {}\n", gate.kind, gate.summary))
            .collect(),
    };
    print(&text)?;
    Ok(exit_code::PASS)
}

/// The config's JSON Schema.
pub fn config(command: &ConfigCommand) -> Result<u8, Error> {
    let ConfigCommand::Schema = command;
    print(&safety_gate_engine::schema::render())?;
    Ok(exit_code::PASS)
}

/// A completion script for `args.shell`.
pub fn completions(args: &CompletionsArgs) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Args::command(), "safety-gate", &mut out);
    print(&String::from_utf8_lossy(&out))?;
    Ok(exit_code::PASS)
}

/// The man page, in roff.
pub fn man() -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Args::command())
        .render(&mut out)
        .map_err(|e| Error::Failed(format!("failed to render the man page: {e}")))?;
    print(&String::from_utf8_lossy(&out))?;
    Ok(exit_code::PASS)
}

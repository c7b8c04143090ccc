//! `safety-gate hook install`.

use safety_gate_core::exit_code;
use safety_gate_engine::hook::{self, HookOptions};
use std::path::Path;

use super::output::print;
use crate::args::HookCommand;
use crate::env;
use crate::error::Error;

/// Installs the pre-push hook in the repository of the current folder.
pub fn run(command: HookCommand) -> Result<u8, Error> {
    let HookCommand::Install(args) = command;
    let options = HookOptions {
        binary: match &args.binary {
            Some(b) => b.clone(),
            None => env::current_exe()?,
        },
        config: args.config.clone(),
        gates: args.gates.clone(),
        force: args.force,
    };
    let done = hook::install(&options, Path::new("."))?;
    let mut text = String::new();
    if let Some(backup) = &done.backup {
        text.push_str(&format!(
            "moved the existing hook to {}\n",
            backup.display()
        ));
    }
    text.push_str(&format!(
        "installed {}: `git push` now runs safety-gate check --config {}{}\n",
        done.hook.display(),
        args.config.display(),
        args.gates
            .iter()
            .map(|g| format!(" --gate {g}"))
            .collect::<String>()
    ));
    print(&text)?;
    Ok(exit_code::PASS)
}

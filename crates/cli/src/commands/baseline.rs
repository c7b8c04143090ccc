//! `safety-gate baseline accept`.

use safety_gate_core::parallel::Jobs;
use safety_gate_core::staging::Staging;
use safety_gate_core::{InputLimits, RunContext, exit_code};
use safety_gate_engine::{accept, config, select};
use std::path::Path;

use super::output::print;
use crate::args::BaselineCommand;
use crate::env;
use crate::error::Error;

/// Promotes the current results of the selected gates to baselines, or shows what
/// that would change.
pub fn run(command: BaselineCommand) -> Result<u8, Error> {
    let BaselineCommand::Accept(args) = command;
    let mut config = config::load(&args.config)?;
    select::retain(&mut config, &args.gates)?;
    let ctx = RunContext {
        limits: InputLimits::new(config.max_input_size),
        config_dir: args.config.parent().unwrap_or(Path::new("")).to_path_buf(),
        jobs: config.jobs.unwrap_or_else(Jobs::available),
        ..RunContext::default()
    };
    // Every update is prepared before anything is written, so an unreadable result
    // leaves all baselines as they were.
    let updates = accept::plan(&config, &ctx)?;
    if args.dry_run {
        let mut text = String::new();
        for (label, update) in &updates {
            text.push_str(&accept::describe(label, update, ctx.limits.max_bytes()));
        }
        text.push_str("dry run: nothing written\n");
        print(&text)?;
        return Ok(exit_code::PASS);
    }
    // Stage every file first; rename only when all are staged, so a failure in a
    // later gate leaves the earlier gates' baselines as they were.
    let mut staging = Staging::new();
    let mut records = Vec::new();
    for (label, update) in &updates {
        records.push(accept::stage(label, update, &mut staging, &ctx.clock)?);
    }
    if env::failpoint().as_deref() == Some("baseline-before-rename") {
        std::process::abort();
    }
    staging.commit().map_err(|e| Error::Failed(e.to_string()))?;
    let mut text = String::new();
    for ((label, update), record) in updates.iter().zip(records) {
        text.push_str(&format!(
            "{label}: accepted {} as {} (provenance in {})\n",
            update.source,
            update.target.display(),
            record.display()
        ));
    }
    print(&text)?;
    Ok(exit_code::PASS)
}

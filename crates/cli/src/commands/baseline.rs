//! `safety-gate baseline accept`.

use safety_gate_core::parallel::Jobs;
use safety_gate_core::staging::Staging;
use safety_gate_core::{InputLimits, RunContext, exit_code};
use safety_gate_engine::promote::{self, PromoteOptions, Refusal};
use safety_gate_engine::{accept, config, select};
use std::path::Path;

use super::output::{eprint, print};
use crate::args::BaselineCommand;
use crate::env;
use crate::error::Error;

/// Promotes the current results of the selected gates to baselines, or shows what
/// that would change. Exits 1, writing nothing, when the gates fail on the results
/// and `--allow-regression` was not given.
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
    let options = PromoteOptions {
        run: !args.no_run,
        allow_regression: args.allow_regression,
    };
    let promotion = match promote::promotion(&config, &ctx, options) {
        Ok(p) => p,
        Err(refusal @ Refusal::Regression { .. }) => {
            eprint(&refusal.to_string());
            return Ok(exit_code::ROLLBACK);
        }
        Err(refusal) => return Err(Error::Failed(refusal.to_string())),
    };
    let mut text = String::new();
    for (label, target) in &promotion.unchanged {
        text.push_str(&format!("{label}: {} unchanged\n", target.display()));
    }
    if args.dry_run {
        for (label, update) in &promotion.changed {
            text.push_str(&accept::describe(label, update, ctx.limits.max_bytes()));
        }
        text.push_str("dry run: nothing written\n");
        print(&text)?;
        return Ok(exit_code::PASS);
    }
    if promotion.changed.is_empty() {
        text.push_str("nothing to accept: every baseline already holds the current results\n");
        print(&text)?;
        return Ok(exit_code::PASS);
    }
    // Stage every file first; rename only when all are staged, so a failure in a
    // later gate leaves the earlier gates' baselines as they were.
    let mut staging = Staging::new();
    let mut records = Vec::new();
    for (label, update) in &promotion.changed {
        records.push(accept::stage(label, update, &mut staging, &ctx.clock)?);
    }
    if env::failpoint().as_deref() == Some("baseline-before-rename") {
        std::process::abort();
    }
    staging.commit().map_err(|e| Error::Failed(e.to_string()))?;
    for ((label, update), record) in promotion.changed.iter().zip(records) {
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

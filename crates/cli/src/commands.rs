//! The `hook`, `baseline` and `history` subcommands: argument handling, printing and
//! exit codes around `hook.rs`, `baseline.rs` and `history.rs`.

use safety_gate_core::staging::Staging;
use safety_gate_core::{InputLimits, RunContext};
use safety_gate_engine::{config, select};
use std::path::Path;

use crate::args::{BaselineCommand, HistoryCommand, HookCommand};
use crate::{baseline, ci_env, exit_codes, history, hook};

/// `safety-gate hook install`.
pub fn hook(command: HookCommand) -> u8 {
    let HookCommand::Install(args) = command;
    match hook::install(&args, Path::new(".")) {
        Ok(done) => {
            if let Some(backup) = &done.backup {
                println!("moved the existing hook to {}", backup.display());
            }
            println!(
                "installed {}: `git push` now runs safety-gate check --config {}{}",
                done.hook.display(),
                args.config.display(),
                args.gates
                    .iter()
                    .map(|g| format!(" --gate {g}"))
                    .collect::<String>()
            );
            exit_codes::PASS
        }
        Err(e) => {
            eprintln!("safety-gate: {e}");
            exit_codes::ERROR
        }
    }
}

/// `safety-gate baseline accept`.
pub fn baseline(command: BaselineCommand) -> u8 {
    let BaselineCommand::Accept(args) = command;
    let fail = |message: String| {
        eprintln!("safety-gate: {message}");
        exit_codes::ERROR
    };
    let mut config = match config::load(&args.config) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    if let Err(e) = select::retain(&mut config, &args.gates) {
        return fail(e);
    }
    // Every update is prepared before anything is written, so an unreadable result
    // leaves all baselines as they were.
    let ctx = RunContext {
        limits: InputLimits::new(config.max_input_size),
        config_dir: args.config.parent().unwrap_or(Path::new("")).to_path_buf(),
        ..RunContext::default()
    };
    let updates = match baseline::plan(&config, &ctx) {
        Ok(u) => u,
        Err(e) => return fail(e),
    };
    if args.dry_run {
        for (label, update) in &updates {
            print!(
                "{}",
                baseline::describe(label, update, ctx.limits.max_bytes())
            );
        }
        println!("dry run: nothing written");
        return exit_codes::PASS;
    }
    // Stage every file first; rename only when all are staged, so a failure in a
    // later gate leaves the earlier gates' baselines as they were.
    let mut staging = Staging::new();
    let mut records = Vec::new();
    for (label, update) in &updates {
        match baseline::stage(label, update, &mut staging) {
            Ok(record) => records.push(record),
            Err(e) => return fail(e),
        }
    }
    if ci_env::failpoint().as_deref() == Some("baseline-before-rename") {
        std::process::abort();
    }
    if let Err(e) = staging.commit() {
        return fail(e.to_string());
    }
    for ((label, update), record) in updates.iter().zip(records) {
        println!(
            "{label}: accepted {} as {} (provenance in {})",
            update.source,
            update.target.display(),
            record.display()
        );
    }
    exit_codes::PASS
}

/// `safety-gate history show`.
pub fn history(command: HistoryCommand) -> u8 {
    let HistoryCommand::Show(args) = command;
    if !args.file.exists() {
        eprintln!("safety-gate: {} does not exist", args.file.display());
        return exit_codes::ERROR;
    }
    match history::load(&args.file, InputLimits::default().max_bytes()) {
        Ok(entries) if entries.is_empty() => {
            eprintln!("safety-gate: {} holds no runs", args.file.display());
            exit_codes::ERROR
        }
        Ok(entries) => {
            print!(
                "{}",
                history::show(
                    &entries,
                    args.last,
                    args.drift_window,
                    args.drift_threshold.map(|t| t.fraction())
                )
            );
            exit_codes::PASS
        }
        Err(e) => {
            eprintln!("safety-gate: {e}");
            exit_codes::ERROR
        }
    }
}

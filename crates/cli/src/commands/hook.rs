//! `safety-gate hook install` and `safety-gate hook pre-push`, which the installed hook
//! runs: it reads the refs being pushed from stdin and judges each new commit in a clean
//! checkout (or the working tree, with `--in-place`, when it is exactly that commit).

use clap::Parser;
use safety_gate_core::exit_code;
use safety_gate_engine::hook::{self, HookOptions};
use safety_gate_engine::{git, prepush};
use std::path::{Path, PathBuf};

use super::output::{eprint, print};
use crate::args::{Args, Command, HookCommand, HookPrePushArgs};
use crate::env;
use crate::error::Error;

/// Runs a `hook` subcommand.
pub fn run(command: HookCommand) -> Result<u8, Error> {
    match command {
        HookCommand::Install(args) => install(args),
        HookCommand::PrePush(args) => pre_push(&args),
    }
}

/// Installs the pre-push hook in the repository of the current folder.
fn install(args: crate::args::HookInstallArgs) -> Result<u8, Error> {
    let options = HookOptions {
        binary: match &args.binary {
            Some(b) => b.clone(),
            None => env::current_exe()?,
        },
        config: args.config.clone(),
        gates: args.gates.clone(),
        force: args.force,
        in_place: args.in_place,
    };
    let done = hook::install(&options, Path::new("."))?;
    let mut text = String::new();
    if let Some(backup) = &done.backup {
        text.push_str(&format!(
            "moved the existing hook to {}\n",
            backup.display()
        ));
    }
    if let Some(chained) = &done.chained {
        text.push_str(&format!(
            "the hook that was there runs first, as {}\n",
            chained.display()
        ));
    }
    let judged = if args.in_place {
        "the working tree, which must be exactly the pushed commit"
    } else {
        "a clean checkout of each pushed commit"
    };
    text.push_str(&format!(
        "installed {}: `git push` now runs safety-gate check --config {}{} on {judged}\n",
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

/// Judges every commit the push sends; the worst verdict decides (a rollback over a
/// check that could not decide, over a pass).
fn pre_push(args: &HookPrePushArgs) -> Result<u8, Error> {
    let input = env::read_stdin()?;
    let pushes = prepush::parse(&input)?;
    let top = PathBuf::from(git::git_line(
        &["rev-parse", "--show-toplevel"],
        Path::new("."),
    )?);
    let mut worst = exit_code::PASS;
    for (commit, local_ref) in prepush::commits(&pushes) {
        let code = if args.in_place {
            prepush::working_tree_is(&top, &commit)?;
            judge(args, &top)?
        } else {
            eprint(&format!(
                "judging {} ({local_ref}) in a clean checkout",
                prepush::short(&commit)
            ));
            let checkout = prepush::Checkout::new(&top, &commit)?;
            let code = judge(args, checkout.path());
            std::env::set_current_dir(&top)
                .map_err(|e| format!("failed to return to {}: {e}", top.display()))?;
            code?
        };
        worst = worse(worst, code);
    }
    Ok(worst)
}

/// Runs `safety-gate check` with the hook's options in `dir`.
fn judge(args: &HookPrePushArgs, dir: &Path) -> Result<u8, Error> {
    std::env::set_current_dir(dir)
        .map_err(|e| format!("failed to enter {}: {e}", dir.display()))?;
    let mut argv: Vec<String> = vec!["safety-gate".into(), "check".into(), "--config".into()];
    argv.push(args.config.to_string_lossy().into_owned());
    for gate in &args.gates {
        argv.extend(["--gate".to_string(), gate.clone()]);
    }
    if args.quiet {
        argv.push("--quiet".into());
    }
    let parsed = Args::try_parse_from(&argv).map_err(|e| Error::Failed(e.to_string()))?;
    let Command::Check(check) = parsed.command else {
        return Err(Error::Failed(
            "the hook's check did not parse as `check`".into(),
        ));
    };
    super::check::run(&check)
}

/// The verdict that decides between two: rollback, then cannot decide, then pass.
fn worse(a: u8, b: u8) -> u8 {
    let rank = |c: u8| match c {
        exit_code::ROLLBACK => 2,
        exit_code::PASS => 0,
        _ => 1,
    };
    if rank(b) > rank(a) { b } else { a }
}

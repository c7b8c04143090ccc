//! The `safety-gate` binary: parses arguments, runs the gates, prints, exits 0/1/2.

mod args;
mod args_ci;
mod baseline;
mod baseline_ref;
mod check;
mod ci_env;
mod clock;
mod commands;
mod drift;
mod exit_codes;
mod github;
mod history;
mod hook;
mod human;
mod outputs;
mod process;
mod rollback_report;
mod run;
mod snapshot_args;
mod summary;
mod waivers;

fn main() -> std::process::ExitCode {
    run::run()
}

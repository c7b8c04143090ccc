//! The `safety-gate` binary: parses arguments, runs the gates, prints, exits 0/1/2.

mod args;
mod config;
mod exit_codes;
mod gates;
mod human;
mod outputs;
mod run;
mod snapshot_args;

fn main() -> std::process::ExitCode {
    run::run()
}

//! The `safety-gate` binary: parses arguments, runs the command, prints, exits 0/1/2.
//! Errors are printed here and nowhere else.

mod args;
mod commands;
mod env;
mod error;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    match commands::run(args::Args::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            commands::eprint(&err.to_string());
            ExitCode::from(err.exit_code())
        }
    }
}

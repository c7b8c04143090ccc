//! The commands: each turns its arguments into a call to the engine, prints what the
//! person running it should see, and returns the exit code. Errors go back to `main`.

mod adhoc;
mod baseline;
mod check;
mod deliver;
mod history;
mod hook;
mod init;
mod output;
mod reference;

pub use output::eprint;

use crate::args::{Args, Command};
use crate::error::Error;

/// Runs the command line; the exit code, or the error `main` prints.
pub fn run(args: Args) -> Result<u8, Error> {
    match args.command {
        Command::Init(args) => init::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Gate(command) => command.dispatch(adhoc::Run),
        Command::Gates(args) => reference::gates(&args),
        Command::Config(command) => reference::config(&command),
        Command::Completions(args) => reference::completions(&args),
        Command::Man => reference::man(),
        Command::Hook(command) => hook::run(command),
        Command::Baseline(command) => baseline::run(command),
        Command::History(command) => history::run(command),
    }
}

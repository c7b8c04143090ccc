//! The binary's one error type. Every command returns `Result<u8, Error>`; `main`
//! prints the error (once) and exits with [`Error::exit_code`].

use safety_gate_core::{ConfigError, InputError, exit_code};
use thiserror::Error;

/// Why a command could not do what it was asked.
#[derive(Debug, Error)]
pub enum Error {
    /// The config could not be loaded.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An input (a history file) could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The command could not be carried out; the message says why.
    #[error("{0}")]
    Failed(String),
    /// The run was judged, but some of its outputs (reports, annotations, summary,
    /// rollback report) could not be written. The verdict's exit code stands, except
    /// that a pass becomes "cannot decide": a pass nobody can see is not a pass.
    #[error("{}", .problems.join("\n"))]
    Outputs {
        /// One message per output that failed.
        problems: Vec<String>,
        /// The exit code of the verdict.
        verdict: u8,
    },
}

impl Error {
    /// The exit code for this error: 2 (cannot decide), or the verdict's code when only
    /// outputs failed after a rollback.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Outputs { verdict, .. } if *verdict != exit_code::PASS => *verdict,
            _ => exit_code::ERROR,
        }
    }
}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error::Failed(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwritten_outputs_keep_a_rollback_and_undo_a_pass() {
        let outputs = |verdict| Error::Outputs {
            problems: vec!["a".into(), "b".into()],
            verdict,
        };
        assert_eq!(outputs(exit_code::ROLLBACK).exit_code(), 1);
        assert_eq!(outputs(exit_code::PASS).exit_code(), 2);
        assert_eq!(outputs(exit_code::ERROR).exit_code(), 2);
        assert_eq!(outputs(exit_code::PASS).to_string(), "a\nb");
        assert_eq!(Error::Failed("x".into()).exit_code(), 2);
    }
}

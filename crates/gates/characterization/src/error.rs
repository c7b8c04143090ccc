//! Errors of the characterization gate. Input problems reuse the core's
//! [`InputError`], which always names the file (and line, when known).

use safety_gate_core::{Check, InputError, Location, WriteError};
use thiserror::Error;

/// What can go wrong in the characterization gate.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CharacterizationError {
    /// An input (JUnit report, manifest, golden file) could not be read or parsed.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A tolerance such as `/metrics/*_rate=rel:1e-9` could not be parsed.
    #[error("parse tolerance `{spec}`: {message}")]
    Tolerance {
        /// The tolerance as given.
        spec: String,
        /// What is wrong.
        message: String,
    },
    /// A JSON pointer glob could not be compiled.
    #[error("compile pointer glob `{pattern}`: {message}")]
    PointerGlob {
        /// The glob as given.
        pattern: String,
        /// What is wrong.
        message: String,
    },
    /// The expected-tests manifest could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// An error check naming the file, and its line when known.
pub(crate) fn input_error(id: String, e: &InputError) -> Check {
    let check = Check::error(id, e.to_string());
    match (e.path(), e.line()) {
        (Some(path), Some(line)) => check.with_location(Location::line(path, line)),
        (Some(path), None) => check.with_file(path),
        _ => check,
    }
}

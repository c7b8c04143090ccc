//! Errors of the snapshot gate: schemas that cannot be used, commands that cannot be
//! run, options that do not parse. Every variant names the file or command involved.

use std::path::PathBuf;
use thiserror::Error;

use safety_gate_core::{InputError, WriteError};

/// Something the snapshot gate could not evaluate.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// An input file could not be read or parsed.
    #[error(transparent)]
    Input(#[from] InputError),
    /// An output file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A schema refers to a remote document; the gate never fetches over the network.
    #[error(
        "{path}: $ref at {pointer} points to {reference}: remote references are refused, only references within local files are resolved"
    )]
    RemoteRef {
        /// The schema file.
        path: PathBuf,
        /// JSON pointer of the `$ref` within the schema.
        pointer: String,
        /// The reference as written.
        reference: String,
    },
    /// A `$ref` names nothing in its document.
    #[error("{path}: $ref at {pointer} to {reference} does not resolve")]
    UnresolvedRef {
        /// The schema file.
        path: PathBuf,
        /// JSON pointer of the `$ref` within the schema.
        pointer: String,
        /// The reference as written.
        reference: String,
    },
    /// The schema is not a valid JSON Schema.
    #[error("{path}: invalid schema: {message}")]
    InvalidSchema {
        /// The schema file.
        path: PathBuf,
        /// What the validator library said.
        message: String,
    },
    /// A command line could not be split into words, or is empty.
    #[error("invalid command {command:?}: {message}")]
    BadCommand {
        /// The command as given.
        command: String,
        /// What is wrong.
        message: String,
    },
    /// A duration such as `60s` or `500ms` did not parse or is out of range.
    #[error("{message}")]
    Duration {
        /// What is wrong, quoting the text as given.
        message: String,
    },
    /// A configuration value is out of range or inconsistent.
    #[error("invalid snapshot config: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

//! Errors of the core crate: reading inputs, loading config, writing outputs.

use std::path::PathBuf;
use thiserror::Error;

/// An input file could not be read or understood. Always names the file.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be opened or read.
    #[error("failed to read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{path} is empty")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is larger than the configured limit.
    #[error("{path} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file's content is malformed.
    #[error("{path}{}: {message}", position(*line, *column))]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<u64>,
        /// 1-based column, when known.
        column: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A glob or path matched no file.
    #[error("{pattern} matched no file")]
    NoMatch {
        /// The pattern as given.
        pattern: String,
    },
}

impl InputError {
    /// A malformed-content error with an optional position.
    pub fn malformed(
        path: impl Into<PathBuf>,
        line: Option<u64>,
        column: Option<u64>,
        message: impl Into<String>,
    ) -> Self {
        InputError::Malformed {
            path: path.into(),
            line,
            column,
            message: message.into(),
        }
    }

    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            InputError::Io { path, .. }
            | InputError::Empty { path }
            | InputError::TooLarge { path, .. }
            | InputError::Malformed { path, .. } => Some(path),
            InputError::NoMatch { .. } => None,
        }
    }

    /// The line the error is about, when known.
    pub fn line(&self) -> Option<u64> {
        match self {
            InputError::Malformed { line, .. } => *line,
            _ => None,
        }
    }
}

/// Formats `:line:column` when known.
fn position(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// The configuration could not be loaded or is inconsistent.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The config file could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The config is valid TOML but says something inconsistent.
    #[error("{path}: {message}")]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// An output (report, baseline) could not be written.
#[derive(Debug, Error)]
#[error("failed to write {path}: {source}")]
pub struct WriteError {
    /// The file that was being written.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// An external command could not be run at all (as opposed to running and failing).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ProcessError {
    /// The argv was empty.
    #[error("no program given")]
    NoProgram,
    /// The program could not be started.
    #[error("failed to start {program}: {source}")]
    Spawn {
        /// The program (first word of the argv).
        program: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

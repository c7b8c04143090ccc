//! The snapshot-compatibility gate: state saved by an older version must still load
//! after a change, and a seeded run must still produce the same state.
//!
//! It validates snapshots against the current JSON Schema, classifies the changes
//! from earlier schemas as compatible or breaking, enforces a minimum snapshot
//! version, runs the project's own loader on each snapshot, and compares golden
//! hashes of canonical JSON.
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

mod baselines;
pub mod canonical;
pub mod compat;
pub mod config;
mod cycles;
pub mod error;
mod gate;
pub mod hashes;
mod loosening;
pub mod roundtrip;
pub mod schema;
pub mod version;
mod work;

pub use config::{Compatibility, SnapshotConfig};
pub use error::SnapshotError;
pub use gate::{SnapshotGate, run};

/// The gate kind, as used in config tables and reports.
pub const KIND: &str = "snapshot";

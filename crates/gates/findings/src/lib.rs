//! Findings gate: compares the findings of linters and scanners (SARIF 2.1.0, ruff JSON,
//! mypy JSON) with a baseline and fails on findings that are new, or on more findings
//! of a level or rule than its limit allows.
//!
//! Readers ([`read`]) turn each file into [`Finding`]s with paths relative to the
//! folder the tools ran in; [`matching`] pairs current findings with baseline ones so
//! that code moving or a line being edited does not make a finding new; the gate turns
//! the outcome into one check per rule and one per level limit. `baseline accept`
//! writes the current findings as a normalised SARIF file ([`normalise`]).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
mod gate;
mod loosening;
pub mod matching;
mod model;
mod mypy;
pub mod normalise;
mod paths;
mod position;
pub mod read;
mod report;
mod ruff;
mod sarif;

pub use config::{FindingsConfig, Format, LevelLimits};
pub use gate::{FindingsGate, run};
pub use model::{Finding, Findings, Level};

/// The gate's kind, as used in config tables (`[[findings]]`) and reports.
pub const KIND: &str = "findings";

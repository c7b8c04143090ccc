//! The engine of safety-gate: the gate registry, config loading, `--gate` selection,
//! the `check` pipeline (baselines from a git ref, history and drift, waivers),
//! `baseline accept` and the pre-push hook. It takes a config and options and returns
//! data; it never prints and never reads the environment.
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

pub mod accept;
pub mod baseline_ref;
pub mod check;
pub mod config;
pub mod drift;
pub mod git;
pub mod history;
pub mod hook;
pub mod init;
pub mod listing;
pub mod missing;
pub mod prepush;
pub mod produce;
pub mod promote;
pub mod ref_globs;
pub mod registry;
pub mod run;
pub mod schema;
pub mod select;
pub mod trust;
pub mod waivers;

pub use check::{CheckOptions, CheckRun, HistoryOptions, check};
pub use config::Config;
pub use registry::{GATES, GateInfo};

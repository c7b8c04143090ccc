//! The engine of safety-gate: the gate registry, config loading, `--gate` selection
//! and the run pipeline. It takes a config and options and returns data (the run
//! report and what goes with it); it never prints and never reads the environment.
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

pub mod config;
pub mod registry;
pub mod run;
pub mod select;

pub use config::Config;
pub use registry::{GATES, GateInfo};

//! The shared model of safety-gate: checks, gate reports, the run verdict, shared
//! configuration pieces, and the JUnit and JSON writers.
//!
//! Gate crates implement [`Gate`] and turn their inputs into a [`GateReport`], reading
//! within the limits of the [`RunContext`] they are given; the engine collects the
//! reports in a [`RunReport`]. Nothing here prints or reads the environment.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod atomic;
pub mod baselines;
pub mod check;
pub mod config;
pub mod context;
pub mod counts;
pub mod direction;
pub mod duration;
pub mod error;
pub mod evidence;
pub mod exact;
pub mod exit_code;
pub mod gate;
pub mod hints;
pub mod inputs;
pub mod json_report;
pub mod junit;
pub mod limits;
pub mod loosening;
pub mod numbers;
pub mod parallel;
pub mod process;
pub mod producer;
pub mod reaper;
pub mod report;
pub mod rollback_plan;
pub mod same_file;
pub mod schema;
pub mod staging;
pub mod status;
pub mod strict_json;
pub mod threshold;

pub use check::{Check, Location, Occurrence};
pub use config::load_toml;
pub use context::{BaselineSource, Clock, InputLimits, RunContext};
pub use counts::Counts;
pub use direction::Direction;
pub use error::{ConfigError, InputError, ProcessError, WriteError};
pub use evidence::Evidence;
pub use gate::{Gate, GateConfig, GateInstance, Instance};
pub use loosening::{Loosening, Looser};
pub use producer::Producer;
pub use report::{GateReport, RunReport};
pub use rollback_plan::{Risk, RollbackPlan};
pub use status::{GateVerdict, Mode, Role, Status, Verdict};
pub use threshold::Threshold;

//! Performance gate: compares current benchmark results with a committed baseline and
//! fails on a regression beyond the threshold, in the metric's bad direction.
//!
//! Inputs are read by format adapters into a [`BenchSet`]; [`run`] compares the sets
//! and returns a [`safety_gate_core::GateReport`].
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod baselines;
mod compare;
pub mod config;
mod decision;
mod evidence;
pub mod family;
pub mod formats;
mod gate;
mod loosening;
pub mod machine;
pub mod model;
pub mod quality;
mod sides;
pub mod stats;
mod units;
mod words;

pub use config::{
    DEFAULT_ALPHA, DEFAULT_FALSE_ALARM_RATE, MetricSpec, MissingPolicy, Override, PerfConfig,
};
pub use family::FamilyKind;
pub use formats::Format;
pub use gate::{PerfGate, run};
pub use machine::MachineMismatch;
pub use model::{BenchSet, Direction, Measurement, Outcome, SampleError, Samples};
pub use stats::Statistic;

/// The gate's kind, as used in config tables (`[[perf]]`) and reports.
pub const KIND: &str = "perf";

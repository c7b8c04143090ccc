//! The characterization gate: strict validation of JUnit test reports and
//! golden-output drift between baseline and current JSON or JSONL files.
//!
//! A characterization suite pins today's behaviour before a risky change. Trusting
//! the test runner's exit code is not enough: it passes when tests are skipped,
//! xfailed, deleted or never collected. This gate reads the JUnit reports themselves
//! (streaming, so memory stays flat), applies strict rules, checks an expected-tests
//! manifest, and compares golden files structurally.
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

mod baselines;
pub mod config;
pub mod error;
mod gate;
pub mod golden;
pub mod junit;
mod loosening;
pub mod manifest;
pub mod rules;
pub mod strictness;

pub use config::{CharacterizationConfig, GoldenConfig, GoldenFormat};
pub use error::CharacterizationError;
pub use gate::{CharacterizationGate, run};
pub use junit::Reruns;
pub use strictness::{RuleOverrides, RuleSetting, Rules, Severity};

/// The gate kind, as used in reports and in the `[[characterization]]` config table.
pub const KIND: &str = "characterization";

//! `safety-gate check`: the config, the report options and the CI options.

use safety_gate_engine::{CheckOptions, HistoryOptions};
use std::path::PathBuf;

use super::ci::CiArgs;
use super::output::OutputArgs;

/// `safety-gate check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The config file; relative paths inside it resolve against its folder.
    #[arg(long, short, value_name = "FILE", default_value = "safety-gate.toml")]
    pub config: PathBuf,
    /// Report options.
    #[command(flatten)]
    pub output: OutputArgs,
    /// CI integration options.
    #[command(flatten)]
    pub ci: CiArgs,
}

impl CheckArgs {
    /// What the engine is asked to do besides running the config's gates.
    pub fn to_options(&self) -> CheckOptions {
        CheckOptions {
            gates: self.ci.gates.clone(),
            max_input_size: self.output.max_input_size,
            baseline_ref: self.ci.baseline_ref.clone(),
            history: self.ci.history.clone().map(|path| HistoryOptions {
                path,
                window: self.ci.drift_window,
                threshold: self.ci.drift_threshold.map(|t| t.fraction()),
            }),
            waivers: self.ci.waivers.clone(),
            ..CheckOptions::default()
        }
    }
}

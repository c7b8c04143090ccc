//! `safety-gate check`: the config, the report options and the CI options.

use safety_gate_core::parallel::Jobs;
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
    /// How many commands (snapshot loaders, producers) run at once [default: the
    /// config's `jobs`, else the number of cores].
    #[arg(long, short, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<Jobs>,
    /// Judge the result files as they are: do not run the gates' `run` commands.
    #[arg(long)]
    pub no_run: bool,
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
            allow_loosening: self.ci.allow_loosening,
            history: self.ci.history.clone().map(|path| HistoryOptions {
                path,
                window: self.ci.drift_window,
                threshold: self.ci.drift_threshold.map(|t| t.fraction()),
            }),
            waivers: self.ci.waivers.clone(),
            jobs: self.jobs,
            no_run: self.no_run,
            ..CheckOptions::default()
        }
    }
}

/// `--jobs N`: a whole number of at least 1.
pub fn parse_jobs(text: &str) -> Result<Jobs, String> {
    text.parse::<usize>()
        .ok()
        .and_then(Jobs::new)
        .ok_or_else(|| format!("`{text}` is not a number of jobs (1 or more)"))
}

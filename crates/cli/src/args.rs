//! Command-line arguments (clap derive). Every ad-hoc flag has a config equivalent.

use clap::{Parser, Subcommand, ValueEnum};
use safety_gate_core::limits::ByteSize;
use safety_gate_core::{Mode, Threshold};
use safety_gate_perf::{Format, MetricSpec, MissingPolicy, PerfConfig, Statistic};
use std::path::PathBuf;

pub use crate::args_ci::{BaselineCommand, CiArgs, HistoryCommand, HookCommand, HookInstallArgs};
use crate::exit_codes;
use crate::snapshot_args::SnapshotArgs;

mod characterization;
pub use characterization::CharacterizationArgs;

const EXAMPLES: &str = "\
Examples:
  safety-gate check                               run every gate in ./safety-gate.toml
  safety-gate check --config ci/safety-gate.toml --junit out/gates.xml
  safety-gate check --gate tick --baseline-ref origin/main --rollback-report rollback.md
  safety-gate check --history nightly.jsonl       append to the history; fail on slow drift
  safety-gate hook install --gate tick            run the tick gate before every push
  safety-gate baseline accept --dry-run           show what accepting the results would change
  safety-gate perf --baseline baselines/perf.json --current perf.json \\
      --metric tick_ms=/tick_performance/average_tick_ms \\
      --metric tps=/tick_performance/throughput_ticks_per_second:higher
  safety-gate perf --baseline base.log --current run.log --format kv --metric average_tick_seconds
  safety-gate characterization --results 'reports/junit-*.xml' \\
      --expected baselines/characterization/expected-tests.txt
  safety-gate characterization --baseline golden/metrics.json --current out/metrics.json \\
      --tolerance '/metrics/*_rate=rel:1e-9' --ignore /generated_at
  safety-gate snapshot --schema schemas/state.schema.json --snapshots 'baselines/snapshot/*.json' \\
      --previous-schema 'baselines/snapshot/schemas/*.json' --compatibility backward \\
      --roundtrip \"python3 tools/load.py {snapshot}\" --timeout 60s --hashes baselines/snapshot/hashes.json
  safety-gate perf --baseline baselines/hyperfine.json --current hyperfine.json --alpha 0.2
  safety-gate perf --baseline baselines/criterion --current target/criterion";

/// Decides in CI whether a change must be rolled back.
#[derive(Debug, Parser)]
#[command(name = "safety-gate", version, about, long_about = None)]
#[command(after_help = format!("{}\n\n{}", exit_codes::HELP, EXAMPLES))]
pub struct Args {
    /// What to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every gate configured in safety-gate.toml.
    Check(CheckArgs),
    /// Run the performance gate on two files, without a config.
    Perf(PerfArgs),
    /// Run the characterization gate: strict JUnit validation and golden-file drift.
    Characterization(CharacterizationArgs),
    /// Run the snapshot-compatibility gate on a schema and snapshots, without a config.
    Snapshot(SnapshotArgs),
    /// List the gate kinds this build knows.
    Gates,
    /// Install the pre-push hook.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Manage baselines.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Inspect the nightly history.
    #[command(subcommand)]
    History(HistoryCommand),
}

/// Flags shared by every command that produces a verdict.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Write JUnit XML here (overrides `[reports] junit`).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the machine report (JSON) here (overrides `[reports] json`).
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// Print only the verdict line and problems.
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Refuse input files larger than this, e.g. 512MiB or 2GB; default 1GiB
    /// (overrides `max_input_size`).
    #[arg(long, value_name = "SIZE")]
    pub max_input_size: Option<ByteSize>,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

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

/// `safety-gate perf`.
#[derive(Debug, clap::Args)]
pub struct PerfArgs {
    /// Baseline results (config: `baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: PathBuf,
    /// Current results; repeat for CI shards (config: `current`).
    #[arg(long, value_name = "FILE", required = true)]
    pub current: Vec<PathBuf>,
    /// Largest regression that passes, as a percentage (config: `threshold`).
    #[arg(long, default_value = "5%")]
    pub threshold: Threshold,
    /// Input format: auto, generic-json, kv, criterion, criterion-text, libtest,
    /// pytest-benchmark, hyperfine, google-benchmark, pyperf, go-bench, catch2,
    /// benchmarkjs, jmh, benchmarkdotnet, julia, asv, vitest, callgrind, bmf,
    /// benchmarkluau, custom-smaller-is-better, custom-bigger-is-better; a folder is a
    /// criterion tree (config: `format`).
    #[arg(long, default_value = "auto")]
    pub format: Format,
    /// What to compare: NAME=POINTER for generic-json, NAME for kv; append :lower (default)
    /// or :higher (config: `metrics`).
    #[arg(long = "metric", value_name = "SPEC")]
    pub metrics: Vec<MetricSpec>,
    /// A benchmark missing from the current results: error, fail or skip (config: `missing`).
    #[arg(long, value_enum, default_value_t = MissingArg::Error)]
    pub missing: MissingArg,
    /// Significance level of the one-sided test that a change is beyond the threshold
    /// (config: `alpha`).
    #[arg(long, default_value_t = safety_gate_perf::DEFAULT_ALPHA)]
    pub alpha: f64,
    /// Summary of samples compared: mean (geometric), median or min (config: `statistic`).
    #[arg(long, default_value = "mean")]
    pub statistic: Statistic,
    /// Fail only when the whole confidence interval is beyond the threshold
    /// (config: `conservative`).
    #[arg(long)]
    pub conservative: bool,
    /// Read a criterion baseline saved with `--save-baseline NAME` from `<id>/NAME/`
    /// (config: `criterion_baseline`).
    #[arg(long, value_name = "NAME")]
    pub criterion_baseline: Option<String>,
    /// Name of this gate instance in reports (config: `name`).
    #[arg(long, default_value = "perf")]
    pub name: String,
    /// Report options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--missing` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MissingArg {
    /// Cannot decide (exit 2).
    Error,
    /// Counts as a regression.
    Fail,
    /// Reported and ignored.
    Skip,
}

impl PerfArgs {
    /// The config table these flags stand for.
    pub fn to_config(&self) -> PerfConfig {
        PerfConfig {
            name: self.name.clone(),
            mode: Mode::Enforce,
            baseline: self.baseline.clone(),
            current: self.current.clone(),
            format: self.format,
            threshold: self.threshold,
            metrics: self.metrics.clone(),
            overrides: Vec::new(),
            missing: match self.missing {
                MissingArg::Error => MissingPolicy::Error,
                MissingArg::Fail => MissingPolicy::Fail,
                MissingArg::Skip => MissingPolicy::Skip,
            },
            rollback: Default::default(),
            alpha: self.alpha,
            statistic: self.statistic,
            conservative: self.conservative,
            criterion_baseline: self.criterion_baseline.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn args_are_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn perf_flags_map_to_config() {
        let args = Args::try_parse_from([
            "safety-gate",
            "perf",
            "--baseline",
            "b.json",
            "--current",
            "c1.json",
            "--current",
            "c2.json",
            "--threshold",
            "7%",
            "--metric",
            "t=/a/b:higher",
            "--missing",
            "skip",
        ])
        .expect("parses");
        let Command::Perf(perf) = args.command else {
            panic!("perf subcommand")
        };
        let config = perf.to_config();
        assert_eq!(config.current.len(), 2);
        assert_eq!(config.threshold.fraction(), 0.07);
        assert_eq!(config.metrics[0].pointer.as_deref(), Some("/a/b"));
        assert_eq!(config.missing, MissingPolicy::Skip);
    }

    #[test]
    fn bare_number_threshold_is_refused() {
        let parsed = Args::try_parse_from([
            "safety-gate",
            "perf",
            "--baseline",
            "b",
            "--current",
            "c",
            "--threshold",
            "5",
        ]);
        assert!(parsed.is_err());
    }
}

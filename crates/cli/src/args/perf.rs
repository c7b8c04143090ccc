//! `safety-gate perf`: flags that map one to one onto a `[[perf]]` config table.

use clap::ValueEnum;
use safety_gate_core::{Mode, Threshold};
use safety_gate_perf::{
    FamilyKind, Format, MachineMismatch, MetricSpec, MissingPolicy, PerfConfig, PerfGate, Statistic,
};
use std::path::{Path, PathBuf};

use super::AdHoc;
use super::output::OutputArgs;

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
    /// Largest share of runs of unchanged code that may fail: the level of the test
    /// against no change, at most 0.05 (config: `false_alarm_rate`).
    #[arg(long, default_value_t = safety_gate_perf::DEFAULT_FALSE_ALARM_RATE)]
    pub false_alarm_rate: f64,
    /// Which benchmarks share the false-alarm rate: `gate` (all of them, so a suite of
    /// many unchanged benchmarks still fails rarely) or `benchmark` (each on its own)
    /// (config: `family`).
    #[arg(long, default_value = "gate")]
    pub family: FamilyKind,
    /// When the files name different machines (CPU model, cores, architecture; the
    /// host when a CPU is not named): warn, error or ignore (config: `machine_mismatch`).
    #[arg(long, default_value = "warn")]
    pub machine_mismatch: MachineMismatch,
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

impl AdHoc for PerfArgs {
    type Gate = PerfGate;

    fn output(&self) -> &OutputArgs {
        &self.output
    }

    fn missing_baseline_hint(&self, baseline: &Path) -> String {
        let current = self.current.first().map(|p| p.display().to_string());
        format!(
            "start it from the current results: copy {} to {}",
            current.as_deref().unwrap_or("the current results"),
            baseline.display()
        )
    }

    fn to_config(&self) -> PerfConfig {
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
            run: None,
            alpha: self.alpha,
            statistic: self.statistic,
            conservative: self.conservative,
            false_alarm_rate: self.false_alarm_rate,
            family: self.family,
            machine_mismatch: self.machine_mismatch,
            criterion_baseline: self.criterion_baseline.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{AdHoc, Args, Command, GateCommand};
    use clap::Parser;

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
            "--family",
            "benchmark",
            "--false-alarm-rate",
            "0.01",
            "--machine-mismatch",
            "error",
        ])
        .expect("parses");
        let Command::Gate(GateCommand::Perf(perf)) = args.command else {
            panic!("perf subcommand")
        };
        let config = perf.to_config();
        assert_eq!(config.current.len(), 2);
        assert_eq!(config.threshold.fraction(), 0.07);
        assert_eq!(config.metrics[0].pointer.as_deref(), Some("/a/b"));
        assert_eq!(config.missing, MissingPolicy::Skip);
        assert_eq!(config.family, FamilyKind::Benchmark);
        assert_eq!(config.false_alarm_rate, 0.01);
        assert_eq!(config.machine_mismatch, MachineMismatch::Error);
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

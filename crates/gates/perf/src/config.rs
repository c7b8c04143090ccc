//! The `[[perf]]` table of `safety-gate.toml`; the `perf` subcommand builds the same.

use safety_gate_core::GateConfig;
use safety_gate_core::config::resolve;
use safety_gate_core::{Mode, Producer, RollbackPlan, Threshold};
use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::family::FamilyKind;
use crate::formats::Format;
use crate::machine::MachineMismatch;
use crate::model::Direction;
use crate::stats::Statistic;

/// One perf gate instance.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerfConfig {
    /// Instance name, unique within the run.
    pub name: String,
    /// How failures count.
    #[serde(default)]
    pub mode: Mode,
    /// The committed baseline file.
    pub baseline: PathBuf,
    /// The current results: one file, or several (CI shards).
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(schema_with = "one_or_many_schema")]
    pub current: Vec<PathBuf>,
    /// Input format of both files.
    #[serde(default)]
    pub format: Format,
    /// Largest change in the bad direction that still passes.
    #[serde(default)]
    pub threshold: Threshold,
    /// Metrics to compare; for `kv` and `generic-json` they name what to read.
    #[serde(default, deserialize_with = "unique_metrics")]
    pub metrics: Vec<MetricSpec>,
    /// Threshold and direction overrides by benchmark-id glob; the first match wins.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// What a benchmark in the baseline but not in the current results means.
    #[serde(default)]
    pub missing: MissingPolicy,
    /// What to do when this gate triggers a rollback (shown in the rollback report).
    #[serde(default)]
    pub rollback: RollbackPlan,
    /// The command that writes the current results, run before they are read.
    #[serde(default)]
    pub run: Option<Producer>,
    /// Significance level of the one-sided test that a change is beyond the threshold
    /// (`significance` also works).
    #[serde(default = "default_alpha", alias = "significance")]
    pub alpha: f64,
    /// The summary of samples compared: mean (geometric, the default), median or min.
    #[serde(default)]
    pub statistic: Statistic,
    /// Fail only when the whole (90%) confidence interval is beyond the threshold.
    #[serde(default)]
    pub conservative: bool,
    /// The largest share of runs of unchanged code that may fail: the level of the test
    /// against no change, shared by the family.
    #[serde(default = "default_false_alarm_rate")]
    pub false_alarm_rate: f64,
    /// Which benchmarks share the false-alarm rate: the whole gate, or each benchmark.
    #[serde(default)]
    pub family: FamilyKind,
    /// What a baseline and current results measured on different machines do.
    #[serde(default)]
    pub machine_mismatch: MachineMismatch,
    /// For a criterion tree as baseline: read `<id>/<NAME>/` instead of `<id>/new/`
    /// (a baseline saved with `cargo bench -- --save-baseline NAME`).
    #[serde(default)]
    pub criterion_baseline: Option<String>,
}

/// The default significance level of the test against the threshold.
pub const DEFAULT_ALPHA: f64 = 0.45;

/// The default false-alarm rate: the level of the test against no change.
pub const DEFAULT_FALSE_ALARM_RATE: f64 = 0.02;

/// The largest false-alarm rate accepted.
pub const MAX_FALSE_ALARM_RATE: f64 = 0.05;

fn default_alpha() -> f64 {
    DEFAULT_ALPHA
}

fn default_false_alarm_rate() -> f64 {
    DEFAULT_FALSE_ALARM_RATE
}

impl PerfConfig {
    /// A config for one baseline and current files, every option at its default.
    pub fn new(name: impl Into<String>, baseline: PathBuf, current: Vec<PathBuf>) -> Self {
        PerfConfig {
            name: name.into(),
            mode: Mode::default(),
            baseline,
            current,
            format: Format::default(),
            threshold: Threshold::default(),
            metrics: Vec::new(),
            overrides: Vec::new(),
            missing: MissingPolicy::default(),
            alpha: DEFAULT_ALPHA,
            statistic: Statistic::default(),
            conservative: false,
            false_alarm_rate: DEFAULT_FALSE_ALARM_RATE,
            family: FamilyKind::default(),
            machine_mismatch: MachineMismatch::default(),
            criterion_baseline: None,
            rollback: RollbackPlan::default(),
            run: None,
        }
    }

    /// Checks the options serde cannot: the ranges of the two levels.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.alpha > 0.0 && self.alpha < 0.5) {
            return Err(format!(
                "alpha (significance level) {} must be between 0 and 0.5, e.g. 0.2",
                self.alpha
            ));
        }
        if !(self.false_alarm_rate > 0.0 && self.false_alarm_rate <= MAX_FALSE_ALARM_RATE) {
            return Err(format!(
                "false_alarm_rate {} must be above 0 and at most {MAX_FALSE_ALARM_RATE}, e.g. 0.01",
                self.false_alarm_rate
            ));
        }
        Ok(())
    }
}

/// A metric to read and compare.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    /// The metric's id in reports (and its key for `kv`).
    pub name: String,
    /// JSON pointer to the value, for `generic-json`.
    #[serde(default)]
    pub pointer: Option<String>,
    /// Which way is better.
    #[serde(default)]
    pub direction: Direction,
    /// Threshold for this metric only.
    #[serde(default)]
    pub threshold: Option<Threshold>,
}

impl std::str::FromStr for MetricSpec {
    type Err = String;

    /// Parses `NAME`, `NAME=POINTER`, either optionally ending in `:lower` or `:higher`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (body, direction) = match s.rsplit_once(':') {
            Some((body, dir @ ("lower" | "higher"))) => (body, dir.parse()?),
            _ => (s, Direction::Lower),
        };
        let (name, pointer) = match body.split_once('=') {
            Some((name, pointer)) => (name, Some(pointer.to_string())),
            None => (body, None),
        };
        if name.is_empty() {
            return Err(format!("metric `{s}` has no name"));
        }
        if let Some(p) = &pointer {
            if !p.is_empty() && !p.starts_with('/') {
                return Err(format!("metric `{s}`: pointer `{p}` must start with `/`"));
            }
        }
        Ok(MetricSpec {
            name: name.to_string(),
            pointer,
            direction,
            threshold: None,
        })
    }
}

/// An override for benchmarks whose id matches a glob.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Glob over benchmark ids (`tick_*`, `parse/**`).
    #[serde(rename = "match")]
    pub pattern: String,
    /// Threshold for matching benchmarks.
    #[serde(default)]
    pub threshold: Option<Threshold>,
    /// Direction for matching benchmarks.
    #[serde(default)]
    pub direction: Option<Direction>,
}

/// What a benchmark present in the baseline and absent from the current results means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// The gate cannot decide (exit 2): a benchmark that stopped reporting hides regressions.
    #[default]
    Error,
    /// A failure (rollback when enforced).
    Fail,
    /// Reported and ignored.
    Skip,
}

impl GateConfig for PerfConfig {
    fn name(&self) -> &str {
        &self.name
    }

    fn mode(&self) -> Mode {
        self.mode
    }

    fn resolve_paths(&mut self, base: &Path) {
        self.baseline = resolve(base, &self.baseline);
        for path in &mut self.current {
            *path = resolve(base, path);
        }
    }
}

/// Accepts `current = "a.json"` as well as `current = ["a.json", "b.json"]`; anything
/// else is refused saying both forms.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
    struct Paths;

    impl<'de> serde::de::Visitor<'de> for Paths {
        type Value = Vec<PathBuf>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(
                "a path or a list of paths (current = \"results.json\" or \
                 current = [\"shard-1.json\", \"shard-2.json\"])",
            )
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![PathBuf::from(v)])
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut paths = Vec::new();
            while let Some(path) = seq.next_element::<PathBuf>()? {
                paths.push(path);
            }
            if paths.is_empty() {
                return Err(serde::de::Error::custom("`current` is empty"));
            }
            Ok(paths)
        }
    }

    d.deserialize_any(Paths)
}

/// The schema of `current`: a path, or a non-empty list of paths.
fn one_or_many_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" }, "minItems": 1 }
        ]
    })
}

/// Refuses two metrics with one name: the second would silently replace the first.
fn unique_metrics<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<MetricSpec>, D::Error> {
    let metrics = Vec::<MetricSpec>::deserialize(d)?;
    let mut names = std::collections::BTreeSet::new();
    match metrics.iter().find(|m| !names.insert(&m.name)) {
        Some(twice) => Err(serde::de::Error::custom(format!(
            "metric `{}` is named twice: metric names must be unique",
            twice.name
        ))),
        None => Ok(metrics),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_specs_parse() {
        let m: MetricSpec = "tick_ms=/tick_performance/average_tick_ms"
            .parse()
            .expect("ok");
        assert_eq!(
            m.pointer.as_deref(),
            Some("/tick_performance/average_tick_ms")
        );
        assert_eq!(m.direction, Direction::Lower);
        let m: MetricSpec = "tps=/t/throughput:higher".parse().expect("ok");
        assert_eq!((m.name.as_str(), m.direction), ("tps", Direction::Higher));
        let m: MetricSpec = "average_tick_seconds".parse().expect("ok");
        assert_eq!(m.pointer, None);
        assert!("=/x".parse::<MetricSpec>().is_err());
        assert!("x=no/slash".parse::<MetricSpec>().is_err());
    }

    #[test]
    fn statistics_options_parse_with_defaults() {
        let text = "name = \"a\"\nbaseline = \"b\"\ncurrent = \"c\"\n";
        let config: PerfConfig = toml::from_str(text).expect("defaults");
        assert_eq!(config.alpha, DEFAULT_ALPHA);
        assert_eq!(config.statistic, Statistic::Mean);
        assert!(!config.conservative && config.validate().is_ok());
        let text = format!(
            "{text}significance = 0.01\nstatistic = \"min\"\nconservative = true\n\
             criterion_baseline = \"main\"\n"
        );
        let config: PerfConfig = toml::from_str(&text).expect("options");
        assert_eq!((config.alpha, config.statistic), (0.01, Statistic::Min));
        assert_eq!(config.criterion_baseline.as_deref(), Some("main"));
        let bad: PerfConfig = toml::from_str(&text.replace("0.01", "0.7")).expect("parses");
        assert!(bad.validate().is_err());
    }
}

//! Format adapters: each turns one input (a file, or a criterion folder) into a
//! [`BenchSet`]. `auto` picks the adapter from the content (see `detect.rs`).

mod criterion;
mod custom;
mod detect;
mod generic_json;
mod go_bench;
mod google_benchmark;
mod hyperfine;
mod kv;
mod pyperf;
mod pytest_benchmark;

use safety_gate_core::InputError;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

use crate::config::MetricSpec;
use crate::model::BenchSet;

/// Input formats the perf gate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Format {
    /// Detect from content.
    #[default]
    Auto,
    /// Any JSON; metrics name the values by JSON pointer.
    GenericJson,
    /// `name=value` lines anywhere in a text log; other lines are ignored.
    Kv,
    /// A criterion `target/criterion` tree (or one `sample.json`).
    Criterion,
    /// pytest-benchmark `--benchmark-json`.
    PytestBenchmark,
    /// hyperfine `--export-json`.
    Hyperfine,
    /// Google Benchmark `--benchmark_format=json`.
    GoogleBenchmark,
    /// pyperf JSON (`-o file.json`).
    Pyperf,
    /// `go test -bench` text output.
    GoBench,
    /// github-action-benchmark `customSmallerIsBetter` array.
    CustomSmallerIsBetter,
    /// github-action-benchmark `customBiggerIsBetter` array.
    CustomBiggerIsBetter,
}

/// Every format with its name, in the order `--help` lists them.
pub const FORMATS: &[(Format, &str)] = &[
    (Format::Auto, "auto"),
    (Format::GenericJson, "generic-json"),
    (Format::Kv, "kv"),
    (Format::Criterion, "criterion"),
    (Format::PytestBenchmark, "pytest-benchmark"),
    (Format::Hyperfine, "hyperfine"),
    (Format::GoogleBenchmark, "google-benchmark"),
    (Format::Pyperf, "pyperf"),
    (Format::GoBench, "go-bench"),
    (Format::CustomSmallerIsBetter, "custom-smaller-is-better"),
    (Format::CustomBiggerIsBetter, "custom-bigger-is-better"),
];

impl Format {
    /// The name used in config and on the command line.
    pub fn as_str(self) -> &'static str {
        FORMATS
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("auto", |(_, name)| name)
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FORMATS
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(f, _)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = FORMATS.iter().map(|(_, n)| *n).collect();
                format!(
                    "unknown format `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// What reading needs besides the path and format.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Metrics to read (generic-json, kv).
    pub metrics: &'a [MetricSpec],
    /// Folder name under each criterion benchmark (`new` unless a saved baseline).
    pub criterion_dir: &'a str,
    /// Largest file read, in bytes (the run's input limit).
    pub max_bytes: u64,
}

/// Reads one input in the given format; `Auto` picks a format from the content and
/// returns the one it chose. A folder is always a criterion tree.
pub fn read(
    path: &Path,
    format: Format,
    options: ReadOptions<'_>,
) -> Result<(BenchSet, Format), InputError> {
    if path.is_dir() {
        if !matches!(format, Format::Auto | Format::Criterion) {
            return Err(InputError::malformed(
                path,
                None,
                None,
                format!(
                    "is a folder, which only the criterion format reads, not {}",
                    format.as_str()
                ),
            ));
        }
        return Ok((
            criterion::read_tree(path, options.criterion_dir, options.max_bytes)?,
            Format::Criterion,
        ));
    }
    let bytes = safety_gate_core::inputs::read_bytes(path, options.max_bytes)?;
    parse(path, bytes, format, options)
}

/// Parses the bytes of a file read from `path`, as [`read`] does after reading it. Never
/// panics, whatever the bytes (the fuzz targets and the corpus test call it directly).
pub fn parse(
    path: &Path,
    bytes: Vec<u8>,
    format: Format,
    options: ReadOptions<'_>,
) -> Result<(BenchSet, Format), InputError> {
    let text = safety_gate_core::inputs::decode_text(path, bytes)?;
    let json = || safety_gate_core::inputs::parse_json(path, &text);
    let (chosen, doc) = match format {
        Format::Auto => detect::detect(path, &text, options.metrics)?,
        Format::Kv | Format::GoBench => (format, Value::Null),
        Format::Pyperf => return checked(path, pyperf::read_text(path, &text)?, format),
        other => (other, json()?),
    };
    let set = match chosen {
        Format::GenericJson => generic_json::read(path, &doc, options.metrics)?,
        Format::Kv | Format::Auto => kv::read(path, &text, options.metrics)?,
        Format::Criterion => criterion::read_sample_file(path, &doc)?,
        Format::PytestBenchmark => pytest_benchmark::read(path, &doc)?,
        Format::Hyperfine => hyperfine::read(path, &doc)?,
        Format::GoogleBenchmark => google_benchmark::read(path, &doc)?,
        Format::Pyperf => pyperf::read(path, doc)?,
        Format::GoBench => go_bench::read(path, &text)?,
        Format::CustomSmallerIsBetter => custom::read(path, &doc, crate::Direction::Lower)?,
        Format::CustomBiggerIsBetter => custom::read(path, &doc, crate::Direction::Higher)?,
    };
    checked(path, set, chosen)
}

/// Refuses a file that held no benchmark: a run that compares nothing must not pass.
fn checked(path: &Path, set: BenchSet, format: Format) -> Result<(BenchSet, Format), InputError> {
    if set.is_empty() {
        return Err(malformed(
            path,
            format!("holds no benchmark ({} format)", format.as_str()),
        ));
    }
    Ok((set, format))
}

/// Checks a value read from `path` is finite, naming it when it is not.
fn finite(path: &Path, line: Option<u64>, name: &str, value: f64) -> Result<f64, InputError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(InputError::malformed(
            path,
            line,
            None,
            format!("`{name}` is {value}, not a finite number"),
        ))
    }
}

/// Shorthand for a malformed-content error without a position.
fn malformed(path: &Path, message: impl Into<String>) -> InputError {
    InputError::malformed(path, None, None, message)
}

/// A JSON value as a finite number, or an error naming what was expected. `what`
/// is only built on error: this runs once per sample.
fn number(path: &Path, value: &Value, what: impl Fn() -> String) -> Result<f64, InputError> {
    match value.as_f64() {
        Some(n) if n.is_finite() => Ok(n),
        Some(n) => Err(malformed(
            path,
            format!("{} is {n}, not a finite number", what()),
        )),
        None => Err(malformed(path, format!("{} is not a number", what()))),
    }
}

/// A JSON array of finite numbers.
fn numbers(path: &Path, value: &Value, what: impl Fn() -> String) -> Result<Vec<f64>, InputError> {
    value
        .as_array()
        .ok_or_else(|| malformed(path, format!("{} is not an array", what())))?
        .iter()
        .map(|v| number(path, v, &what))
        .collect()
}

/// A required string field of a JSON object.
fn string<'a>(path: &Path, value: &'a Value, key: &str, what: &str) -> Result<&'a str, InputError> {
    value[key]
        .as_str()
        .ok_or_else(|| malformed(path, format!("{what} has no string `{key}`")))
}

/// Inserts a measurement, refusing an id seen twice in one file.
fn insert(
    path: &Path,
    set: &mut BenchSet,
    id: String,
    m: crate::Measurement,
) -> Result<(), InputError> {
    if set.contains_key(&id) {
        return Err(malformed(path, format!("benchmark `{id}` appears twice")));
    }
    set.insert(id, m);
    Ok(())
}

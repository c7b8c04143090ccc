//! Reading one input: a folder is a criterion tree; a file is decoded, detected under
//! `auto`, parsed once as JSON where its format is JSON, and handed to its adapter.

use safety_gate_core::InputError;
use serde_json::Value;
use std::path::Path;

use super::format::Shape;
use super::json::malformed;
use super::{
    Format, asv, benchmarkdotnet, benchmarkjs, benchmarkluau, bmf, callgrind, catch2, criterion,
    criterion_text, custom, detect, generic_json, go_bench, google_benchmark, hyperfine, jmh,
    julia, kv, libtest, pyperf, pytest_benchmark, vitest,
};
use crate::config::MetricSpec;
use crate::model::{BenchSet, Direction};
use crate::stats::Statistic;

/// What reading needs besides the path and format.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Metrics to read (generic-json, kv).
    pub metrics: &'a [MetricSpec],
    /// Folder name under each criterion benchmark (`new` unless a saved baseline).
    pub criterion_dir: &'a str,
    /// Largest file read, in bytes (the run's input limit).
    pub max_bytes: u64,
    /// The statistic compared: picks the summary a file offers when it holds no
    /// samples (pytest-benchmark's `stats.median` under `median`).
    pub statistic: Statistic,
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
            return Err(malformed(
                path,
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
    // Auto-detection only picks the format; the file is then read as if it were named.
    let format = match format {
        Format::Auto => detect::detect(path, &text, options.metrics)?,
        named => named,
    };
    let read = match format {
        Format::Pyperf if !looks_json(&text) => Err(not_json(path, format)),
        // Suites of thousands of benchmarks: read straight into typed structs.
        Format::Pyperf => pyperf::read_text(path, &text).map(|set| (set, format)),
        named => explicit_read(path, &text, named, options),
    };
    let (set, chosen) = read?;
    if set.is_empty() {
        return Err(malformed(
            path,
            format!("holds no benchmark ({} format)", chosen.as_str()),
        ));
    }
    Ok((set, chosen))
}

/// Reads with a format the user named; when that fails and the content looks like
/// another format, the error says which one to name instead.
fn explicit_read(
    path: &Path,
    text: &str,
    format: Format,
    options: ReadOptions<'_>,
) -> Result<(BenchSet, Format), InputError> {
    let doc = match format.shape() {
        Shape::Json if !looks_json(text) => {
            return Err(hinted(not_json(path, format), path, text, format));
        }
        Shape::Json => Some(safety_gate_core::inputs::parse_json(path, text)?),
        Shape::Either if looks_json(text) => {
            Some(safety_gate_core::inputs::parse_json(path, text)?)
        }
        Shape::Text | Shape::Either => None,
    };
    adapt(path, text, doc.as_ref(), format, options).map_err(|e| hinted(e, path, text, format))
}

/// Adds "it looks like FORMAT output" to an error when detection names another format.
fn hinted(error: InputError, path: &Path, text: &str, format: Format) -> InputError {
    let Ok(other) = detect::detect(path, text, &[]) else {
        return error;
    };
    if other == format || matches!(other, Format::Kv) {
        return error;
    }
    match error {
        InputError::Malformed {
            path,
            line,
            column,
            message,
        } => InputError::malformed(
            path,
            line,
            column,
            format!(
                "{message} (the file looks like {} output: use --format {})",
                other.as_str(),
                other.as_str()
            ),
        ),
        other => other,
    }
}

/// Whether the text starts like a JSON document.
pub(super) fn looks_json(text: &str) -> bool {
    matches!(
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next(),
        Some('{' | '[')
    )
}

fn not_json(path: &Path, format: Format) -> InputError {
    malformed(
        path,
        format!(
            "is not JSON, but the {} format is a JSON file{}",
            format.as_str(),
            match format {
                Format::Criterion =>
                    " (a `target/criterion` folder or a `sample.json`; criterion's terminal \
                     output is --format criterion-text, its `--output-format bencher` lines \
                     --format libtest)",
                _ => "",
            }
        ),
    )
}

/// Hands the text, or the parsed document, to the format's adapter.
fn adapt(
    path: &Path,
    text: &str,
    doc: Option<&Value>,
    format: Format,
    options: ReadOptions<'_>,
) -> Result<(BenchSet, Format), InputError> {
    let json = || doc.ok_or_else(|| not_json(path, format));
    let set = match format {
        Format::Auto | Format::Kv => kv::read(path, text, options.metrics)?,
        Format::GenericJson => generic_json::read(path, json()?, options.metrics)?,
        Format::Criterion => criterion::read_sample_file(path, json()?)?,
        Format::CriterionText => criterion_text::read(path, text)?,
        Format::Libtest => libtest::read(path, text)?,
        Format::PytestBenchmark => pytest_benchmark::read(path, json()?, options.statistic)?,
        Format::Hyperfine => hyperfine::read(path, json()?)?,
        Format::GoogleBenchmark => google_benchmark::read(path, json()?)?,
        Format::Pyperf => pyperf::read(path, json()?)?,
        Format::GoBench => go_bench::read(path, text)?,
        Format::Catch2 => catch2::read(path, text)?,
        Format::Benchmarkjs => benchmarkjs::read(path, text)?,
        Format::Jmh => jmh::read(path, json()?)?,
        Format::Benchmarkdotnet => benchmarkdotnet::read(path, json()?)?,
        Format::Julia => julia::read(path, json()?)?,
        Format::Asv => match doc {
            Some(doc) => asv::read_json(path, doc)?,
            None => asv::read_text(path, text)?,
        },
        Format::Vitest => vitest::read(path, json()?, options.statistic)?,
        Format::Callgrind => match doc {
            Some(doc) => callgrind::read_json(path, doc)?,
            None => callgrind::read_text(path, text)?,
        },
        Format::Bmf => bmf::read(path, json()?)?,
        Format::Benchmarkluau => benchmarkluau::read(path, text)?,
        Format::CustomSmallerIsBetter => custom::read(path, json()?, Direction::Lower)?,
        Format::CustomBiggerIsBetter => custom::read(path, json()?, Direction::Higher)?,
    };
    Ok((set, format))
}

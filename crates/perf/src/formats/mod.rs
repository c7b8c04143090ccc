//! Format adapters: each turns one input file into a [`BenchSet`].

mod generic_json;
mod kv;

use safety_gate_core::InputError;
use serde::Deserialize;
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
}

impl Format {
    /// The name used in config and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::GenericJson => "generic-json",
            Format::Kv => "kv",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(Format::Auto),
            "generic-json" => Ok(Format::GenericJson),
            "kv" => Ok(Format::Kv),
            other => Err(format!(
                "unknown format `{other}` (expected auto, generic-json or kv)"
            )),
        }
    }
}

/// Reads one file in the given format; `Auto` picks a format from the content and
/// returns the one it chose.
pub fn read(
    path: &Path,
    format: Format,
    metrics: &[MetricSpec],
) -> Result<(BenchSet, Format), InputError> {
    let limit = safety_gate_core::limits::max_input_bytes();
    let bytes = safety_gate_core::inputs::read_bytes(path, limit)?;
    parse(path, bytes, format, metrics)
}

/// Parses the bytes of a file read from `path`, as [`read`] does after reading it. Never
/// panics, whatever the bytes (the fuzz targets and the corpus test call it directly).
pub fn parse(
    path: &Path,
    bytes: Vec<u8>,
    format: Format,
    metrics: &[MetricSpec],
) -> Result<(BenchSet, Format), InputError> {
    let text = safety_gate_core::inputs::decode_text(path, bytes)?;
    let chosen = match format {
        Format::Auto => detect(&text),
        other => other,
    };
    let set = match chosen {
        Format::GenericJson => generic_json::read(path, &text, metrics)?,
        Format::Kv | Format::Auto => kv::read(path, &text, metrics)?,
    };
    Ok((set, chosen))
}

/// Text that starts like a JSON document is read as JSON; anything else as `kv` lines.
fn detect(text: &str) -> Format {
    match text.trim_start().chars().next() {
        Some('{') | Some('[') => Format::GenericJson,
        _ => Format::Kv,
    }
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

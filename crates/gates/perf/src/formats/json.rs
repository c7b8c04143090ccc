//! Helpers the adapters share: errors naming the file (and line), finite numbers from
//! JSON values, and inserting a benchmark once.

use safety_gate_core::InputError;
use serde_json::Value;
use std::path::Path;

use crate::model::{BenchSet, Measurement};

/// A malformed-content error without a position.
pub(super) fn malformed(path: &Path, message: impl Into<String>) -> InputError {
    InputError::malformed(path, None, None, message)
}

/// A malformed-content error at a 1-based line.
pub(super) fn at_line(path: &Path, line: u64, message: impl Into<String>) -> InputError {
    InputError::malformed(path, Some(line), None, message)
}

/// Checks a value read from `path` is finite, naming it when it is not.
pub(super) fn finite(
    path: &Path,
    line: Option<u64>,
    name: &str,
    value: f64,
) -> Result<f64, InputError> {
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

/// A JSON value as a finite number, or an error naming what was expected and what was
/// found. `what` is only built on error: this runs once per sample.
pub(super) fn number(
    path: &Path,
    value: &Value,
    what: impl Fn() -> String,
) -> Result<f64, InputError> {
    match value.as_f64() {
        Some(n) if n.is_finite() => Ok(n),
        Some(n) => Err(malformed(
            path,
            format!("{} is {n}, not a finite number", what()),
        )),
        None => Err(malformed(
            path,
            format!("{} is {}, not a number", what(), shown(value)),
        )),
    }
}

/// A JSON array of finite numbers; an error names the index of the first bad entry.
pub(super) fn numbers(
    path: &Path,
    value: &Value,
    what: impl Fn() -> String,
) -> Result<Vec<f64>, InputError> {
    value
        .as_array()
        .ok_or_else(|| {
            malformed(
                path,
                format!("{} is {}, not an array", what(), shown(value)),
            )
        })?
        .iter()
        .enumerate()
        .map(|(i, v)| number(path, v, || format!("{}[{i}]", what())))
        .collect()
}

/// A short rendering of a JSON value for messages (strings quoted, long text cut).
pub(super) fn shown(value: &Value) -> String {
    let text = match value {
        Value::Null => return "missing or null".to_string(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// A required string field of a JSON object.
pub(super) fn string<'a>(
    path: &Path,
    value: &'a Value,
    key: &str,
    what: &str,
) -> Result<&'a str, InputError> {
    value[key]
        .as_str()
        .ok_or_else(|| malformed(path, format!("{what} has no string `{key}`")))
}

/// Inserts a measurement, refusing an id seen twice in one file.
pub(super) fn insert(
    path: &Path,
    set: &mut BenchSet,
    id: String,
    m: Measurement,
) -> Result<(), InputError> {
    if set.contains_key(&id) {
        return Err(malformed(path, format!("benchmark `{id}` appears twice")));
    }
    set.insert(id, m);
    Ok(())
}

//! `generic-json`: any JSON document, metrics picked by JSON pointer. A number is one
//! value; an array of numbers is a set of samples.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::finite;
use crate::config::MetricSpec;
use crate::model::{BenchSet, Measurement};

/// Reads the named metrics from a JSON document.
pub(super) fn read(
    path: &Path,
    doc: &Value,
    metrics: &[MetricSpec],
) -> Result<BenchSet, InputError> {
    if metrics.is_empty() {
        return Err(InputError::malformed(
            path,
            None,
            None,
            "generic-json needs metrics naming JSON pointers (e.g. --metric tick_ms=/tick/avg_ms)",
        ));
    }
    let mut set = BenchSet::new();
    for metric in metrics {
        let pointer = metric
            .pointer
            .clone()
            .unwrap_or_else(|| format!("/{}", metric.name));
        let value = doc.pointer(&pointer).ok_or_else(|| {
            InputError::malformed(
                path,
                None,
                None,
                format!("no value at `{pointer}` (metric `{}`)", metric.name),
            )
        })?;
        let values = numbers(path, &metric.name, &pointer, value)?;
        set.insert(
            metric.name.clone(),
            Measurement::new(&metric.name, values, Location::file(path))?
                .direction(metric.direction),
        );
    }
    Ok(set)
}

/// A number, or a non-empty array of numbers.
fn numbers(path: &Path, name: &str, pointer: &str, value: &Value) -> Result<Vec<f64>, InputError> {
    let not_number = || {
        InputError::malformed(
            path,
            None,
            None,
            format!("value at `{pointer}` is not a number or an array of numbers"),
        )
    };
    match value {
        Value::Number(n) => Ok(vec![finite(
            path,
            None,
            name,
            n.as_f64().ok_or_else(not_number)?,
        )?]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|v| {
                v.as_f64()
                    .ok_or_else(not_number)
                    .and_then(|x| finite(path, None, name, x))
            })
            .collect(),
        _ => Err(not_number()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path, text: &str, metrics: &[MetricSpec]) -> Result<BenchSet, InputError> {
        let doc: Value = serde_json::from_str(text).expect("json");
        super::read(path, &doc, metrics)
    }

    fn spec(s: &str) -> MetricSpec {
        s.parse().expect("spec")
    }

    #[test]
    fn reads_values_and_sample_arrays() {
        let text = r#"{"t": {"ms": 1.5, "runs": [1, 2, 3]}}"#;
        let set = read(
            Path::new("b.json"),
            text,
            &[spec("ms=/t/ms"), spec("runs=/t/runs")],
        )
        .expect("ok");
        assert_eq!(set["ms"].values(), vec![1.5]);
        assert_eq!(set["runs"].values(), vec![1.0, 2.0, 3.0]);
    }

    #[test]
    fn missing_pointer_and_non_numbers_are_errors_naming_the_file() {
        let text = r#"{"t": {"ms": "fast", "e": []}}"#;
        for m in ["x=/t/missing", "ms=/t/ms", "e=/t/e"] {
            let err = read(Path::new("b.json"), text, &[spec(m)]).expect_err(m);
            assert!(err.to_string().starts_with("b.json"), "{err}");
        }
        assert!(read(Path::new("b.json"), text, &[]).is_err());
    }
}

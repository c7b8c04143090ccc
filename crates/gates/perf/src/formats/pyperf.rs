//! pyperf JSON (`python -m pyperf timeit ... -o file.json`, or a suite): each
//! benchmark's runs hold `values` (warmups apart), in the unit of the `unit`
//! metadata (`second` unless stated). The id is the benchmark's `name` metadata,
//! inherited from the file's common metadata. Read into typed structs rather than a
//! JSON tree: suites of thousands of benchmarks are common and this is the hot path.

use safety_gate_core::{InputError, Location};
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed};
use crate::model::{BenchSet, Direction, Measurement};

#[derive(Deserialize)]
struct Suite {
    benchmarks: Vec<Bench>,
    #[serde(default)]
    metadata: Meta,
}

#[derive(Deserialize)]
struct Bench {
    #[serde(default)]
    metadata: Meta,
    runs: Vec<Run>,
}

#[derive(Deserialize)]
struct Run {
    #[serde(default)]
    values: Vec<f64>,
}

#[derive(Deserialize, Default)]
struct Meta {
    name: Option<String>,
    unit: Option<String>,
}

/// Whether a document is pyperf JSON.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc["benchmarks"]
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|b| b.get("runs").is_some())
}

/// Reads pyperf JSON text.
pub(super) fn read_text(path: &Path, text: &str) -> Result<BenchSet, InputError> {
    let suite: Suite = serde_json::from_str(text).map_err(|e| {
        InputError::malformed(
            path,
            Some(e.line() as u64),
            Some(e.column() as u64),
            format!("not a pyperf file: {e}"),
        )
    })?;
    convert(path, suite)
}

/// Reads an already parsed pyperf document (after auto-detection).
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let suite =
        Suite::deserialize(doc).map_err(|e| malformed(path, format!("not a pyperf file: {e}")))?;
    convert(path, suite)
}

fn convert(path: &Path, suite: Suite) -> Result<BenchSet, InputError> {
    let mut set = BenchSet::new();
    for bench in suite.benchmarks {
        let name = bench
            .metadata
            .name
            .or_else(|| suite.metadata.name.clone())
            .ok_or_else(|| malformed(path, "a pyperf benchmark has no `name` metadata"))?;
        let unit = match bench
            .metadata
            .unit
            .as_deref()
            .or(suite.metadata.unit.as_deref())
            .unwrap_or("second")
        {
            "second" => "s",
            "byte" => "B",
            "integer" => "count",
            other => other,
        }
        .to_string();
        let values: Vec<f64> = bench.runs.into_iter().flat_map(|r| r.values).collect();
        let m = Measurement::new(&name, values, Location::file(path))?
            .unit(unit)
            .direction(Direction::Lower);
        insert(path, &mut set, name, m)?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_of_all_runs_without_warmups() {
        let doc = json!({"version": "1.0", "metadata": {"unit": "second"}, "benchmarks": [
            {"metadata": {"name": "sum"}, "runs": [
                {"metadata": {}, "warmups": [[1, 9.0]]},
                {"warmups": [[1, 9.0]], "values": [1.0, 2.0]},
                {"values": [3.0]},
            ]},
        ]});
        let set = read_text(Path::new("p.json"), &doc.to_string()).expect("ok");
        assert_eq!(set["sum"].values(), vec![1.0, 2.0, 3.0]);
        assert_eq!(set["sum"].unit.as_deref(), Some("s"));
        assert_eq!(
            read(Path::new("p.json"), &doc).expect("ok")["sum"]
                .values()
                .len(),
            3
        );
        let doc = json!({"benchmarks": [{"runs": [{"values": [1.0]}]}]});
        assert!(read(Path::new("p.json"), &doc).is_err());
        let err =
            read_text(Path::new("p.json"), "{\"benchmarks\": [{\"runs\": 3}]}").expect_err("bad");
        assert!(err.to_string().starts_with("p.json:1:"), "{err}");
    }
}

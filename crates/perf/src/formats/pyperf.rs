//! pyperf JSON (`python -m pyperf timeit ... -o file.json`, or a suite): each
//! benchmark's runs hold `values` (warmups apart), in the unit of the `unit`
//! metadata (`second` unless stated). The id is the benchmark's `name` metadata,
//! inherited from the file's common metadata.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::{insert, malformed, number};
use crate::model::{BenchSet, Direction, Measurement};

/// Reads every benchmark's values.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let benchmarks = doc["benchmarks"]
        .as_array()
        .ok_or_else(|| malformed(path, "pyperf file has no `benchmarks` array"))?;
    let common = &doc["metadata"];
    let mut set = BenchSet::new();
    for bench in benchmarks {
        let meta = |key: &str| bench["metadata"][key].as_str().or(common[key].as_str());
        let name = meta("name")
            .ok_or_else(|| malformed(path, "a pyperf benchmark has no `name` metadata"))?;
        let unit = match meta("unit").unwrap_or("second") {
            "second" => "s",
            "byte" => "B",
            "integer" => "count",
            other => other,
        };
        let runs = bench["runs"]
            .as_array()
            .ok_or_else(|| malformed(path, format!("`{name}` has no `runs` array")))?;
        let mut values = Vec::new();
        for run in runs {
            if let Some(run_values) = run["values"].as_array() {
                for v in run_values {
                    values.push(number(path, v, &format!("`{name}` value"))?);
                }
            }
        }
        if values.is_empty() {
            return Err(malformed(path, format!("`{name}` has no values")));
        }
        let m = Measurement::new(values, Location::file(path))
            .unit(unit)
            .direction(Direction::Lower);
        insert(path, &mut set, name.to_string(), m)?;
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
        let set = read(Path::new("p.json"), &doc).expect("ok");
        assert_eq!(set["sum"].values, vec![1.0, 2.0, 3.0]);
        assert_eq!(set["sum"].unit.as_deref(), Some("s"));
        let doc = json!({"benchmarks": [{"runs": [{"values": [1.0]}]}]});
        assert!(read(Path::new("p.json"), &doc).is_err());
    }
}

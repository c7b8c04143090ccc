//! pytest-benchmark `--benchmark-json`: `benchmarks[].stats.data` holds every round's
//! time in seconds; the id is `fullname` (`file.py::test[param]`). Without `data`
//! (older files) the median is read as a single value.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::{insert, malformed, number, numbers, string};
use crate::model::{BenchSet, Direction, Measurement};

/// Reads every benchmark's rounds.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let benchmarks = doc["benchmarks"]
        .as_array()
        .ok_or_else(|| malformed(path, "pytest-benchmark file has no `benchmarks` array"))?;
    let mut set = BenchSet::new();
    for bench in benchmarks {
        let id = string(path, bench, "fullname", "a pytest-benchmark entry")?;
        let stats = &bench["stats"];
        let values = match stats.get("data") {
            Some(data) => numbers(path, data, || format!("`{id}` stats.data"))?,
            None => vec![number(path, &stats["median"], || {
                format!("`{id}` stats.median")
            })?],
        };
        let m = Measurement::new(id, values, Location::file(path))?
            .unit("s")
            .direction(Direction::Lower);
        insert(path, &mut set, id.to_string(), m)?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rounds_or_falls_back_to_the_median() {
        let doc = serde_json::json!({"benchmarks": [
            {"fullname": "t.py::a", "stats": {"median": 2.0, "data": [1.0, 3.0]}},
            {"fullname": "t.py::b", "stats": {"median": 2.0}},
        ]});
        let set = read(Path::new("p.json"), &doc).expect("ok");
        assert_eq!(set["t.py::a"].values(), vec![1.0, 3.0]);
        assert_eq!(set["t.py::b"].values(), vec![2.0]);
        let doc = serde_json::json!({"benchmarks": [{"fullname": "a", "stats": {}}]});
        assert!(read(Path::new("p.json"), &doc).is_err());
    }
}

//! pytest-benchmark `--benchmark-json`: `benchmarks[].stats.data` holds every round's
//! time in seconds; the id is `fullname` (`file.py::test[param]`). When `data` is
//! absent, holds a non-number, or holds fewer values than `stats.rounds` (files trimmed
//! to keep them small), the file's own summary stands in as a single value:
//! `stats.median` under `--statistic median`, `stats.min` under `min`, else
//! `stats.mean`; the report says so.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed, number, shown, string};
use crate::model::{BenchSet, Direction, Measurement};
use crate::stats::Statistic;

/// Whether a document is pytest-benchmark output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc["benchmarks"]
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|b| b.get("stats").is_some() && b.get("fullname").is_some())
}

/// Reads every benchmark's rounds, or its summary where the rounds are not all there.
pub(super) fn read(path: &Path, doc: &Value, statistic: Statistic) -> Result<BenchSet, InputError> {
    let benchmarks = doc["benchmarks"]
        .as_array()
        .ok_or_else(|| malformed(path, "pytest-benchmark file has no `benchmarks` array"))?;
    let mut set = BenchSet::new();
    for (index, bench) in benchmarks.iter().enumerate() {
        let id = string(path, bench, "fullname", &format!("benchmarks[{index}]"))?;
        let at = format!("benchmarks[{index}] (`{id}`) stats");
        let stats = &bench["stats"];
        let location = Location::file(path);
        let m = match rounds(stats) {
            Ok(values) if values.is_empty() => {
                return Err(malformed(path, format!("{at}.data is empty: no rounds")));
            }
            Ok(values) => Measurement::new(id, values, location)?,
            Err(why) => {
                // The file names its summaries as the statistics are named here.
                let key = statistic.as_str();
                let value = number(path, &stats[key], || format!("{at}.{key}"))?;
                let mut m = Measurement::new(id, vec![value], location)?;
                m.note = Some(format!(
                    "pytest-benchmark stats.{key} as a single value: {why}"
                ));
                m
            }
        };
        let m = m.unit("s").direction(Direction::Lower);
        insert(path, &mut set, id.to_string(), m)?;
    }
    Ok(set)
}

/// Every round's time, or why `data` does not hold them all.
fn rounds(stats: &Value) -> Result<Vec<f64>, String> {
    let data = match stats.get("data") {
        None | Some(Value::Null) => return Err("stats.data is absent".to_string()),
        Some(Value::Array(data)) => data,
        Some(other) => return Err(format!("stats.data is {}, not an array", shown(other))),
    };
    let mut values = Vec::with_capacity(data.len());
    for (i, v) in data.iter().enumerate() {
        match v.as_f64() {
            Some(x) if x.is_finite() => values.push(x),
            _ => {
                return Err(format!(
                    "stats.data[{i}] is {}, not a number ({i} rounds before it)",
                    shown(v)
                ));
            }
        }
    }
    match stats["rounds"].as_f64() {
        Some(rounds) if (values.len() as f64) < rounds => Err(format!(
            "stats.data holds {} of {rounds} rounds",
            values.len()
        )),
        _ => Ok(values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read_doc(doc: &Value, statistic: Statistic) -> Result<BenchSet, String> {
        read(Path::new("p.json"), doc, statistic).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_rounds_or_falls_back_to_the_summary_and_says_so() {
        let doc = json!({"benchmarks": [
            {"fullname": "t.py::a", "stats": {"median": 2.0, "mean": 2.5, "rounds": 2, "data": [1.0, 3.0]}},
            {"fullname": "t.py::b", "stats": {"median": 2.0, "mean": 2.5}},
            {"fullname": "t.py::c", "stats": {"median": 2.0, "mean": 2.5, "rounds": 38523,
                "data": [1.0, 2.0, 3.0, 4.0, "... omitted to keep this file small"]}},
            {"fullname": "t.py::d", "stats": {"median": 2.0, "mean": 2.5, "rounds": 10, "data": [1.0, 2.0]}},
        ]});
        let set = read_doc(&doc, Statistic::Mean).expect("ok");
        assert_eq!(set["t.py::a"].values(), vec![1.0, 3.0]);
        assert!(set["t.py::a"].note.is_none());
        for id in ["t.py::b", "t.py::c", "t.py::d"] {
            assert_eq!(set[id].values(), vec![2.5], "{id}");
            assert!(
                set[id]
                    .note
                    .as_deref()
                    .expect("note")
                    .contains("stats.mean"),
                "{id}"
            );
        }
        assert!(
            set["t.py::c"]
                .note
                .as_deref()
                .expect("note")
                .contains("stats.data[4]")
        );
        assert!(
            set["t.py::d"]
                .note
                .as_deref()
                .expect("note")
                .contains("2 of 10")
        );
        let median = read_doc(&doc, Statistic::Median).expect("ok");
        assert_eq!(median["t.py::c"].values(), vec![2.0]);
    }

    #[test]
    fn errors_name_the_position() {
        let doc = json!({"benchmarks": [{"fullname": "a", "stats": {}}]});
        let err = read_doc(&doc, Statistic::Mean).expect_err("no summary");
        assert!(err.contains("benchmarks[0] (`a`) stats.mean"), "{err}");
        let doc = json!({"benchmarks": [{"fullname": "a", "stats": {"mean": "fast"}}]});
        let err = read_doc(&doc, Statistic::Mean).expect_err("string");
        assert!(err.contains("\"fast\""), "{err}");
    }
}

//! JMH results JSON (`-rf json`): an array with one entry per benchmark and parameter
//! set. `primaryMetric.rawData` (one array per fork) gives the samples, `score` the
//! single value when there are none; `scoreUnit` decides the direction (`ops/s`
//! higher, `s/op` lower). The id is `benchmark`, followed by its `params` as
//! `(a=1, b=2)`; a benchmark run in several modes is qualified by mode. Secondary
//! metrics (profilers' output) are not read: their direction is not stated.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed, number, numbers, string};
use super::qualify;
use crate::model::{BenchSet, Measurement};
use crate::units;

/// Whether a document is JMH output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc.as_array()
        .and_then(|a| a.first())
        .is_some_and(|b| b.get("benchmark").is_some() && b.get("primaryMetric").is_some())
}

/// Reads every entry's primary metric.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let entries = doc
        .as_array()
        .ok_or_else(|| malformed(path, "JMH results are a JSON array"))?;
    let mut read = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("[{index}]");
        let name = string(path, entry, "benchmark", &at)?;
        let mode = entry["mode"].as_str().unwrap_or("");
        let id = match entry["params"].as_object() {
            Some(params) if !params.is_empty() => {
                let pairs: Vec<String> = params
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{k}={}",
                            v.as_str().map_or_else(|| v.to_string(), str::to_string)
                        )
                    })
                    .collect();
                format!("{name} ({})", pairs.join(", "))
            }
            _ => name.to_string(),
        };
        let metric = &entry["primaryMetric"];
        let unit = string(path, metric, "scoreUnit", &format!("{at}.primaryMetric"))?;
        let values = match metric.get("rawData") {
            Some(forks) if forks.as_array().is_some_and(|f| !f.is_empty()) => {
                let mut values = Vec::new();
                for (fork, samples) in forks.as_array().into_iter().flatten().enumerate() {
                    values.extend(numbers(path, samples, || {
                        format!("{at}.primaryMetric.rawData[{fork}]")
                    })?);
                }
                values
            }
            _ => vec![number(path, &metric["score"], || {
                format!("{at}.primaryMetric.score")
            })?],
        };
        let mut m = Measurement::new(&id, values, Location::file(path))?.unit(unit);
        m.direction = units::direction(unit);
        read.push((id, mode.to_string(), m));
    }
    let ids = qualify::ids(
        read.iter()
            .map(|(id, mode, _)| (Some(mode.as_str()), id.as_str())),
    );
    let ids: Vec<String> = read
        .iter()
        .map(|(id, mode, _)| ids[&(Some(mode.as_str()), id.as_str())].clone())
        .collect();
    let mut set = BenchSet::new();
    for (id, (_, _, m)) in ids.into_iter().zip(read) {
        insert(path, &mut set, id, m)?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_data_are_samples_params_name_the_id_and_units_decide() {
        let doc = json!([
            {"benchmark": "a.B.run", "mode": "thrpt", "params": {"size": "10", "kind": "x"},
             "primaryMetric": {"score": 2.0, "scoreUnit": "ops/s", "rawData": [[1.0, 2.0], [3.0]]}},
            {"benchmark": "a.B.run", "mode": "avgt", "params": {"size": "10", "kind": "x"},
             "primaryMetric": {"score": 0.5, "scoreUnit": "ms/op", "rawData": [[0.5, 0.6]]}},
            {"benchmark": "a.B.once", "mode": "sample",
             "primaryMetric": {"score": 7.0, "scoreUnit": "us/op"}},
        ]);
        let set = read(Path::new("j.json"), &doc).expect("ok");
        let thrpt = &set["a.B.run (kind=x, size=10) (thrpt)"];
        assert_eq!(thrpt.values(), vec![1.0, 2.0, 3.0]);
        assert_eq!(thrpt.direction, Some(crate::Direction::Higher));
        assert_eq!(
            set["a.B.run (kind=x, size=10) (avgt)"].direction,
            Some(crate::Direction::Lower)
        );
        assert_eq!(set["a.B.once"].values(), vec![7.0]);
        let bad = json!([{"benchmark": "a", "primaryMetric": {"scoreUnit": "ops/s", "rawData": [["x"]]}}]);
        let err = read(Path::new("j.json"), &bad)
            .expect_err("string sample")
            .to_string();
        assert!(err.contains("[0].primaryMetric.rawData[0][0]"), "{err}");
    }
}

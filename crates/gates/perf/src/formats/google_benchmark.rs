//! Google Benchmark `--benchmark_format=json` (or `--benchmark_out_format=json`).
//! Rows are grouped by `run_name`; with `--benchmark_repetitions` each repetition's
//! `iteration` row is a sample of `real_time` in `time_unit`, and the `aggregate`
//! rows (mean, median, stddev, cv) are dropped. A run reported only as aggregates
//! gives its median (or mean) as a single value. A `Complexity()` family's fit rows
//! (`BigO`, `RMS`) describe the family, not a run: they are passed over, and each size
//! is read as its own benchmark. A row with `error_occurred` (`SkipWithError`) or
//! `skipped` (`SkipWithMessage`) makes that benchmark an error: its `real_time` of 0 is
//! no measurement.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use super::json::{malformed, number, string};
use crate::model::{BenchSet, Direction, Measurement};

/// Whether a document is Google Benchmark output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc["benchmarks"]
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|b| b.get("run_name").is_some() || b.get("time_unit").is_some())
        && doc.get("context").is_some()
}

/// Reads and groups the rows.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let rows = doc["benchmarks"]
        .as_array()
        .ok_or_else(|| malformed(path, "Google Benchmark output has no `benchmarks` array"))?;
    let mut groups: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for row in rows {
        let name = match row["run_name"].as_str() {
            Some(name) => name,
            None => string(path, row, "name", "a Google Benchmark row")?,
        };
        if is_complexity_fit(row) {
            continue;
        }
        groups.entry(name).or_default().push(row);
    }
    let mut set = BenchSet::new();
    for (name, rows) in groups {
        set.insert(name.to_string(), group(path, name, &rows)?);
    }
    Ok(set)
}

/// The rows `Complexity()` adds to a family: the fitted coefficient and its error.
fn is_complexity_fit(row: &Value) -> bool {
    matches!(row["aggregate_name"].as_str(), Some("BigO" | "RMS"))
        || row.get("big_o").is_some()
        || row.get("rms").is_some()
}

/// One benchmark from its rows.
fn group(path: &Path, name: &str, rows: &[&Value]) -> Result<Measurement, InputError> {
    let location = Location::file(path);
    for row in rows {
        if row["error_occurred"].as_bool() == Some(true) {
            let message = row["error_message"].as_str().unwrap_or("no message");
            return Ok(Measurement::failed(
                format!("`{name}` failed in Google Benchmark: {message}"),
                location,
            ));
        }
        if row["skipped"].as_bool() == Some(true) {
            let message = row["skip_message"]
                .as_str()
                .or(row["error_message"].as_str())
                .unwrap_or("no message");
            return Ok(Measurement::failed(
                format!("`{name}` was skipped in Google Benchmark: {message}"),
                location,
            ));
        }
    }
    let is_aggregate = |r: &&&Value| r["run_type"].as_str() == Some("aggregate");
    let iterations: Vec<&Value> = rows.iter().filter(|r| !is_aggregate(r)).copied().collect();
    let chosen: Vec<&Value> = if iterations.is_empty() {
        let by_name = |wanted: &str| {
            rows.iter()
                .find(|r| r["aggregate_name"].as_str() == Some(wanted))
                .copied()
        };
        let row = by_name("median")
            .or_else(|| by_name("mean"))
            .ok_or_else(|| {
                malformed(
                    path,
                    format!("`{name}` has neither repetitions nor a median or mean"),
                )
            })?;
        vec![row]
    } else {
        iterations
    };
    let unit = chosen[0]["time_unit"].as_str().unwrap_or("ns");
    if chosen
        .iter()
        .any(|r| r["time_unit"].as_str().unwrap_or("ns") != unit)
    {
        return Err(malformed(
            path,
            format!("`{name}` rows use different time units"),
        ));
    }
    let values = chosen
        .iter()
        .map(|r| number(path, &r["real_time"], || format!("`{name}` real_time")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Measurement::new(name, values, location)?
        .unit(unit)
        .direction(Direction::Lower))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn repetitions_are_samples_and_aggregates_are_dropped() {
        let doc = json!({"context": {}, "benchmarks": [
            {"name": "BM_a", "run_name": "BM_a", "run_type": "iteration", "real_time": 10.0, "time_unit": "us"},
            {"name": "BM_a", "run_name": "BM_a", "run_type": "iteration", "real_time": 12.0, "time_unit": "us"},
            {"name": "BM_a_mean", "run_name": "BM_a", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 11.0, "time_unit": "us"},
            {"name": "BM_b_median", "run_name": "BM_b", "run_type": "aggregate", "aggregate_name": "median", "real_time": 5.0, "time_unit": "ms"},
            {"name": "BM_c", "run_name": "BM_c", "run_type": "iteration", "error_occurred": true, "error_message": "boom"},
        ]});
        let set = read(Path::new("g.json"), &doc).expect("ok");
        assert_eq!(set["BM_a"].values(), vec![10.0, 12.0]);
        assert_eq!(set["BM_a"].unit.as_deref(), Some("us"));
        assert_eq!(set["BM_b"].values(), vec![5.0]);
        assert!(set["BM_c"].error().is_some_and(|e| e.contains("boom")));
    }

    #[test]
    fn skipped_rows_are_errors_not_zero_times() {
        let doc = json!({"context": {}, "benchmarks": [
            {"name": "BM_s", "run_name": "BM_s", "run_type": "iteration", "skipped": true,
             "skip_message": "no GPU", "real_time": 0, "cpu_time": 0, "time_unit": "ns"},
        ]});
        let set = read(Path::new("g.json"), &doc).expect("ok");
        let error = set["BM_s"].error().expect("error");
        assert!(
            error.contains("BM_s") && error.contains("no GPU"),
            "{error}"
        );
        assert!(set["BM_s"].values().is_empty());
    }

    #[test]
    fn complexity_fit_rows_are_passed_over() {
        let doc = json!({"context": {}, "benchmarks": [
            {"name": "BM_sort/8", "family_index": 0, "run_name": "BM_sort/8", "run_type": "iteration", "real_time": 10.0, "time_unit": "ns"},
            {"name": "BM_sort/64", "family_index": 0, "run_name": "BM_sort/64", "run_type": "iteration", "real_time": 90.0, "time_unit": "ns"},
            {"name": "BM_sort_BigO", "family_index": 0, "run_name": "BM_sort", "run_type": "aggregate", "aggregate_name": "BigO", "cpu_coefficient": 1.4, "real_coefficient": 1.4, "big_o": "N", "time_unit": "ns"},
            {"name": "BM_sort_RMS", "family_index": 0, "run_name": "BM_sort", "run_type": "aggregate", "aggregate_name": "RMS", "rms": 0.02},
        ]});
        let set = read(Path::new("g.json"), &doc).expect("ok");
        assert_eq!(set.keys().collect::<Vec<_>>(), ["BM_sort/64", "BM_sort/8"]);
    }
}

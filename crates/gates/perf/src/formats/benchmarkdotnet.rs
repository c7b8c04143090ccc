//! BenchmarkDotNet's JSON exporters (`*-report-full.json`, `*-report.json`,
//! `*-report-brief.json`): `Benchmarks[].Statistics.OriginalValues` are the samples
//! (nanoseconds per operation), `Statistics.Mean` the single value when they are not
//! written. With `[MemoryDiagnoser]`, `Memory.BytesAllocatedPerOperation` is read as
//! `id:allocated` (bytes per operation, better lower). The id is `FullName`
//! (namespace, type, method and parameters); one name run by several jobs is
//! qualified by job. A benchmark without statistics failed: an error.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed, number, numbers};
use super::qualify;
use crate::model::{BenchSet, Direction, Measurement};

/// Whether a document is BenchmarkDotNet output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc["Benchmarks"]
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|b| b.get("FullName").is_some() || b.get("Statistics").is_some())
}

/// Reads every benchmark's statistics (and allocations).
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let benchmarks = doc["Benchmarks"]
        .as_array()
        .ok_or_else(|| malformed(path, "BenchmarkDotNet output has no `Benchmarks` array"))?;
    let mut named = Vec::new();
    for (index, bench) in benchmarks.iter().enumerate() {
        let name = match bench["FullName"].as_str() {
            Some(name) => name.to_string(),
            None => format!(
                "{}.{}.{}{}",
                bench["Namespace"].as_str().unwrap_or(""),
                bench["Type"].as_str().unwrap_or(""),
                bench["Method"].as_str().ok_or_else(|| malformed(
                    path,
                    format!("Benchmarks[{index}] has no `FullName` or `Method`")
                ))?,
                bench["Parameters"]
                    .as_str()
                    .filter(|p| !p.is_empty())
                    .map(|p| format!("({p})"))
                    .unwrap_or_default(),
            ),
        };
        let job = bench["DisplayInfo"]
            .as_str()
            .and_then(|d| d.rsplit_once(": "))
            .map(|(_, job)| job.to_string());
        named.push((index, name, job, bench));
    }
    let ids = qualify::ids(named.iter().map(|(_, n, j, _)| (j.as_deref(), n.as_str())));
    let mut set = BenchSet::new();
    for (index, name, job, bench) in &named {
        let id = ids[&(job.as_deref(), name.as_str())].clone();
        let at = format!("Benchmarks[{index}]");
        let location = Location::file(path);
        let stats = &bench["Statistics"];
        if stats.is_null() {
            let m = Measurement::failed(
                format!("`{id}` has no statistics: BenchmarkDotNet could not run it"),
                location,
            );
            insert(path, &mut set, id, m)?;
            continue;
        }
        let values = match stats.get("OriginalValues") {
            Some(v) if v.as_array().is_some_and(|a| !a.is_empty()) => {
                numbers(path, v, || format!("{at}.Statistics.OriginalValues"))?
            }
            _ => vec![number(path, &stats["Mean"], || {
                format!("{at}.Statistics.Mean")
            })?],
        };
        let m = Measurement::new(&id, values, location.clone())?
            .unit("ns")
            .direction(Direction::Lower);
        if let Some(bytes) = bench["Memory"].get("BytesAllocatedPerOperation") {
            let bytes = number(path, bytes, || {
                format!("{at}.Memory.BytesAllocatedPerOperation")
            })?;
            let allocated_id = format!("{id}:allocated");
            let allocated = Measurement::new(&allocated_id, vec![bytes], location)?
                .unit("B/op")
                .direction(Direction::Lower);
            insert(path, &mut set, allocated_id, allocated)?;
        }
        insert(path, &mut set, id, m)?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn original_values_are_samples_and_memory_is_read() {
        let doc = json!({"Benchmarks": [
            {"FullName": "S.B.Fib10", "DisplayInfo": "B.Fib10: DefaultJob",
             "Statistics": {"OriginalValues": [24.8, 24.5], "Mean": 24.65},
             "Memory": {"Gen0Collections": 0, "BytesAllocatedPerOperation": 32}},
            {"FullName": "S.B.Fib20", "Statistics": {"Mean": 51.5}},
            {"FullName": "S.B.Broken", "Statistics": null},
        ]});
        let set = read(Path::new("b.json"), &doc).expect("ok");
        assert_eq!(set["S.B.Fib10"].values(), vec![24.8, 24.5]);
        assert_eq!(set["S.B.Fib10:allocated"].values(), vec![32.0]);
        assert_eq!(set["S.B.Fib20"].values(), vec![51.5]);
        assert!(
            set["S.B.Broken"]
                .error()
                .expect("error")
                .contains("S.B.Broken")
        );
    }

    #[test]
    fn one_name_in_two_jobs_is_qualified_by_job() {
        let doc = json!({"Benchmarks": [
            {"FullName": "S.B.Fib", "DisplayInfo": "B.Fib: Job-NET8", "Statistics": {"Mean": 1.0}},
            {"FullName": "S.B.Fib", "DisplayInfo": "B.Fib: Job-NET6", "Statistics": {"Mean": 2.0}},
        ]});
        let set = read(Path::new("b.json"), &doc).expect("ok");
        assert_eq!(
            set.keys().collect::<Vec<_>>(),
            ["S.B.Fib (Job-NET6)", "S.B.Fib (Job-NET8)"]
        );
    }
}

//! Vitest bench results (`vitest bench --outputJson FILE`): `files > groups >
//! benchmarks`, times in milliseconds, better lower. The id is the group's `fullName`
//! and the benchmark's `name` (`bench/sum.bench.js > sum > small`). Vitest 1 writes
//! every sample; later versions write `samples: []` and the summary only, so the
//! summary of the chosen statistic (`mean`, `median` or `min`) stands in as a single
//! value, and the report says so.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed, number, numbers, string};
use crate::model::{BenchSet, Direction, Measurement};
use crate::stats::Statistic;

/// Whether a document is Vitest bench output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc["files"]
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|f| f["groups"].is_array())
}

/// Reads every benchmark of every group.
pub(super) fn read(path: &Path, doc: &Value, statistic: Statistic) -> Result<BenchSet, InputError> {
    let files = doc["files"]
        .as_array()
        .ok_or_else(|| malformed(path, "Vitest bench output has no `files` array"))?;
    let mut set = BenchSet::new();
    for (f, file) in files.iter().enumerate() {
        let groups = file["groups"]
            .as_array()
            .ok_or_else(|| malformed(path, format!("files[{f}] has no `groups` array")))?;
        for (g, group) in groups.iter().enumerate() {
            let at = format!("files[{f}].groups[{g}]");
            let group_name = string(path, group, "fullName", &at)?;
            let benches = group["benchmarks"]
                .as_array()
                .ok_or_else(|| malformed(path, format!("{at} has no `benchmarks` array")))?;
            for (b, bench) in benches.iter().enumerate() {
                let at = format!("{at}.benchmarks[{b}]");
                let name = string(path, bench, "name", &at)?;
                let id = format!("{group_name} > {name}");
                let samples = match bench.get("samples") {
                    Some(s) if s.as_array().is_some_and(|a| !a.is_empty()) => {
                        Some(numbers(path, s, || format!("{at}.samples"))?)
                    }
                    _ => None,
                };
                let m = match samples {
                    Some(values) => Measurement::new(&id, values, Location::file(path))?,
                    None => {
                        // The file names its summaries as the statistics are named here.
                        let key = statistic.as_str();
                        let value = number(path, &bench[key], || format!("{at}.{key}"))?;
                        let mut m = Measurement::new(&id, vec![value], Location::file(path))?;
                        m.note = Some(format!(
                            "Vitest's {key} as a single value: the file holds no samples"
                        ));
                        m
                    }
                };
                let m = m.unit("ms").direction(Direction::Lower);
                insert(path, &mut set, id, m)?;
            }
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn samples_when_written_else_the_summary() {
        let doc = json!({"files": [{"filepath": "/x/a.bench.js", "groups": [{"fullName": "a.bench.js > sum",
        "benchmarks": [
            {"name": "small", "samples": [], "mean": 0.5, "median": 0.4, "min": 0.3},
            {"name": "large", "samples": [1.0, 2.0], "mean": 1.5},
        ]}]}]});
        assert!(looks_like(&doc));
        let set = read(Path::new("v.json"), &doc, Statistic::Mean).expect("ok");
        assert_eq!(set["a.bench.js > sum > small"].values(), vec![0.5]);
        assert!(set["a.bench.js > sum > small"].note.is_some());
        assert_eq!(set["a.bench.js > sum > large"].values(), vec![1.0, 2.0]);
        let median = read(Path::new("v.json"), &doc, Statistic::Median).expect("ok");
        assert_eq!(median["a.bench.js > sum > small"].values(), vec![0.4]);
    }
}

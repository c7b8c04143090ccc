//! Julia BenchmarkTools JSON (`BenchmarkTools.save`): `[{versions}, [values]]`, each
//! value a tagged pair `["Type", {fields}]`. A `BenchmarkGroup` nests others under
//! keys, joined with `/` into the id (`fib/10`). A `Trial`'s `times` are samples, a
//! `TrialEstimate`'s `time` a single value (nanoseconds, better lower); `memory`
//! (bytes) and `allocs` are read as `id:memory` and `id:allocs`, better lower.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed, number, numbers};
use crate::model::{BenchSet, Direction, Measurement};

/// Deepest group nesting read; deeper input is refused rather than recursed into.
const MAX_DEPTH: usize = 64;

/// Whether a document is BenchmarkTools output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc.as_array()
        .is_some_and(|a| a.len() == 2 && a[0].get("BenchmarkTools").is_some() && a[1].is_array())
}

/// Reads every trial or estimate in the saved values.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let values = doc
        .as_array()
        .filter(|a| a.len() == 2)
        .and_then(|a| a[1].as_array())
        .ok_or_else(|| {
            malformed(
                path,
                "BenchmarkTools JSON is `[{versions}, [values]]`; this file is not",
            )
        })?;
    let mut set = BenchSet::new();
    for (index, value) in values.iter().enumerate() {
        let prefix = if values.len() > 1 {
            vec![index.to_string()]
        } else {
            Vec::new()
        };
        walk(path, value, &prefix, &mut set)?;
    }
    Ok(set)
}

fn walk(path: &Path, value: &Value, keys: &[String], set: &mut BenchSet) -> Result<(), InputError> {
    let id = keys.join("/");
    let shown = if id.is_empty() {
        "the saved value".to_string()
    } else {
        format!("`{id}`")
    };
    if keys.len() > MAX_DEPTH {
        return Err(malformed(
            path,
            format!("{shown} is nested over {MAX_DEPTH} groups deep"),
        ));
    }
    let (kind, fields) = match value.as_array().map(Vec::as_slice) {
        Some([Value::String(kind), fields]) if fields.is_object() => (kind.as_str(), fields),
        _ => {
            return Err(malformed(
                path,
                format!("{shown} is not a `[\"Type\", {{fields}}]` pair"),
            ));
        }
    };
    let samples = match kind {
        "BenchmarkGroup" => {
            let data = fields["data"]
                .as_object()
                .ok_or_else(|| malformed(path, format!("{shown}: BenchmarkGroup has no `data`")))?;
            for (key, child) in data {
                let mut child_keys = keys.to_vec();
                child_keys.push(key.clone());
                walk(path, child, &child_keys, set)?;
            }
            return Ok(());
        }
        "Trial" => numbers(path, &fields["times"], || format!("{shown} times"))?,
        "TrialEstimate" => vec![number(path, &fields["time"], || format!("{shown} time"))?],
        other => {
            return Err(malformed(
                path,
                format!("{shown} is a {other}, which holds no measurement to compare"),
            ));
        }
    };
    if samples.is_empty() {
        return Err(malformed(path, format!("{shown} has no times")));
    }
    let id = if id.is_empty() {
        "benchmark".to_string()
    } else {
        id
    };
    let location = Location::file(path);
    for (key, unit) in [("memory", "B"), ("allocs", "allocs")] {
        if let Some(v) = fields.get(key) {
            let v = number(path, v, || format!("{shown} {key}"))?;
            let key_id = format!("{id}:{key}");
            let m = Measurement::new(&key_id, vec![v], location.clone())?
                .unit(unit)
                .direction(Direction::Lower);
            insert(path, set, key_id, m)?;
        }
    }
    let m = Measurement::new(&id, samples, location)?
        .unit("ns")
        .direction(Direction::Lower);
    insert(path, set, id, m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_groups_join_keys_and_trials_give_samples() {
        let doc = json!([{"Julia": "1.10", "BenchmarkTools": "1.0.0"}, [["BenchmarkGroup", {"tags": [], "data": {
            "fib": ["BenchmarkGroup", {"tags": [], "data": {
                "10": ["TrialEstimate", {"time": 246.0, "gctime": 0.0, "memory": 0, "allocs": 0, "params": []}],
                "20": ["Trial", {"times": [31028.0, 31100.0], "gctimes": [0, 0], "memory": 16, "allocs": 1}],
            }}],
        }}]]]);
        let set = read(Path::new("j.json"), &doc).expect("ok");
        assert_eq!(set["fib/10"].values(), vec![246.0]);
        assert_eq!(set["fib/20"].values(), vec![31028.0, 31100.0]);
        assert_eq!(set["fib/20:memory"].values(), vec![16.0]);
        assert_eq!(set["fib/20:allocs"].unit.as_deref(), Some("allocs"));
        assert!(looks_like(&doc));
        let judgement = json!([{"BenchmarkTools": "1"}, [["TrialJudgement", {}]]]);
        assert!(read(Path::new("j.json"), &judgement).is_err());
    }
}

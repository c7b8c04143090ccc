//! Bencher Metric Format: `{"benchmark": {"measure": {"value": 1.0, "lower_value": 0.9,
//! "upper_value": 1.1}}}`. The id is the benchmark's name for the `latency` measure and
//! `name:measure` for others. Bencher's built-in measures state their units:
//! `latency` (ns) and `build-time` (s) are times, better lower; `throughput`
//! (operations per second) better higher; `file-size` is bytes. Other measures state
//! nothing: their direction comes from the config (lower by default).

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed, number};
use crate::model::{BenchSet, Measurement};
use crate::units;

/// Whether a document is BMF: every value an object of measures, every measure an
/// object with a numeric `value` and nothing but the three BMF keys.
pub(super) fn looks_like(doc: &Value) -> bool {
    let measure = |m: &Value| {
        m.as_object().is_some_and(|m| {
            m.get("value").is_some_and(Value::is_number)
                && m.keys()
                    .all(|k| matches!(k.as_str(), "value" | "lower_value" | "upper_value"))
        })
    };
    doc.as_object().is_some_and(|benches| {
        !benches.is_empty()
            && benches.values().all(|b| {
                b.as_object()
                    .is_some_and(|ms| !ms.is_empty() && ms.values().all(measure))
            })
    })
}

/// The unit of a built-in measure.
fn unit(measure: &str) -> Option<&'static str> {
    match measure {
        "latency" => Some("ns"),
        "throughput" => Some("ops/s"),
        "build-time" => Some("s"),
        "file-size" => Some("B"),
        _ => None,
    }
}

/// Reads every benchmark's measures.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let benches = doc
        .as_object()
        .ok_or_else(|| malformed(path, "Bencher Metric Format is a JSON object of benchmarks"))?;
    let mut set = BenchSet::new();
    for (name, measures) in benches {
        let measures = measures
            .as_object()
            .ok_or_else(|| malformed(path, format!("`{name}` is not an object of measures")))?;
        for (measure, result) in measures {
            let value = number(path, &result["value"], || {
                format!("`{name}` {measure}.value")
            })?;
            let id = if measure == "latency" {
                name.clone()
            } else {
                format!("{name}:{measure}")
            };
            let mut m = Measurement::new(&id, vec![value], Location::file(path))?;
            if let Some(unit) = unit(measure) {
                m.direction = units::direction(unit);
                m = m.unit(unit);
            }
            insert(path, &mut set, id, m)?;
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn measures_name_ids_and_built_ins_state_direction() {
        let doc = json!({
            "sum::small": {"latency": {"value": 88.0, "lower_value": 87.0, "upper_value": 90.0},
                           "throughput": {"value": 5.0}},
            "parse": {"instructions": {"value": 1234.0}},
        });
        assert!(looks_like(&doc));
        let set = read(Path::new("b.json"), &doc).expect("ok");
        assert_eq!(set["sum::small"].values(), vec![88.0]);
        assert_eq!(set["sum::small"].direction, Some(crate::Direction::Lower));
        assert_eq!(
            set["sum::small:throughput"].direction,
            Some(crate::Direction::Higher)
        );
        assert_eq!(set["parse:instructions"].direction, None);
        assert!(!looks_like(
            &json!({"a": {"latency": {"value": 1, "other": 2}}})
        ));
        assert!(!looks_like(&json!({"a": 1})));
    }
}

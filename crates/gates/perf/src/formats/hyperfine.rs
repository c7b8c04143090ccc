//! `hyperfine --export-json`: one result per command, every run's wall time in
//! `times` (seconds). The id is `command` (the `-n/--command-name` when given).

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::{insert, malformed, numbers, string};
use crate::model::{BenchSet, Direction, Measurement};

/// Reads every result's `times`.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let results = doc["results"]
        .as_array()
        .ok_or_else(|| malformed(path, "hyperfine export has no `results` array"))?;
    let mut set = BenchSet::new();
    for result in results {
        let command = string(path, result, "command", "a hyperfine result")?;
        let times = numbers(path, &result["times"], || format!("`{command}` times"))?;
        let m = Measurement::new(command, times, Location::file(path))?
            .unit("s")
            .direction(Direction::Lower);
        insert(path, &mut set, command.to_string(), m)?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times_in_seconds() {
        let doc =
            serde_json::json!({"results": [{"command": "a", "mean": 1.5, "times": [1.0, 2.0]}]});
        let set = read(Path::new("h.json"), &doc).expect("ok");
        assert_eq!(set["a"].values(), vec![1.0, 2.0]);
        assert_eq!(set["a"].unit.as_deref(), Some("s"));
        let doc = serde_json::json!({"results": [{"command": "a", "times": ["x"]}]});
        assert!(read(Path::new("h.json"), &doc).is_err());
    }
}

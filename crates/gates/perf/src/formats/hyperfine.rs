//! `hyperfine --export-json`: one result per command, every run's wall time in
//! `times` (seconds). The id is `command` (the `-n/--command-name` when given). A
//! result whose `exit_codes` hold a non-zero code (a run under `--ignore-failure`)
//! is an error: a failing command's time measures the failure, not the work.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{insert, malformed, numbers, string};
use crate::model::{BenchSet, Direction, Measurement};

/// Whether a document is a hyperfine export.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc["results"]
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|r| r.get("command").is_some() && r.get("times").is_some())
}

/// Reads every result's `times`.
pub(super) fn read(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let results = doc["results"]
        .as_array()
        .ok_or_else(|| malformed(path, "hyperfine export has no `results` array"))?;
    let mut set = BenchSet::new();
    for result in results {
        let command = string(path, result, "command", "a hyperfine result")?;
        let times = numbers(path, &result["times"], || format!("`{command}` times"))?;
        let codes = match result.get("exit_codes") {
            None | Some(Value::Null) => Vec::new(),
            Some(codes) => numbers(path, codes, || format!("`{command}` exit_codes"))?,
        };
        let m = match codes.iter().filter(|c| **c != 0.0).count() {
            0 => Measurement::new(command, times, Location::file(path))?
                .unit("s")
                .direction(Direction::Lower),
            bad => Measurement::failed(
                format!(
                    "`{command}` exited non-zero in {bad} of {} hyperfine runs (exit_codes)",
                    codes.len()
                ),
                Location::file(path),
            ),
        };
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

    #[test]
    fn non_zero_exit_codes_are_errors_naming_the_command() {
        let doc = serde_json::json!({"results": [
            {"command": "ok", "times": [1.0, 1.1], "exit_codes": [0, 0]},
            {"command": "broken", "times": [0.01, 0.01], "exit_codes": [0, 1]},
        ]});
        let set = read(Path::new("h.json"), &doc).expect("ok");
        assert!(set["ok"].error().is_none());
        let error = set["broken"].error().expect("error");
        assert!(
            error.contains("`broken`") && error.contains("1 of 2"),
            "{error}"
        );
    }
}

//! Round trips: the project's own loader is run on each snapshot; it must exit 0 and,
//! when asked to, print the re-saved snapshot, which must equal the input after
//! canonicalisation and redactions.

use serde_json::Value;
use std::path::Path;
use std::time::Duration;

use safety_gate_core::Check;

use crate::canonical::{canonical_json, redact};
use crate::config::SNAPSHOT_PLACEHOLDER;
use safety_gate_core::process::{self, Outcome};

/// Most differing paths listed for a re-saved snapshot that differs.
const MAX_DIFFERENCES: usize = 20;

/// What a round trip needs besides the snapshot itself.
#[derive(Debug, Clone)]
pub struct RoundTrip<'a> {
    /// The argv template; `{snapshot}` inside any word is replaced by the file's path.
    pub argv: &'a [String],
    /// Folder the command runs in.
    pub cwd: &'a Path,
    /// Time limit.
    pub timeout: Duration,
    /// Whether stdout is the re-saved snapshot, to compare with the input.
    pub compare: bool,
    /// JSON pointers removed from both sides before comparing.
    pub redact: &'a [String],
}

impl RoundTrip<'_> {
    /// Runs the loader on one snapshot and turns the outcome into a check.
    pub fn check(&self, id: String, path: &Path, input: &Value) -> Check {
        // The command runs in the config's folder, so it gets an absolute path.
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let snapshot = absolute.to_string_lossy();
        let argv: Vec<String> = self
            .argv
            .iter()
            .map(|w| w.replace(SNAPSHOT_PLACEHOLDER, &snapshot))
            .collect();
        let outcome = match process::run(&argv, self.cwd, self.timeout) {
            Ok(outcome) => outcome,
            Err(e) => return Check::error(id, e.to_string()).with_file(path),
        };
        let check = self.judge(id, input, &outcome);
        check.with_file(path)
    }

    fn judge(&self, id: String, input: &Value, outcome: &Outcome) -> Check {
        if !outcome.success() {
            return outcome.failure(
                id,
                &format!("loader `{}`", self.argv.join(" ")),
                self.timeout,
            );
        }
        let seconds = outcome.elapsed.as_secs_f64();
        if !self.compare {
            return Check::pass(id, format!("loaded in {seconds:.2}s"));
        }
        if outcome.stdout_truncated {
            return Check::fail(
                id,
                "re-saved snapshot is larger than the output cap".to_owned(),
            );
        }
        let mut resaved = match parse_output(&outcome.stdout) {
            Ok(v) => v,
            Err(e) => return Check::fail(id, format!("loader output is not JSON: {e}")),
        };
        let mut original = input.clone();
        redact(&mut original, self.redact);
        redact(&mut resaved, self.redact);
        if canonical_json(&original) == canonical_json(&resaved) {
            return Check::pass(
                id,
                format!("re-saved snapshot is identical ({seconds:.2}s)"),
            );
        }
        let mut details = Vec::new();
        differences(&original, &resaved, String::new(), &mut details);
        let total = details.len();
        details.truncate(MAX_DIFFERENCES);
        if total > MAX_DIFFERENCES {
            details.push(format!("... and {} more", total - MAX_DIFFERENCES));
        }
        Check::fail(
            id,
            format!("re-saved snapshot differs from the input at {total} place(s)"),
        )
        .with_details(details)
    }
}

/// Reads what a command printed (a re-saved snapshot, a seeded run) as one JSON
/// document, as strictly as a snapshot file is read: a key given twice, a number beyond
/// any double and trailing content are refused, so a printer that writes a changed
/// value and then the old one under the same key cannot pass for the old document.
pub(crate) fn parse_output(stdout: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(stdout)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    safety_gate_core::strict_json::from_str(text).map_err(|e| e.to_string())
}

/// Lists the JSON pointers where `a` and `b` differ, with both values when short.
pub fn differences(a: &Value, b: &Value, pointer: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let here = format!("{pointer}/{}", crate::schema::escape_token(key));
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => differences(p, q, here, out),
                    (Some(_), None) => out.push(format!("{here}: missing after the round trip")),
                    (None, Some(_)) => out.push(format!("{here}: added by the round trip")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, format!("{pointer}/{i}"), out);
            }
        }
        _ if canonical_json(a) == canonical_json(b) => {}
        _ => {
            let show = |v: &Value| {
                let text = canonical_json(v);
                if text.chars().count() > 60 {
                    format!("{}...", text.chars().take(57).collect::<String>())
                } else {
                    text
                }
            };
            let at = if pointer.is_empty() {
                "/".to_owned()
            } else {
                pointer
            };
            out.push(format!("{at}: {} -> {}", show(a), show(b)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::Status;
    use serde_json::json;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| (*s).to_owned()).collect()
    }

    fn run(argv: &[String], compare: bool, redactions: &[String], input: &Value) -> Check {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("snap.json");
        std::fs::write(&path, input.to_string()).expect("write");
        let rt = RoundTrip {
            argv,
            cwd: dir.path(),
            timeout: Duration::from_secs(10),
            compare,
            redact: redactions,
        };
        rt.check("roundtrip:snap.json".into(), &path, input)
    }

    #[test]
    fn placeholder_is_replaced_and_success_passes() {
        let argv = words(&["sh", "-c", "test -f \"$1\"", "sh", "{snapshot}"]);
        let check = run(&argv, false, &[], &json!({"a": 1}));
        assert_eq!(check.status, Status::Pass, "{check:?}");
    }

    #[test]
    fn failure_reports_exit_code_and_stderr_tail() {
        let argv = words(&["sh", "-c", "echo 'KeyError: tick' >&2; exit 2"]);
        let check = run(&argv, false, &[], &json!({}));
        assert_eq!(check.status, Status::Fail);
        assert!(
            check
                .message
                .ends_with("failed: exit code 2: KeyError: tick"),
            "{}",
            check.message
        );
        assert_eq!(check.details, ["stderr: KeyError: tick"]);
    }

    #[test]
    fn resaved_output_is_compared_canonically_with_redactions() {
        let input = json!({"tick": 1, "saved_at": "monday", "w": [1.5, 2]});
        // `cat` re-saves the file byte for byte: identical.
        let same = run(&words(&["cat", "{snapshot}"]), true, &[], &input);
        assert_eq!(same.status, Status::Pass, "{same:?}");
        // A loader that re-orders keys, respells numbers and changes a timestamp.
        let printer = words(&["echo", r#"{"w":[1.50,2.0],"saved_at":"tuesday","tick":1}"#]);
        let redacted = run(&printer, true, &["/saved_at".to_owned()], &input);
        assert_eq!(redacted.status, Status::Pass, "{redacted:?}");
        let unredacted = run(&printer, true, &[], &input);
        assert_eq!(unredacted.status, Status::Fail);
        assert_eq!(unredacted.details, [r#"/saved_at: "monday" -> "tuesday""#]);
    }

    #[test]
    fn output_is_read_as_strictly_as_a_snapshot_file() {
        let input = json!({"v": "1", "n": 1});
        // The last of two values under one key is the input's: serde_json alone would
        // read this as the input and pass.
        let duplicate = words(&["echo", r#"{"v": "2", "n": 1, "v": "1"}"#]);
        let check = run(&duplicate, true, &[], &input);
        assert_eq!(check.status, Status::Fail, "{check:?}");
        assert!(check.message.contains("duplicate"), "{}", check.message);
        for printed in [
            r#"{"n": 1e400}"#,
            r#"{"n": 1e-99999999999999999999}"#,
            "{} {}",
        ] {
            let check = run(&words(&["echo", printed]), true, &[], &json!({"n": 0}));
            assert_eq!(check.status, Status::Fail, "{printed}: {check:?}");
            assert!(check.message.contains("not JSON"), "{}", check.message);
        }
        assert!(
            parse_output(b"\xff{}")
                .expect_err("not UTF-8")
                .contains("UTF-8")
        );
        assert_eq!(parse_output("\u{feff}[1]".as_bytes()), Ok(json!([1])));
    }

    #[test]
    fn non_json_output_fails_when_compared() {
        let check = run(&words(&["echo", "loaded ok"]), true, &[], &json!({}));
        assert_eq!(check.status, Status::Fail);
        assert!(check.message.contains("not JSON"), "{}", check.message);
    }
}

//! Golden hashes: a committed map `name -> sha256` of canonical JSON, checked against
//! the hashes of the current snapshots and hash commands, or recorded anew.
//!
//! The file is plain JSON with sorted keys so that a diff of it reads well in review:
//! ```json
//! {
//!   "seeded-run": "9f86d0...",
//!   "snapshots/world-10.json": "2c26b4..."
//! }
//! ```

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use safety_gate_core::atomic::write_atomic;
use safety_gate_core::inputs::read_json;
use safety_gate_core::{Check, InputError};

use crate::error::SnapshotError;

/// Largest hashes file read (16 MiB).
const MAX_HASHES_BYTES: u64 = 16 << 20;

/// Name to lowercase hex SHA-256.
pub type HashMap = BTreeMap<String, String>;

/// Reads a hashes file of at most `max_bytes` (and never over 16 MiB); every value
/// must be 64 lowercase hex digits.
pub fn load(path: &Path, max_bytes: u64) -> Result<HashMap, SnapshotError> {
    let document = read_json(path, MAX_HASHES_BYTES.min(max_bytes))?;
    let malformed = |message: String| InputError::malformed(path, None, None, message);
    let Value::Object(entries) = document else {
        return Err(malformed("expected an object of name -> sha256".to_owned()).into());
    };
    let mut map = HashMap::new();
    for (name, value) in entries {
        match value.as_str() {
            Some(hex) if is_sha256(hex) => {
                map.insert(name, hex.to_owned());
            }
            _ => {
                let message =
                    format!("entry {name:?} is not a sha256 (64 lowercase hex digits): {value}");
                return Err(malformed(message).into());
            }
        }
    }
    Ok(map)
}

/// Writes a hashes file atomically, keys sorted, one entry per line.
pub fn save(path: &Path, map: &HashMap) -> Result<(), SnapshotError> {
    write_atomic(path, render(map).as_bytes())?;
    Ok(())
}

/// The text of a hashes file: pretty JSON, keys sorted, ending in a newline.
pub fn render(map: &HashMap) -> String {
    let mut text = serde_json::to_string_pretty(map).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// One check per name: the recorded hash against the current one. Names recorded but
/// no longer produced fail too, so a deleted snapshot cannot pass unnoticed; names in
/// `skipped` (their input could not be read, already reported) are left out.
pub fn compare(
    expected: &HashMap,
    actual: &HashMap,
    skipped: &[String],
    file: &Path,
) -> Vec<Check> {
    let mut checks = Vec::new();
    for (name, hash) in actual {
        let id = format!("hash:{name}");
        let check = match expected.get(name) {
            Some(want) if want == hash => {
                Check::pass(id, format!("sha256 {} matches", short(hash)))
            }
            Some(want) => Check::fail(
                id,
                format!(
                    "sha256 {} differs from the recorded {}",
                    short(hash),
                    short(want)
                ),
            )
            .with_details([format!("recorded {want}"), format!("current  {hash}")]),
            None => Check::fail(
                id,
                format!("no hash recorded for {name}; record it with --write-hashes"),
            ),
        };
        checks.push(check.with_file(file));
    }
    for name in expected.keys() {
        if !actual.contains_key(name) && !skipped.contains(name) {
            let message = format!("{name} has a recorded hash but was not produced by this run");
            checks.push(Check::fail(format!("hash:{name}"), message).with_file(file));
        }
    }
    checks
}

/// The first 12 hex digits, enough to tell hashes apart in a one-line message.
fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::Status;

    const A: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const B: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    fn map(entries: &[(&str, &str)]) -> HashMap {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("hashes.json");
        let m = map(&[("b.json", B), ("a.json", A)]);
        save(&path, &m).expect("saved");
        assert_eq!(load(&path, u64::MAX).expect("loaded"), m);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.find("a.json") < text.find("b.json"), "sorted: {text}");
    }

    #[test]
    fn malformed_files_are_refused_naming_the_entry() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("hashes.json");
        std::fs::write(&path, r#"{"a.json": "ABC"}"#).expect("write");
        let err = load(&path, u64::MAX).expect_err("bad hash");
        assert!(err.to_string().contains("a.json"), "{err}");
        std::fs::write(&path, "[1]").expect("write");
        assert!(load(&path, u64::MAX).is_err());
    }

    #[test]
    fn compare_passes_fails_and_catches_missing_names() {
        let expected = map(&[("same", A), ("changed", A), ("gone", A), ("unread", A)]);
        let actual = map(&[("same", A), ("changed", B), ("new", B)]);
        let checks = compare(
            &expected,
            &actual,
            &["unread".to_owned()],
            Path::new("h.json"),
        );
        let status = |id: &str| checks.iter().find(|c| c.id == id).map(|c| c.status);
        assert_eq!(status("hash:same"), Some(Status::Pass));
        assert_eq!(status("hash:changed"), Some(Status::Fail));
        assert_eq!(status("hash:new"), Some(Status::Fail));
        assert_eq!(status("hash:gone"), Some(Status::Fail));
        assert_eq!(status("hash:unread"), None);
        assert_eq!(checks.len(), 4);
    }
}

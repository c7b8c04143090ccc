//! The expected-tests manifest: one test id per line; blank lines and lines whose
//! first non-blank character is `#` are ignored. (Only whole-line comments: a `#`
//! inside an id, as in `test_x[#1]`, belongs to the id.)

use std::path::Path;

use safety_gate_core::atomic::write_atomic;
use safety_gate_core::inputs::read_text;
use safety_gate_core::{InputError, WriteError};

/// Largest manifest read (64 MiB).
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// Reads a manifest of at most `max_bytes` (and never over 64 MiB). A manifest that
/// lists no id is an error: it would check nothing.
pub fn read_manifest(path: &Path, max_bytes: u64) -> Result<Vec<String>, InputError> {
    let text = read_text(path, MAX_MANIFEST_BYTES.min(max_bytes))?;
    let ids = parse_manifest(&text);
    if ids.is_empty() {
        return Err(InputError::malformed(
            path,
            None,
            None,
            "lists no test id (only comments and blank lines)",
        ));
    }
    Ok(ids)
}

/// The ids of a manifest text, in order, without repeats.
pub fn parse_manifest(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| seen.insert(*l))
        .map(str::to_string)
        .collect()
}

/// The manifest text for `ids`, with a header saying what it is.
pub fn render_manifest<'a>(ids: impl IntoIterator<Item = &'a String>) -> String {
    let mut text = String::from(
        "# Expected tests: every id below must run (not skip) in the characterization gate.\n\
         # Written by `safety-gate characterization --write-expected` from a green run.\n",
    );
    for id in ids {
        text.push_str(id);
        text.push('\n');
    }
    text
}

/// Writes the manifest atomically.
pub fn write_manifest<'a>(
    path: &Path,
    ids: impl IntoIterator<Item = &'a String>,
) -> Result<(), WriteError> {
    write_atomic(path, render_manifest(ids).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_repeats_are_dropped() {
        let text = "# header\n\n  a::b  \n   # indented comment\nc::d[#1]\na::b\n";
        assert_eq!(parse_manifest(text), vec!["a::b", "c::d[#1]"]);
    }

    #[test]
    fn written_manifest_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("expected-tests.txt");
        let ids = vec!["x::one".to_string(), "x::two".to_string()];
        write_manifest(&path, &ids).expect("write");
        assert_eq!(read_manifest(&path, u64::MAX).expect("read"), ids);
    }

    #[test]
    fn manifest_of_only_comments_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.txt");
        std::fs::write(&path, "# nothing\n").expect("write");
        let err = read_manifest(&path, u64::MAX).expect_err("empty");
        assert!(err.to_string().contains("lists no test id"), "{err}");
    }
}

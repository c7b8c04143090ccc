//! Reading a findings file of any supported format, within the run's input limit.
//!
//! `auto` tells the formats apart by their outline: a JSON array is ruff's output; an
//! object whose first line is a whole object with a `file` and no `runs` is a line of
//! mypy's output; any other object is read as SARIF (and refused, with its position,
//! when it is not).

use safety_gate_core::InputError;
use safety_gate_core::inputs::{check_encoding, decode_text, read_bytes};
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::path::Path;

use crate::config::Format;
use crate::model::Findings;
use crate::paths::Roots;

/// Reads the findings in `path` (at most `limit` bytes), making absolute paths
/// relative to `roots`. Returns the findings and the format they were read as.
pub fn read(
    path: &Path,
    format: Format,
    roots: &Roots,
    limit: u64,
) -> Result<(Findings, Format), InputError> {
    let bytes = read_bytes(path, limit)?;
    if format == Format::MypyJson && bytes.iter().all(u8::is_ascii_whitespace) {
        check_encoding(path, &bytes)?;
        let mut none = Findings::default();
        none.tool(crate::mypy::TOOL, None);
        return Ok((none, format));
    }
    let text = decode_text(path, bytes).map_err(|e| match e {
        InputError::Empty { path } => InputError::malformed(
            &path,
            None,
            None,
            "holds only whitespace: mypy writes that when it finds nothing; \
             name the format (`format = \"mypy-json\"`, `--format mypy-json`) to read it so",
        ),
        other => other,
    })?;
    let format = match format {
        Format::Auto => detect(path, &text)?,
        named => named,
    };
    let findings = match format {
        Format::Sarif | Format::Auto => crate::sarif::read(path, &text, roots)?,
        Format::RuffJson => crate::ruff::read(path, &text, roots)?,
        Format::MypyJson => crate::mypy::read(path, &text, roots)?,
    };
    Ok((findings, format))
}

/// The format of a file's text, by its outline.
fn detect(path: &Path, text: &str) -> Result<Format, InputError> {
    #[derive(Deserialize)]
    struct Outline {
        file: Option<IgnoredAny>,
        runs: Option<IgnoredAny>,
    }
    let start = text.trim_start();
    match start.bytes().next() {
        Some(b'[') => Ok(Format::RuffJson),
        Some(b'{') => {
            let first = start.lines().next().unwrap_or_default();
            match serde_json::from_str::<Outline>(first) {
                Ok(o) if o.file.is_some() && o.runs.is_none() => Ok(Format::MypyJson),
                _ => Ok(Format::Sarif),
            }
        }
        _ => {
            let offset = text.len() - start.len();
            let (line, column) = safety_gate_core::inputs::line_column(text.as_bytes(), offset);
            Err(InputError::malformed(
                path,
                Some(line),
                Some(column),
                "is not SARIF, ruff's JSON or mypy's JSON output: it does not start with `{` or `[`",
            ))
        }
    }
}

/// A JSON error as an input error at its line and column, prefixed with `what`.
pub fn json_error(path: &Path, e: &serde_json::Error, what: &str) -> InputError {
    let known = e.line() > 0;
    InputError::malformed(
        path,
        known.then_some(e.line() as u64),
        known.then_some(e.column() as u64),
        format!("{what}: {}", without_position(e)),
    )
}

/// A JSON error's message without serde_json's ` at line L column C`.
pub fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(text: &str) -> Result<Format, String> {
        detect(Path::new("f"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn formats_are_told_apart_by_their_outline() {
        assert_eq!(detected("\n [ ]"), Ok(Format::RuffJson));
        assert_eq!(detected("{\n  \"runs\": []\n}"), Ok(Format::Sarif));
        assert_eq!(
            detected("{\"version\": \"2.1.0\", \"runs\": []}"),
            Ok(Format::Sarif)
        );
        assert_eq!(
            detected("{\"file\": \"a.py\", \"line\": 1}\n{\"file\": \"b.py\"}"),
            Ok(Format::MypyJson)
        );
        assert_eq!(detected("{\"file\": 1, \"runs\": []}"), Ok(Format::Sarif));
        assert_eq!(detected("\n\nnot json"), Err("f:3:1: is not SARIF, ruff's JSON or mypy's JSON output: it does not start with `{` or `[`".into()));
    }

    #[test]
    fn whitespace_is_mypy_finding_nothing_only_when_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("mypy.json");
        std::fs::write(&path, "\n").expect("write");
        let roots = Roots::default();
        let (found, _) = read(&path, Format::MypyJson, &roots, 100).expect("no findings");
        assert!(found.findings.is_empty() && found.tools.contains_key("mypy"));
        let err = read(&path, Format::Auto, &roots, 100)
            .expect_err("ambiguous")
            .to_string();
        assert!(
            err.contains("mypy.json: holds only whitespace") && err.contains("mypy-json"),
            "{err}"
        );
        std::fs::write(&path, "").expect("write");
        let err = read(&path, Format::MypyJson, &roots, 100)
            .expect_err("empty")
            .to_string();
        assert!(err.ends_with("is empty"), "{err}");
    }
}

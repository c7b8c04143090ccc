//! mypy's JSON output (`mypy --output json`): one JSON object per line, each with its
//! `file`, `line`, 0-based `column`, `message`, error `code` and `severity`. mypy
//! writes an empty line when it finds nothing, so a file of whitespace alone holds no
//! findings when the format is named (`format = "mypy-json"`).

use safety_gate_core::InputError;
use serde::Deserialize;
use std::path::Path;

use crate::model::{Finding, Findings, Level};
use crate::paths::{Roots, uri_path};
use crate::read::without_position;

/// The tool's name in reports and baselines.
pub const TOOL: &str = "mypy";

#[derive(Deserialize)]
struct Diagnostic {
    file: String,
    line: Option<i64>,
    column: Option<i64>,
    message: String,
    code: Option<String>,
    severity: Level,
}

/// Reads mypy's JSON lines.
pub fn read(path: &Path, text: &str, roots: &Roots) -> Result<Findings, InputError> {
    let mut out = Findings::default();
    out.tool(TOOL, None);
    for (n, line) in text.lines().enumerate() {
        let number = n as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let d: Diagnostic = serde_json::from_str(line).map_err(|e| {
            InputError::malformed(
                path,
                Some(number),
                Some(e.column() as u64),
                format!("not a line of mypy's JSON output: {}", without_position(&e)),
            )
        })?;
        let Some(rule) = d.code.filter(|c| !c.trim().is_empty()) else {
            return Err(InputError::malformed(
                path,
                Some(number),
                None,
                "names no rule (`code` is missing)",
            ));
        };
        let file = roots.relative(&uri_path(&d.file, None, &Default::default()));
        let mut finding = Finding::new(TOOL, rule, d.severity, d.message, file);
        // mypy writes -1 for a line or column it does not know, and 0-based columns.
        finding.line = d
            .line
            .and_then(|l| u64::try_from(l).ok())
            .filter(|l| *l > 0);
        finding.column = d.column.and_then(|c| u64::try_from(c).ok()).map(|c| c + 1);
        out.findings.push(finding);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_with_one_based_columns() {
        let text = "{\"file\": \"a.py\", \"line\": 6, \"column\": 0, \"message\": \"m\", \"hint\": null, \"code\": \"import-untyped\", \"severity\": \"error\"}\n\n{\"file\": \"a.py\", \"line\": 2, \"column\": 4, \"message\": \"n\", \"hint\": null, \"code\": \"misc\", \"severity\": \"note\"}\n";
        let found = read(Path::new("m.json"), text, &Roots::default()).expect("valid");
        assert_eq!(found.findings.len(), 2);
        assert_eq!(
            (found.findings[0].line, found.findings[0].column),
            (Some(6), Some(1))
        );
        assert_eq!(found.findings[1].level, Level::Note);
        assert!(
            read(Path::new("m.json"), "\n", &Roots::default())
                .expect("empty")
                .findings
                .is_empty()
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let text = "{\"file\": \"a.py\", \"line\": 1, \"column\": 0, \"message\": \"m\", \"code\": \"x\", \"severity\": \"error\"}\nFound 1 error in 1 file\n";
        let err = read(Path::new("m.json"), text, &Roots::default()).expect_err("text line");
        assert!(
            err.to_string()
                .starts_with("m.json:2:1: not a line of mypy's JSON output"),
            "{err}"
        );
        let text = "{\"file\": \"a.py\", \"line\": 1, \"column\": 0, \"message\": \"m\", \"code\": null, \"severity\": \"error\"}";
        let err = read(Path::new("m.json"), text, &Roots::default()).expect_err("no code");
        assert_eq!(
            err.to_string(),
            "m.json:1: names no rule (`code` is missing)"
        );
    }
}

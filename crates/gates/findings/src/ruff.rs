//! ruff's JSON output (`ruff check --output-format json`): an array of diagnostics,
//! each with its rule `code`, `filename` (absolute), `location` and `message`. ruff
//! writes no source snippet, so its findings match on rule, file and message.

use safety_gate_core::InputError;
use serde::Deserialize;
use std::path::Path;

use crate::model::{Finding, Findings, Level};
use crate::paths::{Roots, uri_path};
use crate::position::{JsonPath, Step};

/// The name ruff gives itself in its SARIF output, so both outputs match.
pub const TOOL: &str = "ruff";

#[derive(Deserialize)]
struct Diagnostic {
    code: Option<String>,
    filename: String,
    location: Option<Position>,
    message: String,
    severity: Option<Level>,
}

#[derive(Deserialize)]
struct Position {
    row: u64,
    column: u64,
}

/// Reads ruff's JSON output.
pub fn read(path: &Path, text: &str, roots: &Roots) -> Result<Findings, InputError> {
    let diagnostics: Vec<Diagnostic> = serde_json::from_str(text)
        .map_err(|e| crate::read::json_error(path, &e, "not ruff's JSON output"))?;
    let mut out = Findings::default();
    out.tool(TOOL, None);
    for (i, d) in diagnostics.into_iter().enumerate() {
        let Some(rule) = d.code.filter(|c| !c.trim().is_empty()) else {
            let at = JsonPath(vec![Step::Index(i)]);
            let (line, column) = at.locate(text).unzip();
            return Err(InputError::malformed(
                path,
                line,
                column,
                format!("{at}: names no rule (`code` is missing)"),
            ));
        };
        let file = roots.relative(&uri_path(&d.filename, None, &Default::default()));
        let mut finding = Finding::new(
            TOOL,
            rule,
            // ruff's SARIF output writes every result at level `error`.
            d.severity.unwrap_or(Level::Error),
            d.message,
            file,
        );
        finding.line = d.location.as_ref().map(|l| l.row);
        finding.column = d.location.as_ref().map(|l| l.column);
        out.findings.push(finding);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_diagnostics_relative_to_the_root() {
        let text = r#"[{"code": "F401", "filename": "/repo/src/a.py", "location": {"row": 3, "column": 8},
            "message": "`os` imported but unused", "fix": null, "severity": "error"}]"#;
        let found =
            read(Path::new("r.json"), text, &Roots::new(Path::new("/repo"))).expect("valid");
        assert_eq!(
            found.findings[0].describe(),
            "src/a.py:3 error F401: `os` imported but unused"
        );
        assert_eq!(found.tools.keys().collect::<Vec<_>>(), ["ruff"]);
    }

    #[test]
    fn a_diagnostic_without_a_rule_is_refused_at_its_place() {
        let text = "[\n  {\"code\": null, \"filename\": \"a.py\", \"message\": \"m\"}\n]";
        let err = read(Path::new("r.json"), text, &Roots::default()).expect_err("no rule");
        assert_eq!(
            err.to_string(),
            "r.json:2:3: [0]: names no rule (`code` is missing)"
        );
        let err = read(
            Path::new("r.json"),
            "[{\"code\": \"F\"}]",
            &Roots::default(),
        )
        .expect_err("no file");
        assert!(
            err.to_string().contains("missing field `filename`"),
            "{err}"
        );
    }
}

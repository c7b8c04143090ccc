//! The baseline `baseline accept` writes: the current findings as a SARIF 2.1.0 log that
//! holds what the gate compares and nothing that changes from one run to the next.
//!
//! One run per tool (by name), each result with its rule, explicit level, message,
//! path relative to the root, line, column, snippet and fingerprints, sorted by file,
//! line and rule. Run times, invocations, command lines, absolute paths, tool metrics
//! and rule documentation are left out, so accepting the same findings twice writes
//! the same bytes, whatever order the tool wrote them in and wherever it ran.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::model::{Finding, Findings, Level};
use crate::paths::to_uri;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    level: Level,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    partial_fingerprints: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fingerprints: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text<'a>>,
}

/// The findings as normalised SARIF text, ending with a newline.
pub fn to_sarif(findings: &Findings) -> Vec<u8> {
    let mut by_tool: BTreeMap<&str, Vec<&Finding>> = findings
        .tools
        .keys()
        .map(|t| (t.as_str(), Vec::new()))
        .collect();
    for f in &findings.findings {
        by_tool.entry(&f.tool).or_default().push(f);
    }
    let runs = by_tool
        .into_iter()
        .map(|(name, mut results)| {
            results.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            Run {
                tool: Tool {
                    driver: Driver {
                        name,
                        version: findings.tools.get(name).and_then(|v| v.as_deref()),
                    },
                },
                results: results.into_iter().map(result).collect(),
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs,
    };
    // Serialising plain structs, strings and maps cannot fail.
    let mut out = serde_json::to_vec_pretty(&log).unwrap_or_default();
    out.push(b'\n');
    out
}

fn result(f: &Finding) -> SarifResult<'_> {
    let region = (f.line.is_some() || f.column.is_some() || f.snippet.is_some()).then(|| Region {
        start_line: f.line,
        start_column: f.column,
        snippet: f.snippet.as_deref().map(|text| Text { text }),
    });
    SarifResult {
        rule_id: &f.rule,
        level: f.level,
        message: Text { text: &f.message },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: to_uri(&f.file),
                },
                region,
            },
        }],
        partial_fingerprints: &f.partial_fingerprints,
        fingerprints: &f.fingerprints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::Roots;
    use std::path::Path;

    const RAW: &str = r#"{"version": "2.1.0", "$schema": "x", "runs": [{
        "tool": {"driver": {"name": "Bandit", "version": "1.9.4", "rules": [{"id": "B301", "defaultConfiguration": {"level": "error"}}]}},
        "invocations": [{"executionSuccessful": true, "endTimeUtc": "2026-12-03T11:34:17Z", "workingDirectory": {"uri": "file:///home/ci/repo/"}}],
        "properties": {"metrics": {"loc": 14}},
        "results": [
          {"ruleId": "B602", "level": "error", "message": {"text": "shell"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///home/ci/repo/src/app.py"}, "region": {"startLine": 20, "startColumn": 5, "snippet": {"text": "call(cmd, shell=True)\n"}}}}]},
          {"ruleId": "B301", "message": {"text": "pickle"}, "partialFingerprints": {"h": "1"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.py"}, "region": {"startLine": 10}}}]},
          {"ruleId": "B101", "kind": "pass", "message": {"text": "ok"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.py"}}}]}
        ]}]}"#;

    fn read(text: &str) -> Findings {
        crate::sarif::read(Path::new("x.sarif"), text, &Roots::default()).expect("valid")
    }

    #[test]
    fn volatile_fields_go_and_levels_become_explicit() {
        let text = String::from_utf8(to_sarif(&read(RAW))).expect("utf-8");
        for gone in [
            "endTimeUtc",
            "invocations",
            "metrics",
            "/home/ci",
            "B101",
            "defaultConfiguration",
        ] {
            assert!(!text.contains(gone), "{gone} kept:\n{text}");
        }
        let first = text.find("\"B301\"").expect("B301");
        assert!(
            first < text.find("\"B602\"").expect("B602"),
            "sorted by line:\n{text}"
        );
        assert!(
            text.contains(
                "\"level\": \"error\",\n          \"message\": {\n            \"text\": \"pickle\""
            ),
            "{text}"
        );
        assert!(text.contains("\"uri\": \"src/app.py\""), "{text}");
    }

    #[test]
    fn accepting_twice_writes_the_same_bytes_and_reads_back_the_same_findings() {
        let once = to_sarif(&read(RAW));
        let again = read(std::str::from_utf8(&once).expect("utf-8"));
        assert_eq!(to_sarif(&again), once);
        let mut original = read(RAW).findings;
        let mut back = again.findings;
        original.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        back.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        assert_eq!(original, back);
    }

    #[test]
    fn a_tool_without_findings_keeps_its_run() {
        let mut none = Findings::default();
        none.tool("mypy", None);
        let text = String::from_utf8(to_sarif(&none)).expect("utf-8");
        let back = read(&text);
        assert!(back.findings.is_empty());
        assert_eq!(back.tools.keys().collect::<Vec<_>>(), ["mypy"]);
    }
}

//! What the gate compares: findings with their rule, level, place and the text that
//! identifies them when lines move.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A SARIF result level, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Severity does not apply.
    None,
    /// A minor problem or an opportunity to improve.
    Note,
    /// A problem (SARIF's default level).
    Warning,
    /// A serious problem.
    Error,
}

impl Level {
    /// Every level, most severe first.
    pub const ALL: [Level; 4] = [Level::Error, Level::Warning, Level::Note, Level::None];

    /// The level as SARIF writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| format!("unknown level `{s}`: expected error, warning, note or none"))
    }
}

/// One finding as the gate compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The tool that reported it, as it names itself (`tool.driver.name`).
    pub tool: String,
    /// The rule id (`B301`, `F401`, `return-value`).
    pub rule: String,
    /// Its level, rule defaults applied.
    pub level: Level,
    /// The message, one finding's own text.
    pub message: String,
    /// The file, `/`-separated and relative to the folder the tool ran in when it lies
    /// below it; absolute otherwise.
    pub file: String,
    /// 1-based line, when the tool gave one.
    pub line: Option<u64>,
    /// 1-based column, when the tool gave one.
    pub column: Option<u64>,
    /// The source text the finding covers, when the tool wrote it.
    pub snippet: Option<String>,
    /// SARIF `fingerprints`: stable identities the tool computed.
    pub fingerprints: BTreeMap<String, String>,
    /// SARIF `partialFingerprints`: contributions to an identity, per file.
    pub partial_fingerprints: BTreeMap<String, String>,
}

impl Finding {
    /// A finding with no snippet and no fingerprints, as tools that write neither
    /// (ruff's and mypy's JSON) report them.
    pub fn new(tool: &str, rule: String, level: Level, message: String, file: String) -> Self {
        Finding {
            tool: tool.to_string(),
            rule,
            level,
            message,
            file,
            line: None,
            column: None,
            snippet: None,
            fingerprints: BTreeMap::new(),
            partial_fingerprints: BTreeMap::new(),
        }
    }

    /// `file:line` (or the file alone).
    pub fn place(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        }
    }

    /// One line of evidence: place, level, rule and message.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}: {}",
            self.place(),
            self.level,
            self.rule,
            one_line(&self.message)
        )
    }

    /// The order findings are listed and written in: by file, line, column, then rule
    /// and text, so that equal inputs list equally whatever order the tool used.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.file,
            self.line,
            self.column,
            &self.rule,
            &self.tool,
            self.level,
            &self.message,
            &self.snippet,
            &self.fingerprints,
            &self.partial_fingerprints,
        )
    }
}

/// The first line of a message, so one finding stays on one line of evidence.
fn one_line(text: &str) -> &str {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// The findings of one side (baseline or current), with the tools that reported them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Every finding, in the order read.
    pub findings: Vec<Finding>,
    /// Each tool's name with its version, when it gave one.
    pub tools: BTreeMap<String, Option<String>>,
    /// Results read that are not findings: passes, not-applicable or informational
    /// results, and suppressed ones.
    pub not_findings: usize,
    /// Of those, the results that would be findings but for a suppression in effect
    /// (SARIF `suppressions`: an in-source `# nosec`, an external waiver).
    pub suppressed: usize,
}

impl Findings {
    /// Adds the findings of another file.
    pub fn merge(&mut self, other: Findings) {
        self.findings.extend(other.findings);
        for (tool, version) in other.tools {
            let slot = self.tools.entry(tool).or_default();
            if slot.is_none() {
                *slot = version;
            }
        }
        self.not_findings += other.not_findings;
        self.suppressed += other.suppressed;
    }

    /// Registers a tool.
    pub fn tool(&mut self, name: &str, version: Option<&str>) {
        let slot = self.tools.entry(name.to_string()).or_default();
        if slot.is_none() {
            *slot = version.map(str::to_string);
        }
    }

    /// How many findings have this level.
    pub fn at_level(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_order_by_severity() {
        assert_eq!("warning".parse::<Level>(), Ok(Level::Warning));
        assert!("info".parse::<Level>().is_err());
        assert!(Level::Error > Level::Warning && Level::Note > Level::None);
    }

    #[test]
    fn a_finding_describes_itself_on_one_line() {
        let f = Finding {
            tool: "Bandit".into(),
            rule: "B301".into(),
            level: Level::Warning,
            message: "\nPickle is unsafe\nsee docs".into(),
            file: "app.py".into(),
            line: Some(10),
            column: Some(12),
            snippet: None,
            fingerprints: BTreeMap::new(),
            partial_fingerprints: BTreeMap::new(),
        };
        assert_eq!(f.describe(), "app.py:10 warning B301: Pickle is unsafe");
    }
}

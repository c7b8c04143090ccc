//! The `[[findings]]` table of `safety-gate.toml`.
//!
//! ```toml
//! [[findings]]
//! name = "security"
//! baseline = "baselines/findings/python.sarif"   # a SARIF file (`baseline accept` writes it)
//! current = ["out/bandit.sarif", "out/ruff.json"] # a file, a glob or a list, merged
//! format = "auto"                  # or "sarif", "ruff-json", "mypy-json" (current files)
//! root = "."                       # the folder the tools ran in (default: this file's)
//! max = { error = 0, warning = 50 } # most findings of a level, new or not
//! rules = { "B301" = 0 }           # most findings of a rule
//! # the command that writes the current files; linters exit 1 when they find something
//! run = { command = ["bandit", "-q", "-f", "sarif", "-o", "out/bandit.sarif", "-r", "src"], exit_codes = [0, 1] }
//! ```

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use safety_gate_core::config::{resolve, resolve_pattern};
use safety_gate_core::{GateConfig, Mode, Producer, RollbackPlan};

use crate::model::Level;

/// One findings gate instance.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// Instance name, unique within a run.
    pub name: String,
    /// How failures count.
    #[serde(default)]
    pub mode: Mode,
    /// The accepted findings: a SARIF file (ruff's or mypy's JSON output is read too).
    pub baseline: PathBuf,
    /// The current findings: a path or glob, or a list of them, merged.
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(schema_with = "one_or_many_schema")]
    pub current: Vec<String>,
    /// The format of the current files; `auto` tells them apart by content.
    #[serde(default)]
    pub format: Format,
    /// The folder the tools ran in: absolute paths below it are compared relative to it,
    /// and relative ones are shown below it. Default: the config file's folder.
    #[serde(default)]
    pub root: Option<PathBuf>,
    /// Most findings of each level, new or not.
    #[serde(default)]
    pub max: LevelLimits,
    /// Most findings of each rule, new or not.
    #[serde(default)]
    pub rules: BTreeMap<String, u64>,
    /// What to do when this gate triggers a rollback (shown in the rollback report).
    #[serde(default)]
    pub rollback: RollbackPlan,
    /// The command that writes the current files, run before they are read.
    #[serde(default)]
    pub run: Option<Producer>,
}

/// The format of a findings file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Told apart by content.
    #[default]
    Auto,
    /// SARIF 2.1.0.
    Sarif,
    /// `ruff check --output-format json`.
    RuffJson,
    /// `mypy --output json`.
    MypyJson,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Format::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(s))
            .map_err(|_| {
                format!("unknown format `{s}`: expected auto, sarif, ruff-json or mypy-json")
            })
    }
}

/// Most findings allowed at each level (`max = { error = 0, warning = 50 }`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelLimits {
    /// Most `error` findings.
    pub error: Option<u64>,
    /// Most `warning` findings.
    pub warning: Option<u64>,
    /// Most `note` findings.
    pub note: Option<u64>,
    /// Most findings of level `none`.
    pub none: Option<u64>,
}

impl LevelLimits {
    /// The limit of a level, when set.
    pub fn get(&self, level: Level) -> Option<u64> {
        match level {
            Level::Error => self.error,
            Level::Warning => self.warning,
            Level::Note => self.note,
            Level::None => self.none,
        }
    }

    /// Sets the limit of a level.
    pub fn set(&mut self, level: Level, max: u64) {
        let slot = match level {
            Level::Error => &mut self.error,
            Level::Warning => &mut self.warning,
            Level::Note => &mut self.note,
            Level::None => &mut self.none,
        };
        *slot = Some(max);
    }
}

/// A `NAME=N` limit from the command line (`--max warning=50`, `--rule B301=0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The level or rule.
    pub name: String,
    /// Most findings allowed.
    pub max: u64,
}

impl FromStr for Limit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (name, max) = s
            .rsplit_once('=')
            .ok_or_else(|| format!("`{s}` is not NAME=N"))?;
        let max = max
            .trim()
            .parse()
            .map_err(|_| format!("`{max}` in `{s}` is not a whole number of findings"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("`{s}` names nothing before `=`"));
        }
        Ok(Limit {
            name: name.to_string(),
            max,
        })
    }
}

/// The schema of `current`: a path or glob, or a list of them.
fn one_or_many_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" } }
        ]
    })
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a path or glob, or a list of them")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let list = match OneOrMany::deserialize(d)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    };
    if list.is_empty() {
        return Err(serde::de::Error::custom("`current` names no file"));
    }
    Ok(list)
}

impl GateConfig for FindingsConfig {
    fn name(&self) -> &str {
        &self.name
    }

    fn mode(&self) -> Mode {
        self.mode
    }

    fn resolve_paths(&mut self, base: &Path) {
        self.baseline = resolve(base, &self.baseline);
        for pattern in &mut self.current {
            *pattern = resolve_pattern(base, pattern);
        }
        self.root = Some(resolve(
            base,
            self.root.as_deref().unwrap_or(Path::new(".")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::config::parse_toml;

    #[derive(Deserialize)]
    struct Top {
        findings: Vec<FindingsConfig>,
    }

    fn parse(text: &str) -> Result<FindingsConfig, String> {
        parse_toml::<Top>(Path::new("c.toml"), text)
            .map(|t| t.findings.into_iter().next().expect("one"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn parses_the_table_and_resolves_paths() {
        let mut c = parse(
            "[[findings]]\nname = \"lint\"\nbaseline = \"b.sarif\"\ncurrent = \"out/*.sarif\"\n\
             max = { error = 0, warning = 50 }\nrules = { \"B301\" = 0 }\n",
        )
        .expect("valid");
        assert_eq!(c.max.get(Level::Warning), Some(50));
        assert_eq!(c.max.get(Level::Note), None);
        assert_eq!(c.rules["B301"], 0);
        c.resolve_paths(Path::new("/repo"));
        assert_eq!(c.current, ["/repo/out/*.sarif"]);
        assert_eq!(c.baseline, PathBuf::from("/repo/b.sarif"));
        assert_eq!(c.root, Some(PathBuf::from("/repo")));
        let list = parse(
            "[[findings]]\nname = \"l\"\nbaseline = \"b\"\ncurrent = [\"a.sarif\", \"r.json\"]\n\
             format = \"ruff-json\"\nroot = \"src\"\n",
        )
        .expect("valid");
        assert_eq!((list.current.len(), list.format), (2, Format::RuffJson));
    }

    #[test]
    fn mistakes_are_named_with_their_place() {
        let head = "[[findings]]\nname = \"l\"\nbaseline = \"b\"\n";
        let cases = [
            ("current = []\n", "c.toml:4:11: `current` names no file"),
            ("current = 3\n", "a path or glob, or a list of them"),
            (
                "current = \"c\"\nmax = { warnings = 5 }\n",
                "unknown field `warnings`",
            ),
            ("current = \"c\"\nmax = { error = -1 }\n", "c.toml:5:"),
            (
                "current = \"c\"\nformat = \"xml\"\n",
                "unknown variant `xml`",
            ),
        ];
        for (rest, expected) in cases {
            let err = parse(&format!("{head}{rest}")).expect_err(rest);
            assert!(err.contains(expected), "{rest}: {err}");
        }
    }

    #[test]
    fn command_line_limits_parse() {
        assert_eq!(
            "warning=50".parse::<Limit>(),
            Ok(Limit {
                name: "warning".into(),
                max: 50
            })
        );
        assert_eq!(
            "py/sql=injection=0".parse::<Limit>().map(|l| l.name),
            Ok("py/sql=injection".into())
        );
        assert!("B301".parse::<Limit>().is_err());
        assert!("B301=-1".parse::<Limit>().is_err());
        assert!("=3".parse::<Limit>().is_err());
        assert_eq!("mypy-json".parse::<Format>(), Ok(Format::MypyJson));
        assert!("json".parse::<Format>().is_err());
    }
}

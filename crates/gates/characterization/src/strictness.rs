//! Strictness per rule. Each rule that is not a test failure (skips, xfails, missing
//! tests, log lines in JSONL...) is set to `fail`, `warn` or `ignore`; `strict` and
//! `lenient` are presets, and a `[characterization.rules]` table or `--rule` flags
//! override single rules on top of the preset.
//!
//! | rule | what breaks it | strict | lenient |
//! |---|---|---|---|
//! | `empty` | no test executed | fail | warn |
//! | `skips` | a test was skipped | fail | warn |
//! | `xfails` | a test failed as expected | fail | warn |
//! | `xpasses` | an xfail-marked test passed (a strict xpass always fails) | fail | warn |
//! | `missing` | a test of the manifest did not run | fail | warn |
//! | `duplicates` | an id repeated in one file or reported by several files | fail | warn |
//! | `flaky` | a test passed only on a later attempt | warn | warn |
//! | `counters` | a suite claims more failures or errors than its testcases show | fail | warn |
//! | `jsonl` | a line of a JSONL golden file is not JSON | fail (the file is refused: exit 2) | warn (the line is skipped) |

use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

use safety_gate_core::Status;

/// What breaking a rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The check fails (the run rolls back).
    Fail,
    /// The check warns; the run passes.
    Warn,
    /// The check is skipped: reported, not judged.
    Ignore,
}

impl Severity {
    /// The status of a check that found offenders.
    pub fn status(self) -> Status {
        match self {
            Severity::Fail => Status::Fail,
            Severity::Warn => Status::Warn,
            Severity::Ignore => Status::Skip,
        }
    }

    /// Lowercase name, as in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Fail => "fail",
            Severity::Warn => "warn",
            Severity::Ignore => "ignore",
        }
    }
}

/// The severity of every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// No test executed.
    pub empty: Severity,
    /// Skipped tests.
    pub skips: Severity,
    /// Expected failures.
    pub xfails: Severity,
    /// Unexpected passes the runner did not fail itself.
    pub xpasses: Severity,
    /// Manifest tests that did not run.
    pub missing: Severity,
    /// Repeated or duplicated ids.
    pub duplicates: Severity,
    /// Tests that passed only on a later attempt.
    pub flaky: Severity,
    /// Suite counters claiming more failures or errors than the testcases show.
    pub counters: Severity,
    /// Non-JSON lines in JSONL golden files.
    pub jsonl: Severity,
}

/// Names of the rules, in table order.
pub const RULE_NAMES: [&str; 9] = [
    "empty",
    "skips",
    "xfails",
    "xpasses",
    "missing",
    "duplicates",
    "flaky",
    "counters",
    "jsonl",
];

impl Rules {
    /// The `strict` preset: everything fails except flaky tests, which warn.
    pub const STRICT: Rules = Rules {
        empty: Severity::Fail,
        skips: Severity::Fail,
        xfails: Severity::Fail,
        xpasses: Severity::Fail,
        missing: Severity::Fail,
        duplicates: Severity::Fail,
        flaky: Severity::Warn,
        counters: Severity::Fail,
        jsonl: Severity::Fail,
    };

    /// The `lenient` preset: only test failures fail, everything else warns.
    pub const LENIENT: Rules = Rules {
        empty: Severity::Warn,
        skips: Severity::Warn,
        xfails: Severity::Warn,
        xpasses: Severity::Warn,
        missing: Severity::Warn,
        duplicates: Severity::Warn,
        flaky: Severity::Warn,
        counters: Severity::Warn,
        jsonl: Severity::Warn,
    };

    /// The preset for `strict`.
    pub fn preset(strict: bool) -> Rules {
        if strict {
            Rules::STRICT
        } else {
            Rules::LENIENT
        }
    }

    /// The preset with `overrides` applied, later ones winning.
    pub fn with(mut self, overrides: &RuleOverrides) -> Rules {
        for (name, severity) in overrides.iter() {
            *self.slot(name) = severity;
        }
        self
    }

    fn slot(&mut self, name: &str) -> &mut Severity {
        match name {
            "empty" => &mut self.empty,
            "skips" => &mut self.skips,
            "xfails" => &mut self.xfails,
            "xpasses" => &mut self.xpasses,
            "missing" => &mut self.missing,
            "duplicates" => &mut self.duplicates,
            "flaky" => &mut self.flaky,
            "counters" => &mut self.counters,
            // RuleOverrides only holds names of RULE_NAMES.
            _ => &mut self.jsonl,
        }
    }
}

/// Severities set for single rules, over a preset: the `[characterization.rules]`
/// table (`skips = "warn"`) or `--rule skips=warn` flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOverrides(Vec<(&'static str, Severity)>);

impl RuleOverrides {
    /// Sets one rule; `name` must be one of [`RULE_NAMES`].
    pub fn set(&mut self, name: &str, severity: Severity) -> Result<(), String> {
        let name = RULE_NAMES
            .iter()
            .find(|n| **n == name)
            .ok_or_else(|| format!("unknown rule `{name}` (rules: {})", RULE_NAMES.join(", ")))?;
        self.0.push((name, severity));
        Ok(())
    }

    /// The overrides in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Severity)> + '_ {
        self.0.iter().copied()
    }

    /// Whether none is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl schemars::JsonSchema for RuleOverrides {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RuleOverrides".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let severity = generator.subschema_for::<Severity>();
        let properties: serde_json::Map<String, serde_json::Value> = RULE_NAMES
            .iter()
            .map(|name| ((*name).to_string(), severity.clone().to_value()))
            .collect();
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": false,
            "description": "Severities of single rules over the preset: fail, warn or ignore.",
            "properties": properties
        })
    }
}

impl<'de> Deserialize<'de> for RuleOverrides {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A struct of options keeps serde's own messages for unknown keys and values.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            empty: Option<Severity>,
            skips: Option<Severity>,
            xfails: Option<Severity>,
            xpasses: Option<Severity>,
            missing: Option<Severity>,
            duplicates: Option<Severity>,
            flaky: Option<Severity>,
            counters: Option<Severity>,
            jsonl: Option<Severity>,
        }
        let t = Table::deserialize(deserializer)?;
        let values = [
            t.empty,
            t.skips,
            t.xfails,
            t.xpasses,
            t.missing,
            t.duplicates,
            t.flaky,
            t.counters,
            t.jsonl,
        ];
        Ok(RuleOverrides(
            RULE_NAMES
                .iter()
                .zip(values)
                .filter_map(|(name, v)| v.map(|v| (*name, v)))
                .collect(),
        ))
    }
}

/// One `--rule NAME=fail|warn|ignore` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSetting {
    /// One of [`RULE_NAMES`].
    pub name: &'static str,
    /// What breaking it does.
    pub severity: Severity,
}

impl FromStr for RuleSetting {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, value) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}` is not NAME=fail|warn|ignore"))?;
        let severity = match value.trim() {
            "fail" => Severity::Fail,
            "warn" => Severity::Warn,
            "ignore" => Severity::Ignore,
            other => return Err(format!("`{other}` is not fail, warn or ignore")),
        };
        let mut o = RuleOverrides::default();
        o.set(name.trim(), severity)?;
        let (name, severity) = o.0[0];
        Ok(RuleSetting { name, severity })
    }
}

impl fmt::Display for RuleSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.severity.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::config::parse_toml;
    use std::path::Path;

    #[test]
    fn presets_and_overrides() {
        let mut o = RuleOverrides::default();
        o.set("jsonl", Severity::Ignore).expect("known");
        o.set("skips", Severity::Warn).expect("known");
        o.set("skips", Severity::Fail).expect("known");
        let rules = Rules::preset(true).with(&o);
        assert_eq!(rules.jsonl, Severity::Ignore);
        assert_eq!(rules.skips, Severity::Fail, "later wins");
        assert_eq!(rules.flaky, Severity::Warn);
        assert_eq!(Rules::preset(false).with(&o).xfails, Severity::Warn);
        assert!(
            o.set("skip", Severity::Warn)
                .unwrap_err()
                .contains("unknown rule `skip`")
        );
    }

    #[test]
    fn rule_flags_parse() {
        let r: RuleSetting = "duplicates=warn".parse().expect("valid");
        assert_eq!((r.name, r.severity), ("duplicates", Severity::Warn));
        assert_eq!(r.to_string(), "duplicates=warn");
        assert!("duplicates".parse::<RuleSetting>().is_err());
        assert!("duplicates=maybe".parse::<RuleSetting>().is_err());
        assert!("nope=warn".parse::<RuleSetting>().is_err());
    }

    #[test]
    fn rules_table_deserialises_with_positions_for_mistakes() {
        #[derive(Deserialize)]
        struct T {
            rules: RuleOverrides,
        }
        let parse = |text: &str| parse_toml::<T>(Path::new("c.toml"), text);
        let t = parse("[rules]\nflaky = \"fail\"\njsonl = \"ignore\"\n").expect("valid");
        assert_eq!(
            t.rules.iter().collect::<Vec<_>>(),
            [("flaky", Severity::Fail), ("jsonl", Severity::Ignore)]
        );
        let err = parse("[rules]\nflakey = \"fail\"\n")
            .err()
            .expect("unknown rule");
        assert!(err.to_string().starts_with("c.toml:2:"), "{err}");
        assert!(parse("[rules]\nflaky = \"sometimes\"\n").is_err());
        let names: Vec<&str> = RULE_NAMES.to_vec();
        let mut all = RuleOverrides::default();
        for n in &names {
            all.set(n, Severity::Ignore)
                .expect("every name is settable");
        }
        let r = Rules::STRICT.with(&all);
        assert_eq!(
            r,
            Rules {
                empty: Severity::Ignore,
                skips: Severity::Ignore,
                xfails: Severity::Ignore,
                xpasses: Severity::Ignore,
                missing: Severity::Ignore,
                duplicates: Severity::Ignore,
                flaky: Severity::Ignore,
                counters: Severity::Ignore,
                jsonl: Severity::Ignore,
            }
        );
    }
}

//! The `[[characterization]]` table of `safety-gate.toml`.
//!
//! ```toml
//! [[characterization]]
//! name = "pipeline"
//! results = ["reports/junit-*.xml"]              # JUnit files or globs (CI shards)
//! expected = "baselines/characterization/expected-tests.txt"
//! strict = true                                  # the preset; the default
//! reruns = "last"                                # or "any-failure"
//! rules = { skips = "warn", jsonl = "ignore" }   # per-rule fail/warn/ignore over the preset
//!
//! [[characterization.golden]]
//! baseline = "baselines/characterization/metrics.json"
//! current = "out/metrics.json"
//! tolerances = ["/metrics/*_rate=rel:1e-9"]      # first matching glob wins
//! ignore = ["/generated_at", "/**/run_id"]       # redactions
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

use safety_gate_core::GateConfig;
use safety_gate_core::config::{resolve, resolve_pattern};
use safety_gate_core::status::Mode;
use safety_gate_core::{Producer, RollbackPlan};

use crate::golden::{PointerGlob, ToleranceRule};
use crate::junit::Reruns;
use crate::strictness::{RuleOverrides, Rules};

/// One characterization gate instance.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CharacterizationConfig {
    /// Instance name, unique within a run.
    pub name: String,
    /// How failures count.
    #[serde(default)]
    pub mode: Mode,
    /// The preset of the rules. Strict (the default): skipped, xfailed and
    /// unexpectedly passing tests, an empty run, tests missing from the manifest,
    /// repeated ids, suite counters claiming unseen failures and non-JSON lines in
    /// JSONL golden files fail the gate. Lenient: only test failures and errors fail;
    /// the rest are warnings.
    #[serde(default = "default_strict")]
    pub strict: bool,
    /// Severities of single rules over the preset (see [`crate::strictness`]).
    #[serde(default)]
    pub rules: RuleOverrides,
    /// How attempts of one test are judged: the last decides, or any failure fails.
    #[serde(default)]
    pub reruns: Reruns,
    /// JUnit XML reports: paths or globs, merged (CI shards).
    #[serde(default)]
    pub results: Vec<String>,
    /// Expected-tests manifest: one test id per line, `#` starts a comment line.
    #[serde(default)]
    pub expected: Option<PathBuf>,
    /// Writes the manifest of the tests that ran to this file when the run is green.
    #[serde(default)]
    pub write_expected: Option<PathBuf>,
    /// Golden baseline/current pairs.
    #[serde(default)]
    pub golden: Vec<GoldenConfig>,
    /// What to do when this gate triggers a rollback (shown in the rollback report).
    #[serde(default)]
    pub rollback: RollbackPlan,
    /// The command that writes the JUnit reports and current golden outputs, run
    /// before they are read.
    #[serde(default)]
    pub run: Option<Producer>,
}

/// One golden pair: a baseline file and the current output that must match it.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoldenConfig {
    /// Label of the pair's check (`golden:<name>`); defaults to the baseline path.
    #[serde(default)]
    pub name: Option<String>,
    /// The pinned output.
    pub baseline: PathBuf,
    /// The output of the change under test.
    pub current: PathBuf,
    /// `json` or `jsonl`; by default `jsonl` for `.jsonl`/`.ndjson` files, else `json`.
    #[serde(default)]
    pub format: Option<GoldenFormat>,
    /// Numeric tolerances, `POINTER_GLOB=abs:X` or `POINTER_GLOB=rel:X`; exact by default.
    #[serde(default)]
    pub tolerances: Vec<ToleranceRule>,
    /// Pointer globs whose values (and everything below them) are not compared.
    #[serde(default)]
    pub ignore: Vec<PointerGlob>,
}

/// Format of a golden file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GoldenFormat {
    /// One JSON document.
    Json,
    /// One JSON record per line.
    Jsonl,
}

impl GoldenConfig {
    /// The format given, or the one the baseline's extension implies.
    pub fn effective_format(&self) -> GoldenFormat {
        self.format.unwrap_or_else(
            || match self.baseline.extension().and_then(|e| e.to_str()) {
                Some("jsonl" | "ndjson") => GoldenFormat::Jsonl,
                _ => GoldenFormat::Json,
            },
        )
    }

    /// The pair's label: its name, or the baseline path (resolved against the config
    /// file's folder, so the same file has the same label from any config).
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.baseline.display().to_string())
    }
}

fn default_strict() -> bool {
    true
}

impl CharacterizationConfig {
    /// The severity of every rule: the preset with the overrides applied.
    pub fn effective_rules(&self) -> Rules {
        Rules::preset(self.strict).with(&self.rules)
    }
}

impl GateConfig for CharacterizationConfig {
    fn name(&self) -> &str {
        &self.name
    }

    fn mode(&self) -> Mode {
        self.mode
    }

    fn resolve_paths(&mut self, base: &Path) {
        for pattern in &mut self.results {
            *pattern = resolve_pattern(base, pattern);
        }
        for path in [&mut self.expected, &mut self.write_expected]
            .into_iter()
            .flatten()
        {
            *path = resolve(base, path);
        }
        for pair in &mut self.golden {
            pair.baseline = resolve(base, &pair.baseline);
            pair.current = resolve(base, &pair.current);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::config::parse_toml;

    #[derive(Deserialize)]
    struct Top {
        characterization: Vec<CharacterizationConfig>,
    }

    #[test]
    fn parses_full_table_and_resolves_paths() {
        let text = r#"
            [[characterization]]
            name = "demo"
            results = ["reports/*.xml"]
            expected = "expected.txt"
            reruns = "any-failure"
            rules = { skips = "warn" }

            [[characterization.golden]]
            baseline = "golden/events.jsonl"
            current = "/abs/events.jsonl"
            tolerances = ["/metrics/*_rate=rel:1e-9"]
            ignore = ["/ts"]
        "#;
        let top: Top = parse_toml(Path::new("c.toml"), text).expect("valid");
        let mut c = top.characterization.into_iter().next().expect("one");
        assert!(c.strict, "strict is the default");
        assert_eq!(c.reruns, Reruns::AnyFailure);
        let rules = c.effective_rules();
        assert_eq!(rules.skips, crate::strictness::Severity::Warn);
        assert_eq!(rules.xfails, crate::strictness::Severity::Fail);
        assert_eq!(c.mode, Mode::Enforce);
        c.resolve_paths(Path::new("/repo"));
        assert_eq!(c.results, vec!["/repo/reports/*.xml".to_string()]);
        assert_eq!(c.expected, Some(PathBuf::from("/repo/expected.txt")));
        let pair = &c.golden[0];
        assert_eq!(pair.label(), "/repo/golden/events.jsonl");
        assert_eq!(pair.current, PathBuf::from("/abs/events.jsonl"));
        assert_eq!(pair.effective_format(), GoldenFormat::Jsonl);
    }

    #[test]
    fn bad_tolerance_is_a_config_error_with_position() {
        let text = "[[characterization]]\nname = \"d\"\n\n[[characterization.golden]]\nbaseline = \"a.json\"\ncurrent = \"b.json\"\ntolerances = [\"/x=pct:3\"]\n";
        let err = parse_toml::<Top>(Path::new("c.toml"), text)
            .err()
            .expect("bad tolerance");
        let text = err.to_string();
        assert!(text.starts_with("c.toml:7:"), "{text}");
        assert!(text.contains("pct:3"), "{text}");
    }
}

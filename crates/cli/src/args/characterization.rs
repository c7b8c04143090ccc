//! `safety-gate characterization`: flags that map one to one onto a
//! `[[characterization]]` config table.

use clap::{ArgGroup, ValueEnum};
use safety_gate_characterization::golden::{PointerGlob, ToleranceRule};
use safety_gate_characterization::{
    CharacterizationConfig, CharacterizationGate, GoldenConfig, GoldenFormat, Reruns,
    RuleOverrides, RuleSetting,
};
use safety_gate_core::Mode;
use std::path::{Path, PathBuf};

use super::{AdHoc, OutputArgs};

const EXAMPLES: &str = "\
Examples:
  safety-gate characterization --results 'reports/junit-*.xml' \\
      --expected baselines/characterization/expected-tests.txt
  safety-gate characterization --results reports/junit.xml --lenient
  safety-gate characterization --results reports/junit.xml --rule skips=warn --rule flaky=fail
  safety-gate characterization --results 'reports/*.xml' --reruns any-failure
  safety-gate characterization --results reports/junit.xml \\
      --write-expected baselines/characterization/expected-tests.txt
  safety-gate characterization --baseline golden/metrics.json --current out/metrics.json \\
      --tolerance '/metrics/*_rate=rel:1e-9' --ignore /generated_at
  safety-gate characterization --baseline golden/events.jsonl --current out/events.jsonl \\
      --ignore '/**/timestamp' --lenient";

/// `safety-gate characterization`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(group(ArgGroup::new("inputs").required(true).multiple(true).args(["results", "baseline"])))]
pub struct CharacterizationArgs {
    /// JUnit XML report, path or glob; repeat for CI shards (config: `results`).
    #[arg(long, value_name = "FILE_OR_GLOB")]
    pub results: Vec<String>,
    /// Expected-tests manifest: one test id per line, `#` comments (config: `expected`).
    #[arg(long, value_name = "FILE", requires = "results")]
    pub expected: Option<PathBuf>,
    /// The strict preset, the default: skips, xfails, xpasses, an empty run, tests missing
    /// from the manifest, repeated ids, suite counters claiming unseen failures and
    /// non-JSON lines in JSONL fail; flaky tests warn (config: `strict = true`).
    #[arg(long, overrides_with = "lenient")]
    pub strict: bool,
    /// The lenient preset: fail only on test failures and errors; report the rest as
    /// warnings (config: `strict = false`).
    #[arg(long)]
    pub lenient: bool,
    /// One rule's severity over the preset, NAME=fail|warn|ignore; rules: empty, skips,
    /// xfails, xpasses, missing, duplicates, flaky, counters, jsonl; repeatable
    /// (config: `rules`).
    #[arg(long = "rule", value_name = "NAME=fail|warn|ignore")]
    pub rules: Vec<RuleSetting>,
    /// How attempts of one test (reruns) are judged: the last attempt decides, or any
    /// failed attempt fails the test (config: `reruns`).
    #[arg(long, value_enum, value_name = "HOW")]
    pub reruns: Option<RerunsArg>,
    /// Golden baseline file, JSON or JSONL (config: `golden[].baseline`).
    #[arg(long, value_name = "FILE", requires = "current")]
    pub baseline: Option<PathBuf>,
    /// Current output compared with the baseline (config: `golden[].current`).
    #[arg(long, value_name = "FILE", requires = "baseline")]
    pub current: Option<PathBuf>,
    /// Golden file format; by default from the extension (config: `golden[].format`).
    #[arg(long, value_enum, requires = "baseline")]
    pub format: Option<FormatArg>,
    /// Numeric tolerance, POINTER_GLOB=abs:X or POINTER_GLOB=rel:X; repeatable, first match
    /// wins (config: `golden[].tolerances`).
    #[arg(
        long = "tolerance",
        value_name = "POINTER_GLOB=abs:X|rel:X",
        requires = "baseline"
    )]
    pub tolerances: Vec<ToleranceRule>,
    /// JSON pointer glob not compared (redaction); repeatable (config: `golden[].ignore`).
    #[arg(long = "ignore", value_name = "POINTER_GLOB", requires = "baseline")]
    pub ignore: Vec<PointerGlob>,
    /// Write the manifest of the tests that ran, when the run is green
    /// (config: `write_expected`).
    #[arg(long, value_name = "FILE", requires = "results")]
    pub write_expected: Option<PathBuf>,
    /// Name of this gate instance in reports (config: `name`).
    #[arg(long, default_value = "characterization")]
    pub name: String,
    /// Report options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--reruns` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RerunsArg {
    /// The last attempt decides; a test that failed, then passed, is flaky.
    Last,
    /// Any failed attempt fails the test.
    AnyFailure,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One JSON document.
    Json,
    /// One JSON record per line.
    Jsonl,
}

impl AdHoc for CharacterizationArgs {
    type Gate = CharacterizationGate;

    fn output(&self) -> &OutputArgs {
        &self.output
    }

    fn missing_baseline_hint(&self, baseline: &Path) -> String {
        match &self.current {
            Some(current) if self.expected.as_deref() != Some(baseline) => format!(
                "start it from the current output: copy {} to {}",
                current.display(),
                baseline.display()
            ),
            _ => format!(
                "write it from a green run with `--write-expected {}` (instead of --expected)",
                baseline.display()
            ),
        }
    }

    fn to_config(&self) -> CharacterizationConfig {
        let golden = match (&self.baseline, &self.current) {
            (Some(baseline), Some(current)) => vec![GoldenConfig {
                name: None,
                baseline: baseline.clone(),
                current: current.clone(),
                format: self.format.map(|f| match f {
                    FormatArg::Json => GoldenFormat::Json,
                    FormatArg::Jsonl => GoldenFormat::Jsonl,
                }),
                tolerances: self.tolerances.clone(),
                ignore: self.ignore.clone(),
            }],
            _ => Vec::new(),
        };
        CharacterizationConfig {
            name: self.name.clone(),
            mode: Mode::Enforce,
            strict: !self.lenient || self.strict,
            rules: {
                let mut rules = RuleOverrides::default();
                for r in &self.rules {
                    // Names were checked when the flag was parsed.
                    let _ = rules.set(r.name, r.severity);
                }
                rules
            },
            reruns: match self.reruns {
                Some(RerunsArg::AnyFailure) => Reruns::AnyFailure,
                Some(RerunsArg::Last) | None => Reruns::Last,
            },
            results: self.results.clone(),
            expected: self.expected.clone(),
            write_expected: self.write_expected.clone(),
            golden,
            rollback: Default::default(),
            run: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::args::{AdHoc, Args, Command, GateCommand};
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(["safety-gate", "characterization"].iter().chain(args))
    }

    fn config(args: &[&str]) -> safety_gate_characterization::CharacterizationConfig {
        let Command::Gate(GateCommand::Characterization(c)) = parse(args).expect("parses").command
        else {
            panic!("characterization subcommand")
        };
        c.to_config()
    }

    #[test]
    fn flags_map_to_config() {
        let c = config(&[
            "--results",
            "a/*.xml",
            "--results",
            "b.xml",
            "--expected",
            "m.txt",
            "--baseline",
            "b.json",
            "--current",
            "c.json",
            "--tolerance",
            "/m/*_rate=rel:1e-9",
            "--ignore",
            "/ts",
        ]);
        assert!(c.strict);
        assert_eq!(c.results, vec!["a/*.xml", "b.xml"]);
        assert_eq!(c.golden.len(), 1);
        assert_eq!(c.golden[0].tolerances[0].pattern.as_str(), "/m/*_rate");
        assert_eq!(c.golden[0].ignore[0].as_str(), "/ts");
    }

    #[test]
    fn lenient_and_strict() {
        assert!(!config(&["--results", "r.xml", "--lenient"]).strict);
        assert!(config(&["--results", "r.xml", "--lenient", "--strict"]).strict);
    }

    #[test]
    fn rules_and_reruns_over_the_preset() {
        use safety_gate_characterization::{Reruns, Severity};
        let c = config(&[
            "--results",
            "r.xml",
            "--lenient",
            "--rule",
            "skips=fail",
            "--rule",
            "jsonl=ignore",
            "--reruns",
            "any-failure",
        ]);
        let rules = c.effective_rules();
        assert_eq!(rules.skips, Severity::Fail);
        assert_eq!(rules.jsonl, Severity::Ignore);
        assert_eq!(rules.xfails, Severity::Warn);
        assert_eq!(c.reruns, Reruns::AnyFailure);
        assert_eq!(config(&["--results", "r.xml"]).reruns, Reruns::Last);
        assert!(parse(&["--results", "r.xml", "--rule", "skipz=warn"]).is_err());
        assert!(parse(&["--results", "r.xml", "--rule", "skips=maybe"]).is_err());
        assert!(parse(&["--results", "r.xml", "--reruns", "first"]).is_err());
    }

    #[test]
    fn refuses_incomplete_or_bad_flags() {
        assert!(parse(&[]).is_err(), "needs results or a golden pair");
        assert!(
            parse(&["--baseline", "b.json"]).is_err(),
            "baseline needs current"
        );
        assert!(parse(&["--results", "r.xml", "--tolerance", "/a=abs:1"]).is_err());
        assert!(
            parse(&[
                "--baseline",
                "b",
                "--current",
                "c",
                "--tolerance",
                "/a=pct:1"
            ])
            .is_err()
        );
        assert!(parse(&["--baseline", "b", "--current", "c", "--ignore", "a"]).is_err());
    }
}

//! `safety-gate findings`: flags that map one to one onto a `[[findings]]` config table.

use safety_gate_core::Mode;
use safety_gate_findings::config::Limit;
use safety_gate_findings::{FindingsConfig, FindingsGate, Format, Level, LevelLimits};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{AdHoc, OutputArgs};

const EXAMPLES: &str = "\
Examples:
  safety-gate findings --baseline baselines/findings/bandit.sarif --current bandit.sarif
  safety-gate findings --baseline baselines/lint.sarif --current bandit.sarif --current ruff.json \\
      --max error=0 --max warning=50 --rule B301=0
  safety-gate findings --baseline baselines/mypy.sarif --current mypy.json --format mypy-json";

/// `safety-gate findings`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct FindingsArgs {
    /// Accepted findings: a SARIF file, as `baseline accept` writes it (config: `baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: PathBuf,
    /// Current findings: SARIF 2.1.0, ruff's JSON or mypy's JSON output, a path or glob;
    /// repeat to merge several (config: `current`).
    #[arg(long, value_name = "FILE_OR_GLOB", required = true)]
    pub current: Vec<String>,
    /// Format of the current files: auto, sarif, ruff-json or mypy-json (config: `format`).
    #[arg(long, default_value = "auto")]
    pub format: Format,
    /// The folder the tools ran in; absolute paths below it are compared relative to it
    /// (config: `root`; default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Most findings of a level, LEVEL=N with LEVEL error, warning, note or none;
    /// repeatable (config: `max`).
    #[arg(long = "max", value_name = "LEVEL=N", value_parser = level_limit)]
    pub max: Vec<(Level, u64)>,
    /// Most findings of a rule, ID=N; repeatable (config: `rules`).
    #[arg(long = "rule", value_name = "ID=N")]
    pub rules: Vec<Limit>,
    /// Name of this gate instance in reports (config: `name`).
    #[arg(long, default_value = "findings")]
    pub name: String,
    /// Report options.
    #[command(flatten)]
    pub output: OutputArgs,
}

fn level_limit(text: &str) -> Result<(Level, u64), String> {
    let limit: Limit = text.parse()?;
    Ok((limit.name.parse()?, limit.max))
}

impl AdHoc for FindingsArgs {
    type Gate = FindingsGate;

    fn output(&self) -> &OutputArgs {
        &self.output
    }

    fn missing_baseline_hint(&self, baseline: &Path) -> String {
        format!(
            "start it from the current findings: copy {} to {} (under `check`, \
             `safety-gate baseline accept` writes it normalised)",
            self.current
                .first()
                .map_or("the current file", String::as_str),
            baseline.display()
        )
    }

    fn to_config(&self) -> FindingsConfig {
        let mut max = LevelLimits::default();
        for (level, n) in &self.max {
            max.set(*level, *n);
        }
        let rules: BTreeMap<String, u64> =
            self.rules.iter().map(|l| (l.name.clone(), l.max)).collect();
        FindingsConfig {
            name: self.name.clone(),
            mode: Mode::Enforce,
            baseline: self.baseline.clone(),
            current: self.current.clone(),
            format: self.format,
            root: self.root.clone(),
            max,
            rules,
            rollback: Default::default(),
            run: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::args::{AdHoc, Args, Command, GateCommand};
    use clap::Parser;
    use safety_gate_findings::{Format, Level};

    fn parse(extra: &[&str]) -> Result<safety_gate_findings::FindingsConfig, clap::Error> {
        let mut argv = vec!["safety-gate", "findings", "--baseline", "b.sarif"];
        argv.extend_from_slice(extra);
        let args = Args::try_parse_from(argv)?;
        let Command::Gate(GateCommand::Findings(findings)) = args.command else {
            panic!("findings subcommand")
        };
        Ok(findings.to_config())
    }

    #[test]
    fn findings_flags_map_to_config() {
        let config = parse(&[
            "--current",
            "bandit.sarif",
            "--current",
            "out/*.json",
            "--max",
            "error=0",
            "--max",
            "warning=50",
            "--rule",
            "B301=0",
            "--format",
            "ruff-json",
        ])
        .expect("parses");
        assert_eq!(config.current, ["bandit.sarif", "out/*.json"]);
        assert_eq!(config.max.get(Level::Error), Some(0));
        assert_eq!(config.max.get(Level::Warning), Some(50));
        assert_eq!(config.max.get(Level::Note), None);
        assert_eq!(config.rules.get("B301"), Some(&0));
        assert_eq!(config.format, Format::RuffJson);
    }

    #[test]
    fn bad_limits_are_refused() {
        for bad in [
            ["--max", "warnings=5"],
            ["--max", "warning"],
            ["--rule", "B301=x"],
        ] {
            let mut argv = vec!["--current", "c.sarif"];
            argv.extend_from_slice(&bad);
            assert!(parse(&argv).is_err(), "{bad:?}");
        }
        assert!(parse(&[]).is_err(), "--current is required");
    }
}

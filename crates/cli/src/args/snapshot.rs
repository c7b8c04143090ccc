//! Flags of `safety-gate snapshot`; each maps onto a key of the `[[snapshot]]` table.

use clap::ValueEnum;
use safety_gate_core::Mode;
use safety_gate_snapshot::config::{parse_duration, split_command};
use safety_gate_snapshot::{Compatibility, SnapshotConfig, SnapshotGate};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{AdHoc, OutputArgs};

/// `safety-gate snapshot`.
#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// The current JSON Schema (config: `schema`).
    #[arg(long, value_name = "FILE")]
    pub schema: PathBuf,
    /// Snapshot file or glob to validate; repeatable (config: `snapshots`).
    #[arg(long = "snapshots", value_name = "FILE_OR_GLOB")]
    pub snapshots: Vec<String>,
    /// Earlier schema to stay compatible with; repeat it or give a glob for the
    /// transitive check against every earlier schema (config: `previous_schemas`).
    #[arg(long = "previous-schema", value_name = "FILE_OR_GLOB")]
    pub previous_schemas: Vec<String>,
    /// Which readers must keep working (config: `compatibility`).
    #[arg(long, value_enum, default_value_t = CompatibilityArg::Backward)]
    pub compatibility: CompatibilityArg,
    /// JSON Schema draft: 4, 6, 7, 2019-09, 2020-12; default from `$schema` (config: `draft`).
    #[arg(long)]
    pub draft: Option<String>,
    /// JSON pointer of the version field in each snapshot (config: `version_pointer`).
    #[arg(long, value_name = "POINTER")]
    pub version_pointer: Option<String>,
    /// Lowest accepted snapshot version, e.g. 0.9 (config: `min_version`).
    #[arg(long, value_name = "VERSION", requires = "version_pointer")]
    pub min_version: Option<String>,
    /// Loader run per snapshot, split into words like a shell would but never run
    /// through one; {snapshot} is replaced by the file (config: `roundtrip`).
    #[arg(long, value_name = "\"CMD ARGS {snapshot}\"", value_parser = parse_argv)]
    pub roundtrip: Option<Argv>,
    /// The loader prints the re-saved snapshot, which must equal the input after
    /// canonicalisation and redactions (config: `roundtrip_compare`).
    #[arg(long, requires = "roundtrip")]
    pub roundtrip_compare: bool,
    /// JSON pointer left out of round-trip comparisons and hashes; repeatable (config: `redact`).
    #[arg(long = "redact", value_name = "POINTER")]
    pub redact: Vec<String>,
    /// Time limit per command: 500ms, 60s, 2m (config: `timeout`).
    #[arg(long, default_value = "60s", value_parser = parse_timeout)]
    pub timeout: Duration,
    /// Committed golden hashes to check (config: `hashes`).
    #[arg(long, value_name = "FILE")]
    pub hashes: Option<PathBuf>,
    /// Record the current hashes here, atomically (config: `write_hashes`).
    #[arg(long, value_name = "FILE")]
    pub write_hashes: Option<PathBuf>,
    /// NAME="CMD ARGS": hash this command's JSON stdout under NAME; repeatable
    /// (config: `hash_command`).
    #[arg(long = "hash-command", value_name = "NAME=CMD", value_parser = parse_named_argv)]
    pub hash_commands: Vec<(String, Argv)>,
    /// Name of this gate instance in reports (config: `name`).
    #[arg(long, default_value = "snapshot")]
    pub name: String,
    /// Report options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// A command line already split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argv(pub Vec<String>);

/// `--compatibility` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CompatibilityArg {
    /// New code reads old data.
    Backward,
    /// Old code reads new data.
    Forward,
    /// Both.
    Full,
}

fn parse_argv(text: &str) -> Result<Argv, String> {
    split_command(text).map(Argv).map_err(|e| e.to_string())
}

fn parse_named_argv(text: &str) -> Result<(String, Argv), String> {
    let (name, command) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=CMD, got {text:?}"))?;
    if name.trim().is_empty() {
        return Err(format!("expected NAME=CMD, got {text:?}"));
    }
    Ok((name.trim().to_owned(), parse_argv(command)?))
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    parse_duration(text).map_err(|e| e.to_string())
}

impl AdHoc for SnapshotArgs {
    type Gate = SnapshotGate;

    fn output(&self) -> &OutputArgs {
        &self.output
    }

    fn missing_baseline_hint(&self, baseline: &Path) -> String {
        format!(
            "record the current hashes with `--write-hashes {}` (instead of --hashes)",
            baseline.display()
        )
    }

    fn to_config(&self) -> SnapshotConfig {
        let mut config = SnapshotConfig::new(self.name.clone(), self.schema.clone());
        config.mode = Mode::Enforce;
        config.snapshots = self.snapshots.clone();
        config.previous_schemas = self.previous_schemas.clone();
        config.compatibility = match self.compatibility {
            CompatibilityArg::Backward => Compatibility::Backward,
            CompatibilityArg::Forward => Compatibility::Forward,
            CompatibilityArg::Full => Compatibility::Full,
        };
        config.draft = self.draft.clone();
        config.version_pointer = self.version_pointer.clone();
        config.min_version = self.min_version.clone();
        config.roundtrip = self.roundtrip.as_ref().map(|a| a.0.clone());
        config.roundtrip_compare = self.roundtrip_compare;
        config.redact = self.redact.clone();
        config.timeout = self.timeout;
        config.hashes = self.hashes.clone();
        config.write_hashes = self.write_hashes.clone();
        config.hash_command = self
            .hash_commands
            .iter()
            .map(|(name, argv)| (name.clone(), argv.0.clone()))
            .collect::<BTreeMap<_, _>>();
        config
    }
}

#[cfg(test)]
mod tests {
    use crate::args::{AdHoc, Args, Command, GateCommand};
    use clap::Parser;
    use safety_gate_snapshot::Compatibility;
    use std::time::Duration;

    fn parse(extra: &[&str]) -> Result<safety_gate_snapshot::SnapshotConfig, clap::Error> {
        let mut argv = vec!["safety-gate", "snapshot", "--schema", "s.json"];
        argv.extend_from_slice(extra);
        let args = Args::try_parse_from(argv)?;
        let Command::Gate(GateCommand::Snapshot(snapshot)) = args.command else {
            panic!("snapshot subcommand")
        };
        Ok(snapshot.to_config())
    }

    #[test]
    fn flags_map_to_config() {
        let config = parse(&[
            "--snapshots",
            "a/*.json",
            "--snapshots",
            "b.json",
            "--previous-schema",
            "old/*.json",
            "--compatibility",
            "forward",
            "--roundtrip",
            "python3 'my loader.py' {snapshot}",
            "--timeout",
            "500ms",
            "--hash-command",
            "seeded=python3 run.py --seed 1",
            "--write-hashes",
            "h.json",
        ])
        .expect("parses");
        assert_eq!(config.snapshots, ["a/*.json", "b.json"]);
        assert_eq!(config.previous_schemas, ["old/*.json"]);
        assert_eq!(config.compatibility, Compatibility::Forward);
        assert_eq!(
            config.roundtrip.as_deref(),
            Some(
                &[
                    "python3".to_owned(),
                    "my loader.py".into(),
                    "{snapshot}".into()
                ][..]
            )
        );
        assert_eq!(config.timeout, Duration::from_millis(500));
        assert_eq!(
            config.hash_command["seeded"],
            ["python3", "run.py", "--seed", "1"]
        );
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(parse(&["--timeout", "soon"]).is_err());
        assert!(parse(&["--roundtrip", "python3 'unclosed"]).is_err());
        assert!(parse(&["--hash-command", "no-equals-sign"]).is_err());
        assert!(parse(&["--compatibility", "sideways"]).is_err());
        assert!(parse(&["--min-version", "1.0"]).is_err(), "needs a pointer");
    }
}

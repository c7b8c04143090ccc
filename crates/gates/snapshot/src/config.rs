//! The `[[snapshot]]` table of `safety-gate.toml`.
//!
//! ```toml
//! [[snapshot]]
//! name = "telemetry"
//! schema = "schemas/telemetry.schema.json"
//! snapshots = ["baselines/snapshot/*.json"]
//! previous_schemas = ["baselines/snapshot/schemas/*.json"]
//! compatibility = "backward"
//! version_pointer = "/schema_version"
//! min_version = "0.9"
//! roundtrip = ["python3", "tools/load.py", "{snapshot}"]
//! timeout = "60s"
//! hashes = "baselines/snapshot/hashes.json"
//! ```

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use safety_gate_core::GateConfig;
use safety_gate_core::baselines::RefFile;
use safety_gate_core::config::resolve;
use safety_gate_core::duration::TimeLimit;
use safety_gate_core::{Mode, Producer, RollbackPlan};

use crate::error::SnapshotError;

/// Placeholder in a round-trip argv replaced by the snapshot's path.
pub const SNAPSHOT_PLACEHOLDER: &str = "{snapshot}";

/// Default time a round-trip or hash command may run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Which readers must keep working across a schema change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Compatibility {
    /// New code reads old data: the new schema accepts everything the old one did.
    #[default]
    Backward,
    /// Old code reads new data: the old schema accepts everything the new one does.
    Forward,
    /// Both directions.
    Full,
}

impl Compatibility {
    /// Lowercase name as used in config and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Compatibility::Backward => "backward",
            Compatibility::Forward => "forward",
            Compatibility::Full => "full",
        }
    }
}

impl FromStr for Compatibility {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "backward" => Ok(Compatibility::Backward),
            "forward" => Ok(Compatibility::Forward),
            "full" => Ok(Compatibility::Full),
            other => Err(format!(
                "unknown compatibility {other:?}: expected backward, forward or full"
            )),
        }
    }
}

/// One `[[snapshot]]` gate instance.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotConfig {
    /// Instance name, unique within a run.
    pub name: String,
    /// How failures count.
    #[serde(default)]
    pub mode: Mode,
    /// The current JSON Schema.
    pub schema: PathBuf,
    /// Snapshot files or globs validated against `schema`.
    #[serde(default)]
    pub snapshots: Vec<String>,
    /// Earlier schemas (files or globs) the current one must stay compatible with;
    /// more than one makes the check transitive.
    #[serde(default)]
    pub previous_schemas: Vec<String>,
    /// Compatibility mode for the schema comparison.
    #[serde(default)]
    pub compatibility: Compatibility,
    /// JSON Schema draft (`4`, `6`, `7`, `2019-09`, `2020-12`); read from `$schema` when absent.
    #[serde(default)]
    pub draft: Option<String>,
    /// JSON pointer of the version field in each snapshot (e.g. `/schema_version`).
    #[serde(default)]
    pub version_pointer: Option<String>,
    /// Lowest version accepted (dotted numbers, e.g. `0.9` or `1.6.0`).
    #[serde(default)]
    pub min_version: Option<String>,
    /// Loader run once per snapshot, as argv; `{snapshot}` is replaced by the file's path.
    #[serde(default)]
    pub roundtrip: Option<Vec<String>>,
    /// Whether the loader prints the re-saved snapshot, which must equal the input
    /// after canonicalisation and redactions.
    #[serde(default)]
    pub roundtrip_compare: bool,
    /// JSON pointers removed before comparing round trips and hashing.
    #[serde(default)]
    pub redact: Vec<String>,
    /// Time limit per command (`60s`, `500ms`, `2m`).
    #[serde(default = "default_timeout", deserialize_with = "deserialize_duration")]
    #[schemars(schema_with = "safety_gate_core::schema::time_limit")]
    pub timeout: Duration,
    /// Committed golden hashes (`{"name": "sha256"}`) the snapshots and hash commands must match.
    #[serde(default)]
    pub hashes: Option<PathBuf>,
    /// Where to record the current hashes (written atomically).
    #[serde(default)]
    pub write_hashes: Option<PathBuf>,
    /// Commands whose stdout (JSON) is hashed, by name, as argv.
    #[serde(default)]
    pub hash_command: BTreeMap<String, Vec<String>>,
    /// What to do when this gate triggers a rollback (shown in the rollback report).
    #[serde(default)]
    pub rollback: RollbackPlan,
    /// The command that writes the current schema (when it is generated), run before
    /// it is read.
    #[serde(default)]
    pub run: Option<Producer>,
    /// The folder golden-hash keys are relative to: the configured hashes file's
    /// folder, kept when the file itself is read from elsewhere (a git ref's copy for
    /// `--baseline-ref`), so the keys still name the same snapshots. Set by
    /// [`GateConfig::resolve_paths`]; the hashes file's folder when unset.
    #[serde(skip)]
    pub hash_anchor: Option<PathBuf>,
    /// The config file's folder: commands run there, and check names are shown relative
    /// to it when inside it. Set by [`GateConfig::resolve_paths`]; the current folder
    /// when unset.
    #[serde(skip)]
    pub base_dir: Option<PathBuf>,
    /// Under `--baseline-ref`: for each pattern of `snapshots` and `previous_schemas`,
    /// the files it names at the ref, each read from its copy. A pattern listed here
    /// names exactly these files, whatever the working tree holds.
    #[serde(skip)]
    pub from_ref: BTreeMap<String, Vec<RefFile>>,
}

impl SnapshotConfig {
    /// A config with only a name and a schema; every option at its default.
    pub fn new(name: impl Into<String>, schema: impl Into<PathBuf>) -> Self {
        SnapshotConfig {
            name: name.into(),
            mode: Mode::default(),
            schema: schema.into(),
            snapshots: Vec::new(),
            previous_schemas: Vec::new(),
            compatibility: Compatibility::default(),
            draft: None,
            version_pointer: None,
            min_version: None,
            roundtrip: None,
            roundtrip_compare: false,
            redact: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            hashes: None,
            write_hashes: None,
            hash_command: BTreeMap::new(),
            rollback: RollbackPlan::default(),
            run: None,
            hash_anchor: None,
            base_dir: None,
            from_ref: BTreeMap::new(),
        }
    }

    /// The folder of the hashes file (or of the file hashes are written to).
    pub fn configured_hash_anchor(&self) -> Option<PathBuf> {
        self.hashes
            .as_deref()
            .or(self.write_hashes.as_deref())
            .and_then(Path::parent)
            .map(Path::to_path_buf)
    }

    /// The file to read for `path`, a file a pattern named: its copy when it was read
    /// from a git ref, else `path` itself.
    pub fn source<'a>(&'a self, path: &'a Path) -> &'a Path {
        self.from_ref
            .values()
            .flatten()
            .find(|f| f.path == path)
            .map_or(path, |f| f.copy.as_path())
    }

    /// The folder commands run in.
    pub fn base(&self) -> PathBuf {
        match &self.base_dir {
            Some(dir) => dir.clone(),
            None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }
}

impl GateConfig for SnapshotConfig {
    fn name(&self) -> &str {
        &self.name
    }

    fn mode(&self) -> Mode {
        self.mode
    }

    fn resolve_paths(&mut self, base: &Path) {
        self.schema = resolve(base, &self.schema);
        self.hashes = self.hashes.as_deref().map(|p| resolve(base, p));
        self.write_hashes = self.write_hashes.as_deref().map(|p| resolve(base, p));
        self.hash_anchor = self.configured_hash_anchor();
        // Globs resolve lexically like paths (`**` and `*.json` are plain components).
        for pattern in self.snapshots.iter_mut().chain(&mut self.previous_schemas) {
            *pattern = resolve(base, Path::new(pattern.as_str()))
                .to_string_lossy()
                .into_owned();
        }
        self.base_dir = Some(resolve(base, Path::new("")));
    }
}

fn default_timeout() -> Duration {
    DEFAULT_TIMEOUT
}

fn deserialize_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    TimeLimit::deserialize(d).map(TimeLimit::get)
}

/// Parses `60s`, `500ms`, `1.5m`, `1h` (a bare number means seconds), within the
/// bounds of [`TimeLimit`].
pub fn parse_duration(text: &str) -> Result<Duration, SnapshotError> {
    text.parse::<TimeLimit>()
        .map(TimeLimit::get)
        .map_err(|message| SnapshotError::Duration { message })
}

/// Splits a command line into argv the way a POSIX shell would split words (quotes
/// and backslashes), without running any shell.
pub fn split_command(command: &str) -> Result<Vec<String>, SnapshotError> {
    let words = shlex::split(command).ok_or_else(|| SnapshotError::BadCommand {
        command: command.to_owned(),
        message: "unbalanced quotes or trailing backslash".to_owned(),
    })?;
    if words.is_empty() {
        return Err(SnapshotError::BadCommand {
            command: command.to_owned(),
            message: "no program given".to_owned(),
        });
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::config::parse_toml;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("60s").ok(), Some(Duration::from_secs(60)));
        assert_eq!(
            parse_duration("500ms").ok(),
            Some(Duration::from_millis(500))
        );
        assert_eq!(parse_duration("1.5m").ok(), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("2").ok(), Some(Duration::from_secs(2)));
        for bad in ["", "s", "10x", "-1s", "0s", "1e400s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn commands_split_like_a_shell_without_one() {
        let argv = split_command(r#"python3 "my loader.py" --x='a b' {snapshot}"#).expect("split");
        assert_eq!(argv, ["python3", "my loader.py", "--x=a b", "{snapshot}"]);
        // Shell syntax is passed through as plain words, never interpreted.
        let argv = split_command("echo hi; rm -rf x").expect("split");
        assert_eq!(argv, ["echo", "hi;", "rm", "-rf", "x"]);
        assert!(split_command("python3 'open").is_err());
        assert!(split_command("   ").is_err());
    }

    #[test]
    fn config_reads_defaults_and_rejects_unknown_keys() {
        let text =
            "name = \"t\"\nschema = \"s.json\"\nsnapshots = [\"../a/*.json\"]\ntimeout = \"5s\"\n";
        let mut cfg: SnapshotConfig = parse_toml(Path::new("c.toml"), text).expect("parses");
        assert_eq!(cfg.timeout, Duration::from_secs(5));
        assert_eq!(cfg.compatibility, Compatibility::Backward);
        cfg.resolve_paths(Path::new("/repo/ci"));
        assert_eq!(cfg.schema, PathBuf::from("/repo/ci/s.json"));
        assert_eq!(cfg.snapshots, ["/repo/a/*.json"]);
        assert_eq!(cfg.base(), PathBuf::from("/repo/ci"));

        let bad = "name = \"t\"\nschema = \"s.json\"\ntimeout = \"soon\"\n";
        let err = parse_toml::<SnapshotConfig>(Path::new("c.toml"), bad).expect_err("bad timeout");
        assert!(err.to_string().contains("c.toml:3"), "{err}");
        let unknown = "name = \"t\"\nschema = \"s.json\"\nshemas = 1\n";
        assert!(parse_toml::<SnapshotConfig>(Path::new("c.toml"), unknown).is_err());
    }
}

//! `safety-gate.toml`: report paths and the gate instances, one array of tables per
//! gate kind. Relative paths resolve against the config file's folder.

use safety_gate_characterization::CharacterizationConfig;
use safety_gate_core::baselines::Baselines;
use safety_gate_core::config::{GateCommon, load_toml, resolve};
use safety_gate_core::limits::ByteSize;
use safety_gate_core::{ConfigError, Mode};
use safety_gate_perf::PerfConfig;
use safety_gate_snapshot::SnapshotConfig;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The whole config file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Largest input file any gate reads (`"512MiB"`, or bytes); default 1 GiB.
    #[serde(default)]
    pub max_input_size: Option<ByteSize>,
    /// Where reports go.
    #[serde(default)]
    pub reports: Reports,
    /// Performance gate instances (`[[perf]]`).
    #[serde(default)]
    pub perf: Vec<PerfConfig>,
    /// Characterization gate instances (`[[characterization]]`).
    #[serde(default)]
    pub characterization: Vec<CharacterizationConfig>,
    /// Snapshot-compatibility gate instances (`[[snapshot]]`).
    #[serde(default)]
    pub snapshot: Vec<SnapshotConfig>,
}

/// `[reports]`: output paths; command-line flags override them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reports {
    /// JUnit XML output.
    pub junit: Option<PathBuf>,
    /// Machine report (JSON) output.
    pub json: Option<PathBuf>,
}

impl Config {
    /// Every gate instance, in kind order then file order.
    pub fn instances(&self) -> Vec<&dyn GateCommon> {
        let mut all: Vec<&dyn GateCommon> = Vec::new();
        all.extend(self.perf.iter().map(|c| c as &dyn GateCommon));
        all.extend(self.characterization.iter().map(|c| c as &dyn GateCommon));
        all.extend(self.snapshot.iter().map(|c| c as &dyn GateCommon));
        all
    }

    /// Every gate instance with its kind and baseline handling, in the order of
    /// [`Config::instances`].
    pub fn baseline_gates(&self) -> Vec<(&'static str, &dyn Baselines)> {
        let mut all: Vec<(&'static str, &dyn Baselines)> = Vec::new();
        all.extend(
            self.perf
                .iter()
                .map(|c| (safety_gate_perf::KIND, c as &dyn Baselines)),
        );
        all.extend(
            self.characterization
                .iter()
                .map(|c| (safety_gate_characterization::KIND, c as &dyn Baselines)),
        );
        all.extend(
            self.snapshot
                .iter()
                .map(|c| (safety_gate_snapshot::KIND, c as &dyn Baselines)),
        );
        all
    }

    /// Mutable [`Config::baseline_gates`], for pointing baselines at a git ref's copies.
    pub fn baseline_gates_mut(&mut self) -> Vec<(&'static str, &mut dyn Baselines)> {
        let mut all: Vec<(&'static str, &mut dyn Baselines)> = Vec::new();
        all.extend(
            self.perf
                .iter_mut()
                .map(|c| (safety_gate_perf::KIND, c as &mut dyn Baselines)),
        );
        all.extend(
            self.characterization
                .iter_mut()
                .map(|c| (safety_gate_characterization::KIND, c as &mut dyn Baselines)),
        );
        all.extend(
            self.snapshot
                .iter_mut()
                .map(|c| (safety_gate_snapshot::KIND, c as &mut dyn Baselines)),
        );
        all
    }

    /// Keeps only the instances for which `keep(kind, name)` holds.
    pub fn retain_gates(&mut self, keep: impl Fn(&str, &str) -> bool) {
        self.perf.retain(|c| keep(safety_gate_perf::KIND, &c.name));
        self.characterization
            .retain(|c| keep(safety_gate_characterization::KIND, &c.name));
        self.snapshot
            .retain(|c| keep(safety_gate_snapshot::KIND, &c.name));
    }

    fn instances_mut(&mut self) -> Vec<&mut dyn GateCommon> {
        let mut all: Vec<&mut dyn GateCommon> = Vec::new();
        all.extend(self.perf.iter_mut().map(|c| c as &mut dyn GateCommon));
        all.extend(
            self.characterization
                .iter_mut()
                .map(|c| c as &mut dyn GateCommon),
        );
        all.extend(self.snapshot.iter_mut().map(|c| c as &mut dyn GateCommon));
        all
    }
}

/// Loads, resolves and validates a config: it must define at least one gate, and gate
/// names must be unique, since a run that checked nothing must not pass.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let mut config: Config = load_toml(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    for gate in config.instances_mut() {
        gate.resolve_paths(&base);
    }
    config.reports.junit = config.reports.junit.map(|p| resolve(&base, &p));
    config.reports.json = config.reports.json.map(|p| resolve(&base, &p));
    validate(path, &config)?;
    Ok(config)
}

fn validate(path: &Path, config: &Config) -> Result<(), ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let instances = config.instances();
    if instances.is_empty() {
        return Err(invalid(format!(
            "defines no gate: add a [[{}]] table; a run that checks nothing cannot pass",
            crate::gates::GATES
                .iter()
                .map(|g| g.kind)
                .collect::<Vec<_>>()
                .join("]], [[")
        )));
    }
    if instances.iter().all(|g| g.mode() == Mode::Off) {
        return Err(invalid(
            "every gate has mode = \"off\": a run that checks nothing cannot pass".to_string(),
        ));
    }
    let mut seen = BTreeSet::new();
    for gate in instances {
        if gate.name().trim().is_empty() {
            return Err(invalid("a gate has an empty name".to_string()));
        }
        if !seen.insert(gate.name()) {
            return Err(invalid(format!(
                "two gates are named `{}`: names must be unique",
                gate.name()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("safety-gate.toml");
        std::fs::write(&path, text).expect("write");
        load(&path)
    }

    const PERF: &str = "[[perf]]\nname = \"a\"\nbaseline = \"b.json\"\ncurrent = \"c.json\"\n";

    #[test]
    fn resolves_paths_against_config_folder() {
        let config = load_text(PERF).expect("valid");
        assert!(config.perf[0].baseline.is_absolute());
        assert!(config.perf[0].baseline.ends_with("b.json"));
    }

    #[test]
    fn rejects_no_gates_duplicates_and_unknown_keys() {
        let err = load_text("[reports]\n").expect_err("no gates").to_string();
        assert!(err.contains("defines no gate"), "{err}");
        let err = load_text(&format!("{PERF}{PERF}"))
            .expect_err("duplicate")
            .to_string();
        assert!(err.contains("two gates are named `a`"), "{err}");
        let err = load_text(&format!("{PERF}treshold = \"5%\"\n"))
            .expect_err("unknown")
            .to_string();
        assert!(err.contains("treshold"), "{err}");
        let err = load_text(&format!("{PERF}mode = \"off\"\n"))
            .expect_err("all off")
            .to_string();
        assert!(err.contains("every gate has mode = \"off\""), "{err}");
    }

    #[test]
    fn max_input_size_is_a_top_level_key() {
        let config = load_text(&format!("max_input_size = \"2MiB\"\n{PERF}")).expect("valid");
        assert_eq!(config.max_input_size.map(ByteSize::bytes), Some(2 << 20));
        let err = load_text(&format!("max_input_size = \"huge\"\n{PERF}"))
            .expect_err("bad size")
            .to_string();
        assert!(err.contains("huge"), "{err}");
    }
}

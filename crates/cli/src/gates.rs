//! The registry of gate kinds, and running every configured instance.

use safety_gate_core::config::GateCommon;
use safety_gate_core::{GateReport, Mode, RunReport};

use crate::config::Config;

/// What the cli knows of a gate kind.
#[derive(Debug)]
pub struct GateInfo {
    /// The kind, as in `[[kind]]` config tables and reports.
    pub kind: &'static str,
    /// One line for `safety-gate gates`.
    pub summary: &'static str,
}

/// Every gate kind this build knows.
pub const GATES: &[GateInfo] = &[
    GateInfo {
        kind: safety_gate_perf::KIND,
        summary: "benchmark results against a committed baseline; fails on a regression beyond the threshold",
    },
    GateInfo {
        kind: safety_gate_characterization::KIND,
        summary: "strict JUnit validation (skips, xfails, missing tests fail) and golden-output drift",
    },
    GateInfo {
        kind: safety_gate_snapshot::KIND,
        summary: "saved snapshots against the current JSON Schema, schema evolution, loader round trips, golden hashes",
    },
];

/// Runs every configured gate instance in config order.
pub fn run_all(config: &Config) -> RunReport {
    let mut gates = Vec::new();
    gates.extend(
        config
            .perf
            .iter()
            .map(|c| run_one(c, safety_gate_perf::KIND, safety_gate_perf::run)),
    );
    gates.extend(config.characterization.iter().map(|c| {
        run_one(
            c,
            safety_gate_characterization::KIND,
            safety_gate_characterization::run,
        )
    }));
    gates.extend(
        config
            .snapshot
            .iter()
            .map(|c| run_one(c, safety_gate_snapshot::KIND, safety_gate_snapshot::run)),
    );
    RunReport { gates }
}

/// Runs one instance unless it is switched off.
pub fn run_one<C: GateCommon>(config: &C, kind: &str, run: fn(&C) -> GateReport) -> GateReport {
    if config.mode() == Mode::Off {
        GateReport::new(kind, config.name(), Mode::Off)
    } else {
        run(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every gate crate in the workspace must be registered here.
    #[test]
    fn every_gate_crate_is_registered() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../gates");
        let mut kinds: Vec<String> = std::fs::read_dir(&crates)
            .expect("crates/gates folder")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        kinds.sort();
        let mut registered: Vec<String> = GATES.iter().map(|g| g.kind.to_string()).collect();
        registered.sort();
        assert_eq!(kinds, registered);
    }

    /// Every registered kind must be a table the config accepts.
    #[test]
    fn every_registered_kind_is_a_config_table() {
        for gate in GATES {
            let text = format!("[[{}]]\n", gate.kind);
            let err = toml::from_str::<Config>(&text)
                .expect_err("missing fields")
                .to_string();
            assert!(
                !err.contains("unknown field"),
                "[[{}]] not accepted: {err}",
                gate.kind
            );
        }
    }
}

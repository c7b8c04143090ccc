//! The one registration point of gate kinds.
//!
//! Registering a gate is one line in the `registry!` call at the bottom of this file.
//! From it follow the `[[kind]]` field of [`Config`], the iteration over every
//! configured instance ([`Config::instances`], which `--gate` selection,
//! `--baseline-ref`, `baseline accept`, the run and the rollback plans all use) and the
//! [`GATES`] list behind `safety-gate gates`. No other place names a gate kind, so no
//! place can forget one; a test fails when a crate under `crates/gates/` is missing.

use safety_gate_core::limits::ByteSize;
use safety_gate_core::parallel::Jobs;
use safety_gate_core::{Gate, GateInstance, Instance};
use serde::Deserialize;

use crate::config::Reports;

/// What the engine knows of a gate kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateInfo {
    /// The kind, as in `[[kind]]` config tables and reports.
    pub kind: &'static str,
    /// One line for `safety-gate gates`.
    pub summary: &'static str,
    /// The field of [`Config`] holding its tables (always the kind).
    table: &'static str,
}

/// Generates [`Config`] with one `Vec<GateInstance<G>>` field per gate, the iteration
/// over instances and [`GATES`], from `table => GateType` lines.
macro_rules! registry {
    ($($table:ident => $gate:ty),+ $(,)?) => {
        /// The whole config file: settings, report paths, then one array of tables per
        /// gate kind. Relative paths resolve against the config file's folder.
        #[derive(Debug, Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[schemars(title = "safety-gate.toml")]
        pub struct Config {
            /// Largest input file any gate reads (`"512MiB"`, or bytes); default 1 GiB.
            #[serde(default)]
            pub max_input_size: Option<ByteSize>,
            /// How many commands (snapshot loaders, producers) run at once; by default
            /// the number of cores.
            #[serde(default)]
            pub jobs: Option<Jobs>,
            /// Where reports go.
            #[serde(default)]
            pub reports: Reports,
            $(
                #[doc = concat!("`[[", stringify!($table), "]]` instances.")]
                #[serde(default)]
                pub $table: Vec<GateInstance<$gate>>,
            )+
        }

        impl Config {
            /// A config with no gate and default settings.
            pub fn empty() -> Self {
                Config {
                    max_input_size: None,
                    jobs: None,
                    reports: Reports::default(),
                    $($table: Vec::new(),)+
                }
            }

            /// Every gate instance, in registry order, then in file order.
            pub fn instances(&self) -> Vec<&dyn Instance> {
                let mut all: Vec<&dyn Instance> = Vec::new();
                $(all.extend(self.$table.iter().map(|g| g as &dyn Instance));)+
                all
            }

            /// Every gate instance, mutable, in the order of [`Config::instances`].
            pub fn instances_mut(&mut self) -> Vec<&mut dyn Instance> {
                let mut all: Vec<&mut dyn Instance> = Vec::new();
                $(all.extend(self.$table.iter_mut().map(|g| g as &mut dyn Instance));)+
                all
            }

            /// Adds the instances of `other` that this config does not have (by kind
            /// and name), after its own.
            pub fn adopt_new(&mut self, other: Config) {
                $(
                    for g in other.$table {
                        if !self.$table.iter().any(|mine| mine.name() == g.name()) {
                            self.$table.push(g);
                        }
                    }
                )+
            }

            /// Keeps only the instances for which `keep` holds.
            pub fn retain(&mut self, keep: impl Fn(&dyn Instance) -> bool) {
                $(self.$table.retain(|g| keep(g));)+
            }
        }

        /// Every gate kind this build knows, in registry order.
        pub const GATES: &[GateInfo] = &[$(
            GateInfo {
                kind: <$gate as Gate>::KIND,
                summary: <$gate as Gate>::SUMMARY,
                table: stringify!($table),
            },
        )+];
    };
}

registry! {
    perf => safety_gate_perf::PerfGate,
    characterization => safety_gate_characterization::CharacterizationGate,
    snapshot => safety_gate_snapshot::SnapshotGate,
    findings => safety_gate_findings::FindingsGate,
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

    /// A gate's tables sit under its kind, so `[[kind]]` is what the config accepts.
    #[test]
    fn every_kind_is_its_config_table() {
        for gate in GATES {
            assert_eq!(gate.table, gate.kind);
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

    /// Instances come in registry order, then file order, whatever the file's order.
    #[test]
    fn instances_follow_the_registry_then_the_file() {
        let config: Config = toml::from_str(
            "[[snapshot]]\nname = \"s\"\nschema = \"s.json\"\n\
             [[perf]]\nname = \"p2\"\nbaseline = \"b\"\ncurrent = \"c\"\n\
             [[perf]]\nname = \"p1\"\nbaseline = \"b\"\ncurrent = \"c\"\n",
        )
        .expect("config");
        let labels: Vec<String> = config.instances().iter().map(|g| g.label()).collect();
        assert_eq!(labels, ["perf/p2", "perf/p1", "snapshot/s"]);
        assert_eq!(Config::empty().instances().len(), 0);
    }
}

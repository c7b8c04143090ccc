//! The contract between a gate crate and the engine.
//!
//! A gate crate implements [`Gate`] once, on a unit type: its kind, its config table,
//! how it runs, its baseline files and how `baseline accept` promotes current results,
//! its rollback plan, and which way is better for its checks. The engine's registry
//! holds each configured table as a [`GateInstance`], and works with every instance of
//! every kind through the object-safe [`Instance`] view: iteration, `--gate`
//! selection, `--baseline-ref`, `baseline accept` and the run itself follow from the
//! one registration line, so no place can forget a gate.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::any::Any;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};

use crate::baselines::{BaselineUpdate, RefFile};
use crate::check::Check;
use crate::context::RunContext;
use crate::direction::Direction;
use crate::error::InputError;
use crate::loosening::{Loosening, Looser};
use crate::producer::Producer;
use crate::report::GateReport;
use crate::rollback_plan::RollbackPlan;
use crate::status::Mode;

/// What the engine reads of any gate's config table.
pub trait GateConfig {
    /// Instance name, unique within a run.
    fn name(&self) -> &str;
    /// How the gate's failures count.
    fn mode(&self) -> Mode;
    /// Makes relative paths absolute against `base` (the config file's folder).
    fn resolve_paths(&mut self, base: &Path);
}

/// One kind of gate.
pub trait Gate: 'static {
    /// The `[[kind]]` table of `safety-gate.toml`.
    type Config: GateConfig
        + DeserializeOwned
        + schemars::JsonSchema
        + Clone
        + fmt::Debug
        + Send
        + Sync
        + 'static;

    /// The kind, as in `[[kind]]` config tables, `--gate` and reports.
    const KIND: &'static str;

    /// One line for `safety-gate gates`.
    const SUMMARY: &'static str;

    /// Runs one instance. Never panics: unreadable inputs become error checks naming
    /// the file, and every input is read within `ctx.limits`.
    fn run(config: &Self::Config, ctx: &RunContext) -> GateReport;

    /// The procedure, risk and time to roll back configured for an instance (the
    /// `rollback` key every gate table embeds).
    fn rollback_plan(config: &Self::Config) -> &RollbackPlan;

    /// The `(baseline, current)` inputs an instance compares, as configured. A pair
    /// naming one file on both sides is an error ([`crate::same_file`]), found before
    /// the gate runs; a pair that reads different parts of one folder (a criterion
    /// tree's saved baseline beside its new results) is not listed.
    fn compared_files(config: &Self::Config) -> Vec<(&Path, &Path)>;

    /// Every baseline file an instance reads, mutable so that the engine can point
    /// them at copies read from a git ref. A gate that derives names or keys from a
    /// baseline path pins them here, before the path changes.
    fn baseline_files(config: &mut Self::Config) -> Vec<&mut PathBuf>;

    /// The globs (and paths) of the config that name baseline files, as resolved. Under
    /// `--baseline-ref` the engine lists what each matches at the ref, copies those
    /// files out of it and hands them to [`Gate::pin_baseline_glob`].
    fn baseline_globs(config: &Self::Config) -> Vec<String> {
        let _ = config;
        Vec::new()
    }

    /// Makes `pattern` (one of [`Gate::baseline_globs`]) name exactly `files`, read from
    /// a git ref, whatever it matches in the working tree.
    fn pin_baseline_glob(config: &mut Self::Config, pattern: &str, files: Vec<RefFile>) {
        let _ = (config, pattern, files);
    }

    /// The files that promote the current results to baselines. Reading the current
    /// results may fail; the error names the file.
    fn accept(config: &Self::Config, ctx: &RunContext) -> Result<Vec<BaselineUpdate>, InputError>;

    /// Which way is better for the check with this id, when the gate knows.
    fn direction(config: &Self::Config, check_id: &str) -> Option<Direction> {
        let _ = (config, check_id);
        None
    }

    /// The command that produces an instance's current results: its `run` key.
    fn producer(config: &Self::Config) -> Option<&Producer>;

    /// The files and globs an instance reads as its current results, as resolved
    /// paths: what its producer must have written during the run.
    fn result_files(config: &Self::Config) -> Vec<String>;

    /// Whether the results are timings that commands running at the same time would
    /// disturb; the producer of such a gate then runs alone.
    const TIMING: bool = false;

    /// What `change` loosens against `reference`, the same instance as a trusted git
    /// ref configures it (`--baseline-ref`), setting by setting (see [`Looser`]). The
    /// mode and the producer are compared for every gate by the engine; the name is the
    /// key and the rollback plan is not a setting. The default counts any change to
    /// the table as one loosening, so a gate that does not rank its settings is
    /// treated conservatively; a gate that does destructures its table without `..`, so
    /// a field added later cannot be forgotten.
    fn loosenings(reference: &Self::Config, change: &Self::Config) -> Vec<Loosening> {
        crate::loosening::any_change(reference, change)
    }
}

/// One configured instance of gate `G`: its table, deserialized as the table itself.
pub struct GateInstance<G: Gate> {
    config: G::Config,
}

impl<G: Gate> GateInstance<G> {
    /// An instance from its config table.
    pub fn new(config: G::Config) -> Self {
        GateInstance { config }
    }

    /// The config table.
    pub fn config(&self) -> &G::Config {
        &self.config
    }

    /// The config table, by value.
    pub fn into_config(self) -> G::Config {
        self.config
    }
}

impl<G: Gate> schemars::JsonSchema for GateInstance<G> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        G::Config::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        G::Config::json_schema(generator)
    }
}

impl<G: Gate> Deref for GateInstance<G> {
    type Target = G::Config;

    fn deref(&self) -> &G::Config {
        &self.config
    }
}

impl<G: Gate> DerefMut for GateInstance<G> {
    fn deref_mut(&mut self) -> &mut G::Config {
        &mut self.config
    }
}

impl<G: Gate> Clone for GateInstance<G> {
    fn clone(&self) -> Self {
        GateInstance::new(self.config.clone())
    }
}

impl<G: Gate> fmt::Debug for GateInstance<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(G::KIND).field(&self.config).finish()
    }
}

impl<'de, G: Gate> Deserialize<'de> for GateInstance<G> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        G::Config::deserialize(d).map(GateInstance::new)
    }
}

/// Any configured gate instance, whatever its kind.
pub trait Instance: fmt::Debug + Send + Sync {
    /// The gate's kind.
    fn kind(&self) -> &'static str;
    /// The instance's name.
    fn name(&self) -> &str;
    /// `kind/name`, as in reports.
    fn label(&self) -> String {
        format!("{}/{}", self.kind(), self.name())
    }
    /// How its failures count.
    fn mode(&self) -> Mode;
    /// Its rollback plan.
    fn rollback_plan(&self) -> &RollbackPlan;
    /// Runs it; an instance whose mode is `off` reports nothing and reads nothing.
    fn run(&self, ctx: &RunContext) -> GateReport;
    /// See [`Gate::accept`].
    fn accept(&self, ctx: &RunContext) -> Result<Vec<BaselineUpdate>, InputError>;
    /// See [`Gate::direction`].
    fn direction(&self, check_id: &str) -> Option<Direction>;
    /// See [`Gate::baseline_files`].
    fn baseline_files(&mut self) -> Vec<&mut PathBuf>;
    /// See [`Gate::baseline_globs`].
    fn baseline_globs(&self) -> Vec<String>;
    /// See [`Gate::pin_baseline_glob`].
    fn pin_baseline_glob(&mut self, pattern: &str, files: Vec<RefFile>);
    /// One error check per compared pair that names a single file on both sides
    /// (see [`Gate::compared_files`]).
    fn same_file_checks(&self) -> Vec<Check>;
    /// See [`GateConfig::resolve_paths`].
    fn resolve_paths(&mut self, base: &Path);
    /// See [`Gate::producer`].
    fn producer(&self) -> Option<&Producer>;
    /// See [`Gate::result_files`].
    fn result_files(&self) -> Vec<String>;
    /// See [`Gate::TIMING`].
    fn timing(&self) -> bool;
    /// The instance, for [`Instance::loosenings_from`] to find its kind.
    fn as_any(&self) -> &dyn Any;
    /// What this instance loosens against `reference`, the same instance in a trusted
    /// git ref: its mode, its producer (a different command, or more accepted exit
    /// codes), then [`Gate::loosenings`]. `None` when `reference` is of another kind.
    fn loosenings_from(&self, reference: &dyn Instance) -> Option<Vec<Loosening>>;
}

impl<G: Gate> Instance for GateInstance<G> {
    fn kind(&self) -> &'static str {
        G::KIND
    }

    fn name(&self) -> &str {
        self.config.name()
    }

    fn mode(&self) -> Mode {
        self.config.mode()
    }

    fn rollback_plan(&self) -> &RollbackPlan {
        G::rollback_plan(&self.config)
    }

    fn run(&self, ctx: &RunContext) -> GateReport {
        if self.mode() == Mode::Off {
            return GateReport::new(G::KIND, self.name(), Mode::Off);
        }
        let same = self.same_file_checks();
        if same.is_empty() {
            return G::run(&self.config, ctx);
        }
        let mut report = GateReport::new(G::KIND, self.name(), self.mode());
        report.checks = same;
        report
    }

    fn accept(&self, ctx: &RunContext) -> Result<Vec<BaselineUpdate>, InputError> {
        G::accept(&self.config, ctx)
    }

    fn direction(&self, check_id: &str) -> Option<Direction> {
        G::direction(&self.config, check_id)
    }

    fn baseline_files(&mut self) -> Vec<&mut PathBuf> {
        G::baseline_files(&mut self.config)
    }

    fn baseline_globs(&self) -> Vec<String> {
        G::baseline_globs(&self.config)
    }

    fn pin_baseline_glob(&mut self, pattern: &str, files: Vec<RefFile>) {
        G::pin_baseline_glob(&mut self.config, pattern, files);
    }

    fn same_file_checks(&self) -> Vec<Check> {
        crate::same_file::same_file_checks(G::compared_files(&self.config))
    }

    fn resolve_paths(&mut self, base: &Path) {
        self.config.resolve_paths(base);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn loosenings_from(&self, reference: &dyn Instance) -> Option<Vec<Loosening>> {
        let reference = reference.as_any().downcast_ref::<GateInstance<G>>()?;
        let mut looser = Looser::new();
        looser.mode("mode", reference.mode(), self.mode());
        let (was, now) = (reference.producer(), self.producer());
        looser.present("run", &was.map(|p| &p.argv), &now.map(|p| &p.argv));
        if let (Some(was), Some(now)) = (was, now) {
            looser.not_widened("run.exit_codes", &was.exit_codes, &now.exit_codes);
        }
        let mut found = looser.into_vec();
        found.extend(G::loosenings(&reference.config, &self.config));
        Some(found)
    }

    fn producer(&self) -> Option<&Producer> {
        G::producer(&self.config)
    }

    fn result_files(&self) -> Vec<String> {
        G::result_files(&self.config)
    }

    fn timing(&self) -> bool {
        G::TIMING
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::InputLimits;
    use crate::limits::ByteSize;

    /// A gate whose one check reports the input limit it was run with.
    struct Echo;

    #[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
    struct EchoConfig {
        name: String,
        #[serde(default)]
        mode: Mode,
        baseline: PathBuf,
        #[serde(default)]
        current: Option<PathBuf>,
        #[serde(default)]
        rollback: RollbackPlan,
    }

    impl GateConfig for EchoConfig {
        fn name(&self) -> &str {
            &self.name
        }
        fn mode(&self) -> Mode {
            self.mode
        }
        fn resolve_paths(&mut self, base: &Path) {
            self.baseline = base.join(&self.baseline);
        }
    }

    impl Gate for Echo {
        type Config = EchoConfig;
        const KIND: &'static str = "echo";
        const SUMMARY: &'static str = "reports its context";

        fn run(config: &EchoConfig, ctx: &RunContext) -> GateReport {
            let mut report = GateReport::new(Self::KIND, &config.name, config.mode);
            report.push(Check::pass("limit", ctx.limits.max_bytes().to_string()));
            report
        }
        fn rollback_plan(config: &EchoConfig) -> &RollbackPlan {
            &config.rollback
        }
        fn compared_files(config: &EchoConfig) -> Vec<(&Path, &Path)> {
            config
                .current
                .iter()
                .map(|c| (config.baseline.as_path(), c.as_path()))
                .collect()
        }
        fn baseline_files(config: &mut EchoConfig) -> Vec<&mut PathBuf> {
            vec![&mut config.baseline]
        }
        fn accept(_: &EchoConfig, _: &RunContext) -> Result<Vec<BaselineUpdate>, InputError> {
            Ok(Vec::new())
        }
        fn producer(_: &EchoConfig) -> Option<&Producer> {
            None
        }
        fn result_files(_: &EchoConfig) -> Vec<String> {
            Vec::new()
        }
    }

    fn instance(text: &str) -> GateInstance<Echo> {
        toml::from_str(text).expect("valid table")
    }

    #[test]
    fn an_instance_is_its_table_seen_through_the_gate() {
        let mut echo = instance("name = \"e\"\nbaseline = \"b.json\"\n");
        let dynamic: &mut dyn Instance = &mut echo;
        assert_eq!(dynamic.label(), "echo/e");
        dynamic.resolve_paths(Path::new("/repo"));
        *dynamic.baseline_files()[0] = PathBuf::from("/ref/b.json");
        assert_eq!(echo.baseline, PathBuf::from("/ref/b.json"));
        let ctx = RunContext {
            limits: InputLimits::new(Some(ByteSize::new(10))),
            ..RunContext::default()
        };
        assert_eq!(echo.run(&ctx).checks[0].message, "10");
    }

    #[test]
    fn a_pair_naming_one_file_errors_before_the_gate_runs() {
        let echo = instance("name = \"e\"\nbaseline = \"b.json\"\ncurrent = \"./b.json\"\n");
        let report = echo.run(&RunContext::default());
        assert_eq!(report.checks.len(), 1, "{report:?}");
        assert_eq!(report.checks[0].id, "same-file");
        assert_eq!(report.verdict(), crate::GateVerdict::Error);
        let echo = instance("name = \"e\"\nbaseline = \"b.json\"\ncurrent = \"c.json\"\n");
        assert_eq!(echo.run(&RunContext::default()).checks[0].id, "limit");
    }

    #[test]
    fn a_gate_that_does_not_rank_its_settings_is_treated_conservatively() {
        let was = instance("name = \"e\"\nbaseline = \"b.json\"\n");
        let same = instance("name = \"e\"\nbaseline = \"b.json\"\n");
        assert_eq!(same.loosenings_from(&was), Some(Vec::new()));
        // Echo does not implement `loosenings`: any change to its table counts.
        let moved = instance("name = \"e\"\nbaseline = \"elsewhere.json\"\n");
        assert_eq!(moved.loosenings_from(&was).map(|l| l.len()), Some(1));
        // The mode is compared for every gate, whatever it implements.
        let warn = instance("name = \"e\"\nmode = \"warn\"\nbaseline = \"b.json\"\n");
        let found = warn.loosenings_from(&was).unwrap_or_default();
        assert_eq!(found[0].setting, "mode");
    }

    #[test]
    fn an_instance_switched_off_does_not_run() {
        let echo = instance("name = \"e\"\nmode = \"off\"\nbaseline = \"b\"\n");
        let report = echo.run(&RunContext::default());
        assert_eq!((report.mode, report.checks.len()), (Mode::Off, 0));
    }
}

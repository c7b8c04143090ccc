//! The `check` pipeline: load the config, narrow it to `--gate`, point baselines at
//! `--baseline-ref`, run the gates' producers (unless `--no-run`), then every gate with
//! one [`RunContext`], record the history and judge drift, apply waivers. It returns the run report and what the outputs need;
//! writing the reports and printing are the caller's.

use safety_gate_core::limits::ByteSize;
use safety_gate_core::parallel::Jobs;
use safety_gate_core::{
    BaselineSource, Check, Clock, GateReport, InputLimits, Mode, RollbackPlan, RunContext,
    RunReport,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{self, Config, Reports};
use crate::trust::{self, TrustOptions, Waivers};
use crate::{baseline_ref, drift, git, history, missing, produce, run, select, waivers};

/// What `check` is asked to do besides running the config's gates.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Run only these gates: a name or a kind each (`--gate`).
    pub gates: Vec<String>,
    /// Largest input file, overriding the config's `max_input_size`.
    pub max_input_size: Option<ByteSize>,
    /// Read every baseline from this git ref instead of the working tree.
    pub baseline_ref: Option<String>,
    /// With `baseline_ref`: what the change loosens is a warning, and the change's own
    /// settings and waivers are judged (a maintainer's approval).
    pub allow_loosening: bool,
    /// Append this run to a history and judge drift.
    pub history: Option<HistoryOptions>,
    /// The waivers file; by default `baselines/waivers.toml` beside the config, when
    /// it exists.
    pub waivers: Option<PathBuf>,
    /// The time of the run (history entries, waiver expiry).
    pub clock: Clock,
    /// How many commands may run at once, overriding the config's `jobs` (default: the
    /// number of cores).
    pub jobs: Option<Jobs>,
    /// Judge the result files as they are, without running the gates' producers.
    pub no_run: bool,
}

/// `--history FILE` and its drift settings.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    /// The JSONL history.
    pub path: PathBuf,
    /// How many of the latest entries the drift check looks at.
    pub window: usize,
    /// Largest cumulative drift over the window, as a fraction (default: each check's
    /// own threshold).
    pub threshold: Option<f64>,
}

/// What a `check` run produced.
#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    /// The gates' reports, then the drift and waivers gates when asked for.
    pub report: RunReport,
    /// Report paths from the config (flags override them).
    pub reports: Reports,
    /// Each gate's rollback plan, by label (`perf/tick`).
    pub plans: BTreeMap<String, RollbackPlan>,
    /// Remarks for the person running the check that are not problems (a history too
    /// short to judge yet).
    pub notes: Vec<String>,
}

/// Loads the config at `config_path` and runs it. A config that cannot be loaded is a
/// report with one error check (see [`config_error_report`]), never an early exit.
pub fn check(config_path: &Path, options: &CheckOptions) -> CheckRun {
    match config::load(config_path) {
        Ok(config) => evaluate(config_path, config, options),
        Err(e) => CheckRun {
            report: config_error_report(config_path, &e.to_string()),
            ..CheckRun::default()
        },
    }
}

/// Runs a loaded config; `config_path` is where it was read from.
pub fn evaluate(config_path: &Path, mut config: Config, options: &CheckOptions) -> CheckRun {
    let reports = std::mem::take(&mut config.reports);
    let default_waivers = config_path
        .parent()
        .unwrap_or(Path::new(""))
        .join("baselines/waivers.toml");
    // Under --baseline-ref the ref's settings and waivers are judged (see `trust`).
    let mut trusted = None;
    if let Some(refname) = &options.baseline_ref {
        let trust_options = TrustOptions {
            refname,
            allow_loosening: options.allow_loosening,
            config_path,
            waivers_path: options.waivers.as_deref().unwrap_or(&default_waivers),
        };
        match trust::settle(config, &trust_options) {
            Ok(settled) => {
                config = settled.config;
                trusted = Some((settled.waivers, settled.report));
            }
            Err(message) => {
                return CheckRun {
                    report: config_error_report(config_path, &message),
                    reports,
                    ..CheckRun::default()
                };
            }
        }
    }
    let ctx = RunContext {
        limits: InputLimits::new(options.max_input_size.or(config.max_input_size)),
        baselines: match &options.baseline_ref {
            Some(refname) => BaselineSource::GitRef(refname.clone()),
            None => BaselineSource::WorkingTree,
        },
        clock: options.clock,
        config_dir: config_path.parent().unwrap_or(Path::new("")).to_path_buf(),
        jobs: options.jobs.or(config.jobs).unwrap_or_else(Jobs::available),
    };
    let mut out = CheckRun {
        reports,
        ..CheckRun::default()
    };
    let selected =
        select::retain(&mut config, &options.gates).and_then(|()| match &options.history {
            Some(h) if h.window < drift::MIN_RUNS => Err(format!(
                "--drift-window {} is too short: the drift check needs at least {} runs",
                h.window,
                drift::MIN_RUNS
            )),
            _ => Ok(()),
        });
    if let Err(message) = selected {
        out.report = config_error_report(config_path, &message);
        return out;
    }
    out.plans = config
        .instances()
        .into_iter()
        .map(|g| (g.label(), g.rollback_plan().clone()))
        .collect();
    let baselines: Vec<Vec<PathBuf>> = config
        .instances_mut()
        .into_iter()
        .map(missing::baseline_paths)
        .collect();
    let redirect = match &options.baseline_ref {
        Some(refname) => match baseline_ref::redirect(&mut config, refname, ctx.limits.max_bytes())
        {
            Ok(r) => Some(r),
            Err(message) => {
                out.report = config_error_report(config_path, &message);
                return out;
            }
        },
        None => None,
    };
    let mut report = if options.no_run {
        run::run_all(&config, &ctx)
    } else {
        produce::run_all(&config, &ctx)
    };
    match &redirect {
        Some(r) => r.annotate(&mut report),
        None => {
            let flag = config_flag(config_path);
            for (gate, paths) in report.gates.iter_mut().zip(&baselines) {
                let name = gate.name.clone();
                missing::explain(gate, paths, |_| missing::accept_hint(&flag, &name));
            }
        }
    }
    if let Some(history) = &options.history {
        if let Some(gate) = record_history(&report, &config, &ctx, history, &mut out.notes) {
            report.gates.push(gate);
        }
    }
    let (waivers, trust_report) = match trusted {
        Some((waivers, report)) => (waivers, Some(report)),
        None => (working_tree_waivers(options, &default_waivers), None),
    };
    if let Some(waivers) = waivers {
        let ran: Vec<String> = config.instances().iter().map(|g| g.label()).collect();
        let scope = if options.gates.is_empty() {
            waivers::Scope::Full
        } else {
            waivers::Scope::Selected(&ran)
        };
        let gate = match &waivers.file {
            Ok(file) => {
                waivers::apply(&mut report, file, &waivers.source, ctx.clock.today(), scope)
            }
            Err(e) => {
                let mut g = GateReport::bookkeeping("waivers", &waivers.source);
                g.push(
                    Check::error("waivers", e)
                        .with_file(&waivers.path)
                        .bookkeeping(),
                );
                Some(g)
            }
        };
        report.gates.extend(gate);
    }
    // After the waivers: no waiver can waive what a change loosens.
    report.gates.extend(trust_report);
    report.settle();
    out.report = report;
    out
}

/// The working tree's waivers: `--waivers FILE`, else the default file when it exists.
fn working_tree_waivers(options: &CheckOptions, default: &Path) -> Option<Waivers> {
    let path = options
        .waivers
        .clone()
        .or_else(|| default.exists().then(|| default.to_path_buf()))?;
    Some(Waivers {
        source: path.display().to_string(),
        file: waivers::load(&path).map_err(|e| e.to_string()),
        path,
    })
}

/// ` --config PATH` for commands suggested to the user, or nothing for the default
/// config.
pub fn config_flag(config_path: &Path) -> String {
    if config_path == Path::new(crate::config::DEFAULT_PATH) {
        String::new()
    } else {
        format!(" --config {}", config_path.display())
    }
}

/// A report standing for a config that could not be loaded or applied, so that the
/// JUnit and JSON outputs still say why the run could not decide.
pub fn config_error_report(path: &Path, message: &str) -> RunReport {
    let mut gate = GateReport::bookkeeping("config", path.display().to_string());
    gate.push(
        Check::error("config", message)
            .with_file(path)
            .bookkeeping(),
    );
    RunReport { gates: vec![gate] }
}

/// Appends this run to the history and returns the drift gate; a history that cannot be
/// read or written becomes an error check (the nightly job must not pass blind).
fn record_history(
    report: &RunReport,
    config: &Config,
    ctx: &RunContext,
    options: &HistoryOptions,
    notes: &mut Vec<String>,
) -> Option<GateReport> {
    let path = options.path.as_path();
    let name = path.display().to_string();
    let error_gate = |message: String| {
        let mut g = GateReport::new("drift", &name, Mode::Enforce);
        g.push(Check::error("history", message).with_file(path));
        Some(g)
    };
    let instances = config.instances();
    let entry = history::entry(
        report,
        ctx.clock.rfc3339(),
        git::head_commit(),
        |gate, id| {
            instances
                .iter()
                .find(|g| g.name() == gate)
                .and_then(|g| g.direction(id))
        },
    );
    // Read (and so check) the history before appending: a corrupt or oversized history
    // is reported as it is, not rewritten with one more line.
    let mut entries = match history::load(path, ctx.limits.max_bytes()) {
        Ok(e) => e,
        Err(e) => return error_gate(e.to_string()),
    };
    let bytes = match history::appended(path, &entry, ctx.limits.max_bytes()) {
        Ok(b) => b,
        Err(e) => return error_gate(e.to_string()),
    };
    if let Err(e) = safety_gate_core::atomic::write_atomic(path, &bytes) {
        return error_gate(e.to_string());
    }
    entries.push(entry);
    let gate = history::drift_gate(&name, &entries, options.window, options.threshold);
    if gate.is_none() {
        // Not a problem: the first nights of a history have nothing to judge yet.
        notes.push(format!(
            "{name} holds {} runs; the drift check starts at {}",
            entries.len(),
            drift::MIN_RUNS
        ));
    }
    gate
}

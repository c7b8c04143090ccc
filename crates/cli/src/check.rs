//! `safety-gate check`: load the config, narrow it to `--gate`, point baselines at
//! `--baseline-ref`, run the gates, record the history and judge drift, apply waivers,
//! then write the reports, the GitHub annotations, summary and outputs, and the
//! rollback report.

use safety_gate_core::{
    BaselineSource, Check, GateReport, InputLimits, Mode, RollbackPlan, RunContext, RunReport,
    Verdict,
};
use safety_gate_engine::config::{self, Config};
use safety_gate_engine::select;
use std::collections::BTreeMap;
use std::path::Path;

use crate::args::CheckArgs;
use crate::outputs::ReportPaths;
use crate::{
    baseline_ref, ci_env, clock, exit_codes, github, history, process, rollback_report, summary,
    waivers,
};

/// Runs `check` and returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let mut problems = Vec::new();
    let (report, paths, plans) = match config::load(&args.config) {
        Ok(config) => evaluate(config, args),
        Err(e) => (
            crate::run::config_error_report(&args.config, &e.to_string()),
            ReportPaths::default(),
            BTreeMap::new(),
        ),
    };
    let paths = ReportPaths {
        junit: args.output.junit.clone().or(paths.junit),
        json: args.output.report_json.clone().or(paths.json),
    };
    let mut code = crate::run::finish(&report, paths.clone(), &args.output);
    if ci_env::github_enabled(args.ci.github) {
        problems.extend(github_outputs(&report, &paths, code));
    }
    if let Some(path) = &args.ci.rollback_report {
        if report.verdict() == Verdict::Rollback {
            let meta = rollback_report::Meta {
                time: clock::now_rfc3339(),
                commit: head_commit(),
                command: format!("safety-gate check --config {}", args.config.display()),
                tool: format!("safety-gate {}", env!("CARGO_PKG_VERSION")),
            };
            let text = rollback_report::render(&report, &plans, &meta);
            if let Err(e) = safety_gate_core::atomic::write_atomic(path, text.as_bytes()) {
                problems.push(e.to_string());
            }
        }
    }
    for p in &problems {
        eprintln!("safety-gate: {p}");
    }
    if code == exit_codes::PASS && !problems.is_empty() {
        code = exit_codes::ERROR;
    }
    code
}

/// Everything between loading the config and writing the outputs.
fn evaluate(
    mut config: Config,
    args: &CheckArgs,
) -> (RunReport, ReportPaths, BTreeMap<String, RollbackPlan>) {
    let ctx = RunContext {
        limits: InputLimits::new(args.output.max_input_size.or(config.max_input_size)),
        baselines: match &args.ci.baseline_ref {
            Some(refname) => BaselineSource::GitRef(refname.clone()),
            None => BaselineSource::WorkingTree,
        },
        config_dir: args.config.parent().unwrap_or(Path::new("")).to_path_buf(),
        ..RunContext::default()
    };
    let paths = ReportPaths {
        junit: config.reports.junit.clone(),
        json: config.reports.json.clone(),
    };
    let selected = select::retain(&mut config, &args.ci.gates).and_then(|()| {
        if args.ci.history.is_some() && args.ci.drift_window < crate::drift::MIN_RUNS {
            return Err(format!(
                "--drift-window {} is too short: the drift check needs at least {} runs",
                args.ci.drift_window,
                crate::drift::MIN_RUNS
            ));
        }
        Ok(())
    });
    if let Err(message) = selected {
        let report = crate::run::config_error_report(&args.config, &message);
        return (report, paths, BTreeMap::new());
    }
    let plans: BTreeMap<String, RollbackPlan> = config
        .instances()
        .into_iter()
        .map(|g| (g.label(), g.rollback_plan().clone()))
        .collect();
    let redirect = match &args.ci.baseline_ref {
        Some(refname) => match baseline_ref::redirect(&mut config, refname, ctx.limits.max_bytes())
        {
            Ok(r) => Some(r),
            Err(message) => {
                let report = crate::run::config_error_report(&args.config, &message);
                return (report, paths, plans);
            }
        },
        None => None,
    };
    let mut report = safety_gate_engine::run::run_all(&config, &ctx);
    if let Some(r) = &redirect {
        r.annotate(&mut report);
    }
    if let Some(path) = &args.ci.history {
        if let Some(gate) = record_history(&report, &config, &ctx, path, args) {
            report.gates.push(gate);
        }
    }
    let waivers_path = args.ci.waivers.clone().or_else(|| {
        let default = args
            .config
            .parent()
            .unwrap_or(Path::new(""))
            .join("baselines/waivers.toml");
        default.exists().then_some(default)
    });
    if let Some(path) = waivers_path {
        let gate = match waivers::load(&path) {
            Ok(file) => waivers::apply(
                &mut report,
                &file,
                &path.display().to_string(),
                clock::today(),
            ),
            Err(e) => {
                let mut g = GateReport::new("waivers", path.display().to_string(), Mode::Enforce);
                g.push(Check::error("waivers", e.to_string()).with_file(&path));
                g
            }
        };
        report.gates.push(gate);
    }
    (report, paths, plans)
}

/// Appends this run to the history and returns the drift gate; a history that cannot be
/// read or written becomes an error check (the nightly job must not pass blind).
fn record_history(
    report: &RunReport,
    config: &Config,
    ctx: &RunContext,
    path: &Path,
    args: &CheckArgs,
) -> Option<GateReport> {
    let name = path.display().to_string();
    let error_gate = |message: String| {
        let mut g = GateReport::new("drift", &name, Mode::Enforce);
        g.push(Check::error("history", message).with_file(path));
        Some(g)
    };
    let instances = config.instances();
    let entry = history::entry(report, clock::now_rfc3339(), head_commit(), |gate, id| {
        instances
            .iter()
            .find(|g| g.name() == gate)
            .and_then(|g| g.direction(id))
    });
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
    let gate = history::drift_gate(
        &name,
        &entries,
        args.ci.drift_window,
        args.ci.drift_threshold.map(|t| t.fraction()),
    );
    if gate.is_none() {
        // Not a problem: the first nights of a history have nothing to judge yet.
        eprintln!(
            "safety-gate: {name} holds {} runs; the drift check starts at {}",
            entries.len(),
            crate::drift::MIN_RUNS
        );
    }
    gate
}

/// Annotations on stdout, the step summary and the step outputs; returns write failures.
/// `code` is the exit code so far: a report that could not be written turns a pass into
/// exit 2, and the `verdict` output must then say `error`, not `pass`.
fn github_outputs(report: &RunReport, paths: &ReportPaths, code: u8) -> Vec<String> {
    let env = ci_env::github();
    let root = env.root.as_deref();
    let notes = github::annotations(report, root);
    for line in &notes.lines {
        println!("{line}");
    }
    let mut problems = Vec::new();
    if let Some(path) = &env.summary {
        if let Err(e) = ci_env::append(path, &summary::render(report, &notes, root)) {
            problems.push(e);
        }
    }
    if let Some(path) = &env.output {
        let mut outputs =
            github::StepOutputs::of(report, paths.junit.as_deref(), paths.json.as_deref());
        if code == exit_codes::ERROR {
            outputs.verdict = Verdict::Error.as_str().to_string();
        }
        if let Err(e) = ci_env::append(path, &outputs.render(&ci_env::output_delimiter())) {
            problems.push(e);
        }
    }
    problems
}

fn head_commit() -> Option<String> {
    process::git_line(&["rev-parse", "HEAD"], Path::new(".")).ok()
}

//! The findings gate: read the baseline and every current file, match the findings,
//! and judge each rule and level limit.

use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::inputs::expand;
use safety_gate_core::inputs::is_glob;
use safety_gate_core::{
    Check, Gate, GateReport, InputError, Loosening, Producer, RollbackPlan, RunContext,
};
use std::path::{Path, PathBuf};

use crate::KIND;
use crate::config::{FindingsConfig, Format};
use crate::matching::match_findings;
use crate::model::Findings;
use crate::paths::Roots;
use crate::report::Outcome;

/// The findings gate, as the engine's registry knows it.
#[derive(Debug)]
pub struct FindingsGate;

impl Gate for FindingsGate {
    type Config = FindingsConfig;
    const KIND: &'static str = KIND;
    const SUMMARY: &'static str = "linter and scanner findings (SARIF, ruff, mypy) against a baseline; fails on new findings or over a limit";

    fn run(config: &FindingsConfig, ctx: &RunContext) -> GateReport {
        run(config, ctx)
    }

    fn rollback_plan(config: &FindingsConfig) -> &RollbackPlan {
        &config.rollback
    }

    fn compared_files(config: &FindingsConfig) -> Vec<(&Path, &Path)> {
        let files = config.current.iter().filter(|c| !is_glob(c));
        files
            .map(|c| (config.baseline.as_path(), Path::new(c)))
            .collect()
    }

    fn baseline_files(config: &mut FindingsConfig) -> Vec<&mut PathBuf> {
        vec![&mut config.baseline]
    }

    fn producer(config: &FindingsConfig) -> Option<&Producer> {
        config.run.as_ref()
    }

    fn result_files(config: &FindingsConfig) -> Vec<String> {
        config.current.clone()
    }

    fn accept(
        config: &FindingsConfig,
        ctx: &RunContext,
    ) -> Result<Vec<BaselineUpdate>, InputError> {
        let (current, files) = read_current(config, ctx).map_err(|mut errors| errors.remove(0))?;
        Ok(vec![BaselineUpdate {
            target: config.baseline.clone(),
            source: BaselineUpdate::sources(&files),
            contents: crate::normalise::to_sarif(&current),
        }])
    }

    fn loosenings(reference: &FindingsConfig, change: &FindingsConfig) -> Vec<Loosening> {
        crate::loosening::loosenings(reference, change)
    }
}

/// Runs one findings gate instance. Unreadable inputs become error checks naming the
/// file; no input over `ctx.limits` is read.
pub fn run(config: &FindingsConfig, ctx: &RunContext) -> GateReport {
    let mut report = GateReport::new(KIND, &config.name, config.mode);
    let root = root(config, ctx);
    let roots = Roots::new(&root);
    let baseline = crate::read::read(
        &config.baseline,
        Format::Auto,
        &roots,
        ctx.limits.max_bytes(),
    );
    let current = read_current(config, ctx);
    let (baseline, current) = match (baseline, current) {
        (Ok((baseline, _)), Ok((current, _))) => (baseline, current),
        (baseline, current) => {
            if let Err(e) = baseline {
                report.push(Check::error("baseline", e.to_string()).with_file(&config.baseline));
            }
            for e in current.err().into_iter().flatten() {
                let check = Check::error("current", e.to_string());
                report.push(match e.path() {
                    Some(path) => check.with_file(path),
                    None => check,
                });
            }
            return report;
        }
    };
    let (baseline, missing) = without_missing_tools(baseline, &current, &config.baseline);
    report.checks.extend(missing);
    let matching = match_findings(&baseline.findings, &current.findings);
    let outcome = Outcome {
        config,
        baseline: &baseline,
        current: &current,
        matching: &matching,
        root: &root,
    };
    report.checks.extend(outcome.checks());
    report.counts = outcome.counts();
    report
}

/// The baseline without the tools no current file has a run of, and one error check
/// per such tool. Their findings cannot be judged: the current results of another tool
/// (or none) would read every one of them as fixed and the gate as improved, and a
/// new finding of a tool that did not run is never seen.
fn without_missing_tools(
    mut baseline: Findings,
    current: &Findings,
    baseline_file: &Path,
) -> (Findings, Vec<Check>) {
    let missing: Vec<String> = baseline
        .tools
        .keys()
        .filter(|tool| !current.tools.contains_key(*tool))
        .cloned()
        .collect();
    let checks = missing
        .iter()
        .map(|tool| {
            let held = baseline.findings.iter().filter(|f| &f.tool == tool).count();
            let ran: Vec<&str> = current.tools.keys().map(String::as_str).collect();
            let ran = if ran.is_empty() {
                "no tool".to_string()
            } else {
                ran.join(", ")
            };
            Check::error(
                format!("tool:{tool}"),
                format!(
                    "the baseline holds {held} finding(s) of {tool}, but no current file has a \
                     run of {tool} (they hold {ran}): its findings can be neither fixed nor new; \
                     add its output to `current`, or accept a baseline without it"
                ),
            )
            .with_file(baseline_file)
        })
        .collect();
    baseline.findings.retain(|f| !missing.contains(&f.tool));
    baseline.tools.retain(|tool, _| !missing.contains(tool));
    (baseline, checks)
}

/// The folder the tools ran in: the configured root, else the config file's folder.
fn root(config: &FindingsConfig, ctx: &RunContext) -> PathBuf {
    config
        .root
        .clone()
        .unwrap_or_else(|| ctx.config_dir.clone())
}

/// Every current file, merged, with the files read; or every error met.
fn read_current(
    config: &FindingsConfig,
    ctx: &RunContext,
) -> Result<(Findings, Vec<PathBuf>), Vec<InputError>> {
    let roots = Roots::new(&root(config, ctx));
    let mut merged = Findings::default();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for pattern in &config.current {
        match expand(pattern, Path::new("")) {
            Ok(found) => files.extend(found.into_iter().filter(|file| {
                // A glob over an output folder that also holds the baseline would count
                // the accepted findings as current ones. (A literal path naming the
                // baseline is the engine's same-file error.)
                let baseline = is_glob(pattern)
                    && safety_gate_core::same_file::same_file(file, &config.baseline);
                if baseline {
                    errors.push(InputError::malformed(
                        file,
                        None,
                        None,
                        format!(
                            "is the baseline, matched by `current` pattern {pattern}: findings \
                             compared with themselves prove nothing; keep the baseline out of \
                             the folder `current` matches"
                        ),
                    ));
                }
                !baseline
            })),
            Err(e) => errors.push(e),
        }
    }
    for file in &files {
        match crate::read::read(file, config.format, &roots, ctx.limits.max_bytes()) {
            Ok((findings, _)) => merged.merge(findings),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok((merged, files))
    } else {
        Err(errors)
    }
}

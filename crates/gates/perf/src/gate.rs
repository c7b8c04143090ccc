//! The perf gate: read baseline and current sets, match benchmarks, compare each.

use globset::{Glob, GlobMatcher};
use safety_gate_core::Producer;
use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::{
    Check, Direction, Gate, GateReport, InputError, Location, Loosening, RollbackPlan, RunContext,
};
use std::collections::btree_map::Entry;
use std::path::{Path, PathBuf};

use crate::KIND;
use crate::compare::{Compared, Policy, compare};
use crate::config::{MissingPolicy, PerfConfig};
use crate::decision::decide_all;
use crate::formats::{self, Format, ReadOptions};
use crate::machine::{self, MachineMismatch};
use crate::model::{BenchSet, Measurement};
use crate::{evidence, sides};

/// The performance gate, as the engine's registry knows it.
#[derive(Debug)]
pub struct PerfGate;

impl Gate for PerfGate {
    type Config = PerfConfig;
    const KIND: &'static str = KIND;
    const SUMMARY: &'static str = "benchmark results against a committed baseline; fails on a regression beyond the threshold";

    fn run(config: &PerfConfig, ctx: &RunContext) -> GateReport {
        run(config, ctx)
    }

    fn rollback_plan(config: &PerfConfig) -> &RollbackPlan {
        &config.rollback
    }

    fn compared_files(config: &PerfConfig) -> Vec<(&Path, &Path)> {
        // A criterion tree saved under another name holds both sides in one folder.
        if config
            .criterion_baseline
            .as_deref()
            .is_some_and(|name| name != "new")
        {
            return Vec::new();
        }
        config
            .current
            .iter()
            .map(|current| (config.baseline.as_path(), current.as_path()))
            .collect()
    }

    fn baseline_files(config: &mut PerfConfig) -> Vec<&mut PathBuf> {
        vec![&mut config.baseline]
    }

    fn producer(config: &PerfConfig) -> Option<&Producer> {
        config.run.as_ref()
    }

    fn result_files(config: &PerfConfig) -> Vec<String> {
        config
            .current
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    /// Benchmarks measure time: their producer runs alone.
    const TIMING: bool = true;

    fn accept(config: &PerfConfig, ctx: &RunContext) -> Result<Vec<BaselineUpdate>, InputError> {
        crate::baselines::accept(config, ctx)
    }

    fn direction(config: &PerfConfig, check_id: &str) -> Option<Direction> {
        crate::baselines::direction(config, check_id)
    }

    fn loosenings(reference: &PerfConfig, change: &PerfConfig) -> Vec<Loosening> {
        crate::loosening::loosenings(reference, change)
    }
}

/// Runs one perf gate instance. Unreadable inputs become error checks naming the file;
/// no input over `ctx.limits` is read.
pub fn run(config: &PerfConfig, ctx: &RunContext) -> GateReport {
    let mut report = GateReport::new(KIND, &config.name, config.mode);
    if let Err(message) = config.validate() {
        report.push(Check::error("config", message));
        return report;
    }
    let overrides = match compile_overrides(config) {
        Ok(o) => o,
        Err(message) => {
            report.push(Check::error("config", message));
            return report;
        }
    };
    let baseline_options = ReadOptions {
        metrics: &config.metrics,
        criterion_dir: config.criterion_baseline.as_deref().unwrap_or("new"),
        max_bytes: ctx.limits.max_bytes(),
        statistic: config.statistic,
    };
    // Baseline and current are read at once: parsing dominates on large inputs.
    let (baseline_read, current_read, current_checks) = std::thread::scope(|scope| {
        let baseline =
            scope.spawn(|| formats::read(&config.baseline, config.format, baseline_options));
        let mut checks = GateReport::new(KIND, &config.name, config.mode);
        let current = read_current(config, ctx, &mut checks);
        (baseline.join(), current, checks.checks)
    });
    let baseline_read = baseline_read.unwrap_or_else(|_| {
        Err(safety_gate_core::InputError::malformed(
            &config.baseline,
            None,
            None,
            "reading stopped unexpectedly",
        ))
    });
    let (baseline, baseline_format) = match baseline_read {
        Ok(read) => read,
        Err(e) => {
            report.push(Check::error("baseline", e.to_string()).with_file(&config.baseline));
            report.checks.extend(current_checks);
            return report;
        }
    };
    report.checks.extend(current_checks);
    let Some((current, current_format)) = current_read else {
        return report;
    };
    let detected = (config.format == Format::Auto).then(|| {
        if baseline_format == current_format {
            format!("read as {} (auto-detected)", baseline_format.as_str())
        } else {
            format!(
                "baseline read as {}, current as {} (auto-detected)",
                baseline_format.as_str(),
                current_format.as_str()
            )
        }
    });

    let formats = (baseline_format, current_format);
    if let Some(check) = machine_check(config, formats, ctx.limits.max_bytes()) {
        report.push(check);
    }
    let jobs: Vec<_> = baseline
        .iter()
        .map(|(id, base)| (id, base, current.get(id)))
        .collect();
    let compared = parallel_map(&jobs, |(id, base, cur)| match cur {
        None => Compared::Done(Box::new(missing_check(id, config.missing, &base.location))),
        Some(cur) => judge(id, base, cur, config, &overrides),
    });
    let (checks, note) = decide_all(compared, config.family, config.false_alarm_rate);
    let noted = checks
        .into_iter()
        .zip(&jobs)
        .map(|(check, (_, base, cur))| {
            let Some(cur) = cur else {
                return check;
            };
            let mut check = evidence::attach(check, base, cur, config.statistic);
            let notes = [
                base.note.as_ref().map(|n| format!("baseline: {n}")),
                cur.note.as_ref().map(|n| format!("current: {n}")),
                detected.clone(),
            ];
            for note in notes.into_iter().flatten() {
                check.message.push_str(&format!(" [{note}]"));
            }
            check
        });
    report.checks.extend(noted);
    report.notes.extend(note);
    for (id, cur) in current.iter().filter(|(id, _)| !baseline.contains_key(*id)) {
        // A new benchmark has nothing to compare, but one its tool says failed is
        // still an error: skipping it would pass a run that measured nothing.
        let check = match cur.error() {
            Some(error) => Check::error(id, format!("the benchmark reported an error: {error}")),
            None => Check::skip(id, "no baseline yet"),
        };
        report.push(check.with_location(cur.location.clone()));
    }
    report
}

/// The check on the sides' machines: the first current file measured on another
/// machine than the baseline, if any.
fn machine_check(
    config: &PerfConfig,
    (baseline, current): (Format, Format),
    max_bytes: u64,
) -> Option<Check> {
    if config.machine_mismatch == MachineMismatch::Ignore {
        return None;
    }
    let base = machine::read(&config.baseline, baseline, max_bytes);
    config.current.iter().find_map(|path| {
        let cur = machine::read(path, current, max_bytes);
        machine::check(
            config.machine_mismatch,
            (&config.baseline, base.as_ref()),
            (path, cur.as_ref()),
        )
    })
}

/// Reads and merges every current file; a benchmark id in two files is an error.
/// Returns the merged set and the format of the last file read.
fn read_current(
    config: &PerfConfig,
    ctx: &RunContext,
    report: &mut GateReport,
) -> Option<(BenchSet, Format)> {
    let mut merged = BenchSet::new();
    let mut ok = true;
    let mut chosen = config.format;
    let options = ReadOptions {
        metrics: &config.metrics,
        criterion_dir: "new",
        max_bytes: ctx.limits.max_bytes(),
        statistic: config.statistic,
    };
    for path in &config.current {
        match formats::read(path, config.format, options) {
            Ok((set, format)) => {
                chosen = format;
                for (id, m) in set {
                    match merged.entry(id) {
                        Entry::Vacant(slot) => {
                            slot.insert(m);
                        }
                        Entry::Occupied(slot) => {
                            ok = false;
                            report.push(
                                Check::error(
                                    slot.key().clone(),
                                    format!(
                                        "benchmark reported twice: in {} and in {}",
                                        slot.get().location.file.display(),
                                        m.location.file.display()
                                    ),
                                )
                                .with_location(m.location),
                            );
                        }
                    }
                }
            }
            Err(e) => {
                ok = false;
                report.push(Check::error("current", e.to_string()).with_file(path));
            }
        }
    }
    ok.then_some((merged, chosen))
}

/// Maps `items` on every available core, keeping their order. Comparing thousands
/// of sampled benchmarks is the other half of a large run, beside parsing.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(256);
    if items.len() <= chunk {
        return items.iter().map(&f).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn missing_check(id: &str, policy: MissingPolicy, location: &Location) -> Check {
    let message = "in the baseline but missing from the current results";
    let check = match policy {
        MissingPolicy::Error => Check::error(id, message),
        MissingPolicy::Fail => Check::fail(id, message),
        MissingPolicy::Skip => Check::skip(id, message),
    };
    check.with_location(location.clone())
}

/// Compiled override globs, in config order.
type Overrides = Vec<(GlobMatcher, usize)>;

/// Compiles the override globs; also refuses two metrics with one name, since the
/// second would silently replace the first.
fn compile_overrides(config: &PerfConfig) -> Result<Overrides, String> {
    let mut names = std::collections::BTreeSet::new();
    if let Some(twice) = config.metrics.iter().find(|m| !names.insert(&m.name)) {
        return Err(format!(
            "metric `{}` is named twice: metric names must be unique",
            twice.name
        ));
    }
    config
        .overrides
        .iter()
        .enumerate()
        .map(|(i, o)| {
            Glob::new(&o.pattern)
                .map(|g| (g.compile_matcher(), i))
                .map_err(|e| format!("override `{}` is not a valid glob: {e}", o.pattern))
        })
        .collect()
}

/// One benchmark on both sides: the sides must agree on direction and both hold a
/// measurement (see `sides.rs`) before the comparison runs.
fn judge(
    id: &str,
    base: &Measurement,
    cur: &Measurement,
    config: &PerfConfig,
    overrides: &Overrides,
) -> Compared {
    let (configured, policy) = policy_for(id, config, overrides);
    let refuse = |why: String, side: &Measurement| {
        Compared::Done(Box::new(
            Check::error(id, why).with_location(side.location.clone()),
        ))
    };
    let direction = match sides::direction(configured, base, cur) {
        Ok(direction) => direction,
        Err(why) => return refuse(why, cur),
    };
    if let Some((why, side)) = sides::unmeasured(id, base, cur, direction) {
        return refuse(why, side);
    }
    if let Some(why) = sides::unit_change(id, base, cur, direction) {
        return refuse(why, cur);
    }
    let policy = Policy {
        direction,
        ..policy
    };
    match compare(id, base, cur, policy) {
        // Carried on a check with values for the nightly drift check and the reports;
        // a sampled check gets it when its family is decided.
        Compared::Done(check) if check.current.is_some() => {
            Compared::Done(Box::new(check.with_direction(direction)))
        }
        compared => compared,
    }
}

/// Threshold precedence: the metric's own, then the first matching override, then the
/// gate's. The direction an override names, if any, is returned beside the policy.
fn policy_for(id: &str, config: &PerfConfig, overrides: &Overrides) -> (Option<Direction>, Policy) {
    let hit = overrides
        .iter()
        .find(|(m, _)| m.is_match(id))
        .map(|(_, i)| &config.overrides[*i]);
    let metric = config.metrics.iter().find(|m| m.name == id);
    let threshold = metric
        .and_then(|m| m.threshold)
        .or_else(|| hit.and_then(|o| o.threshold))
        .unwrap_or(config.threshold);
    let configured = hit.and_then(|o| o.direction);
    let policy = Policy {
        threshold: threshold.fraction(),
        direction: configured.unwrap_or_default(),
        statistic: config.statistic,
        alpha: config.alpha,
        conservative: config.conservative,
    };
    (configured, policy)
}

//! The perf gate: read baseline and current sets, match benchmarks, compare each.

use globset::{Glob, GlobMatcher};
use safety_gate_core::{Check, GateReport, Location};
use std::collections::btree_map::Entry;

use crate::KIND;
use crate::compare::{Policy, compare};
use crate::config::{MissingPolicy, PerfConfig};
use crate::formats;
use crate::model::{BenchSet, Direction};

/// Runs one perf gate instance. Unreadable inputs become error checks naming the file.
pub fn run(config: &PerfConfig) -> GateReport {
    let mut report = GateReport::new(KIND, &config.name, config.mode);
    let overrides = match compile_overrides(config) {
        Ok(o) => o,
        Err(message) => {
            report.push(Check::error("config", message));
            return report;
        }
    };
    let baseline = match formats::read(&config.baseline, config.format, &config.metrics) {
        Ok((set, _)) => set,
        Err(e) => {
            report.push(Check::error("baseline", e.to_string()).with_file(&config.baseline));
            return report;
        }
    };
    let Some(current) = read_current(config, &mut report) else {
        return report;
    };

    for (id, base) in &baseline {
        let Some(cur) = current.get(id) else {
            report.push(missing_check(id, config.missing, &base.location));
            continue;
        };
        let policy = policy_for(id, config, &overrides, base.direction.or(cur.direction));
        report.push(compare(id, base, cur, policy));
    }
    for (id, cur) in current.iter().filter(|(id, _)| !baseline.contains_key(*id)) {
        report.push(Check::skip(id, "no baseline yet").with_location(cur.location.clone()));
    }
    report
}

/// Reads and merges every current file; a benchmark id in two files is an error.
fn read_current(config: &PerfConfig, report: &mut GateReport) -> Option<BenchSet> {
    let mut merged = BenchSet::new();
    let mut ok = true;
    for path in &config.current {
        match formats::read(path, config.format, &config.metrics) {
            Ok((set, _)) => {
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
    ok.then_some(merged)
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

/// Threshold precedence: the metric's own, then the first matching override, then the
/// gate's. Direction: the first matching override, then what the input stated.
fn policy_for(
    id: &str,
    config: &PerfConfig,
    overrides: &Overrides,
    stated: Option<Direction>,
) -> Policy {
    let hit = overrides
        .iter()
        .find(|(m, _)| m.is_match(id))
        .map(|(_, i)| &config.overrides[*i]);
    let metric = config.metrics.iter().find(|m| m.name == id);
    let threshold = metric
        .and_then(|m| m.threshold)
        .or_else(|| hit.and_then(|o| o.threshold))
        .unwrap_or(config.threshold);
    let direction = hit.and_then(|o| o.direction).or(stated).unwrap_or_default();
    Policy {
        threshold: threshold.fraction(),
        direction,
    }
}

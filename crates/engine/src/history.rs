//! The nightly history: `check --history FILE` appends one JSON line per run with every
//! check's numbers, then judges each series for slow drift (see `drift.rs`);
//! `history show` prints the trend per benchmark.

use safety_gate_core::evidence::{Evidence, TrendEvidence, TrendPoint};
use safety_gate_core::inputs::{read_bytes, read_text};
use safety_gate_core::{Check, Direction, GateReport, InputError, Mode, RunReport, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::drift;
use safety_gate_core::numbers::number;

/// Threshold for a drift series whose checks state none.
const DEFAULT_DRIFT_THRESHOLD: f64 = 0.05;

/// One run, one line of the history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// When the run happened (RFC 3339, UTC).
    pub time: String,
    /// The commit checked, when known.
    #[serde(default)]
    pub commit: Option<String>,
    /// The run's verdict.
    pub verdict: String,
    /// Every check with a current value.
    pub checks: Vec<Point>,
}

/// One check's numbers in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// `kind/name/check-id`, the series key.
    pub id: String,
    /// The check's status in that run.
    pub status: Status,
    /// The current value (for samples, the summary the gate compared).
    pub value: f64,
    /// The baseline it was compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// The gate's threshold, as a fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Unit of the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `lower` or `higher` is better, when the gate knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better: Option<Direction>,
    /// p-value of the comparison, when samples were compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
}

/// The entry for a run. Which way is better for a series is what its check carries,
/// else what `better(gate name, check id)` says.
pub fn entry(
    report: &RunReport,
    time: String,
    commit: Option<String>,
    better: impl Fn(&str, &str) -> Option<Direction>,
) -> Entry {
    let checks = report
        .gates
        .iter()
        .flat_map(|g| g.checks.iter().map(move |c| (g, c)))
        .filter_map(|(g, c)| {
            let value = c.current.filter(|v| v.is_finite())?;
            Some(Point {
                id: format!("{}/{}", g.label(), c.id),
                status: c.status,
                value,
                baseline: c.baseline,
                threshold: c.threshold,
                unit: c.unit.clone(),
                better: c.direction.or_else(|| better(&g.name, &c.id)),
                p_value: c.p_value,
            })
        })
        .collect();
    Entry {
        time,
        commit,
        verdict: report.verdict().as_str().to_string(),
        checks,
    }
}

/// Reads a history file of at most `max_bytes`; a missing file is an empty history. A
/// malformed line is an error naming the file and line: a drift check must not
/// silently skip nights.
pub fn load(path: &Path, max_bytes: u64) -> Result<Vec<Entry>, InputError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = match read_text(path, max_bytes) {
        Ok(text) => text,
        // A history made with `touch` holds no run yet.
        Err(InputError::Empty { .. }) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry = serde_json::from_str(line).map_err(|e| {
            InputError::malformed(
                path,
                Some(i as u64 + 1),
                Some(e.column() as u64),
                e.to_string(),
            )
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

/// The history file (read within `max_bytes`) with `entry` appended, as bytes to write
/// atomically.
pub fn appended(path: &Path, entry: &Entry, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    // Read like every input: a regular file, within the input size limit.
    let mut bytes = match read_bytes(path, max_bytes) {
        Ok(bytes) => bytes,
        Err(InputError::Empty { .. }) => Vec::new(),
        Err(InputError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    // Plain data with string keys always serializes.
    bytes.extend(
        serde_json::to_string(entry)
            .unwrap_or_default()
            .into_bytes(),
    );
    bytes.push(b'\n');
    Ok(bytes)
}

/// One series' runs, oldest first, and its point in the latest run.
type Runs<'a> = (Vec<(&'a Entry, &'a Point)>, &'a Point);

/// Runs per series over the last `window` entries, oldest first, for the series of the
/// latest entry (a benchmark that stopped reporting is the gates' business, not drift's).
fn series(entries: &[Entry], window: usize) -> BTreeMap<&str, Runs<'_>> {
    let recent = &entries[entries.len().saturating_sub(window)..];
    let mut out: BTreeMap<&str, Runs<'_>> = BTreeMap::new();
    if let Some(last) = recent.last() {
        for point in &last.checks {
            out.insert(&point.id, (Vec::new(), point));
        }
    }
    for entry in recent {
        for point in &entry.checks {
            if let Some((runs, _)) = out.get_mut(point.id.as_str()) {
                runs.push((entry, point));
            }
        }
    }
    out
}

/// The values of a series' runs.
fn values(runs: &[(&Entry, &Point)]) -> Vec<f64> {
    runs.iter().map(|(_, p)| p.value).collect()
}

/// A series' runs as points to draw.
fn points(runs: &[(&Entry, &Point)]) -> Vec<TrendPoint> {
    runs.iter()
        .map(|(entry, point)| TrendPoint {
            time: entry.time.clone(),
            commit: entry.commit.clone(),
            value: point.value,
            failed: point.status == Status::Fail,
        })
        .collect()
}

/// A series' runs and fitted line as evidence to draw.
fn trend_evidence(runs: &[(&Entry, &Point)], last: &Point, d: &drift::Drift) -> Evidence {
    Evidence::Trend(TrendEvidence {
        better: last.better,
        points: points(runs),
        fit_start: d.fit_start,
        fit_end: d.fit_end,
    })
}

/// The drift gate over the latest `window` entries: one check per series. `None` when
/// no series has enough runs yet (the first nights of a history judge nothing).
pub fn drift_gate(
    name: &str,
    entries: &[Entry],
    window: usize,
    threshold: Option<f64>,
) -> Option<GateReport> {
    let mut gate = GateReport::new("drift", name, Mode::Enforce);
    for (id, (runs, last)) in series(entries, window) {
        let values = values(&runs);
        let limit = threshold
            .or(last.threshold)
            .unwrap_or(DEFAULT_DRIFT_THRESHOLD);
        let Some(d) = drift::judge(&values, limit, last.better) else {
            gate.push(Check::skip(
                id,
                format!(
                    "{} runs, the drift check needs {}",
                    values.len(),
                    drift::MIN_RUNS
                ),
            ));
            continue;
        };
        let numbers = format!(
            "{:+.2}% fitted over the last {} runs (threshold {:.2}%, trend p = {:.4})",
            d.change * 100.0,
            d.runs,
            limit * 100.0,
            d.p_value
        );
        let check = if d.drifted {
            Check::fail(id, format!("drifted: {numbers}"))
        } else {
            Check::pass(id, format!("no drift: {numbers}"))
        };
        let mut check = check
            .with_values(values[0], values[values.len() - 1], d.change)
            .with_threshold(limit)
            .with_details([format!("values, oldest first: {}", join(&values))])
            .with_evidence(trend_evidence(&runs, last, &d));
        check.p_value = Some(d.p_value);
        if let Some(unit) = &last.unit {
            check = check.with_unit(unit.clone());
        }
        gate.push(check);
    }
    gate.checks
        .iter()
        .any(|c| c.status != Status::Skip)
        .then_some(gate)
}

fn join(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| number(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `history show` presents: every series of the latest run with its recent
/// values and its drift verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    /// Runs in the history.
    pub runs: usize,
    /// Runs each series' values cover (the last N asked for, at most `runs`).
    pub shown: usize,
    /// Runs the drift check looks at.
    pub window: usize,
    /// One trend per series, by id.
    pub series: Vec<Trend>,
}

/// One series of a history.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// `kind/name/check-id`.
    pub id: String,
    /// Its values over the shown runs, oldest first.
    pub values: Vec<f64>,
    /// The same runs with their time, commit and whether the series failed.
    pub points: Vec<TrendPoint>,
    /// Unit of the values.
    pub unit: Option<String>,
    /// Which way is better, when known.
    pub better: Option<Direction>,
    /// The drift threshold the series is judged against, as a fraction.
    pub threshold: f64,
    /// The drift check over the window (the last runs); `None` with too few runs.
    pub drift: Option<drift::Drift>,
}

/// The trend of every series: values of the last `last` runs, drift judged over the
/// last `window` against `threshold` (default: each series' own threshold).
pub fn trends(entries: &[Entry], last: usize, window: usize, threshold: Option<f64>) -> Trends {
    let judged = series(entries, window);
    let series = series(entries, last.max(1))
        .into_iter()
        .map(|(id, (runs, point))| {
            let limit = threshold
                .or(point.threshold)
                .unwrap_or(DEFAULT_DRIFT_THRESHOLD);
            Trend {
                id: id.to_string(),
                values: values(&runs),
                points: points(&runs),
                unit: point.unit.clone(),
                better: point.better,
                threshold: limit,
                drift: judged
                    .get(id)
                    .and_then(|(r, p)| drift::judge(&values(r), limit, p.better)),
            }
        })
        .collect();
    Trends {
        runs: entries.len(),
        shown: last.min(entries.len()),
        window: window.min(entries.len()),
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(values: &[f64]) -> Vec<Entry> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Entry {
                time: format!("2026-11-{:02}T02:00:00Z", i + 1),
                commit: Some(format!("c{i}")),
                verdict: "pass".into(),
                checks: vec![Point {
                    id: "perf/tick/tick_ms".into(),
                    status: Status::Pass,
                    value: *v,
                    baseline: None,
                    threshold: Some(0.05),
                    unit: Some("ms".into()),
                    better: Some(Direction::Lower),
                    p_value: None,
                }],
            })
            .collect()
    }

    #[test]
    fn creep_fails_the_drift_gate_and_its_trend() {
        let values: Vec<f64> = (0..10).map(|i| 1.25 * 1.01_f64.powi(i)).collect();
        let entries = history(&values);
        let gate = drift_gate("h", &entries, 10, None).expect("judged");
        assert_eq!(gate.checks[0].status, Status::Fail, "{:?}", gate.checks[0]);
        let Some(Evidence::Trend(t)) = gate.checks[0].evidence.as_deref() else {
            panic!("no trend evidence: {:?}", gate.checks[0]);
        };
        assert_eq!(t.points.len(), 10);
        assert_eq!(t.points[9].time, "2026-11-10T02:00:00Z");
        assert_eq!(t.points[9].commit.as_deref(), Some("c9"));
        assert!(t.fit_end > t.fit_start && !t.points[0].failed, "{t:?}");
        let trends = trends(&entries, 30, 10, None);
        assert_eq!((trends.runs, trends.shown, trends.window), (10, 10, 10));
        let trend = &trends.series[0];
        assert_eq!(trend.values, values);
        assert!(trend.drift.as_ref().is_some_and(|d| d.drifted), "{trend:?}");
        assert_eq!((trend.points.len(), trend.threshold), (10, 0.05));
    }

    #[test]
    fn a_checks_own_direction_wins_over_the_gates() {
        let mut gate = GateReport::new("perf", "tick", Mode::Enforce);
        gate.push(
            Check::pass("tps", "ok")
                .with_values(100.0, 101.0, 0.01)
                .with_direction(Direction::Higher),
        );
        gate.push(Check::pass("ms", "ok").with_values(1.0, 1.0, 0.0));
        gate.push(Check::pass("text", "no value"));
        let report = RunReport { gates: vec![gate] };
        let entry = entry(&report, "t".into(), None, |_, _| Some(Direction::Lower));
        let better: Vec<(&str, Option<Direction>)> = entry
            .checks
            .iter()
            .map(|p| (p.id.as_str(), p.better))
            .collect();
        assert_eq!(
            better,
            [
                ("perf/tick/tps", Some(Direction::Higher)),
                ("perf/tick/ms", Some(Direction::Lower))
            ]
        );
    }

    #[test]
    fn too_few_runs_judge_nothing() {
        assert_eq!(drift_gate("h", &history(&[1.0, 1.1, 1.2]), 10, None), None);
        assert_eq!(
            trends(&history(&[1.0, 1.1]), 30, 10, None).series[0].drift,
            None
        );
    }

    #[test]
    fn lines_round_trip_and_bad_lines_are_located() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("h.jsonl");
        let entries = history(&[1.0, 2.0]);
        let mut bytes = Vec::new();
        for e in &entries {
            std::fs::write(&path, &bytes).expect("write");
            bytes = appended(&path, e, u64::MAX).expect("append");
        }
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(load(&path, u64::MAX).expect("load"), entries);
        std::fs::write(&path, [bytes.as_slice(), b"{oops\n"].concat()).expect("write");
        let err = load(&path, u64::MAX).expect_err("bad line").to_string();
        assert!(err.contains("h.jsonl:3:"), "{err}");
    }
}

//! Producers: before the gates read their files, each gate's `run` command writes its
//! current results. One command shared by several gates (a test run writing both a JUnit
//! report and benchmark results) runs once. Commands run side by side up to `jobs`,
//! except those of timing gates ([`safety_gate_core::Gate::TIMING`]), which run alone:
//! benchmarks sharing the cores with a test suite measure the test suite.
//!
//! Each gate with a producer gets a `run` check carrying the command's exit status and
//! the tail of its output, and a `stale:<file>` error for each result file the command
//! did not write: one older than the start of the run, or left exactly as it was
//! before. Stale results never pass: such a gate is not judged. A command that could
//! not be started, timed out or was killed leaves nothing to judge either.

use safety_gate_core::inputs::{expand, is_glob};
use safety_gate_core::parallel::{self, Jobs};
use safety_gate_core::process::{self, Exit, Outcome};
use safety_gate_core::{Check, GateReport, Producer, RunContext, RunReport, Status};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::config::Config;

/// Output lines kept in a `run` check's details.
const TAIL_LINES: usize = 10;

/// What producing did for one gate instance.
#[derive(Debug, Clone, Default)]
pub struct Produced {
    /// The `run` check and any `stale:` errors, to put before the gate's own checks.
    pub checks: Vec<Check>,
    /// Whether the gate's results can be judged: the command ran to its end and wrote
    /// every result file.
    pub judge: bool,
}

/// One distinct command and the gates it produces for.
struct Job<'a> {
    producer: &'a Producer,
    gates: Vec<usize>,
    alone: bool,
}

/// How one command went.
struct Ran {
    started: SystemTime,
    before: BTreeMap<PathBuf, Option<SystemTime>>,
    outcome: Result<Outcome, String>,
}

/// Runs the producers of every instance of `config` that has one and is not off, in
/// the config's folder; returns, per instance in [`Config::instances`] order, what
/// producing did (`None` for an instance without a producer).
pub fn produce(config: &Config, ctx: &RunContext) -> Vec<Option<Produced>> {
    let instances = config.instances();
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (i, gate) in instances.iter().enumerate() {
        let Some(producer) = gate.producer() else {
            continue;
        };
        if gate.mode() == safety_gate_core::Mode::Off {
            continue;
        }
        match jobs.iter_mut().find(|j| j.producer.argv == producer.argv) {
            Some(job) => {
                job.gates.push(i);
                job.alone |= gate.timing();
            }
            None => jobs.push(Job {
                producer,
                gates: vec![i],
                alone: gate.timing(),
            }),
        }
    }
    let cwd = if ctx.config_dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        ctx.config_dir.clone()
    };
    let results_of = |job: &Job<'_>| -> Vec<String> {
        job.gates
            .iter()
            .flat_map(|&i| instances[i].result_files())
            .collect()
    };
    let run = |&j: &usize| run_one(jobs[j].producer, &cwd, &results_of(&jobs[j]));
    // Side by side first, then each timing command alone, in config order.
    let shared: Vec<usize> = (0..jobs.len()).filter(|&j| !jobs[j].alone).collect();
    let alone: Vec<usize> = (0..jobs.len()).filter(|&j| jobs[j].alone).collect();
    let mut ran: Vec<Option<Ran>> = (0..jobs.len()).map(|_| None).collect();
    for (order, jobs_at_once) in [(shared, ctx.jobs), (alone, Jobs::SERIAL)] {
        for (j, result) in order.iter().zip(parallel::map(&order, jobs_at_once, run)) {
            ran[*j] = Some(result);
        }
    }
    let mut out: Vec<Option<Produced>> = vec![None; instances.len()];
    for (job, result) in jobs.iter().zip(&ran) {
        let Some(result) = result else { continue };
        for &i in &job.gates {
            out[i] = Some(judge(job.producer, result, &instances[i].result_files()));
        }
    }
    out
}

/// Runs one command, noting when it started and what its result files looked like
/// before. The folders of its result files are made first: many tools (pytest-benchmark's
/// `--benchmark-json`, hyperfine's `--export-json`) do not make them.
fn run_one(producer: &Producer, cwd: &Path, results: &[String]) -> Ran {
    for pattern in results.iter().filter(|p| !is_glob(p)) {
        if let Some(folder) = Path::new(pattern).parent() {
            let _ = std::fs::create_dir_all(folder);
        }
    }
    let before = existing(results)
        .into_iter()
        .map(|path| {
            let modified = modified(&path);
            (path, modified)
        })
        .collect();
    let started = SystemTime::now();
    let outcome = process::run(&producer.argv, cwd, producer.timeout).map_err(|e| e.to_string());
    Ran {
        started,
        before,
        outcome,
    }
}

/// The files the patterns name that exist now.
fn existing(patterns: &[String]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for pattern in patterns {
        if let Ok(found) = expand(pattern, Path::new("")) {
            files.extend(found.into_iter().filter(|p| p.is_file()));
        }
    }
    files.sort();
    files.dedup();
    files
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The checks of one gate after its producer ran.
fn judge(producer: &Producer, ran: &Ran, results: &[String]) -> Produced {
    let shown = format!("`{}`", producer.shown());
    let outcome = match &ran.outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            return Produced {
                checks: vec![
                    Check::error("run", format!("could not run {shown}: {e}")).bookkeeping(),
                ],
                judge: false,
            };
        }
    };
    let tail = output_tail(outcome);
    let seconds = outcome.elapsed.as_secs_f64();
    let run_check = match outcome.exit {
        Exit::Code(code) if producer.exit_codes.contains(&code) => {
            Check::pass("run", format!("{shown} exited {code} in {seconds:.2}s"))
        }
        Exit::Code(code) => Check::error(
            "run",
            format!(
                "{shown} exited {code} in {seconds:.2}s (expected {}): its results are judged, but the \
                 run cannot pass{}",
                expected(&producer.exit_codes),
                last_line(&tail)
            ),
        ),
        Exit::Signal(_) | Exit::TimedOut => Check::error(
            "run",
            format!(
                "{shown} {}: nothing it wrote is judged{}",
                outcome.describe(producer.timeout),
                last_line(&tail)
            ),
        ),
    };
    let finished = matches!(outcome.exit, Exit::Code(_));
    // The command ran: that says nothing of its results, so it cannot let a gate pass.
    let mut checks = vec![run_check.with_details(tail).bookkeeping()];
    if finished {
        checks.extend(stale_checks(producer, ran, results));
    }
    let judge = finished && checks.iter().all(|c| !c.id.starts_with("stale:"));
    Produced { checks, judge }
}

/// `(expected 0)` or `(expected 0, 1)`.
fn expected(codes: &[i32]) -> String {
    codes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn last_line(tail: &[String]) -> String {
    tail.iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| {
            let text = l
                .strip_prefix("stderr: ")
                .or_else(|| l.strip_prefix("stdout: "))
                .unwrap_or(l);
            format!("; it ended with: {}", text.trim())
        })
        .unwrap_or_default()
}

/// The last lines of stdout, then of stderr, each marked.
fn output_tail(outcome: &Outcome) -> Vec<String> {
    let stdout = String::from_utf8_lossy(&outcome.stdout);
    let out: Vec<&str> = stdout.trim_end().lines().collect();
    let mut tail: Vec<String> = out[out.len().saturating_sub(TAIL_LINES)..]
        .iter()
        .map(|l| format!("stdout: {l}"))
        .collect();
    tail.extend(
        outcome
            .stderr_lines(TAIL_LINES)
            .into_iter()
            .map(|l| format!("stderr: {l}")),
    );
    tail
}

/// An error for each result file the command did not write during its run.
fn stale_checks(producer: &Producer, ran: &Ran, results: &[String]) -> Vec<Check> {
    // File systems with one-second (or coarser) times round a fresh write down: a time
    // within the second the run started counts, unless the file is untouched.
    let floor = floor_to_second(ran.started);
    let mut checks = Vec::new();
    for path in existing(results) {
        let Some(now) = modified(&path) else {
            continue;
        };
        let untouched = ran.before.get(&path).is_some_and(|was| *was == Some(now));
        if now >= floor && !untouched {
            continue;
        }
        let message = format!(
            "{} was not written by `{}` (last written {}, the run started {}): stale results \
             never pass; make the command write it, remove it, or judge the files as they are \
             with --no-run",
            path.display(),
            producer.shown(),
            stamp(now),
            stamp(ran.started)
        );
        checks.push(
            Check::new(format!("stale:{}", path.display()), Status::Error, message)
                .with_file(&path)
                .bookkeeping(),
        );
    }
    // A file the command should have written and did not is left to the gate, which
    // reports it missing; so is a glob that matches nothing.
    checks
}

fn floor_to_second(at: SystemTime) -> SystemTime {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    UNIX_EPOCH + Duration::from_secs(since.as_secs())
}

/// An instant as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn stamp(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let whole = time::OffsetDateTime::from_unix_timestamp(since.as_secs() as i64)
        .map(safety_gate_core::context::rfc3339)
        .unwrap_or_else(|_| since.as_secs().to_string());
    whole.replace('Z', &format!(".{:03}Z", since.subsec_millis()))
}

/// Runs every producer, then every gate instance that can be judged, in order; each
/// report starts with its producer's checks. A gate whose results cannot be judged
/// reports only those (errors), so it cannot pass.
pub fn run_all(config: &Config, ctx: &RunContext) -> RunReport {
    let produced = produce(config, ctx);
    let gates = config
        .instances()
        .into_iter()
        .zip(produced)
        .map(|(gate, produced)| match produced {
            None => gate.run(ctx),
            Some(p) => {
                let mut report = if p.judge {
                    gate.run(ctx)
                } else {
                    GateReport::new(gate.kind(), gate.name(), gate.mode())
                };
                let own = std::mem::take(&mut report.checks);
                report.checks = p.checks;
                report.checks.extend(own);
                report
            }
        })
        .collect();
    RunReport { gates }
}

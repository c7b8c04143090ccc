//! What `baseline accept` may promote: the gates' producers run first (unless
//! `--no-run`), so a baseline comes from a fresh run; results that could not be
//! produced are refused; results the gate would fail (a regression) are refused unless
//! `--allow-regression`, saying what would have been accepted; and a baseline that
//! already holds the new contents is left alone, file and provenance, so accepting
//! twice changes nothing.

use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::inputs::read_bytes;
use safety_gate_core::{Check, RunContext, RunReport, Status};
use std::fmt::Write;
use std::path::PathBuf;

use crate::config::Config;
use crate::{accept, produce, run};

/// How to promote.
#[derive(Debug, Clone, Copy, Default)]
pub struct PromoteOptions {
    /// Run the gates' producers first (the default); off with `--no-run`.
    pub run: bool,
    /// Promote results the gate would fail.
    pub allow_regression: bool,
}

/// What accepting would write.
#[derive(Debug, Default)]
pub struct Promotion {
    /// The baselines whose contents change, with their gate's label.
    pub changed: Vec<(String, BaselineUpdate)>,
    /// The baselines that already hold the current results, with their gate's label.
    pub unchanged: Vec<(String, PathBuf)>,
}

/// Produces (unless told not to), judges, and plans the updates of every instance of
/// `config`. A refusal is an `Err` whose text names each check that stood in the way
/// and, for a regression, what would have been accepted.
pub fn promotion(
    config: &Config,
    ctx: &RunContext,
    options: PromoteOptions,
) -> Result<Promotion, Refusal> {
    let report = if options.run {
        produce::run_all(config, ctx)
    } else {
        run::run_all(config, ctx)
    };
    let unproduced = checks_where(&report, |c| {
        c.status == Status::Error && (c.id == "run" || c.id.starts_with("stale:"))
    });
    if !unproduced.is_empty() {
        return Err(Refusal::NotProduced(listing(&unproduced)));
    }
    let max_bytes = ctx.limits.max_bytes();
    let planned = accept::plan(config, ctx).map_err(Refusal::Unreadable)?;
    let mut promotion = Promotion::default();
    for (label, update) in planned {
        let same = read_bytes(&update.target, max_bytes).is_ok_and(|old| old == update.contents);
        if same {
            promotion.unchanged.push((label, update.target));
        } else {
            promotion.changed.push((label, update));
        }
    }
    let failing = checks_where(&report, |c| c.status == Status::Fail);
    if !failing.is_empty() && !options.allow_regression {
        let mut would = String::new();
        for (label, update) in &promotion.changed {
            let _ = writeln!(
                would,
                "  {label}: {} from {}",
                update.target.display(),
                update.source
            );
        }
        return Err(Refusal::Regression {
            failing: listing(&failing),
            would,
        });
    }
    Ok(promotion)
}

/// Why nothing was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A producer failed, or left stale results: one line per check.
    NotProduced(String),
    /// The current results could not be read into baselines.
    Unreadable(String),
    /// The gates would fail on these results.
    Regression {
        /// One line per failing check.
        failing: String,
        /// One line per baseline that would change.
        would: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotProduced(checks) => write!(
                f,
                "not accepted: the current results could not be produced\n{checks}"
            ),
            Refusal::Unreadable(message) => write!(f, "not accepted: {message}"),
            Refusal::Regression { failing, would } => {
                write!(
                    f,
                    "not accepted: the gates fail on the current results\n{failing}"
                )?;
                if would.is_empty() {
                    write!(f, "no baseline would change")
                } else {
                    write!(
                        f,
                        "rerun with --allow-regression to accept them as the new baselines:\n{}",
                        would.trim_end()
                    )
                }
            }
        }
    }
}

fn checks_where(report: &RunReport, keep: impl Fn(&Check) -> bool) -> Vec<(String, &Check)> {
    report
        .gates
        .iter()
        .flat_map(|g| g.checks.iter().map(move |c| (g.label(), c)))
        .filter(|(_, c)| keep(c))
        .collect()
}

fn listing(checks: &[(String, &Check)]) -> String {
    checks
        .iter()
        .map(|(label, c)| format!("  {label} {}: {}\n", c.id, c.message))
        .collect()
}

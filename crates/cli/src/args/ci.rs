//! Arguments of the CI integrations: the `check` flags for GitHub, history, baselines
//! from a git ref, waivers and the rollback report, and the `hook`, `baseline` and
//! `history` subcommands.

use clap::Subcommand;
use safety_gate_core::Threshold;
use std::path::PathBuf;

/// `check` flags beyond the reports.
#[derive(Debug, Default, clap::Args)]
pub struct CiArgs {
    /// Run only these gates: a gate's name or kind; repeat for several.
    #[arg(long = "gate", value_name = "NAME_OR_KIND")]
    pub gates: Vec<String>,
    /// Emit GitHub annotations, a step summary and step outputs (on by default when
    /// GITHUB_ACTIONS=true).
    #[arg(long)]
    pub github: bool,
    /// Append this run's numbers to a JSONL history and check it for slow drift.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// How many of the latest history entries the drift check looks at.
    #[arg(long, value_name = "N", default_value_t = 10, requires = "history")]
    pub drift_window: usize,
    /// Largest cumulative drift over the window (default: each check's own threshold).
    #[arg(long, value_name = "PERCENT", requires = "history")]
    pub drift_threshold: Option<Threshold>,
    /// Judge against this git ref (e.g. origin/main): every baseline file, the waivers
    /// and every gate's settings are read from it, and what this change loosens fails
    /// (see --allow-loosening).
    #[arg(long, value_name = "REF")]
    pub baseline_ref: Option<String>,
    /// With --baseline-ref: accept what this change loosens (waivers added or extended,
    /// gates removed, modes weakened, thresholds raised...): each is reported as a
    /// warning instead of a failure, and the change's own settings are judged. Meant to
    /// be set by a maintainer (a pull-request label), never by the change itself.
    #[arg(long)]
    pub allow_loosening: bool,
    /// Waivers file (default: baselines/waivers.toml beside the config, when present).
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// On a rollback verdict, write a Markdown rollback report here.
    #[arg(long, value_name = "FILE")]
    pub rollback_report: Option<PathBuf>,
    /// Write a pull-request comment body here: Markdown with the verdict, the gate table
    /// and the checks that need attention, within GitHub's 65,536-character limit.
    #[arg(long, value_name = "FILE")]
    pub pr_comment: Option<PathBuf>,
}

/// `safety-gate hook ...`.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write .git/hooks/pre-push so that `git push` judges the commits it pushes first.
    Install(HookInstallArgs),
    /// What the installed hook runs: judges each commit named on stdin (git's pre-push
    /// input) in a clean checkout and exits with the worst verdict.
    PrePush(HookPrePushArgs),
}

/// `safety-gate hook pre-push`.
#[derive(Debug, clap::Args)]
pub struct HookPrePushArgs {
    /// Config to check (relative to the repository root).
    #[arg(long, short, value_name = "FILE", default_value = "safety-gate.toml")]
    pub config: PathBuf,
    /// Check only these gates (name or kind); repeat for several.
    #[arg(long = "gate", value_name = "NAME_OR_KIND")]
    pub gates: Vec<String>,
    /// Judge the working tree, refusing the push unless it is exactly the pushed commit.
    #[arg(long)]
    pub in_place: bool,
    /// Print only problems and the verdict.
    #[arg(long, short)]
    pub quiet: bool,
    /// The remote's name and URL, as git passes them to the hook.
    #[arg(value_name = "REMOTE", num_args = 0..=2)]
    pub remote: Vec<String>,
}

/// `safety-gate hook install`.
#[derive(Debug, clap::Args)]
pub struct HookInstallArgs {
    /// Config the hook checks (relative to the repository root).
    #[arg(long, short, value_name = "FILE", default_value = "safety-gate.toml")]
    pub config: PathBuf,
    /// Fast path: check only these gates (name or kind); repeat for several.
    #[arg(long = "gate", value_name = "NAME_OR_KIND")]
    pub gates: Vec<String>,
    /// Replace a pre-push hook not written by safety-gate (it is kept as a backup)
    /// instead of running it first.
    #[arg(long)]
    pub force: bool,
    /// Judge the working tree instead of a clean checkout of each pushed commit; the
    /// push is refused unless the tree is exactly the pushed commit.
    #[arg(long)]
    pub in_place: bool,
    /// The safety-gate binary the hook runs (default: this one).
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
}

/// `safety-gate baseline ...`.
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Promote the current results to baselines, with a provenance record beside each.
    Accept(BaselineAcceptArgs),
}

/// `safety-gate baseline accept`.
#[derive(Debug, clap::Args)]
pub struct BaselineAcceptArgs {
    /// The config naming the baselines and current results.
    #[arg(long, short, value_name = "FILE", default_value = "safety-gate.toml")]
    pub config: PathBuf,
    /// Only these gates (name or kind); repeat for several.
    #[arg(long = "gate", value_name = "NAME_OR_KIND")]
    pub gates: Vec<String>,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Accept the result files as they are: do not run the gates' `run` commands first.
    #[arg(long)]
    pub no_run: bool,
    /// Accept results the gates fail on (a regression made the new normal).
    #[arg(long)]
    pub allow_regression: bool,
}

/// `safety-gate history ...`.
#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Print the trend of every benchmark in a history file.
    Show(HistoryShowArgs),
}

/// `safety-gate history show`.
#[derive(Debug, clap::Args)]
pub struct HistoryShowArgs {
    /// The JSONL history written by `check --history`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// How many of the latest entries to show.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub last: usize,
    /// How many of the latest entries the drift check looks at.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub drift_window: usize,
    /// Largest cumulative drift over the window (default: each check's own threshold).
    #[arg(long, value_name = "PERCENT")]
    pub drift_threshold: Option<Threshold>,
    /// Print Markdown instead of text: a table of every series and a Mermaid chart of
    /// each (drifting first), for a step summary.
    #[arg(long)]
    pub markdown: bool,
    /// Also write the trends as a self-contained HTML page: a table and one chart per
    /// series.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Also write every series' chart into one SVG file (a nightly artifact).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

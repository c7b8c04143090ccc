//! `safety-gate check`: the engine runs the config; this delivers its outputs (the
//! reports, the pull-request comment body, the rollback report, the human report,
//! GitHub annotations, step summary and step outputs), all saying one verdict (see
//! [`super::deliver`]).

use safety_gate_core::{RollbackPlan, Verdict};
use safety_gate_report::files::{PageContext, ReportPaths};
use safety_gate_report::{github, pr_comment, rollback, summary};
use std::collections::BTreeMap;
use std::path::PathBuf;

use super::deliver::{Output, deliver, written};
use super::output::{conclude, eprint, human_report, report_outputs, report_paths, run_meta};
use crate::args::CheckArgs;
use crate::env;
use crate::error::Error;

/// Runs `check` and returns the exit code of the verdict every output said.
pub fn run(args: &CheckArgs) -> Result<u8, Error> {
    let options = args.to_options();
    let run = safety_gate_engine::check(&args.config, &options);
    for note in &run.notes {
        eprint(note);
    }
    let from_config = ReportPaths {
        junit: run.reports.junit.clone(),
        json: run.reports.json.clone(),
        html: run.reports.html.clone(),
    };
    let paths = report_paths(&args.output, from_config);
    let github = env::github_enabled(args.ci.github).then(env::github);
    let root = env::github().root;
    let meta = run_meta(
        &options.clock,
        format!("safety-gate check --config {}", args.config.display()),
    );
    let page = PageContext {
        plans: &run.plans,
        meta: &meta,
    };
    let mut outputs = report_outputs(&paths, page);
    if let Some(path) = &args.ci.pr_comment {
        let (root, plans) = (root.clone(), &run.plans);
        outputs.push(Output::replace("pr-comment", path, move |r, _| {
            pr_comment::render(r, root.as_deref(), plans).into_bytes()
        }));
    }
    // Only a rollback writes one; folding failed outputs never makes or undoes one.
    if let Some(path) = &args.ci.rollback_report {
        if run.report.verdict() == Verdict::Rollback {
            let (plans, meta) = (&run.plans, &meta);
            outputs.push(Output::replace("rollback-report", path, move |r, _| {
                rollback::render(r, plans, meta).into_bytes()
            }));
        }
    }
    if let Some(runner) = &github {
        outputs.extend(runner_outputs(runner, &paths, &run.plans));
    }
    // The runner reads stdout for workflow commands: the human report is marked so that
    // none of its lines is one; the annotations are escaped commands.
    let human = human_report(&args.output, github.is_some());
    let delivered = deliver(&run.report, outputs, |report| {
        let mut text = human(report);
        let Some(runner) = &github else {
            return text;
        };
        for line in github::annotations(report, runner.root.as_deref()).lines {
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    conclude(delivered)
}

/// The step summary (with each triggering gate's rollback plan) and step outputs,
/// appended to the runner's files. The outputs name only the reports that were written.
fn runner_outputs<'a>(
    runner: &'a env::Github,
    paths: &'a ReportPaths,
    plans: &'a BTreeMap<String, RollbackPlan>,
) -> Vec<Output<'a>> {
    let root = runner.root.as_deref();
    let mut outputs = Vec::new();
    if let Some(path) = &runner.summary {
        outputs.push(Output::append("step-summary", path, move |r, _| {
            summary::render(r, &github::annotations(r, root), root, plans).into_bytes()
        }));
    }
    if let Some(path) = &runner.output {
        outputs.push(Output::append("step-outputs", path, move |r, failed| {
            let kept = |p: &Option<PathBuf>| p.clone().filter(|p| written(failed, p));
            let (junit, json, html) = (kept(&paths.junit), kept(&paths.json), kept(&paths.html));
            github::StepOutputs::of(r, junit.as_deref(), json.as_deref(), html.as_deref())
                .render(&env::output_delimiter())
                .into_bytes()
        }));
    }
    outputs
}

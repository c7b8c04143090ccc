//! `safety-gate perf|characterization|snapshot ...`: one gate from flags, with the
//! flags' input limit and paths from the current folder.

use safety_gate_core::parallel::Jobs;
use safety_gate_core::{Clock, GateInstance, InputLimits, Instance, RunContext};
use safety_gate_engine::missing;
use safety_gate_engine::run::run_one;
use safety_gate_report::files::{PageContext, ReportPaths};
use std::collections::BTreeMap;

use super::deliver::deliver;
use super::output::{conclude, human_report, report_outputs, run_meta};
use crate::args::{AdHoc, AdHocRunner};
use crate::env;
use crate::error::Error;

/// Runs whichever gate the flags stand for.
pub struct Run;

impl AdHocRunner<Result<u8, Error>> for Run {
    fn run<A: AdHoc>(self, args: &A) -> Result<u8, Error> {
        let output = args.output();
        let ctx = RunContext {
            limits: InputLimits::new(output.max_input_size),
            jobs: Jobs::available(),
            ..RunContext::default()
        };
        let mut gate = GateInstance::<A::Gate>::new(args.to_config());
        let baselines = missing::baseline_paths(&mut gate);
        let mut report = run_one(&gate, &ctx);
        for gate in &mut report.gates {
            missing::explain(gate, &baselines, |path| args.missing_baseline_hint(path));
        }
        let paths = ReportPaths {
            junit: output.junit.clone(),
            json: output.report_json.clone(),
            html: output.html.clone(),
        };
        let plans = BTreeMap::from([(gate.label(), gate.rollback_plan().clone())]);
        let meta = run_meta(&Clock::default(), env::command_line());
        let page = PageContext {
            plans: &plans,
            meta: &meta,
        };
        conclude(deliver(
            &report,
            report_outputs(&paths, page),
            human_report(output, env::github_enabled(false)),
        ))
    }
}

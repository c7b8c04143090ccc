//! Running gate instances: every configured one in registry order, or one built from
//! ad-hoc flags, each with the same [`RunContext`].

use safety_gate_core::{Instance, RunReport};

use crate::config::Config;

pub use safety_gate_core::RunContext;

/// Runs every configured instance in order; an instance whose mode is `off` reports
/// nothing and reads nothing.
pub fn run_all(config: &Config, ctx: &RunContext) -> RunReport {
    RunReport {
        gates: config.instances().iter().map(|g| g.run(ctx)).collect(),
    }
}

/// Runs one instance, as the ad-hoc commands (`safety-gate perf ...`) do.
pub fn run_one(instance: &dyn Instance, ctx: &RunContext) -> RunReport {
    let mut report = RunReport {
        gates: vec![instance.run(ctx)],
    };
    report.settle();
    report
}

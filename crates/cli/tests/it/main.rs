//! The binary's integration tests, in one test binary (one link on 2 cores instead of
//! one per file): every module runs the real `safety-gate` binary.

mod common;
mod sandbox;

mod bad_inputs;
mod baselines;
mod characterization;
mod compared_nothing;
mod config_mistakes;
mod fail_closed;
mod findings;
mod first_run;
mod fuzz_corpus;
mod gate_baselines;
mod github;
mod github_injection;
mod hook;
mod html_report;
mod human_report;
mod input_limits;
mod junit_producers;
mod missing_baselines;
mod nightly;
mod no_orphans;
mod outputs;
mod perf;
mod perf_decision;
mod perf_formats;
mod perf_tool_formats;
mod producers;
mod reference;
mod schema_compat;
mod snapshot;
mod trust;
mod waivers;

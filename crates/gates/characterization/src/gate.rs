//! Runs one characterization gate instance: JUnit rules, then golden pairs.

use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::{
    Check, Gate, GateReport, InputError, Loosening, Producer, RollbackPlan, RunContext,
};
use std::path::{Path, PathBuf};

use crate::config::CharacterizationConfig;
use crate::{KIND, golden};

/// The characterization gate, as the engine's registry knows it.
#[derive(Debug)]
pub struct CharacterizationGate;

impl Gate for CharacterizationGate {
    type Config = CharacterizationConfig;
    const KIND: &'static str = KIND;
    const SUMMARY: &'static str = "JUnit as every producer writes it, strict per rule (skips, xfails, missing tests, reruns...), and golden-output drift";

    fn run(config: &CharacterizationConfig, ctx: &RunContext) -> GateReport {
        run(config, ctx)
    }

    fn rollback_plan(config: &CharacterizationConfig) -> &RollbackPlan {
        &config.rollback
    }

    fn compared_files(config: &CharacterizationConfig) -> Vec<(&Path, &Path)> {
        config
            .golden
            .iter()
            .map(|pair| (pair.baseline.as_path(), pair.current.as_path()))
            .collect()
    }

    fn baseline_files(config: &mut CharacterizationConfig) -> Vec<&mut PathBuf> {
        crate::baselines::baseline_files(config)
    }

    fn producer(config: &CharacterizationConfig) -> Option<&Producer> {
        config.run.as_ref()
    }

    fn result_files(config: &CharacterizationConfig) -> Vec<String> {
        let mut files = config.results.clone();
        files.extend(
            config
                .golden
                .iter()
                .map(|g| g.current.to_string_lossy().into_owned()),
        );
        files
    }

    fn accept(
        config: &CharacterizationConfig,
        ctx: &RunContext,
    ) -> Result<Vec<BaselineUpdate>, InputError> {
        crate::baselines::accept(config, ctx)
    }

    fn loosenings(
        reference: &CharacterizationConfig,
        change: &CharacterizationConfig,
    ) -> Vec<Loosening> {
        crate::loosening::loosenings(reference, change)
    }
}

/// Runs the gate. Never panics: unreadable inputs become error checks naming the
/// file and line, violations become failing checks listing the offending tests or
/// paths. No input over `ctx.limits` is read.
pub fn run(config: &CharacterizationConfig, ctx: &RunContext) -> GateReport {
    let mut report = GateReport::new(KIND, &config.name, config.mode);
    if !config.results.is_empty() {
        let junit = crate::rules::junit_checks(config, ctx.limits);
        for check in junit.checks {
            report.push(check);
        }
        report.counts = junit.counts;
    }
    let rules = config.effective_rules();
    for pair in &config.golden {
        report.push(golden::golden_check(
            pair,
            rules.jsonl,
            ctx.limits.max_bytes(),
        ));
    }
    if config.results.is_empty() && (config.expected.is_some() || config.write_expected.is_some()) {
        // A manifest with no report to hold it against would silently check nothing.
        report.push(Check::error(
            "config",
            "`expected` and `write_expected` need `results` (the JUnit reports to check)",
        ));
    }
    if config.results.is_empty() && config.golden.is_empty() {
        report.push(Check::error(
            "config",
            "nothing to check: set `results` (JUnit reports) or `golden` pairs",
        ));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::GoldenConfig;
    use safety_gate_core::{GateVerdict, Mode, Status};
    use std::path::Path;

    fn repo(rel: &str) -> String {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../..")
            .join(rel)
            .display()
            .to_string()
    }

    fn config() -> CharacterizationConfig {
        CharacterizationConfig {
            name: "demo".into(),
            mode: Mode::Enforce,
            strict: true,
            rules: Default::default(),
            reruns: Default::default(),
            results: Vec::new(),
            expected: None,
            write_expected: None,
            golden: Vec::new(),
            rollback: Default::default(),
            run: None,
        }
    }

    #[test]
    fn nothing_configured_cannot_decide() {
        let report = run(&config(), &RunContext::default());
        assert_eq!(report.verdict(), GateVerdict::Error);
        assert_eq!(report.checks[0].id, "config");
    }

    #[test]
    fn a_manifest_without_reports_cannot_decide() {
        let mut c = config();
        c.expected = Some(repo("baselines/characterization/expected-tests.txt").into());
        c.golden = vec![GoldenConfig {
            name: None,
            baseline: repo("baselines/characterization/metrics.json").into(),
            current: repo("baselines/characterization/metrics.json").into(),
            format: None,
            tolerances: Vec::new(),
            ignore: Vec::new(),
        }];
        let report = run(&c, &RunContext::default());
        assert_eq!(report.verdict(), GateVerdict::Error);
        assert!(report.checks.iter().any(|c| c.id == "config"));
    }

    #[test]
    fn rules_then_golden_pairs_in_one_report() {
        let mut c = config();
        c.results = vec![repo("fixtures/demo/characterization/junit-*.xml")];
        c.expected = Some(repo("baselines/characterization/expected-tests.txt").into());
        c.golden = vec![GoldenConfig {
            name: Some("metrics".into()),
            baseline: repo("baselines/characterization/metrics.json").into(),
            current: repo("fixtures/demo/characterization/regressed/metrics.json").into(),
            format: None,
            tolerances: vec!["/metrics/*_rate=rel:1e-9".parse().expect("tolerance")],
            ignore: vec!["/generated_at".parse().expect("glob")],
        }];
        let report = run(&c, &RunContext::default());
        let ids: Vec<&str> = report.checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "tests-executed",
                "no-failures",
                "no-skips",
                "no-xfails",
                "no-unexpected-passes",
                "unique-test-ids",
                "no-flaky-tests",
                "suite-counters",
                "expected-tests",
                "golden:metrics",
            ]
        );
        let failing: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(failing, ["golden:metrics"]);
        assert_eq!(report.verdict(), GateVerdict::Rollback);
    }
}

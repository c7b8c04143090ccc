//! Runs one characterization gate instance: JUnit rules, then golden pairs.

use safety_gate_core::{Check, GateReport};

use crate::config::CharacterizationConfig;
use crate::{KIND, golden};

/// Runs the gate. Never panics: unreadable inputs become error checks naming the
/// file and line, violations become failing checks listing the offending tests or paths.
pub fn run(config: &CharacterizationConfig) -> GateReport {
    let mut report = GateReport::new(KIND, &config.name, config.mode);
    if !config.results.is_empty() {
        let junit = crate::rules::junit_checks(config);
        for check in junit.checks {
            report.push(check);
        }
        report.counts = junit.counts;
    }
    let rules = config.effective_rules();
    for pair in &config.golden {
        report.push(golden::golden_check(pair, rules.jsonl));
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
        }
    }

    #[test]
    fn nothing_configured_cannot_decide() {
        let report = run(&config());
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
        let report = run(&c);
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
        let report = run(&c);
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

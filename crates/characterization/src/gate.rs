//! Runs one characterization gate instance: JUnit rules, then golden pairs.

use safety_gate_core::{Check, GateReport};

use crate::config::CharacterizationConfig;
use crate::{KIND, golden};

/// Runs the gate. Never panics: unreadable inputs become error checks naming the
/// file and line, violations become failing checks listing the offending tests or paths.
pub fn run(config: &CharacterizationConfig) -> GateReport {
    let mut report = GateReport::new(KIND, &config.name, config.mode);
    if !config.results.is_empty() {
        for check in crate::rules::junit_checks(config) {
            report.push(check);
        }
    }
    for pair in &config.golden {
        report.push(golden::golden_check(pair, config.strict));
    }
    if config.results.is_empty() && config.golden.is_empty() {
        report.push(Check::error(
            "config",
            "nothing to check: set `results` (JUnit reports) or `golden` pairs",
        ));
    }
    report
}

//! A baseline that does not exist yet says how to create it. The gates report a missing
//! file as an input error naming it; for a file that is one of the gate's baselines,
//! the message gains the command that writes it from the current results
//! (`safety-gate baseline accept`, or the ad-hoc `--write-expected`/`--write-hashes`).

use safety_gate_core::{GateReport, Instance, Status};
use std::path::PathBuf;

/// Every baseline path of `instance` (a folder of golden files counts as one).
pub fn baseline_paths(instance: &mut dyn Instance) -> Vec<PathBuf> {
    instance
        .baseline_files()
        .into_iter()
        .map(|p| p.clone())
        .collect()
}

/// Adds `how(path)` to each error check of `report` about a baseline in `baselines`
/// that does not exist.
pub fn explain(report: &mut GateReport, baselines: &[PathBuf], how: impl Fn(&PathBuf) -> String) {
    for check in &mut report.checks {
        if check.status != Status::Error {
            continue;
        }
        let Some(location) = &check.location else {
            continue;
        };
        let Some(path) = baselines.iter().find(|b| **b == location.file) else {
            continue;
        };
        if path.exists() || path.is_symlink() {
            continue;
        }
        check.message = format!("{}; {}", check.message, how(path));
    }
}

/// The hint of a configured gate: `baseline accept` for that gate, with `--config`
/// when the config is not the default one.
pub fn accept_hint(config_flag: &str, gate: &str) -> String {
    format!(
        "create it from the current results with `safety-gate baseline accept{config_flag} --gate {gate}`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::Check;

    #[test]
    fn only_errors_about_absent_baselines_gain_the_hint() {
        let dir = tempfile::tempdir().expect("tempdir");
        let absent = dir.path().join("base.json");
        let present = dir.path().join("there.json");
        std::fs::write(&present, "{}").expect("write");
        let mut report = GateReport::new("perf", "tick", safety_gate_core::Mode::Enforce);
        report.push(Check::error("baseline", "failed to read base.json").with_file(&absent));
        report.push(
            Check::error("current", "failed to read cur.json")
                .with_file(std::path::Path::new("cur.json")),
        );
        report.push(Check::error("other", "malformed").with_file(&present));
        report.push(Check::fail("x", "regressed").with_file(&absent));
        explain(&mut report, &[absent.clone(), present], |_| {
            accept_hint("", "tick")
        });
        let messages: Vec<&str> = report.checks.iter().map(|c| c.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "failed to read base.json; create it from the current results with \
                 `safety-gate baseline accept --gate tick`",
                "failed to read cur.json",
                "malformed",
                "regressed"
            ]
        );
    }
}

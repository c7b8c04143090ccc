//! The strict rules over merged JUnit reports, one check each.
//!
//! | check id | fails when | strict | non-strict |
//! |---|---|---|---|
//! | `tests-executed` | no test executed (none collected, or all skipped/xfailed) | fail | warn |
//! | `no-failures` | a test failed or errored (including collection errors) | fail | fail |
//! | `no-skips` | a test was skipped | fail | warn |
//! | `no-xfails` | a test failed as expected (xfail) | fail | warn |
//! | `no-unexpected-passes` | a test marked xfail passed | fail | warn (fail if the runner failed it) |
//! | `unique-test-ids` | the same id was reported twice (overlapping shards) | fail | warn |
//! | `expected-tests` | an id of the manifest did not run (absent or skipped) | fail | warn |
//!
//! When any report or the manifest cannot be read, no rule is evaluated: rules over
//! partial data would blame tests for a file that was never read.

use std::path::Path;

use safety_gate_core::inputs::expand;
use safety_gate_core::{Check, InputLimits, Location, Status};

use crate::config::CharacterizationConfig;
use crate::error::input_error;
use crate::junit::{Offenders, Tally};
use crate::manifest::{read_manifest, write_manifest};

/// Test names quoted in a check's one-line message.
const IN_MESSAGE: usize = 5;

/// Reads the configured reports and manifest within `limits` and returns the rule
/// checks, or the error checks of whatever could not be read.
pub fn junit_checks(config: &CharacterizationConfig, limits: InputLimits) -> Vec<Check> {
    let mut errors = Vec::new();
    let expected = match &config.expected {
        Some(path) => read_manifest(path, limits.max_bytes()).unwrap_or_else(|e| {
            errors.push(input_error("expected-tests".into(), &e));
            Vec::new()
        }),
        None => Vec::new(),
    };
    let mut files = Vec::new();
    for pattern in &config.results {
        match expand(pattern, Path::new("")) {
            Ok(found) => files.extend(found),
            Err(e) => errors.push(input_error(format!("results:{pattern}"), &e)),
        }
    }
    let mut tally =
        Tally::new(&expected, config.write_expected.is_some()).with_max_bytes(limits.streamed());
    for file in &files {
        if let Err(e) = tally.add_file(file) {
            errors.push(input_error(format!("results:{}", file.display()), &e));
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    let mut checks = rule_checks(&tally, config.strict, config.expected.as_deref());
    if let Some(path) = &config.write_expected {
        checks.push(write_expected(&tally, &checks, path));
    }
    checks
}

/// The rule checks over a complete tally.
pub fn rule_checks(tally: &Tally, strict: bool, manifest: Option<&Path>) -> Vec<Check> {
    let soft = if strict { Status::Fail } else { Status::Warn };
    let mut checks = vec![executed(tally, soft)];
    checks.push(rule(
        "no-failures",
        Status::Fail,
        &tally.failures,
        "no test failed or errored",
        "failed or errored",
    ));
    checks.push(rule(
        "no-skips",
        soft,
        &tally.skipped,
        "no test was skipped",
        "skipped",
    ));
    checks.push(rule(
        "no-xfails",
        soft,
        &tally.xfailed,
        "no test failed as expected (xfail)",
        "xfailed (failed as expected)",
    ));
    let xpass = if tally.strict_xpasses > 0 {
        Status::Fail
    } else {
        soft
    };
    checks.push(rule(
        "no-unexpected-passes",
        xpass,
        &tally.xpassed,
        "no xfail-marked test passed unexpectedly",
        "passed unexpectedly (xpass)",
    ));
    checks.push(rule(
        "unique-test-ids",
        soft,
        &tally.duplicates,
        "every test id was reported once",
        "reported more than once (overlapping shards?)",
    ));
    if let Some(path) = manifest {
        let missing = tally.missing();
        let ok = format!("all {} expected tests ran", tally.expected_len());
        let check = rule(
            "expected-tests",
            soft,
            &missing,
            &ok,
            "expected but did not run",
        );
        checks.push(check.with_file(path));
    }
    checks
}

fn executed(tally: &Tally, soft: Status) -> Check {
    let files = match tally.files {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    let counts = format!(
        "{} testcases in {files}: {} passed, {} failed or errored, {} skipped, {} xfailed, {} xpassed",
        tally.testcases,
        tally.passed,
        tally.failures.total,
        tally.skipped.total,
        tally.xfailed.total,
        tally.xpassed.total
    );
    let id = "tests-executed";
    if tally.executed > 0 {
        Check::pass(id, format!("{} tests executed ({counts})", tally.executed))
    } else if tally.testcases == 0 {
        Check::new(
            id,
            soft,
            format!("no test executed: no testcase in {files}"),
        )
    } else {
        Check::new(id, soft, format!("no test executed: {counts}"))
    }
}

/// A rule's check: pass, or `status` naming the offending tests.
fn rule(id: &str, status: Status, offenders: &Offenders, ok: &str, verb: &str) -> Check {
    if offenders.is_empty() {
        return Check::pass(id, ok);
    }
    let names: Vec<&str> = offenders
        .ids
        .iter()
        .take(IN_MESSAGE)
        .map(String::as_str)
        .collect();
    let noun = if offenders.total == 1 {
        "test"
    } else {
        "tests"
    };
    let more = if offenders.total > names.len() {
        ", …"
    } else {
        ""
    };
    let message = format!(
        "{} {noun} {verb}: {}{more}",
        offenders.total,
        names.join(", ")
    );
    let mut details = offenders.listed.clone();
    if offenders.total > details.len() {
        details.push(format!("… and {} more", offenders.total - details.len()));
    }
    Check::new(id, status, message).with_details(details)
}

/// Writes the manifest when every rule other than the manifest's own passed.
fn write_expected(tally: &Tally, checks: &[Check], path: &Path) -> Check {
    let blocking: Vec<&str> = checks
        .iter()
        .filter(|c| c.id != "expected-tests" && c.status != Status::Pass)
        .map(|c| c.id.as_str())
        .collect();
    let check = if !blocking.is_empty() {
        Check::error(
            "write-expected",
            format!(
                "manifest not written: the run is not green ({})",
                blocking.join(", ")
            ),
        )
    } else {
        let ids = tally
            .ran_ids()
            .map(|s| s.iter().collect::<Vec<_>>())
            .unwrap_or_default();
        match write_manifest(path, ids.iter().copied()) {
            Ok(()) => Check::pass(
                "write-expected",
                format!("wrote {} test ids to {}", ids.len(), path.display()),
            ),
            Err(e) => Check::error("write-expected", e.to_string()),
        }
    };
    check.with_location(Location::file(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../fixtures/characterization/junit/pytest")
            .join(name)
            .display()
            .to_string()
    }

    fn config(results: &[&str], strict: bool) -> CharacterizationConfig {
        CharacterizationConfig {
            name: "t".into(),
            mode: Default::default(),
            strict,
            results: results.iter().map(|r| fixture(r)).collect(),
            expected: None,
            write_expected: None,
            golden: Vec::new(),
            rollback: Default::default(),
        }
    }

    fn statuses(checks: &[Check]) -> Vec<(String, Status)> {
        checks.iter().map(|c| (c.id.clone(), c.status)).collect()
    }

    fn status_of(checks: &[Check], id: &str) -> Status {
        checks
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.status)
            .expect("check present")
    }

    #[test]
    fn green_run_passes_every_rule() {
        let checks = junit_checks(&config(&["green.xml"], true), InputLimits::default());
        assert!(
            checks.iter().all(|c| c.status == Status::Pass),
            "{:?}",
            statuses(&checks)
        );
        assert_eq!(checks.len(), 6);
    }

    #[test]
    fn skip_fails_strict_and_warns_lenient() {
        let strict = junit_checks(&config(&["one-skip.xml"], true), InputLimits::default());
        assert_eq!(status_of(&strict, "no-skips"), Status::Fail);
        let skip = strict.iter().find(|c| c.id == "no-skips").expect("rule");
        assert_eq!(
            skip.message,
            "1 test skipped: tests.test_skip::test_regenerate_golden"
        );
        let lenient = junit_checks(&config(&["one-skip.xml"], false), InputLimits::default());
        assert_eq!(status_of(&lenient, "no-skips"), Status::Warn);
        assert_eq!(status_of(&lenient, "no-failures"), Status::Pass);
    }

    #[test]
    fn mixed_run_breaks_each_rule() {
        let checks = junit_checks(&config(&["mixed.xml"], false), InputLimits::default());
        assert_eq!(status_of(&checks, "no-failures"), Status::Fail);
        assert_eq!(status_of(&checks, "no-xfails"), Status::Warn);
        // pytest failed the strict xpass itself, so it fails even when lenient.
        assert_eq!(status_of(&checks, "no-unexpected-passes"), Status::Fail);
    }

    #[test]
    fn empty_run_and_collection_errors() {
        let checks = junit_checks(&config(&["empty.xml"], true), InputLimits::default());
        assert_eq!(status_of(&checks, "tests-executed"), Status::Fail);
        assert_eq!(
            status_of(
                &junit_checks(&config(&["empty.xml"], false), InputLimits::default()),
                "tests-executed"
            ),
            Status::Warn
        );
        let checks = junit_checks(
            &config(&["collection-error.xml"], false),
            InputLimits::default(),
        );
        let failures = checks.iter().find(|c| c.id == "no-failures").expect("rule");
        assert_eq!(failures.status, Status::Fail);
        assert_eq!(
            failures.details,
            vec!["broken.test_broken: collection failure"]
        );
    }

    #[test]
    fn unreadable_report_stops_the_rules() {
        let mut c = config(&["green.xml"], true);
        c.results.push("/no/such/report.xml".into());
        let checks = junit_checks(&c, InputLimits::default());
        assert_eq!(
            statuses(&checks),
            vec![("results:/no/such/report.xml".into(), Status::Error)]
        );
    }

    #[test]
    fn write_expected_only_from_green_runs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("expected.txt");
        let mut c = config(&["one-skip.xml"], true);
        c.write_expected = Some(out.clone());
        let checks = junit_checks(&c, InputLimits::default());
        assert_eq!(status_of(&checks, "write-expected"), Status::Error);
        assert!(!out.exists());
        c.results = vec![fixture("green.xml")];
        let checks = junit_checks(&c, InputLimits::default());
        assert_eq!(status_of(&checks, "write-expected"), Status::Pass);
        let ids = read_manifest(&out, u64::MAX).expect("manifest");
        assert_eq!(ids.len(), 4);
        assert!(ids.contains(&"tests.test_green.TestErrors::test_mean_of_nothing".to_string()));
        // The written manifest is then satisfied by the same run.
        c.write_expected = None;
        c.expected = Some(out);
        assert_eq!(
            status_of(&junit_checks(&c, InputLimits::default()), "expected-tests"),
            Status::Pass
        );
    }
}

//! The rules over merged JUnit reports, one check each. Each rule but `no-failures`
//! has a severity (fail, warn or ignore) from the `strict`/`lenient` preset and
//! per-rule overrides (see [`crate::strictness`]).
//!
//! | check id | breaks when | rule |
//! |---|---|---|
//! | `tests-executed` | no test executed (none collected, or all skipped/xfailed) | `empty` |
//! | `no-failures` | a test failed or errored (including collection errors and suite-level failures) | always fails |
//! | `no-skips` | a test was skipped | `skips` |
//! | `no-xfails` | a test failed as expected (xfail) | `xfails` |
//! | `no-unexpected-passes` | a test marked xfail passed | `xpasses` (fails if the runner failed it) |
//! | `unique-test-ids` | an id repeated in one file, or reported by several files | `duplicates` |
//! | `no-flaky-tests` | a test passed only on a later attempt | `flaky` |
//! | `suite-counters` | a suite claims more failures or errors than its elements show | `counters` |
//! | `expected-tests` | an id of the manifest did not run (absent or skipped) | `missing` |
//!
//! When any report or the manifest cannot be read, no rule is evaluated: rules over
//! partial data would blame tests for a file that was never read.

use std::path::Path;

use safety_gate_core::inputs::expand;
use safety_gate_core::{Check, Counts, InputLimits, Location, Status};

use crate::config::CharacterizationConfig;
use crate::error::input_error;
use crate::junit::{Offenders, Tally};
use crate::manifest::{read_manifest, write_manifest};
use crate::strictness::{Rules, Severity};

/// Test names quoted in a check's one-line message.
const IN_MESSAGE: usize = 5;

/// The checks over a gate's JUnit reports, and the per-test figures when they were read.
#[derive(Debug)]
pub struct JunitResult {
    /// Rule checks, or the error checks of whatever could not be read.
    pub checks: Vec<Check>,
    /// `tests`, `passed`, `failed`, `errored`, `skipped`, `xfailed`, `xpassed`,
    /// `flaky`; empty when a report could not be read.
    pub counts: Counts,
}

/// Reads the configured reports and manifest within `limits` and returns the rule
/// checks, or the error checks of whatever could not be read.
pub fn junit_checks(config: &CharacterizationConfig, limits: InputLimits) -> JunitResult {
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
    let mut tally = Tally::new(&expected, config.write_expected.is_some())
        .with_reruns(config.reruns)
        .with_max_bytes(limits.streamed());
    for file in &files {
        if let Err(e) = tally.add_file(file) {
            errors.push(input_error(format!("results:{}", file.display()), &e));
        }
    }
    if !errors.is_empty() {
        return JunitResult {
            checks: errors,
            counts: Counts::default(),
        };
    }
    let mut checks = rule_checks(
        &tally,
        &config.effective_rules(),
        config.expected.as_deref(),
    );
    if let Some(path) = &config.write_expected {
        checks.push(write_expected(&tally, &checks, path));
    }
    let mut counts = Counts::default();
    for (name, value) in tally.counts().named() {
        counts.set(name, value);
    }
    JunitResult { checks, counts }
}

/// The rule checks over a complete tally.
pub fn rule_checks(tally: &Tally, rules: &Rules, manifest: Option<&Path>) -> Vec<Check> {
    let b = &tally.batch;
    let mut checks = vec![executed(tally, rules.empty)];
    checks.push(rule(
        "no-failures",
        Severity::Fail,
        &b.failures,
        "no test failed or errored",
        "failed or errored",
    ));
    checks.push(rule(
        "no-skips",
        rules.skips,
        &b.skipped,
        "no test was skipped",
        "skipped",
    ));
    checks.push(rule(
        "no-xfails",
        rules.xfails,
        &b.xfailed,
        "no test failed as expected (xfail)",
        "xfailed (failed as expected)",
    ));
    let xpass = if b.counts.strict_xpasses > 0 {
        Severity::Fail
    } else {
        rules.xpasses
    };
    checks.push(rule(
        "no-unexpected-passes",
        xpass,
        &b.xpassed,
        "no xfail-marked test passed unexpectedly",
        "passed unexpectedly (xpass)",
    ));
    checks.push(unique_ids(tally, rules.duplicates));
    checks.push(rule(
        "no-flaky-tests",
        rules.flaky,
        &b.flaky,
        "no test needed a rerun to pass",
        "passed only on a later attempt (flaky)",
    ));
    checks.push(suite_counters(tally, rules.counters));
    if let Some(path) = manifest {
        let missing = tally.missing();
        let ok = format!("all {} expected tests ran", tally.expected_len());
        let check = rule(
            "expected-tests",
            rules.missing,
            &missing,
            &ok,
            "expected but did not run",
        );
        checks.push(check.with_file(path));
    }
    checks
}

fn executed(tally: &Tally, severity: Severity) -> Check {
    let c = tally.counts();
    let files = match tally.files {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    let mut counts = format!(
        "{} tests in {files}: {} passed, {} failed, {} errored, {} skipped, {} xfailed, {} xpassed",
        c.tests, c.passed, c.failed, c.errored, c.skipped, c.xfailed, c.xpassed
    );
    if c.flaky > 0 {
        counts.push_str(&format!(", {} flaky", c.flaky));
    }
    if tally.elements != c.tests {
        counts.push_str(&format!(
            "; {} testcase elements, attempts of one test counted once",
            tally.elements
        ));
    }
    let id = "tests-executed";
    if c.executed > 0 {
        Check::pass(id, format!("{} tests executed ({counts})", c.executed))
    } else if c.tests == 0 {
        judged(
            id,
            severity,
            format!("no test executed: no testcase in {files}"),
        )
    } else {
        judged(id, severity, format!("no test executed: {counts}"))
    }
}

/// A check that broke a rule of `severity`; an ignored rule is reported as skipped.
fn judged(id: &str, severity: Severity, message: String) -> Check {
    let message = match severity {
        Severity::Ignore => format!("not judged (rule set to ignore): {message}"),
        _ => message,
    };
    Check::new(id, severity.status(), message)
}

/// A rule's check: pass, or `severity` naming the offending tests.
fn rule(id: &str, severity: Severity, offenders: &Offenders, ok: &str, verb: &str) -> Check {
    if offenders.is_empty() {
        return Check::pass(id, ok);
    }
    judged(id, severity, sentence(offenders, verb)).with_details(details(offenders))
}

/// `3 tests skipped: a, b, c`, naming the first few.
fn sentence(offenders: &Offenders, verb: &str) -> String {
    counted(offenders, ("test", "tests"), verb)
}

/// `3 <nouns> <verb>: a, b, c`, naming the first few.
fn counted(offenders: &Offenders, (one, many): (&str, &str), verb: &str) -> String {
    let names: Vec<&str> = offenders
        .ids
        .iter()
        .take(IN_MESSAGE)
        .map(String::as_str)
        .collect();
    let noun = if offenders.total == 1 { one } else { many };
    let more = if offenders.total > names.len() {
        ", …"
    } else {
        ""
    };
    format!(
        "{} {noun} {verb}: {}{more}",
        offenders.total,
        names.join(", ")
    )
}

/// The listed evidence lines, and how many more there are.
fn details(offenders: &Offenders) -> Vec<String> {
    let mut details = offenders.listed.clone();
    if offenders.total > details.len() {
        details.push(format!("… and {} more", offenders.total - details.len()));
    }
    details
}

/// Ids repeated in one file (read as attempts) and ids reported by several files.
fn unique_ids(tally: &Tally, severity: Severity) -> Check {
    let id = "unique-test-ids";
    let (repeated, across) = (&tally.batch.repeated, &tally.duplicates);
    if repeated.is_empty() && across.is_empty() {
        return Check::pass(id, "every test id was reported once");
    }
    let mut parts = Vec::new();
    let mut lines = Vec::new();
    if !repeated.is_empty() {
        parts.push(counted(
            repeated,
            ("id", "ids"),
            "repeated in the same file (in one suite: attempts, the last decides)",
        ));
        lines.extend(details(repeated));
    }
    if !across.is_empty() {
        parts.push(sentence(
            across,
            "reported by more than one file (overlapping shards?)",
        ));
        lines.extend(details(across));
    }
    judged(id, severity, parts.join("; ")).with_details(lines)
}

/// Suite counters against the elements: claims of unseen failures break the rule;
/// other disagreements are listed and decide nothing.
fn suite_counters(tally: &Tally, severity: Severity) -> Check {
    let id = "suite-counters";
    let (more, notes) = (&tally.batch.counters_claim_more, &tally.batch.counter_notes);
    let other = match notes.total {
        0 => String::new(),
        1 => "; 1 other counter disagrees (it decides nothing)".to_string(),
        n => format!("; {n} other counters disagree (they decide nothing)"),
    };
    let mut lines = details(more);
    lines.extend(details(notes));
    if more.is_empty() {
        let message =
            format!("no suite claims more failures or errors than its elements show{other}");
        return Check::pass(id, message).with_details(lines);
    }
    let first = more.listed.first().cloned().unwrap_or_default();
    let noun = if more.total == 1 {
        "suite claims"
    } else {
        "suites claim"
    };
    let message = format!(
        "{} {noun} more failures or errors than the elements show, so a failure may be missing from the report: {first}{other}",
        more.total
    );
    judged(id, severity, message).with_details(lines)
}

/// Whether a check keeps a manifest from being written: anything but a pass, or a
/// rule set to ignore (skipped), means the run is not green.
pub fn blocks_a_manifest(check: &Check) -> bool {
    !matches!(check.status, Status::Pass | Status::Skip)
}

/// Writes the manifest when every rule other than the manifest's own passed.
fn write_expected(tally: &Tally, checks: &[Check], path: &Path) -> Check {
    let blocking: Vec<&str> = checks
        .iter()
        .filter(|c| c.id != "expected-tests" && blocks_a_manifest(c))
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
    // Writing the manifest records the run; it compares nothing.
    check.with_location(Location::file(path)).bookkeeping()
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
            rules: Default::default(),
            reruns: Default::default(),
            results: results.iter().map(|r| fixture(r)).collect(),
            expected: None,
            write_expected: None,
            golden: Vec::new(),
            rollback: Default::default(),
            run: None,
        }
    }

    fn checks_of(c: &CharacterizationConfig) -> Vec<Check> {
        junit_checks(c, InputLimits::default()).checks
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
        let checks = checks_of(&config(&["green.xml"], true));
        assert!(
            checks.iter().all(|c| c.status == Status::Pass),
            "{:?}",
            statuses(&checks)
        );
        assert_eq!(checks.len(), 8);
    }

    #[test]
    fn skip_fails_strict_and_warns_lenient() {
        let strict = checks_of(&config(&["one-skip.xml"], true));
        assert_eq!(status_of(&strict, "no-skips"), Status::Fail);
        let skip = strict.iter().find(|c| c.id == "no-skips").expect("rule");
        assert_eq!(
            skip.message,
            "1 test skipped: tests.test_skip::test_regenerate_golden"
        );
        let lenient = checks_of(&config(&["one-skip.xml"], false));
        assert_eq!(status_of(&lenient, "no-skips"), Status::Warn);
        assert_eq!(status_of(&lenient, "no-failures"), Status::Pass);
    }

    #[test]
    fn mixed_run_breaks_each_rule() {
        let checks = checks_of(&config(&["mixed.xml"], false));
        assert_eq!(status_of(&checks, "no-failures"), Status::Fail);
        assert_eq!(status_of(&checks, "no-xfails"), Status::Warn);
        // pytest failed the strict xpass itself, so it fails even when lenient.
        assert_eq!(status_of(&checks, "no-unexpected-passes"), Status::Fail);
    }

    #[test]
    fn empty_run_and_collection_errors() {
        let checks = checks_of(&config(&["empty.xml"], true));
        assert_eq!(status_of(&checks, "tests-executed"), Status::Fail);
        assert_eq!(
            status_of(&checks_of(&config(&["empty.xml"], false)), "tests-executed"),
            Status::Warn
        );
        let checks = checks_of(&config(&["collection-error.xml"], false));
        let failures = checks.iter().find(|c| c.id == "no-failures").expect("rule");
        assert_eq!(failures.status, Status::Fail);
        assert_eq!(
            failures.details,
            vec!["pytest::broken.test_broken: collection failure"]
        );
    }

    #[test]
    fn unreadable_report_stops_the_rules() {
        let mut c = config(&["green.xml"], true);
        c.results.push("/no/such/report.xml".into());
        let checks = checks_of(&c);
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
        let checks = checks_of(&c);
        assert_eq!(status_of(&checks, "write-expected"), Status::Error);
        assert!(!out.exists());
        c.results = vec![fixture("green.xml")];
        let checks = checks_of(&c);
        assert_eq!(status_of(&checks, "write-expected"), Status::Pass);
        let ids = read_manifest(&out, u64::MAX).expect("manifest");
        assert_eq!(ids.len(), 4);
        assert!(ids.contains(&"tests.test_green.TestErrors::test_mean_of_nothing".to_string()));
        // The written manifest is then satisfied by the same run.
        c.write_expected = None;
        c.expected = Some(out);
        assert_eq!(status_of(&checks_of(&c), "expected-tests"), Status::Pass);
    }
}

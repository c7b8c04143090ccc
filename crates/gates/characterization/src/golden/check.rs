//! One golden pair becomes one check: pass when equal, fail listing the first
//! differing paths with their values, error naming the file that could not be read.

use serde_json::Value;
use std::path::Path;

use safety_gate_core::InputError;
use safety_gate_core::check::Check;
use safety_gate_core::evidence::{ChangeEvidence, Evidence};
use safety_gate_core::inputs::{parse_json, read_text};

use super::diff::{DiffOptions, Differences, diff_values};
use super::jsonl::diff_records;
use super::nonfinite::rewrite;
use super::pointer::{PointerSet, keeps_a_value};
use super::stream::index_jsonl;
use super::tolerance::ToleranceSet;
use crate::config::{GoldenConfig, GoldenFormat};
use crate::error::input_error;
use crate::strictness::Severity;

/// How the summary of a JSONL comparison names skipped lines.
const SKIPPED: &str = "non-JSON lines skipped";

/// Differing paths named in the check's message.
const IN_MESSAGE: usize = 3;
/// Differing paths listed in the check's details.
const IN_DETAILS: usize = 20;

/// Compares one golden pair, reading no file over `max_bytes`. `jsonl` decides what a
/// non-JSON line in a JSONL file does: `fail` refuses the file (an error naming the
/// line), `warn` skips it and warns when nothing else differs, `ignore` skips it and
/// counts it.
pub fn golden_check(pair: &GoldenConfig, jsonl: Severity, max_bytes: u64) -> Check {
    let id = format!("golden:{}", pair.label());
    let tolerances = ToleranceSet::new(&pair.tolerances);
    let ignore = PointerSet::new(&pair.ignore);
    let opts = DiffOptions {
        tolerances: &tolerances,
        ignore: &ignore,
    };
    let compared = match pair.effective_format() {
        GoldenFormat::Json => compare_json(pair, opts, max_bytes),
        GoldenFormat::Jsonl => compare_jsonl(pair, jsonl == Severity::Fail, opts, max_bytes),
    };
    match compared {
        Ok((diffs, summary)) if diffs.is_empty() => {
            let message = format!("identical to the baseline ({summary})");
            let check = if summary.contains(SKIPPED) && jsonl == Severity::Warn {
                Check::warn(id, message)
            } else {
                Check::pass(id, message)
            };
            check.with_file(&pair.current)
        }
        Ok((diffs, summary)) => {
            // A JSON drift needs no summary beyond its paths; JSONL adds record counts.
            let summary = (pair.effective_format() == GoldenFormat::Jsonl).then_some(summary);
            drift(id, &diffs, summary.as_deref()).with_file(&pair.current)
        }
        Err(e) => input_error(id, &e),
    }
}

fn compare_json(
    pair: &GoldenConfig,
    opts: DiffOptions<'_>,
    max_bytes: u64,
) -> Result<(Differences, String), InputError> {
    let old = read_json_doc(&pair.baseline, max_bytes)?;
    let new = read_json_doc(&pair.current, max_bytes)?;
    if !keeps_a_value(&old, "", opts.ignore) && !keeps_a_value(&new, "", opts.ignore) {
        return Err(redacted_everything(pair, "of either file"));
    }
    let mut diffs = Differences::default();
    diff_values(&old, &new, "", opts, &mut diffs);
    Ok((diffs, "json".to_string()))
}

/// Reads a JSON document, accepting the bare NaN and infinities Python writes.
fn read_json_doc(path: &Path, max_bytes: u64) -> Result<Value, InputError> {
    let text = read_text(path, max_bytes)?;
    parse_json(path, &rewrite(&text))
}

fn compare_jsonl(
    pair: &GoldenConfig,
    strict: bool,
    opts: DiffOptions<'_>,
    max_bytes: u64,
) -> Result<(Differences, String), InputError> {
    // Streamed: only a hash, offset and line per record stay in memory.
    let mut old = index_jsonl(&pair.baseline, strict, opts.ignore, max_bytes)?;
    let mut new = index_jsonl(&pair.current, strict, opts.ignore, max_bytes)?;
    if old.is_empty() && new.is_empty() && old.skipped_lines + new.skipped_lines > 0 {
        // Lines were there, none was a record: a lenient read that skipped them all
        // compared nothing, and "identical" would pass it.
        return Err(InputError::malformed(
            &pair.current,
            None,
            None,
            format!(
                "no JSON record on either side ({SKIPPED}: {} in {}, {} in current): \
                 nothing was compared",
                old.skipped_lines,
                pair.baseline.display(),
                new.skipped_lines
            ),
        ));
    }
    let has_records = old.len() + new.len() > 0;
    if has_records && !old.keeps_values && !new.keeps_values {
        return Err(redacted_everything(pair, "of any record on either side"));
    }
    let (diffs, counts) = diff_records(&mut old, &mut new, opts)?;
    let mut summary = format!(
        "jsonl: {} records equal, {} changed, {} inserted, {} deleted",
        counts.equal, counts.changed, counts.inserted, counts.deleted
    );
    if old.skipped_lines + new.skipped_lines > 0 {
        summary.push_str(&format!(
            "; {SKIPPED}: {} in baseline, {} in current",
            old.skipped_lines, new.skipped_lines
        ));
    }
    Ok((diffs, summary))
}

/// The error of a pair whose `ignore` globs leave no value to compare: the diff would
/// pass whatever the files hold.
fn redacted_everything(pair: &GoldenConfig, what: &str) -> InputError {
    let globs: Vec<String> = pair.ignore.iter().map(|g| format!("`{g}`")).collect();
    InputError::malformed(
        &pair.current,
        None,
        None,
        format!(
            "the ignored paths ({}) redact every value {what}: nothing would be compared, \
             so any change would pass; ignore only the paths that may change",
            globs.join(", ")
        ),
    )
}

/// The failing check of a drift: counts, the first paths in the message, more in details.
fn drift(id: String, diffs: &Differences, summary: Option<&str>) -> Check {
    let first: Vec<String> = diffs
        .listed
        .iter()
        .take(IN_MESSAGE)
        .map(ToString::to_string)
        .collect();
    let noun = if diffs.total == 1 {
        "difference"
    } else {
        "differences"
    };
    let message = format!(
        "{} {noun} from the baseline: {}{}",
        diffs.total,
        first.join("; "),
        if diffs.total > IN_MESSAGE {
            "; …"
        } else {
            ""
        }
    );
    let mut details: Vec<String> = diffs
        .listed
        .iter()
        .take(IN_DETAILS)
        .map(ToString::to_string)
        .collect();
    if diffs.total > details.len() {
        details.push(format!(
            "… and {} more differences",
            diffs.total - details.len()
        ));
    }
    details.extend(summary.map(str::to_string));
    let evidence = Evidence::Changes(ChangeEvidence {
        changes: diffs.listed.iter().map(|d| d.to_change()).collect(),
        total: diffs.total,
    });
    Check::fail(id, message)
        .with_details(details)
        .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::Status;
    use std::path::PathBuf;

    fn pair(dir: &Path, old: &str, new: &str, ext: &str) -> GoldenConfig {
        let (b, c) = (dir.join(format!("b.{ext}")), dir.join(format!("c.{ext}")));
        std::fs::write(&b, old).expect("write");
        std::fs::write(&c, new).expect("write");
        GoldenConfig {
            name: Some("demo".into()),
            baseline: b,
            current: c,
            format: None,
            tolerances: Vec::new(),
            ignore: Vec::new(),
        }
    }

    #[test]
    fn jsonl_with_no_record_on_either_side_compared_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = pair(dir.path(), "log line\n", "other log\n\n", "jsonl");
        for severity in [Severity::Warn, Severity::Ignore] {
            let check = golden_check(&p, severity, u64::MAX);
            assert_eq!(check.status, Status::Error, "{severity:?}: {check:?}");
            assert!(
                check.message.contains("nothing was compared"),
                "{}",
                check.message
            );
        }
        // Blank lines are not records either.
        let blank = pair(dir.path(), "\n\n", "\n", "jsonl");
        let check = golden_check(&blank, Severity::Warn, u64::MAX);
        assert_eq!(check.status, Status::Error, "{check:?}");
        // One record on one side is compared as an insertion.
        let one = pair(dir.path(), "log\n", "{\"a\": 1}\n", "jsonl");
        assert_eq!(
            golden_check(&one, Severity::Warn, u64::MAX).status,
            Status::Fail
        );
    }

    #[test]
    fn ignored_paths_that_redact_every_value_compare_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let glob = |g: &str| g.parse::<crate::golden::PointerGlob>().expect("glob");
        let cases = [
            (
                r#"{"a": 1, "b": {"c": "x"}}"#,
                r#"{"a": 2, "b": {"c": "y"}}"#,
                "json",
            ),
            (
                "{\"a\": 1}\n{\"a\": 2}\n",
                "{\"a\": 3}\n{\"a\": 4}\n",
                "jsonl",
            ),
        ];
        for (old, new, format) in cases {
            for everything in [&["/**"][..], &["/*"], &["/a", "/b"]] {
                let mut p = pair(dir.path(), old, new, format);
                p.ignore = everything.iter().map(|g| glob(g)).collect();
                let check = golden_check(&p, Severity::Fail, u64::MAX);
                assert_eq!(
                    check.status,
                    Status::Error,
                    "{format} {everything:?}: {check:?}"
                );
                assert!(
                    check.message.contains("redact every value"),
                    "{}",
                    check.message
                );
            }
            // Leaving one value that can change is a comparison again.
            let mut p = pair(dir.path(), old, new, format);
            p.ignore = vec![glob("/b")];
            assert_eq!(
                golden_check(&p, Severity::Fail, u64::MAX).status,
                Status::Fail
            );
        }
    }

    #[test]
    fn drift_message_names_the_pointer_and_values() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = pair(
            dir.path(),
            r#"{"m": {"q": {"x": 1}}}"#,
            r#"{"m": {"q": {"x": 2}}}"#,
            "json",
        );
        let check = golden_check(&p, Severity::Fail, u64::MAX);
        assert_eq!(check.status, Status::Fail);
        assert_eq!(check.id, "golden:demo");
        assert_eq!(
            check.message,
            "1 difference from the baseline: changed /m/q/x: 1 -> 2"
        );
        let Some(Evidence::Changes(changes)) = check.evidence.as_deref() else {
            panic!("no changes: {check:?}");
        };
        assert_eq!(changes.total, 1);
        let c = &changes.changes[0];
        assert_eq!((c.at.as_str(), c.change.as_str()), ("/m/q/x", "changed"));
        assert_eq!((c.old.as_deref(), c.new.as_deref()), (Some("1"), Some("2")));
    }

    #[test]
    fn huge_drift_is_capped_and_summarised() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old: Vec<u32> = (0..5000).collect();
        let new: Vec<u32> = (1..5001).collect();
        let text = |v: &[u32]| serde_json::to_string(v).expect("json");
        let p = pair(dir.path(), &text(&old), &text(&new), "json");
        let check = golden_check(&p, Severity::Fail, u64::MAX);
        assert!(check.message.starts_with("5000 differences from the baseline: changed /0: 0 -> 1; changed /1: 1 -> 2; changed /2: 2 -> 3; …"), "{}", check.message);
        assert_eq!(check.details.len(), IN_DETAILS + 1);
        assert_eq!(check.details[IN_DETAILS], "… and 4980 more differences");
        let Some(Evidence::Changes(changes)) = check.evidence.as_deref() else {
            panic!("no changes: {check:?}");
        };
        assert_eq!((changes.changes.len(), changes.total), (200, 5000));
    }

    #[test]
    fn tolerance_turns_drift_into_pass() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = pair(dir.path(), r#"{"r": 0.25}"#, r#"{"r": 0.2500001}"#, "json");
        assert_eq!(
            golden_check(&p, Severity::Fail, u64::MAX).status,
            Status::Fail
        );
        p.tolerances = vec!["/r=abs:1e-3".parse().expect("tol")];
        assert_eq!(
            golden_check(&p, Severity::Fail, u64::MAX).status,
            Status::Pass
        );
    }

    #[test]
    fn unreadable_files_are_errors_naming_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = pair(dir.path(), "{\n\"a\": 1,\n}", "{}", "json");
        let check = golden_check(&p, Severity::Fail, u64::MAX);
        assert_eq!(check.status, Status::Error);
        assert_eq!(check.location.as_ref().and_then(|l| l.line), Some(3));
        p.current = PathBuf::from("/no/such/file.json");
        p.baseline = p.current.clone();
        let check = golden_check(&p, Severity::Fail, u64::MAX);
        assert!(
            check.message.contains("/no/such/file.json"),
            "{}",
            check.message
        );
    }

    #[test]
    fn jsonl_log_lines_depend_on_strictness() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = pair(dir.path(), "{\"a\":1}\n", "starting\n{\"a\":1}\n", "jsonl");
        assert_eq!(
            golden_check(&p, Severity::Fail, u64::MAX).status,
            Status::Error
        );
        let warned = golden_check(&p, Severity::Warn, u64::MAX);
        assert_eq!(warned.status, Status::Warn);
        assert!(
            warned.message.contains("1 in current"),
            "{}",
            warned.message
        );
        let ignored = golden_check(&p, Severity::Ignore, u64::MAX);
        assert_eq!(ignored.status, Status::Pass);
        assert!(
            ignored.message.contains("1 in current"),
            "{}",
            ignored.message
        );
        // A drift still fails whatever the rule says about log lines.
        let p = pair(dir.path(), "{\"a\":1}\n", "starting\n{\"a\":2}\n", "jsonl");
        assert_eq!(
            golden_check(&p, Severity::Warn, u64::MAX).status,
            Status::Fail
        );
    }
}

//! The per-input work of one evaluation: each snapshot (read, validate, version,
//! round trip, hash) and each hash command, run side by side on up to `ctx.jobs`
//! threads. Loaders and hash commands are separate processes that mostly wait on an
//! interpreter's start-up, so they overlap well; results are folded back in input
//! order, so the report is the same whatever the number of jobs.

use jsonschema::Validator;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use safety_gate_core::inputs::read_json;
use safety_gate_core::parallel::{self, Jobs};
use safety_gate_core::{Check, GateReport, process};

use crate::canonical::{canonical_sha256, redact};
use crate::config::SnapshotConfig;
use crate::gate::{display_name, hash_key, hashing, schema_check, version_check};
use crate::hashes::HashMap;
use crate::roundtrip::{RoundTrip, parse_output};

/// One input to judge.
enum Work<'a> {
    /// A snapshot file.
    Snapshot(&'a Path),
    /// A hash command, by name.
    Command(&'a str, &'a [String]),
}

/// What judging one input gave.
struct Done {
    /// Its checks, in order.
    checks: Vec<Check>,
    /// The version read from a snapshot, for the summary.
    version: Option<String>,
    /// Its golden-hash key and hash, or the key alone when it could not be hashed.
    hash: Option<(String, Option<String>)>,
}

/// What the evaluation needs besides the config.
pub(crate) struct Inputs<'a> {
    /// The config's folder.
    pub base: &'a Path,
    /// Largest snapshot read.
    pub max_bytes: u64,
    /// The compiled current schema, when it compiled.
    pub validator: Option<&'a Validator>,
    /// How many inputs run at once.
    pub jobs: Jobs,
}

/// Judges every snapshot in `files` and, when hashes are checked or recorded, every hash
/// command; pushes the checks in input order (snapshots, the versions summary, then
/// hash-command failures) and collects the hashes.
pub(crate) fn judge_all(
    config: &SnapshotConfig,
    inputs: &Inputs<'_>,
    files: &[PathBuf],
    report: &mut GateReport,
    hashed: &mut HashMap,
    unhashed: &mut Vec<String>,
) {
    let roundtrip = config.roundtrip.as_deref().map(|argv| RoundTrip {
        argv,
        cwd: inputs.base,
        timeout: config.timeout,
        compare: config.roundtrip_compare,
        redact: &config.redact,
    });
    let mut work: Vec<Work<'_>> = files.iter().map(|p| Work::Snapshot(p)).collect();
    if hashing(config) {
        work.extend(
            config
                .hash_command
                .iter()
                .map(|(name, argv)| Work::Command(name, argv)),
        );
    }
    let done = parallel::map(&work, inputs.jobs, |item| match item {
        Work::Snapshot(path) => snapshot(config, inputs, roundtrip.as_ref(), path),
        Work::Command(name, argv) => command(config, inputs.base, name, argv),
    });
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let (snapshots, commands) = done.split_at(files.len());
    let mut fold = |item: &Done, report: &mut GateReport| {
        report.checks.extend(item.checks.iter().cloned());
        match &item.hash {
            Some((key, Some(hash))) => {
                hashed.insert(key.clone(), hash.clone());
            }
            Some((key, None)) => unhashed.push(key.clone()),
            None => {}
        }
    };
    for item in snapshots {
        fold(item, report);
        if let Some(v) = &item.version {
            *seen.entry(v.clone()).or_default() += 1;
        }
    }
    versions_summary(config, files, &seen, report);
    for item in commands {
        fold(item, report);
    }
}

/// The `versions` check: which versions the snapshots carry.
fn versions_summary(
    config: &SnapshotConfig,
    files: &[PathBuf],
    seen: &BTreeMap<String, usize>,
    report: &mut GateReport,
) {
    if config.version_pointer.is_none() || files.is_empty() {
        return;
    }
    let list: Vec<String> = seen.iter().map(|(v, n)| format!("{v} ({n})")).collect();
    let message = if list.is_empty() {
        "no readable versions".to_owned()
    } else {
        list.join(", ")
    };
    report.push(Check::pass("versions", format!("versions seen: {message}")));
}

/// Every check of one snapshot.
fn snapshot(
    config: &SnapshotConfig,
    inputs: &Inputs<'_>,
    roundtrip: Option<&RoundTrip<'_>>,
    path: &Path,
) -> Done {
    let name = display_name(inputs.base, path);
    let key = || hash_key(config, path);
    let source = config.source(path);
    let document = match read_json(source, inputs.max_bytes) {
        Ok(doc) => doc,
        Err(e) => {
            return Done {
                checks: vec![Check::error(format!("schema:{name}"), e.to_string()).with_file(path)],
                version: None,
                hash: hashing(config).then(|| (key(), None)),
            };
        }
    };
    let mut checks = Vec::new();
    if let Some(validator) = inputs.validator {
        checks.push(schema_check(validator, &name, path, &document));
    }
    let mut version = None;
    if let Some(pointer) = &config.version_pointer {
        let (check, read) = version_check(config, pointer, &name, path, &document);
        version = read;
        checks.push(check);
    }
    if let Some(rt) = roundtrip {
        checks.push(
            rt.check(format!("roundtrip:{name}"), source, &document)
                .with_file(path),
        );
    }
    let hash = hashing(config).then(|| {
        let mut redacted = document;
        redact(&mut redacted, &config.redact);
        (key(), Some(canonical_sha256(&redacted)))
    });
    Done {
        checks,
        version,
        hash,
    }
}

/// Runs one hash command and hashes its stdout as canonical JSON; a failure is a check.
fn command(config: &SnapshotConfig, base: &Path, name: &str, argv: &[String]) -> Done {
    let id = format!("hash:{name}");
    let failed = match process::run(argv, base, config.timeout) {
        Err(e) => Check::error(id, e.to_string()),
        Ok(out) if !out.success() => {
            out.failure(id, &format!("hash command {name}"), config.timeout)
        }
        Ok(out) if out.stdout_truncated => Check::fail(
            id,
            format!("hash command {name} printed more than the output cap"),
        ),
        Ok(out) => match parse_output(&out.stdout) {
            Ok(mut value) => {
                redact(&mut value, &config.redact);
                return Done {
                    checks: Vec::new(),
                    version: None,
                    hash: Some((name.to_owned(), Some(canonical_sha256(&value)))),
                };
            }
            Err(e) => Check::fail(id, format!("hash command {name} printed no JSON: {e}")),
        },
    };
    Done {
        checks: vec![failed],
        version: None,
        hash: Some((name.to_owned(), None)),
    }
}

#[cfg(test)]
mod tests {
    use safety_gate_core::{GateConfig, RunContext, Status};

    use crate::config::SnapshotConfig;

    /// Snapshots whose loader takes longer the earlier the file, one of them failing,
    /// and two hash commands.
    fn config(dir: &std::path::Path) -> SnapshotConfig {
        std::fs::write(dir.join("s.json"), r#"{"type": "object"}"#).expect("schema");
        for i in 0..6 {
            std::fs::write(
                dir.join(format!("snap-{i}.json")),
                format!(r#"{{"n": {i}, "pause": "0.0{}"}}"#, 6 - i),
            )
            .expect("snapshot");
        }
        let mut config = SnapshotConfig::new("t", "s.json");
        config.snapshots = vec!["snap-*.json".into()];
        let script = r#"p=$(sed 's/.*"pause": "\([0-9.]*\)".*/\1/' "$1"); sleep "$p"; grep -q '"n": 3' "$1" && { echo bad 3 >&2; exit 3; }; cat "$1""#;
        config.roundtrip = Some(vec![
            "sh".into(),
            "-c".into(),
            script.into(),
            "sh".into(),
            "{snapshot}".into(),
        ]);
        config.roundtrip_compare = true;
        config.write_hashes = Some("hashes.json".into());
        for (name, text) in [("b", "{\"x\": 1}"), ("a", "[2]")] {
            config
                .hash_command
                .insert(name.into(), vec!["echo".into(), text.into()]);
        }
        config.resolve_paths(dir);
        config
    }

    #[test]
    fn the_report_is_the_same_whatever_the_number_of_jobs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = config(dir.path());
        let shape = |jobs: usize| {
            let ctx = RunContext {
                jobs: safety_gate_core::parallel::Jobs::new(jobs).expect("jobs"),
                ..RunContext::default()
            };
            let report = crate::run(&config, &ctx);
            let written = std::fs::read_to_string(dir.path().join("hashes.json")).expect("hashes");
            let checks: Vec<(String, Status, Vec<String>)> = report
                .checks
                .iter()
                .map(|c| (c.id.clone(), c.status, c.details.clone()))
                .collect();
            (checks, written)
        };
        let serial = shape(1);
        let ids: Vec<&str> = serial.0.iter().map(|(id, ..)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "schema:snap-0.json",
                "roundtrip:snap-0.json",
                "schema:snap-1.json",
                "roundtrip:snap-1.json",
                "schema:snap-2.json",
                "roundtrip:snap-2.json",
                "schema:snap-3.json",
                "roundtrip:snap-3.json",
                "schema:snap-4.json",
                "roundtrip:snap-4.json",
                "schema:snap-5.json",
                "roundtrip:snap-5.json",
                "hash:a",
                "hash:b",
                "hash:snap-0.json",
                "hash:snap-1.json",
                "hash:snap-2.json",
                "hash:snap-3.json",
                "hash:snap-4.json",
                "hash:snap-5.json",
            ]
        );
        assert_eq!(serial.0[7].1, Status::Fail, "{:?}", serial.0[7]);
        for jobs in [2, 4, 16] {
            assert_eq!(shape(jobs), serial, "jobs {jobs}");
        }
    }

    #[test]
    fn a_hash_command_printing_a_key_twice_is_not_hashed() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("s.json"), "{}").expect("schema");
        let mut config = SnapshotConfig::new("t", "s.json");
        config.write_hashes = Some("hashes.json".into());
        config.hash_command.insert(
            "run".into(),
            vec!["echo".into(), r#"{"n": 2, "n": 1}"#.into()],
        );
        config.resolve_paths(dir.path());
        let found = crate::gate::evaluate(&config, &RunContext::default());
        let check = &found.report.checks[0];
        assert_eq!(
            (check.id.as_str(), check.status),
            ("hash:run", Status::Fail)
        );
        assert!(check.message.contains("duplicate"), "{}", check.message);
        assert_eq!(found.unhashed, ["run"]);
        assert!(found.hashed.is_empty());
    }
}

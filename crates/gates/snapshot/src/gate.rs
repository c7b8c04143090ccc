//! The gate: turns a [`SnapshotConfig`] into a [`GateReport`].
//!
//! Checks, in order and with stable ids:
//! - `compat:<previous schema>` — one per earlier schema, every change classified;
//! - `schema:<snapshot>` — one per snapshot, every violation listed;
//! - `version:<snapshot>` and `versions` — when a version pointer is configured;
//! - `roundtrip:<snapshot>` — when a loader is configured;
//! - `hash:<name>` — when hashes are checked or recorded.
//!
//! Check names are paths relative to the config's folder, so reports read the same on
//! every machine.

use jsonschema::Validator;
use serde_json::Value;
use std::path::{Path, PathBuf};

use safety_gate_core::baselines::{BaselineUpdate, RefFile};
use safety_gate_core::config::normalize;
use safety_gate_core::evidence::{Evidence, SchemaChange, SchemaEvidence};
use safety_gate_core::inputs::expand;
use safety_gate_core::{
    Check, Gate, GateReport, InputError, Loosening, Mode, Producer, RollbackPlan, RunContext,
};

use crate::KIND;
use crate::compat::{Finding, compare};
use crate::config::Compatibility;
use crate::config::SnapshotConfig;
use crate::hashes::{self, HashMap};
use crate::schema::{Violation, compile, load_schema, parse_draft, violations};
use crate::version::Version;
use crate::work::{Inputs, judge_all};

/// Most violations listed per snapshot; the count is always exact.
const MAX_VIOLATIONS: usize = 50;

/// The snapshot-compatibility gate, as the engine's registry knows it.
#[derive(Debug)]
pub struct SnapshotGate;

impl Gate for SnapshotGate {
    type Config = SnapshotConfig;
    const KIND: &'static str = KIND;
    const SUMMARY: &'static str = "saved snapshots against the current JSON Schema, schema evolution, loader round trips, golden hashes";

    fn run(config: &SnapshotConfig, ctx: &RunContext) -> GateReport {
        run(config, ctx)
    }

    fn rollback_plan(config: &SnapshotConfig) -> &RollbackPlan {
        &config.rollback
    }

    fn compared_files(config: &SnapshotConfig) -> Vec<(&Path, &Path)> {
        // A previous schema that is the current one compares the schema with itself.
        config
            .previous_schemas
            .iter()
            .filter(|p| !safety_gate_core::inputs::is_glob(p))
            .map(|previous| (Path::new(previous.as_str()), config.schema.as_path()))
            .collect()
    }

    fn baseline_files(config: &mut SnapshotConfig) -> Vec<&mut PathBuf> {
        crate::baselines::baseline_files(config)
    }

    /// Saved snapshots and earlier schemas: a change must not judge itself against
    /// snapshots or released schemas it edited.
    fn baseline_globs(config: &SnapshotConfig) -> Vec<String> {
        config
            .snapshots
            .iter()
            .chain(&config.previous_schemas)
            .cloned()
            .collect()
    }

    fn pin_baseline_glob(config: &mut SnapshotConfig, pattern: &str, files: Vec<RefFile>) {
        config.from_ref.insert(pattern.to_owned(), files);
    }

    fn producer(config: &SnapshotConfig) -> Option<&Producer> {
        config.run.as_ref()
    }

    /// The schema: saved snapshots and earlier schemas are baselines, not results.
    fn result_files(config: &SnapshotConfig) -> Vec<String> {
        vec![config.schema.to_string_lossy().into_owned()]
    }

    fn accept(
        config: &SnapshotConfig,
        ctx: &RunContext,
    ) -> Result<Vec<BaselineUpdate>, InputError> {
        crate::baselines::accept(config, ctx)
    }

    fn loosenings(reference: &SnapshotConfig, change: &SnapshotConfig) -> Vec<Loosening> {
        crate::loosening::loosenings(reference, change)
    }
}

/// Runs the gate. Never panics: unreadable inputs become error checks naming the file;
/// no input over `ctx.limits` is read.
pub fn run(config: &SnapshotConfig, ctx: &RunContext) -> GateReport {
    if config.mode == Mode::Off {
        return GateReport::new(KIND, &config.name, config.mode);
    }
    evaluate(config, ctx).report
}

/// What one evaluation found: the report, the current golden hashes by key, and the
/// keys of inputs that could not be hashed.
pub(crate) struct Evaluation {
    pub report: GateReport,
    pub hashed: HashMap,
    pub unhashed: Vec<String>,
}

/// Every check of the gate, whatever its mode; also what `baseline accept` records.
pub(crate) fn evaluate(config: &SnapshotConfig, ctx: &RunContext) -> Evaluation {
    let mut report = GateReport::new(KIND, &config.name, config.mode);
    let base = config.base();
    let max_bytes = ctx.limits.max_bytes();
    let current = load_schema(&config.schema, max_bytes);
    if let Err(e) = &current {
        report.push(Check::error("schema", e.to_string()).with_file(&config.schema));
    }
    let current = current.ok();
    if let Some(schema) = &current {
        compat_checks(config, &base, schema, max_bytes, &mut report);
    }
    let validator = current.as_ref().and_then(|schema| {
        compile(&config.schema, schema, config.draft.as_deref())
            .map_err(|e| {
                report.push(Check::error("schema", e.to_string()).with_file(&config.schema))
            })
            .ok()
    });
    let mut hashed = HashMap::new();
    let mut unhashed = Vec::new();
    let files = expand_all(config, &config.snapshots, "snapshots", &mut report);
    let inputs = Inputs {
        base: &base,
        max_bytes,
        validator: validator.as_ref(),
        jobs: ctx.jobs,
    };
    judge_all(
        config,
        &inputs,
        &files,
        &mut report,
        &mut hashed,
        &mut unhashed,
    );
    if hashing(config) {
        hash_checks(config, &hashed, &unhashed, max_bytes, &mut report);
    }
    if report.checks.is_empty() {
        let message = "nothing to check: give snapshots, previous schemas or hash commands";
        report.push(Check::error("snapshot", message).with_file(&config.schema));
    }
    Evaluation {
        report,
        hashed,
        unhashed,
    }
}

/// Whether golden hashes are checked or recorded.
pub(crate) fn hashing(config: &SnapshotConfig) -> bool {
    config.hashes.is_some() || config.write_hashes.is_some()
}

/// The name a file is reported under: relative to the config's folder, or to the
/// current folder, when inside it; as given otherwise.
pub(crate) fn display_name(base: &Path, path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let relative = path
        .strip_prefix(base)
        .or_else(|_| path.strip_prefix(&cwd))
        .unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// The key a file's golden hash is stored under: its path relative to the hashes
/// file's folder, so the map reads the same whichever folder the run starts from.
pub(crate) fn hash_key(config: &SnapshotConfig, path: &Path) -> String {
    let anchor = config
        .hash_anchor
        .clone()
        .or_else(|| config.configured_hash_anchor())
        .unwrap_or_default();
    relative_to(path, &anchor)
}

/// `path` relative to `dir`, with `..` where needed; both taken from the current
/// folder when relative.
fn relative_to(path: &Path, dir: &Path) -> String {
    let absolute = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        normalize(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let (path, dir) = (absolute(path), absolute(dir));
    let common = path
        .components()
        .zip(dir.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in dir.components().skip(common) {
        out.push("..");
    }
    for part in path.components().skip(common) {
        out.push(part);
    }
    out.to_string_lossy().replace('\\', "/")
}

/// Expands patterns (already resolved against the config's folder) into files,
/// reporting globs that match nothing as error checks.
fn expand_all(
    config: &SnapshotConfig,
    patterns: &[String],
    prefix: &str,
    report: &mut GateReport,
) -> Vec<PathBuf> {
    let base = config.base();
    let mut files = Vec::new();
    for pattern in patterns {
        // Under `--baseline-ref` a pattern names what it matched at the ref.
        if let Some(pinned) = config.from_ref.get(pattern) {
            if pinned.is_empty() {
                let shown = display_name(&base, Path::new(pattern));
                let message = format!("{shown} matches no file at the baseline ref");
                report.push(Check::error(format!("{prefix}:{shown}"), message));
            }
            files.extend(pinned.iter().map(|f| f.path.clone()));
            continue;
        }
        match expand(pattern, Path::new("")) {
            Ok(found) => files.extend(found),
            Err(e) => {
                let id = format!("{prefix}:{}", display_name(&base, Path::new(pattern)));
                report.push(Check::error(id, e.to_string()));
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

fn compat_checks(
    config: &SnapshotConfig,
    base: &Path,
    current: &Value,
    max_bytes: u64,
    report: &mut GateReport,
) {
    let mode = config.compatibility;
    let draft = match config.draft.as_deref().map(|d| (d, parse_draft(d))) {
        Some((name, None)) => {
            let message = format!("unknown draft {name:?}: expected 4, 6, 7, 2019-09 or 2020-12");
            report.push(Check::error("compat", message).with_file(&config.schema));
            return;
        }
        Some((_, draft)) => draft,
        None => None,
    };
    for path in earlier_schemas(config, base, report) {
        let id = format!("compat:{}", display_name(base, &path));
        let read = load_schema(config.source(&path), max_bytes)
            .and_then(|v| crate::schema::refuse_cycles(&path, &v, draft).map(|()| v));
        let previous = match read {
            Ok(v) => v,
            Err(e) => {
                report.push(Check::error(id, e.to_string()).with_file(&path));
                continue;
            }
        };
        let findings = match compare(&previous, current, draft) {
            Ok(f) => f,
            Err(problem) => {
                let file = if problem.side == "previous" {
                    &path
                } else {
                    &config.schema
                };
                report.push(Check::error(id, problem.to_string()).with_file(file));
                continue;
            }
        };
        report.push(compat_check(id, mode, &findings).with_file(&path));
    }
}

/// The files `previous_schemas` names, without the current schema: a glob over a folder
/// of every version also matches the current one, and a schema compared with itself
/// proves nothing. When the current schema is all a glob found, that is an error.
fn earlier_schemas(config: &SnapshotConfig, base: &Path, report: &mut GateReport) -> Vec<PathBuf> {
    let (itself, earlier): (Vec<PathBuf>, Vec<PathBuf>) =
        expand_all(config, &config.previous_schemas, "compat", report)
            .into_iter()
            .partition(|p| safety_gate_core::same_file::same_file(p, &config.schema));
    if itself.is_empty() {
        return earlier;
    }
    let schema = display_name(base, &config.schema);
    if earlier.is_empty() {
        let message = format!(
            "previous_schemas matches only the current schema {schema}: a schema compared with \
             itself proves nothing; keep each released schema in a folder of its own \
             (e.g. `schemas/released/v3.json`) and point previous_schemas there"
        );
        report.push(Check::error("compat", message).with_file(&config.schema));
    } else {
        report.notes.push(format!(
            "previous_schemas also matches the current schema {schema}; it is not compared with itself"
        ));
    }
    earlier
}

/// The `compat:` check of one previous schema: error when a change could not be judged,
/// fail when one breaks `mode`, pass otherwise; every finding in the details.
fn compat_check(id: String, mode: Compatibility, findings: &[Finding]) -> Check {
    let details = findings.iter().map(|f| f.describe(mode));
    let at = |f: &Finding| {
        if f.path.is_empty() {
            "/".to_owned()
        } else {
            f.path.clone()
        }
    };
    let undecided: Vec<&Finding> = findings.iter().filter(|f| f.undecided()).collect();
    let breaking: Vec<&Finding> = findings.iter().filter(|f| f.breaks(mode)).collect();
    let check = if let Some(first) = undecided.first() {
        let message = format!(
            "cannot decide: {} change(s) to keywords that are not compared; first at {}",
            undecided.len(),
            at(first)
        );
        Check::error(id, message)
    } else if let Some(first) = breaking.first() {
        let message = format!(
            "{} breaking change(s) under {}; first: {} at {}",
            breaking.len(),
            mode.as_str(),
            first.rule,
            at(first)
        );
        Check::fail(id, message)
    } else {
        let message = format!(
            "compatible under {}: {} change(s), none breaking",
            mode.as_str(),
            findings.len()
        );
        Check::pass(id, message)
    };
    let evidence = Evidence::Schema(SchemaEvidence {
        changes: findings
            .iter()
            .map(|f| SchemaChange {
                pointer: at(f),
                rule: f.rule.to_string(),
                verdict: if f.undecided() {
                    "cannot decide"
                } else if f.breaks(mode) {
                    "breaking"
                } else {
                    "compatible"
                }
                .to_string(),
                message: f.message.clone(),
                example: f.example.as_ref().map(ToString::to_string),
            })
            .collect(),
    });
    check.with_details(details).with_evidence(evidence)
}

pub(crate) fn schema_check(
    validator: &Validator,
    name: &str,
    path: &Path,
    document: &Value,
) -> Check {
    let id = format!("schema:{name}");
    let found = violations(validator, document);
    let Some(first) = found.first() else {
        return Check::pass(id, "valid").with_file(path);
    };
    let mut details: Vec<String> = found
        .iter()
        .take(MAX_VIOLATIONS)
        .map(ToString::to_string)
        .collect();
    if found.len() > MAX_VIOLATIONS {
        details.push(format!("... and {} more", found.len() - MAX_VIOLATIONS));
    }
    // A check the validator could not finish is no violation: the snapshot may well
    // satisfy it, so the gate cannot decide (and `warn` mode cannot pass it).
    let undecided: Vec<&Violation> = found.iter().filter(|v| v.undecided).collect();
    if let Some(first) = undecided.first() {
        let message = format!(
            "cannot decide: the validator could not finish {} check(s); first {first}",
            undecided.len()
        );
        return Check::error(id, message)
            .with_file(path)
            .with_details(details);
    }
    let message = format!("{} violation(s); first {first}", found.len());
    Check::fail(id, message)
        .with_file(path)
        .with_details(details)
}

/// The version check of one snapshot, and the version read (for the summary).
pub(crate) fn version_check(
    config: &SnapshotConfig,
    pointer: &str,
    name: &str,
    path: &Path,
    document: &Value,
) -> (Check, Option<String>) {
    let id = format!("version:{name}");
    let version = match Version::read(document, pointer) {
        Ok(v) => v,
        Err(message) => return (Check::fail(id, message).with_file(path), None),
    };
    let text = version.as_str().to_owned();
    let Some(min_text) = &config.min_version else {
        return (
            Check::pass(id, format!("version {text}")).with_file(path),
            Some(text),
        );
    };
    let check = match Version::parse(min_text) {
        None => Check::error(
            id,
            format!("min_version {min_text:?} is not a dotted version"),
        ),
        Some(min) if version < min => Check::fail(
            id,
            format!("version {text} is below the minimum {min_text}"),
        ),
        Some(_) => Check::pass(id, format!("version {text} >= {min_text}")),
    };
    (check.with_file(path), Some(text))
}

fn hash_checks(
    config: &SnapshotConfig,
    hashed: &HashMap,
    unhashed: &[String],
    max_bytes: u64,
    report: &mut GateReport,
) {
    if let Some(path) = &config.hashes {
        match hashes::load(path, max_bytes) {
            Ok(expected) => {
                for check in hashes::compare(&expected, hashed, unhashed, path) {
                    report.push(check);
                }
            }
            Err(e) => report.push(Check::error("hashes", e.to_string()).with_file(path)),
        }
    }
    let Some(path) = &config.write_hashes else {
        return;
    };
    if !unhashed.is_empty() {
        // A partial map would silently drop the golden hashes of the failed inputs.
        let message = format!(
            "not recording hashes: {} input(s) could not be hashed",
            unhashed.len()
        );
        report.push(Check::error("write-hashes", message).with_file(path));
        return;
    }
    match hashes::save(path, hashed) {
        Ok(()) => {
            if config.hashes.is_none() {
                for (name, hash) in hashed {
                    // Recording a hash compares nothing.
                    report.push(
                        Check::pass(format!("hash:{name}"), format!("recorded sha256 {hash}"))
                            .with_file(path)
                            .bookkeeping(),
                    );
                }
            }
        }
        Err(e) => report.push(Check::error("write-hashes", e.to_string()).with_file(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::canonical_sha256;
    use crate::config::Compatibility;
    use safety_gate_core::GateConfig;
    use safety_gate_core::{GateVerdict, Status};
    use serde_json::json;

    struct Fixture {
        dir: tempfile::TempDir,
    }

    impl Fixture {
        fn new() -> Self {
            Fixture {
                dir: tempfile::tempdir().expect("tempdir"),
            }
        }

        fn write(&self, name: &str, value: &Value) -> PathBuf {
            self.write_text(name, &serde_json::to_string_pretty(value).expect("json"))
        }

        fn write_text(&self, name: &str, text: &str) -> PathBuf {
            let path = self.dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
            path
        }

        /// A config as if read from a file in the fixture folder, with these inputs.
        fn config(&self, schema: &str, snapshots: &[&str], previous: &[&str]) -> SnapshotConfig {
            let mut config = SnapshotConfig::new("t", schema);
            config.snapshots = snapshots.iter().map(|s| (*s).to_owned()).collect();
            config.previous_schemas = previous.iter().map(|s| (*s).to_owned()).collect();
            config.resolve_paths(self.dir.path());
            config
        }
    }

    fn schema(required: &[&str]) -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "required": required,
            "properties": {"schema_version": {"type": "string"}, "tick": {"type": "integer"}}
        })
    }

    fn status(report: &GateReport, id: &str) -> Option<Status> {
        report.checks.iter().find(|c| c.id == id).map(|c| c.status)
    }

    #[test]
    fn a_check_the_validator_cannot_finish_cannot_decide_even_in_warn_mode() {
        let fx = Fixture::new();
        let pattern = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {"v": {"type": "string", "pattern": "^(a|a)*\\1?$"}}
        });
        fx.write("s.json", &pattern);
        fx.write(
            "snaps/a.json",
            &json!({"v": format!("{}!", "a".repeat(26))}),
        );
        let mut config = fx.config("s.json", &["snaps/*.json"], &[]);
        for mode in [Mode::Enforce, Mode::Warn] {
            config.mode = mode;
            let report = run(&config, &RunContext::default());
            assert_eq!(report.verdict(), GateVerdict::Error, "{mode:?}");
            let check = &report.checks[0];
            assert_eq!(check.status, Status::Error);
            assert!(
                check.message.starts_with("cannot decide"),
                "{}",
                check.message
            );
            assert!(
                check.message.contains("/properties/v/pattern"),
                "{}",
                check.message
            );
        }
    }

    #[test]
    fn a_schema_that_applies_itself_forever_cannot_judge_anything() {
        let fx = Fixture::new();
        let cyclic = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}},
            "$ref": "#/$defs/a"
        });
        fx.write("cyclic.json", &cyclic);
        fx.write("plain.json", &schema(&[]));
        fx.write("snaps/a.json", &json!({"tick": "not even an integer"}));
        // As the current schema: the validator would accept any snapshot.
        let config = fx.config("cyclic.json", &["snaps/*.json"], &[]);
        let report = run(&config, &RunContext::default());
        assert_eq!(report.verdict(), GateVerdict::Error);
        let check = report
            .checks
            .iter()
            .find(|c| c.id == "schema")
            .expect("error");
        assert!(check.message.contains("/$defs/"), "{}", check.message);
        assert!(check.message.contains("undefined"), "{}", check.message);
        // As an earlier schema: nothing can be compared with it.
        let config = fx.config("plain.json", &[], &["cyclic.json"]);
        let report = run(&config, &RunContext::default());
        assert_eq!(report.verdict(), GateVerdict::Error);
        assert_eq!(status(&report, "compat:cyclic.json"), Some(Status::Error));
    }

    #[test]
    fn missing_required_field_fails_and_names_it() {
        let fx = Fixture::new();
        fx.write("strict.json", &schema(&["schema_version", "tick"]));
        fx.write("loose.json", &schema(&["schema_version"]));
        fx.write(
            "snaps/old.json",
            &json!({"schema_version": "0.2.0", "jobs": {}}),
        );
        let mut config = fx.config("strict.json", &["snaps/*.json"], &[]);
        let report = run(&config, &RunContext::default());
        assert_eq!(report.verdict(), GateVerdict::Rollback);
        let check = &report.checks[0];
        assert_eq!(check.id, "schema:snaps/old.json");
        assert!(check.message.contains("\"tick\""), "{}", check.message);
        assert!(
            check.details[0].contains("(schema /required)"),
            "{:?}",
            check.details
        );

        config.schema = fx.dir.path().join("loose.json");
        assert_eq!(
            run(&config, &RunContext::default()).verdict(),
            GateVerdict::Pass
        );
    }

    #[test]
    fn compatibility_mode_decides_whether_a_change_breaks() {
        let fx = Fixture::new();
        fx.write("current.json", &schema(&["schema_version", "tick"]));
        fx.write("history/v1.json", &schema(&["schema_version"]));
        fx.write("history/v2.json", &schema(&["schema_version", "tick"]));
        let mut config = fx.config("current.json", &[], &["history/*.json"]);
        let report = run(&config, &RunContext::default());
        assert_eq!(
            status(&report, "compat:history/v1.json"),
            Some(Status::Fail)
        );
        assert_eq!(
            status(&report, "compat:history/v2.json"),
            Some(Status::Pass)
        );
        let failed = report
            .checks
            .iter()
            .find(|c| c.status == Status::Fail)
            .expect("fail");
        assert!(
            failed.message.contains("required at /required"),
            "{}",
            failed.message
        );
        assert!(
            failed.details[0].starts_with(
                "breaking: /required [required] narrows: \"tick\" is a required property; example {"
            ),
            "{:?}",
            failed.details
        );
        let Some(Evidence::Schema(schema)) = failed.evidence.as_deref() else {
            panic!("no schema evidence: {failed:?}");
        };
        let first = &schema.changes[0];
        assert_eq!(
            (first.pointer.as_str(), first.rule.as_str()),
            ("/required", "required")
        );
        assert!(first.breaking(), "{first:?}");
        assert!(
            first.example.as_deref().is_some_and(|e| e.starts_with('{')),
            "{first:?}"
        );

        config.compatibility = Compatibility::Forward;
        assert_eq!(
            run(&config, &RunContext::default()).verdict(),
            GateVerdict::Pass
        );
    }

    #[test]
    fn a_glob_of_earlier_schemas_never_compares_the_current_one_with_itself() {
        let fx = Fixture::new();
        fx.write("schemas/v1.json", &schema(&["schema_version"]));
        fx.write("schemas/v2.json", &schema(&["schema_version", "tick"]));
        // The current schema sits in the folder the glob reads.
        let config = fx.config("schemas/v2.json", &[], &["schemas/*.json"]);
        let report = run(&config, &RunContext::default());
        assert_eq!(
            status(&report, "compat:schemas/v1.json"),
            Some(Status::Fail)
        );
        assert_eq!(status(&report, "compat:schemas/v2.json"), None);
        assert!(
            report
                .notes
                .iter()
                .any(|n| n.contains("not compared with itself")),
            "{:?}",
            report.notes
        );

        // Only the current schema matches, spelled another way: nothing was compared.
        let only = fx.config("schemas/v2.json", &[], &["schemas/../schemas/v2*.json"]);
        let report = run(&only, &RunContext::default());
        assert_eq!(report.verdict(), GateVerdict::Error);
        let check = report
            .checks
            .iter()
            .find(|c| c.id == "compat")
            .expect("check");
        assert!(
            check.message.contains("matches only the current schema"),
            "{}",
            check.message
        );
    }

    #[test]
    fn versions_below_minimum_or_unparsable_fail() {
        let fx = Fixture::new();
        fx.write("s.json", &json!({}));
        fx.write("v/a.json", &json!({"schema_version": "0.2.0"}));
        fx.write("v/b.json", &json!({"schema_version": "0.9.0"}));
        fx.write("v/c.json", &json!({"schema_version": "next"}));
        let mut config = fx.config("s.json", &["v/*.json"], &[]);
        config.version_pointer = Some("/schema_version".into());
        config.min_version = Some("0.9".into());
        let report = run(&config, &RunContext::default());
        assert_eq!(status(&report, "version:v/a.json"), Some(Status::Fail));
        assert_eq!(status(&report, "version:v/b.json"), Some(Status::Pass));
        assert_eq!(status(&report, "version:v/c.json"), Some(Status::Fail));
        let seen = report
            .checks
            .iter()
            .find(|c| c.id == "versions")
            .expect("summary");
        assert_eq!(seen.message, "versions seen: 0.2.0 (1), 0.9.0 (1)");
    }

    #[test]
    fn golden_hashes_survive_reformatting_and_catch_changes() {
        let fx = Fixture::new();
        fx.write("s.json", &json!({}));
        fx.write_text(
            "w/world.json",
            r#"{"tick": 10, "agents": {"bob": {"x": 1.5}, "alice": {"x": 2}}}"#,
        );
        let mut config = fx.config("s.json", &["w/*.json"], &[]);
        config.write_hashes = Some(fx.dir.path().join("hashes.json"));
        assert_eq!(
            run(&config, &RunContext::default()).verdict(),
            GateVerdict::Pass
        );

        config.write_hashes = None;
        config.hashes = Some(fx.dir.path().join("hashes.json"));
        fx.write_text("w/world.json", "{\n  \"agents\": {\n    \"alice\": {\"x\": 2.0},\n    \"bob\": {\"x\": 1.50}\n  },\n  \"tick\": 10\n}\n");
        let report = run(&config, &RunContext::default());
        assert_eq!(
            status(&report, "hash:w/world.json"),
            Some(Status::Pass),
            "{report:?}"
        );

        fx.write_text(
            "w/world.json",
            r#"{"tick": 11, "agents": {"bob": {"x": 1.5}, "alice": {"x": 2}}}"#,
        );
        let report = run(&config, &RunContext::default());
        assert_eq!(status(&report, "hash:w/world.json"), Some(Status::Fail));
        assert_eq!(report.verdict(), GateVerdict::Rollback);
    }

    #[test]
    fn hash_commands_are_hashed_and_failures_are_not_recorded() {
        let fx = Fixture::new();
        fx.write("s.json", &json!({}));
        let mut config = fx.config("s.json", &[], &[]);
        let hashes = fx.dir.path().join("h.json");
        config.write_hashes = Some(hashes.clone());
        config.hash_command.insert(
            "seeded".into(),
            vec!["echo".into(), r#"{"b": 1, "a": [2]}"#.into()],
        );
        // Recording compares nothing: the hashes are written, and the gate alone
        // cannot pass on them.
        let report = run(&config, &RunContext::default());
        assert_eq!(status(&report, "hash:seeded"), Some(Status::Pass));
        assert_eq!(report.verdict(), GateVerdict::Error);
        let recorded = hashes::load(&hashes, u64::MAX).expect("written");
        assert_eq!(
            recorded["seeded"],
            canonical_sha256(&json!({"a": [2], "b": 1}))
        );

        config
            .hash_command
            .insert("broken".into(), vec!["false".into()]);
        let report = run(&config, &RunContext::default());
        assert_eq!(status(&report, "hash:broken"), Some(Status::Fail));
        assert_eq!(status(&report, "write-hashes"), Some(Status::Error));
        assert_eq!(hashes::load(&hashes, u64::MAX).expect("kept").len(), 1);
    }

    #[test]
    fn relative_paths_climb_where_needed() {
        assert_eq!(
            relative_to(Path::new("/r/a/b.json"), Path::new("/r/a")),
            "b.json"
        );
        assert_eq!(
            relative_to(Path::new("/r/a/b.json"), Path::new("/r/c/d")),
            "../../a/b.json"
        );
        assert_eq!(relative_to(Path::new("x/y.json"), Path::new("x")), "y.json");
        assert_eq!(
            relative_to(Path::new("x/y.json"), Path::new("")),
            "x/y.json"
        );
    }

    #[test]
    fn unreadable_inputs_are_errors_naming_the_file() {
        let fx = Fixture::new();
        fx.write("s.json", &json!({}));
        fx.write_text("bad/broken.json", "{\n  \"tick\": 1,\n  oops\n}");
        let config = fx.config("s.json", &["bad/*.json", "none/*.json"], &[]);
        let report = run(&config, &RunContext::default());
        let broken = report
            .checks
            .iter()
            .find(|c| c.id == "schema:bad/broken.json")
            .expect("check");
        assert_eq!(broken.status, Status::Error);
        assert!(
            broken.message.contains("broken.json:3:"),
            "{}",
            broken.message
        );
        let no_match = report
            .checks
            .iter()
            .find(|c| c.id == "snapshots:none/*.json");
        assert_eq!(no_match.map(|c| c.status), Some(Status::Error));
        assert_eq!(report.verdict(), GateVerdict::Error);

        let missing = fx.config("absent.json", &[], &[]);
        let report = run(&missing, &RunContext::default());
        assert_eq!(status(&report, "schema"), Some(Status::Error));
        assert_eq!(report.verdict(), GateVerdict::Error);
    }
}

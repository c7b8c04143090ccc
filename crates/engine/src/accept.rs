//! `safety-gate baseline accept`: promotes the current results to baselines. Each gate
//! says what to write (`Gate::accept`); every baseline and its provenance record
//! (time, commit, host, tool version, source) is staged first, and the files are put
//! in place only when all of them are staged, so a failure changes no baseline.
//! `--dry-run` shows what would change and writes nothing.

use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::inputs::read_bytes;
use safety_gate_core::staging::Staging;
use safety_gate_core::{Clock, RunContext};
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::git;

/// Environment variable naming a simulated crash point, for tests of crash safety.
/// `baseline-before-rename` aborts the process after every new baseline is written to
/// its temporary file and before any replaces the old one.
pub const FAILPOINT_ENV: &str = "SAFETY_GATE_FAILPOINT";

/// Changed lines shown per file in a dry run.
const MAX_DIFF_LINES: usize = 20;

/// The record written beside each accepted baseline, as `<file>.provenance.json`.
#[derive(Debug, Serialize)]
pub struct Provenance {
    /// The baseline file.
    pub baseline: String,
    /// What it was accepted from.
    pub source: String,
    /// The gate, `kind/name`.
    pub gate: String,
    /// When (RFC 3339, UTC).
    pub accepted_at: String,
    /// `git rev-parse HEAD`, when in a repository.
    pub commit: Option<String>,
    /// The machine.
    pub host: String,
    /// `safety-gate <version>`.
    pub tool: String,
}

/// Path of the provenance record of `baseline`.
pub fn provenance_path(baseline: &Path) -> PathBuf {
    let mut name = baseline.file_name().unwrap_or_default().to_os_string();
    name.push(".provenance.json");
    baseline.with_file_name(name)
}

/// Every update of the selected gates, with the gate's label; errors name the gate.
pub fn plan(config: &Config, ctx: &RunContext) -> Result<Vec<(String, BaselineUpdate)>, String> {
    let mut all = Vec::new();
    for gate in config.instances() {
        let label = gate.label();
        let updates = gate
            .accept(ctx)
            .map_err(|e| format!("cannot accept {label}: {e}"))?;
        all.extend(updates.into_iter().map(|u| (label.clone(), u)));
    }
    Ok(all)
}

/// What a dry run prints for one update; the current baseline is read within
/// `max_bytes`.
pub fn describe(label: &str, update: &BaselineUpdate, max_bytes: u64) -> String {
    let old = read_bytes(&update.target, max_bytes).ok();
    let mut out = String::new();
    let target = update.target.display();
    match &old {
        Some(old) if *old == update.contents => {
            let _ = writeln!(out, "{label}: {target} unchanged");
            return out;
        }
        Some(old) => {
            let _ = writeln!(
                out,
                "{label}: would update {target} from {} ({} -> {} bytes)",
                update.source,
                old.len(),
                update.contents.len()
            );
            out.push_str(&line_diff(old, &update.contents));
        }
        None => {
            let _ = writeln!(
                out,
                "{label}: would create {target} from {} ({} bytes)",
                update.source,
                update.contents.len()
            );
        }
    }
    out
}

/// The removed and added lines of a line diff (Myers, by `similar`), in file order.
fn line_diff(old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let mut lines: Vec<String> = diff
        .iter_all_changes()
        .filter_map(|change| {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => return None,
            };
            let line = change.value().trim_end_matches(['\n', '\r']);
            Some(format!("    {sign} {line}"))
        })
        .collect();
    let extra = lines.len().saturating_sub(MAX_DIFF_LINES);
    lines.truncate(MAX_DIFF_LINES);
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    if extra > 0 {
        let _ = writeln!(out, "    ... {extra} more changed lines");
    }
    out
}

/// Stages one update and its provenance record, stamped with `clock`'s time; nothing
/// is in place until the caller commits every gate's files together. Returns the
/// record's path.
pub fn stage(
    label: &str,
    update: &BaselineUpdate,
    staging: &mut Staging,
    clock: &Clock,
) -> Result<PathBuf, String> {
    staging
        .stage(&update.target, &update.contents)
        .map_err(|e| e.to_string())?;
    let folder = update
        .target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let record = Provenance {
        baseline: update.target.display().to_string(),
        source: update.source.clone(),
        gate: label.to_string(),
        accepted_at: clock.rfc3339(),
        commit: git::git_line(&["rev-parse", "HEAD"], folder).ok(),
        host: host_name(),
        tool: format!("safety-gate {}", env!("CARGO_PKG_VERSION")),
    };
    let path = provenance_path(&update.target);
    let mut text = serde_json::to_string_pretty(&record).unwrap_or_default();
    text.push('\n');
    staging
        .stage(&path, text.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(path)
}

/// The machine's name, from the kernel (`gethostname`), else `unknown`.
fn host_name() -> String {
    nix::unistd::gethostname()
        .ok()
        .map(|name| name.to_string_lossy().trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_describes_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("b.txt");
        std::fs::write(&target, "a=1\nb=2\n").expect("write");
        let update = BaselineUpdate {
            target: target.clone(),
            source: "c.txt".into(),
            contents: b"a=1\nb=3\n".to_vec(),
        };
        let text = describe("perf/x", &update, u64::MAX);
        assert!(text.contains("would update"), "{text}");
        assert!(text.contains("    - b=2\n    + b=3\n"), "{text}");
        let same = BaselineUpdate {
            contents: b"a=1\nb=2\n".to_vec(),
            ..update
        };
        assert!(describe("perf/x", &same, u64::MAX).contains("unchanged"));
    }

    #[test]
    fn line_diff_shows_moves_and_repeats_in_order() {
        let diff = line_diff(b"a\nb\na\nc\n", b"b\na\nc\na\n");
        assert_eq!(diff, "    - a\n    + a\n");
        let diff = line_diff(b"x=1\ny=2", b"x=1\ny=3\nz=4\n");
        assert_eq!(diff, "    - y=2\n    + y=3\n    + z=4\n");
        let many: String = (0..30).map(|i| format!("{i}\n")).collect();
        let diff = line_diff(b"", many.as_bytes());
        assert!(diff.ends_with("    ... 10 more changed lines\n"), "{diff}");
    }

    #[test]
    fn write_leaves_a_provenance_record() {
        let dir = tempfile::tempdir().expect("tempdir");
        let update = BaselineUpdate {
            target: dir.path().join("base.json"),
            source: "cur.json".into(),
            contents: b"{}".to_vec(),
        };
        let mut staging = Staging::new();
        let record = stage("perf/x", &update, &mut staging, &Clock::System).expect("stage");
        assert!(!record.exists(), "nothing is in place before the commit");
        staging.commit().expect("commit");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&record).expect("read")).expect("json");
        assert_eq!(json["source"], "cur.json");
        assert!(
            json["tool"]
                .as_str()
                .expect("tool")
                .starts_with("safety-gate ")
        );
        assert!(json["accepted_at"].as_str().expect("time").ends_with('Z'));
        assert!(!json["host"].as_str().expect("host").is_empty());
    }
}

//! Baseline handling of the snapshot gate: the golden hashes file is its baseline, so
//! `--baseline-ref` judges against a git ref's hashes and `baseline accept` records
//! the current hashes exactly as `--write-hashes` does.
//!
//! Hash keys are snapshot paths relative to the hashes file's folder. When the cli
//! points the hashes file at a copy read from a git ref, the keys must still resolve
//! against the configured folder; [`SnapshotConfig::hash_anchor`] keeps it.
//!
//! Saved snapshots and earlier schemas are baselines too, configured as globs: under
//! `--baseline-ref` the engine lists what each glob matches at the ref and pins it to
//! those files (`Gate::baseline_globs`, [`SnapshotConfig::from_ref`]), so a released
//! schema or saved snapshot the change edits or deletes is read as the ref has it.

use std::path::PathBuf;

use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::{InputError, RunContext};

use crate::config::SnapshotConfig;
use crate::gate::evaluate;
use crate::hashes;

/// Unhashable inputs named in a refusal.
const NAMED: usize = 5;

/// The golden hashes file, for `--baseline-ref`.
pub(crate) fn baseline_files(config: &mut SnapshotConfig) -> Vec<&mut PathBuf> {
    // Fix the key anchor before the path is handed out to be redirected.
    if config.hash_anchor.is_none() {
        config.hash_anchor = config.configured_hash_anchor();
    }
    config.hashes.iter_mut().collect()
}

/// The hashes of the current snapshots and hash commands. Refused when any input could
/// not be hashed: a partial map would drop the golden hashes of the inputs that failed,
/// and the next run would not miss them.
pub(crate) fn accept(
    config: &SnapshotConfig,
    ctx: &RunContext,
) -> Result<Vec<BaselineUpdate>, InputError> {
    let Some(target) = &config.hashes else {
        return Ok(Vec::new());
    };
    let name = &config.name;
    let mut config = config.clone();
    // Accepting writes through the engine (atomically, with provenance), not here.
    config.write_hashes = None;
    let found = evaluate(&config, ctx);
    if !found.unhashed.is_empty() {
        let mut names: Vec<&str> = found
            .unhashed
            .iter()
            .take(NAMED)
            .map(String::as_str)
            .collect();
        if found.unhashed.len() > NAMED {
            names.push("…");
        }
        return Err(InputError::malformed(
            target,
            None,
            None,
            format!(
                "not accepted: {} input(s) of gate `{}` could not be hashed ({}); \
                 run `safety-gate check` to see why",
                found.unhashed.len(),
                name,
                names.join(", ")
            ),
        ));
    }
    Ok(vec![BaselineUpdate {
        target: target.clone(),
        source: format!(
            "{} current snapshot and hash-command hashes",
            found.hashed.len()
        ),
        contents: hashes::render(&found.hashed).into_bytes(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::GateConfig;
    use safety_gate_core::Status;
    use std::path::Path;

    /// A snapshot under `data/`, hashes under `golden/`, config in the root.
    fn setup(root: &Path) -> SnapshotConfig {
        std::fs::create_dir_all(root.join("data")).expect("mkdir");
        std::fs::create_dir_all(root.join("golden")).expect("mkdir");
        std::fs::write(root.join("data/world.json"), r#"{"tick": 3}"#).expect("write");
        std::fs::write(root.join("schema.json"), r#"{"type": "object"}"#).expect("write");
        let mut config = SnapshotConfig::new("t", "schema.json");
        config.snapshots = vec!["data/*.json".into()];
        config.hashes = Some("golden/hashes.json".into());
        config.resolve_paths(root);
        config
    }

    fn hash_status(config: &SnapshotConfig) -> Vec<(String, Status)> {
        crate::run(config, &RunContext::default())
            .checks
            .iter()
            .filter(|c| c.id.starts_with("hash"))
            .map(|c| (c.id.clone(), c.status))
            .collect()
    }

    #[test]
    fn accept_records_what_write_hashes_would() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = setup(dir.path());
        let updates = accept(&config, &RunContext::default()).expect("accept");
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0].target, dir.path().join("golden/hashes.json"));
        let text = String::from_utf8(updates[0].contents.clone()).expect("utf-8");
        assert!(text.contains("\"../data/world.json\": \""), "{text}");

        config.write_hashes = Some(dir.path().join("golden/written.json"));
        crate::run(&config, &RunContext::default());
        let written = std::fs::read(dir.path().join("golden/written.json")).expect("written");
        assert_eq!(written, updates[0].contents);
        assert_eq!(baseline_files(&mut config).len(), 1);
    }

    #[test]
    fn unhashable_inputs_are_not_accepted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = setup(dir.path());
        std::fs::write(dir.path().join("data/broken.json"), "{").expect("write");
        let err = accept(&config, &RunContext::default())
            .expect_err("refused")
            .to_string();
        assert!(err.contains("1 input(s)"), "{err}");
        assert!(err.contains("../data/broken.json"), "{err}");
        assert!(err.contains("golden/hashes.json"), "{err}");
    }

    #[test]
    fn keys_stay_anchored_when_the_hashes_file_moves() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = setup(dir.path());
        let contents = accept(&config, &RunContext::default())
            .expect("accept")
            .remove(0)
            .contents;
        // What `--baseline-ref` does: the hashes file becomes a copy in another folder.
        let elsewhere = tempfile::tempdir().expect("tempdir");
        let copy = elsewhere.path().join("ref/golden/hashes.json");
        std::fs::create_dir_all(copy.parent().expect("parent")).expect("mkdir");
        std::fs::write(&copy, &contents).expect("write");
        for path in baseline_files(&mut config) {
            *path = copy.clone();
        }
        let pass = vec![("hash:../data/world.json".to_string(), Status::Pass)];
        assert_eq!(hash_status(&config), pass);

        // Without the anchor, the keys would be resolved from the copy's folder and
        // no recorded hash would match.
        config.hash_anchor = None;
        let statuses = hash_status(&config);
        assert!(
            statuses.iter().all(|(_, s)| *s == Status::Fail),
            "{statuses:?}"
        );
    }
}

//! `--baseline-ref REF`: judge against the baselines of a git ref (e.g. `origin/main`)
//! rather than the working tree's, so a pull request that edits its own baseline to
//! hide a regression is still judged against main. Each baseline is read with
//! `git cat-file blob REF:path` into a temporary folder and the gate is pointed at the
//! copy; working-tree baselines that differ from the ref's are reported as warnings.

use safety_gate_core::config::normalize;
use safety_gate_core::{Check, RunReport};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use crate::config::Config;
use crate::process;

/// The copies read from the ref; they live as long as this value.
#[derive(Debug)]
pub struct Redirect {
    dir: TempDir,
    refname: String,
    /// `(gate name, working-tree path, repository-relative path, differs)` per baseline.
    files: Vec<(String, PathBuf, String, bool)>,
}

/// Points every baseline of `config` at its copy from `refname`. Fails, naming the file,
/// when a baseline is outside a git repository or absent from the ref: a baseline the
/// ref does not have cannot vouch for anything.
pub fn redirect(config: &mut Config, refname: &str) -> Result<Redirect, String> {
    let dir = tempfile::Builder::new()
        .prefix("safety-gate-ref-")
        .tempdir()
        .map_err(|e| format!("failed to create a temporary folder: {e}"))?;
    let mut files = Vec::new();
    for (_, gate) in config.baseline_gates_mut() {
        let name = gate.name().to_string();
        for path in gate.baseline_files_mut() {
            let (rel, bytes) = read_from_ref(path, refname)?;
            let differs = std::fs::read(&*path).map_or(true, |local| local != bytes);
            let copy = dir.path().join(&rel);
            if let Some(parent) = copy.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("failed to create {}: {e}", parent.display()))?;
            }
            std::fs::write(&copy, &bytes)
                .map_err(|e| format!("failed to write {}: {e}", copy.display()))?;
            files.push((name.clone(), path.clone(), rel, differs));
            *path = copy;
        }
    }
    Ok(Redirect {
        dir,
        refname: refname.to_string(),
        files,
    })
}

/// Reads `path`'s blob at `refname`; returns its repository-relative path and bytes.
fn read_from_ref(path: &Path, refname: &str) -> Result<(String, Vec<u8>), String> {
    let absolute = normalize(
        &std::env::current_dir()
            .map_err(|e| format!("failed to read the current folder: {e}"))?
            .join(path),
    );
    let folder = absolute.parent().unwrap_or(Path::new("/"));
    let existing = nearest_existing(folder);
    let top = process::git_line(&["rev-parse", "--show-toplevel"], &existing).map_err(|e| {
        format!(
            "baseline {} is not in a git repository: {e}",
            path.display()
        )
    })?;
    let top = Path::new(&top)
        .canonicalize()
        .map_err(|e| format!("failed to resolve {top}: {e}"))?;
    let real_folder = existing
        .canonicalize()
        .map_err(|e| format!("failed to resolve {}: {e}", existing.display()))?
        .join(folder.strip_prefix(&existing).unwrap_or(Path::new("")));
    let rel = real_folder
        .join(absolute.file_name().unwrap_or_default())
        .strip_prefix(&top)
        .map_err(|_| {
            format!(
                "baseline {} is outside the repository {}",
                path.display(),
                top.display()
            )
        })?
        .to_string_lossy()
        .replace('\\', "/");
    let spec = format!("{refname}:{rel}");
    let bytes = process::git(&["cat-file", "blob", &spec], &top).map_err(|e| {
        format!(
            "failed to read baseline {} from {refname}: {e}",
            path.display()
        )
    })?;
    Ok((rel, bytes))
}

fn nearest_existing(folder: &Path) -> PathBuf {
    let mut here = folder.to_path_buf();
    while !here.exists() {
        match here.parent() {
            Some(p) => here = p.to_path_buf(),
            None => break,
        }
    }
    here
}

impl Redirect {
    /// Adds a warning to each gate whose working-tree baseline differs from the ref's,
    /// and shows `REF:path` instead of the temporary copies in messages and locations.
    pub fn annotate(&self, report: &mut RunReport) {
        let tmp = self.dir.path().to_string_lossy().into_owned();
        for gate in &mut report.gates {
            for check in &mut gate.checks {
                check.message = check
                    .message
                    .replace(&format!("{tmp}/"), &format!("{}:", self.refname));
                for detail in &mut check.details {
                    *detail = detail.replace(&format!("{tmp}/"), &format!("{}:", self.refname));
                }
                if let Some(loc) = &mut check.location {
                    if let Some((_, original, _, _)) = self
                        .files
                        .iter()
                        .find(|(_, _, rel, _)| loc.file == self.dir.path().join(rel))
                    {
                        loc.file = original.clone();
                    }
                }
            }
            for (name, original, rel, differs) in &self.files {
                if name != &gate.name {
                    continue;
                }
                let check = if *differs {
                    Check::warn(
                        format!("baseline-ref:{rel}"),
                        format!(
                            "working-tree baseline {} differs from {}'s; judged against {}",
                            original.display(),
                            self.refname,
                            self.refname
                        ),
                    )
                } else {
                    Check::pass(
                        format!("baseline-ref:{rel}"),
                        format!(
                            "baseline read from {}, same as the working tree",
                            self.refname
                        ),
                    )
                };
                gate.push(check.with_file(original));
            }
        }
    }
}

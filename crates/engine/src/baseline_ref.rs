//! `--baseline-ref REF`: judge against the baselines of a git ref (e.g. `origin/main`)
//! rather than the working tree's, so a pull request that edits its own baseline to
//! hide a regression is still judged against main. Each baseline is read with
//! `git cat-file blob REF:path` into a temporary folder and the gate is pointed at the
//! copy; working-tree baselines that differ from the ref's are reported as warnings.
//! A baseline that is a folder (golden files) is read file by file from the ref's tree.

use safety_gate_core::config::normalize;
use safety_gate_core::inputs::read_bytes;
use safety_gate_core::{Check, RunReport};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use crate::config::Config;
use crate::git;
use crate::ref_globs::{PinnedGlob, read_at_ref};

/// The copies read from the ref; they live as long as this value.
#[derive(Debug)]
pub struct Redirect {
    dir: TempDir,
    refname: String,
    /// `(gate name, working-tree path, repository-relative path, differs)` per baseline.
    files: Vec<(String, PathBuf, String, bool)>,
    /// `(gate name, what the pattern named at the ref)` per baseline glob.
    globs: Vec<(String, PinnedGlob)>,
}

/// Points every baseline of `config` at its copy from `refname`. Fails, naming the file,
/// when a baseline is outside a git repository or absent from the ref: a baseline the
/// ref does not have cannot vouch for anything.
pub fn redirect(config: &mut Config, refname: &str, max_bytes: u64) -> Result<Redirect, String> {
    let dir = tempfile::Builder::new()
        .prefix("safety-gate-ref-")
        .tempdir()
        .map_err(|e| format!("failed to create a temporary folder: {e}"))?;
    let mut files = Vec::new();
    let mut globs = Vec::new();
    for gate in config.instances_mut() {
        let name = gate.name().to_string();
        for path in gate.baseline_files() {
            let (rel, entries) = read_from_ref(path, refname)?;
            let copy = dir.path().join(&rel);
            let mut differs = false;
            for (sub, bytes) in &entries {
                let (local, target) = match sub {
                    Some(sub) => (path.join(sub), copy.join(sub)),
                    None => (path.clone(), copy.clone()),
                };
                differs |= read_bytes(&local, max_bytes).map_or(true, |l| l != *bytes);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("failed to create {}: {e}", parent.display()))?;
                }
                std::fs::write(&target, bytes)
                    .map_err(|e| format!("failed to write {}: {e}", target.display()))?;
            }
            // A folder of baselines also differs when the working tree has extra files.
            if path.is_dir() {
                differs |= count_files(path) != entries.len();
            }
            files.push((name.clone(), path.clone(), rel, differs));
            *path = copy;
        }
        for pattern in gate.baseline_globs() {
            let (pinned, summary) = read_at_ref(&pattern, refname, dir.path(), max_bytes)?;
            gate.pin_baseline_glob(&pattern, pinned);
            globs.push((name.clone(), summary));
        }
    }
    Ok(Redirect {
        dir,
        refname: refname.to_string(),
        files,
        globs,
    })
}

/// What a baseline path holds at the ref: one file (`None`), or a folder's files by
/// their path inside it.
type Entries = Vec<(Option<String>, Vec<u8>)>;

/// The contents of the file at `path` as `refname` has it, or `None` when the ref has
/// no file there. Fails, naming the path, when it is outside a git repository, when
/// the ref does not name a commit, or when the ref holds a folder there.
pub fn file_at_ref(path: &Path, refname: &str) -> Result<Option<Vec<u8>>, String> {
    let (top, rel) = locate(path, "file")?;
    let commit = format!("{refname}^{{commit}}");
    git::git(&["rev-parse", "--verify", "--quiet", &commit], &top)
        .map_err(|_| format!("{refname} does not name a commit in {}", top.display()))?;
    let spec = format!("{refname}:{rel}");
    let Ok(kind) = git::git_line(&["cat-file", "-t", &spec], &top) else {
        return Ok(None);
    };
    if kind != "blob" {
        return Err(format!("{refname}:{rel} is a {kind}, not a file"));
    }
    git::git(&["cat-file", "blob", &spec], &top)
        .map(Some)
        .map_err(|e| format!("failed to read {} from {refname}: {e}", path.display()))
}

/// The repository holding `path` (its top folder, links resolved) and `path` relative
/// to it, `/`-separated; `what` names the path in errors (`baseline`, `file`).
pub(crate) fn locate(path: &Path, what: &str) -> Result<(PathBuf, String), String> {
    let absolute = normalize(
        &std::env::current_dir()
            .map_err(|e| format!("failed to read the current folder: {e}"))?
            .join(path),
    );
    let folder = absolute.parent().unwrap_or(Path::new("/"));
    let existing = nearest_existing(folder);
    let top = git::git_line(&["rev-parse", "--show-toplevel"], &existing)
        .map_err(|e| format!("{what} {} is not in a git repository: {e}", path.display()))?;
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
                "{what} {} is outside the repository {}",
                path.display(),
                top.display()
            )
        })?
        .to_string_lossy()
        .replace('\\', "/");
    Ok((top, rel))
}

/// Reads `path` at `refname`, a file or a folder of files; returns its
/// repository-relative path and contents.
fn read_from_ref(path: &Path, refname: &str) -> Result<(String, Entries), String> {
    let (top, rel) = locate(path, "baseline")?;
    let spec = format!("{refname}:{rel}");
    let failed = |e: String| {
        format!(
            "failed to read baseline {} from {refname}: {e}",
            path.display()
        )
    };
    let kind = git::git_line(&["cat-file", "-t", &spec], &top).map_err(failed)?;
    if kind != "tree" {
        let bytes = git::git(&["cat-file", "blob", &spec], &top).map_err(failed)?;
        return Ok((rel, vec![(None, bytes)]));
    }
    let listing = git::git(&["ls-tree", "-r", "-z", "--name-only", &spec], &top).map_err(failed)?;
    let mut entries = Vec::new();
    for name in listing.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let blob = format!("{spec}/{name}");
        let bytes = git::git(&["cat-file", "blob", &blob], &top).map_err(failed)?;
        entries.push((Some(name), bytes));
    }
    Ok((rel, entries))
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() { count_files(&p) } else { 1 }
            })
            .sum()
    })
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
                    let found = self.files.iter().find_map(|(_, original, rel, _)| {
                        let inner = loc.file.strip_prefix(self.dir.path().join(rel)).ok()?;
                        Some(if inner.as_os_str().is_empty() {
                            original.clone()
                        } else {
                            original.join(inner)
                        })
                    });
                    if let Some(original) = found {
                        loc.file = original;
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
                // Where a baseline came from compares nothing: a gate whose only other
                // checks were skipped still compared nothing.
                gate.push(check.with_file(original).bookkeeping());
            }
            for (name, glob) in &self.globs {
                if name == &gate.name {
                    gate.push(self.glob_check(glob));
                }
            }
        }
    }
}

impl Redirect {
    /// Where the files of a baseline glob came from: a warning naming those the working
    /// tree holds otherwise (edited, deleted or added by the change).
    fn glob_check(&self, glob: &PinnedGlob) -> Check {
        let id = format!("baseline-ref:{}", glob.relative);
        let read = format!(
            "{} file(s) matching {} read from {}",
            glob.files, glob.relative, self.refname
        );
        let mut otherwise = Vec::new();
        if !glob.differ.is_empty() {
            otherwise.push(format!(
                "differ or are missing in the working tree: {}",
                glob.differ.join(", ")
            ));
        }
        if !glob.extra.is_empty() {
            otherwise.push(format!(
                "only in the working tree, not judged: {}",
                glob.extra.join(", ")
            ));
        }
        let check = if otherwise.is_empty() {
            Check::pass(id, format!("{read}, same as the working tree"))
        } else {
            Check::warn(
                id,
                format!(
                    "{read}; judged against {}'s, since the change's {}",
                    self.refname,
                    otherwise.join("; ")
                ),
            )
        };
        check.bookkeeping()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::git::git_in_test as git;

    #[test]
    fn reads_files_and_folders_from_the_ref() {
        let repo = tempfile::tempdir().expect("tempdir");
        let root = repo.path();
        std::fs::create_dir_all(root.join("golden/sub")).expect("mkdir");
        std::fs::write(root.join("golden/a.json"), "{}").expect("write");
        std::fs::write(root.join("golden/sub/b.txt"), "old").expect("write");
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", "golden"]);
        std::fs::write(root.join("golden/sub/b.txt"), "edited").expect("write");

        let (rel, entries) = read_from_ref(&root.join("golden"), "HEAD").expect("tree");
        assert_eq!(rel, "golden");
        let names: Vec<_> = entries
            .iter()
            .map(|(n, _)| n.clone().unwrap_or_default())
            .collect();
        assert_eq!(names, ["a.json", "sub/b.txt"]);
        assert_eq!(entries[1].1, b"old");

        let (rel, entries) = read_from_ref(&root.join("golden/sub/b.txt"), "HEAD").expect("blob");
        assert_eq!(
            (rel.as_str(), entries[0].1.as_slice()),
            ("golden/sub/b.txt", b"old".as_slice())
        );
        let err = read_from_ref(&root.join("golden/new.json"), "HEAD").expect_err("absent");
        assert!(err.contains("golden/new.json"), "{err}");
    }
}

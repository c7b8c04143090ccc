//! Several files replaced all-or-nothing, as `baseline accept` over several gates needs:
//! every new file is first written in full beside its target ([`Staging::stage`]), and
//! only when all are staged does [`Staging::commit`] rename them into place.
//!
//! Whatever fails while staging (an unreadable folder, a full disk, a target that is a
//! directory) leaves every target untouched. Commit keeps a hard link (or copy) of
//! each old file first, so a rename that fails midway is undone: earlier targets get
//! their old files back and new ones are removed. Only a crash between two renames
//! can leave a mix; each file is still whole, old or new.

use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::atomic::{Target, inspect, refusal, write_temporary};
use crate::error::WriteError;

/// Files written but not yet in place. Dropping it without [`Staging::commit`] removes
/// the temporary files and changes nothing.
#[derive(Debug, Default)]
pub struct Staging {
    files: Vec<Staged>,
}

#[derive(Debug)]
struct Staged {
    /// The target as named, for messages.
    target: PathBuf,
    /// The target with symbolic links resolved: what is replaced.
    real: PathBuf,
    /// The new content, synced.
    tmp: NamedTempFile,
    /// Whether a file is being replaced (rather than created).
    replaces: bool,
}

impl Staging {
    /// Nothing staged yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `bytes` to a temporary file beside `path`, with the mode the file will
    /// keep (see [`crate::atomic`]). Only regular files (or new paths) can be staged:
    /// a device or pipe cannot be replaced together with other files.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        let err = |source| WriteError {
            path: path.to_path_buf(),
            source,
        };
        let (real, old) = match inspect(path).map_err(err)? {
            Target::File { real, old } => (real, old),
            Target::WriteThrough => {
                return Err(err(refusal(
                    "is a device or a pipe, not a file that can be replaced with others",
                )));
            }
        };
        if self.files.iter().any(|f| f.real == real) {
            return Err(err(refusal("is to be written twice in one change")));
        }
        let tmp = write_temporary(&real, old.as_ref(), bytes).map_err(err)?;
        self.files.push(Staged {
            target: path.to_path_buf(),
            real,
            tmp,
            replaces: old.is_some(),
        });
        Ok(())
    }

    /// How many files are staged.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The temporary files holding the staged contents, in staging order.
    pub fn temporary_paths(&self) -> Vec<&Path> {
        self.files.iter().map(|f| f.tmp.path()).collect()
    }

    /// Renames every staged file over its target, in staging order. On failure the
    /// targets already renamed are put back as they were and the error names the
    /// file that failed (and any file that could not be put back).
    pub fn commit(self) -> Result<(), WriteError> {
        // Keep the old files first: if one cannot be kept, nothing has changed yet.
        let mut backups = Vec::with_capacity(self.files.len());
        for file in &self.files {
            let backup = if file.replaces {
                Some(keep_old(&file.real).map_err(|source| WriteError {
                    path: file.target.clone(),
                    source,
                })?)
            } else {
                None
            };
            backups.push(backup);
        }
        let mut done: Vec<(PathBuf, PathBuf, Option<NamedTempFile<()>>)> = Vec::new();
        let mut pending = self.files.into_iter().zip(backups);
        for (file, backup) in pending.by_ref() {
            match file.tmp.persist(&file.real) {
                Ok(_) => done.push((file.target, file.real, backup)),
                Err(e) => {
                    let source = undo(done, e.error);
                    return Err(WriteError {
                        path: file.target,
                        source,
                    });
                }
            }
        }
        Ok(())
    }
}

/// A hard link to (or, where links are not possible, a copy of) the file at `real`,
/// beside it under a temporary name, removed when dropped.
fn keep_old(real: &Path) -> io::Result<NamedTempFile<()>> {
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".safety-gate-")
        .suffix(".old")
        .make_in(dir, |path| {
            std::fs::hard_link(real, path).or_else(|_| std::fs::copy(real, path).map(drop))
        })
}

/// Puts back the targets renamed so far, newest first; returns `cause`, extended with
/// the targets that could not be restored.
fn undo(done: Vec<(PathBuf, PathBuf, Option<NamedTempFile<()>>)>, cause: io::Error) -> io::Error {
    let mut stuck = Vec::new();
    for (target, real, backup) in done.into_iter().rev() {
        let restored = match backup {
            Some(old) => old.persist(&real).map(drop).map_err(|e| e.error),
            None => std::fs::remove_file(&real),
        };
        if restored.is_err() {
            stuck.push(target.display().to_string());
        }
    }
    if stuck.is_empty() {
        return io::Error::new(
            cause.kind(),
            format!("{cause}; every file of the change was put back as it was"),
        );
    }
    io::Error::new(
        cause.kind(),
        format!(
            "{cause}; could not put back {} (they hold the new content)",
            stuck.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn nothing_changes_until_commit_and_all_change_after() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
        std::fs::write(&a, "old a").expect("write");
        std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let mut staging = Staging::new();
        staging.stage(&a, b"new a").expect("stage a");
        staging.stage(&b, b"new b").expect("stage b");
        assert_eq!(staging.len(), 2);
        assert_eq!(std::fs::read(&a).expect("read"), b"old a");
        assert!(!b.exists());
        staging.commit().expect("commit");
        assert_eq!(std::fs::read(&a).expect("read"), b"new a");
        assert_eq!(std::fs::read(&b).expect("read"), b"new b");
        let mode = std::fs::metadata(&a).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        assert_eq!(names(dir.path()), ["a.json", "b.json"], "no temporary left");
    }

    #[test]
    fn a_failed_stage_leaves_every_target_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.json");
        std::fs::write(&a, "old a").expect("write");
        std::fs::create_dir(dir.path().join("taken")).expect("mkdir");
        let mut staging = Staging::new();
        staging.stage(&a, b"new a").expect("stage a");
        let err = staging
            .stage(&dir.path().join("taken"), b"x")
            .expect_err("a directory");
        assert!(err.to_string().contains("taken"), "{err}");
        drop(staging);
        assert_eq!(std::fs::read(&a).expect("read"), b"old a");
        assert_eq!(names(dir.path()), ["a.json", "taken"]);
    }

    #[test]
    fn devices_and_double_targets_cannot_be_staged() {
        let mut staging = Staging::new();
        let err = staging
            .stage(Path::new("/dev/null"), b"x")
            .expect_err("device");
        assert!(err.to_string().contains("device or a pipe"), "{err}");
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a");
        staging.stage(&a, b"1").expect("first");
        let err = staging.stage(&a, b"2").expect_err("twice");
        assert!(err.to_string().contains("twice"), "{err}");
    }

    #[test]
    fn a_rename_failing_midway_puts_the_earlier_files_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b, c) = (
            dir.path().join("a.json"),
            dir.path().join("b.json"),
            dir.path().join("c.json"),
        );
        std::fs::write(&a, "old a").expect("write");
        let mut staging = Staging::new();
        staging.stage(&a, b"new a").expect("stage a");
        staging.stage(&b, b"new b").expect("stage b");
        staging.stage(&c, b"new c").expect("stage c");
        // Between staging and commit, c becomes a non-empty directory: its rename fails.
        std::fs::create_dir(&c).expect("mkdir");
        std::fs::write(c.join("inside"), "x").expect("write");
        let err = staging.commit().expect_err("rename over a directory");
        let text = err.to_string();
        assert!(
            text.contains("c.json") && text.contains("put back"),
            "{text}"
        );
        assert_eq!(std::fs::read(&a).expect("read"), b"old a");
        assert!(!b.exists(), "a created file is removed again");
        assert_eq!(names(dir.path()), ["a.json", "c.json"], "no temporary left");
    }
}

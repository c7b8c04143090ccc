//! A baseline compared with itself proves nothing: a config whose `baseline` and
//! `current` name one file (the same path, a symbolic link to it, a hard link, the same
//! path spelled with `..`) passes whatever the change did. Every gate lists the pairs it
//! compares ([`crate::Gate::compared_files`]); a pair naming one file is an error.

use std::path::Path;

use crate::check::{Check, Location};
use crate::config::normalize;

/// Whether `a` and `b` name the same file: the same device and inode when both exist,
/// else the same canonical path, else the same path after folding `.` and `..`.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        return same_inode(&ma, &mb);
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(ca), Ok(cb)) => ca == cb,
        _ => absolute(a) == absolute(b),
    }
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

fn absolute(path: &Path) -> std::path::PathBuf {
    let joined = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    normalize(&joined)
}

/// One error check per pair that names a single file on both sides.
pub fn same_file_checks<'a>(pairs: impl IntoIterator<Item = (&'a Path, &'a Path)>) -> Vec<Check> {
    pairs
        .into_iter()
        .filter(|(baseline, current)| same_file(baseline, current))
        .map(|(baseline, current)| {
            let shown = if baseline == current {
                format!("{}", baseline.display())
            } else {
                format!("{} and {}", baseline.display(), current.display())
            };
            Check::error(
                "same-file",
                format!(
                    "baseline and current are the same file ({shown}): a file compared with \
                     itself proves nothing; point `current` at the output of the change"
                ),
            )
            .with_location(Location::file(current))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_by_any_name_is_the_same_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        std::fs::write(&a, "{}").expect("write");
        std::fs::write(&b, "{}").expect("write");
        assert!(same_file(&a, &a));
        assert!(!same_file(&a, &b), "equal contents are not the same file");
        let dotted = dir.path().join("sub/../a.json");
        assert!(same_file(&a, &dotted), "`..` folds even without sub/");
        std::fs::hard_link(&a, dir.path().join("hard.json")).expect("hard link");
        assert!(same_file(&a, &dir.path().join("hard.json")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&a, dir.path().join("link.json")).expect("symlink");
            assert!(same_file(&dir.path().join("link.json"), &a));
        }
        let missing = dir.path().join("missing.json");
        assert!(same_file(&missing, &dir.path().join("./missing.json")));
        assert!(!same_file(&missing, &a));
    }

    #[test]
    fn a_pair_naming_one_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.json");
        std::fs::write(&a, "{}").expect("write");
        let checks = same_file_checks([(a.as_path(), a.as_path())]);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].status, crate::Status::Error);
        assert!(
            checks[0].message.contains("a.json"),
            "{}",
            checks[0].message
        );
    }
}

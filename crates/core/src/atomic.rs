//! Atomic file writes: outputs and baselines are either the old file or the whole new
//! one, never a torn mix, even if the process dies mid-write.

use std::io::Write;
use std::path::Path;

use crate::error::WriteError;

/// Writes `bytes` to `path` through a temporary file in the same folder, synced and
/// then renamed over the target. Creates missing parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, bytes, |_| {})
}

/// [`write_atomic`], calling `before_rename` with the temporary file's path once it is
/// written and synced, just before it replaces the target. The cli uses it to simulate
/// a crash at the worst moment and show that the old file survives.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path),
) -> Result<(), WriteError> {
    let err = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(err)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".safety-gate-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    before_rename(tmp.path());
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("sub/out.json");
        write_atomic(&target, b"old").expect("first write");
        write_atomic(&target, b"new").expect("second write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        let leftovers = std::fs::read_dir(dir.path().join("sub"))
            .expect("ls")
            .count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn unwritable_target_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("taken")).expect("mkdir");
        let err = write_atomic(&dir.path().join("taken"), b"x").expect_err("dir in the way");
        assert!(err.to_string().contains("taken"), "{err}");
    }
}

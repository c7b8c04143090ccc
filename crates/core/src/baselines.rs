//! What `baseline accept` writes: each gate's [`crate::gate::Gate::accept`] returns
//! the files that promote its current results to baselines, and the engine writes them
//! atomically with a provenance record beside each.

use std::path::{Path, PathBuf};

/// A baseline file a pattern names at a git ref (`--baseline-ref`), with the copy read
/// out of the ref: a gate names, keys and locates it by `path` and reads `copy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefFile {
    /// Where the file is (or was) in the working tree.
    pub path: PathBuf,
    /// The copy of the ref's file.
    pub copy: PathBuf,
}

/// One file `baseline accept` would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineUpdate {
    /// The baseline file to replace or create.
    pub target: PathBuf,
    /// Where the new contents come from, for the dry run and the provenance record.
    pub source: String,
    /// The new contents.
    pub contents: Vec<u8>,
}

impl BaselineUpdate {
    /// The [`source`](Self::source) of contents made from several files: their paths,
    /// joined by ` + `.
    pub fn sources<P: AsRef<Path>>(files: impl IntoIterator<Item = P>) -> String {
        files
            .into_iter()
            .map(|p| p.as_ref().display().to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

//! What `baseline accept` writes: each gate's [`crate::gate::Gate::accept`] returns
//! the files that promote its current results to baselines, and the engine writes them
//! atomically with a provenance record beside each.

use std::path::PathBuf;

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

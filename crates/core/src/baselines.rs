//! What the cli needs from a gate to manage its baselines: which files it reads as
//! baselines (so `--baseline-ref` can read them from a git ref instead), what
//! `baseline accept` writes to promote the current results, and which way is better
//! for a check (so the nightly drift check knows a slowdown from a speed-up).
//!
//! Each gate's config implements [`Baselines`]; the cli's registry calls it for every
//! configured instance. Nothing here touches the file system beyond reading inputs.

use std::path::PathBuf;

use crate::config::GateCommon;
use crate::error::InputError;

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

/// Which way a check's value is better, for trend checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Smaller is better (times, memory).
    Lower,
    /// Larger is better (throughput).
    Higher,
}

/// Baseline handling of one gate instance.
pub trait Baselines: GateCommon {
    /// Every baseline file the instance reads, mutable so that the cli can point them at
    /// copies read from a git ref.
    fn baseline_files_mut(&mut self) -> Vec<&mut PathBuf>;

    /// The files that promote the current results to baselines. Reading the current
    /// results may fail; the error names the file.
    fn accept(&self) -> Result<Vec<BaselineUpdate>, InputError>;

    /// Which way is better for the check with this id, when the gate knows.
    fn better(&self, check_id: &str) -> Option<Better> {
        let _ = check_id;
        None
    }
}

//! Golden data comparison: a baseline and a current JSON or JSONL file must be equal,
//! up to numeric tolerances and ignored (redacted) paths.

mod align;
mod check;
pub mod diff;
pub mod jsonl;
pub mod nonfinite;
pub mod pointer;
pub mod stream;
pub mod tolerance;

pub use check::golden_check;
pub use diff::{DiffOptions, Difference, Differences, Kind};
pub use pointer::{PointerGlob, PointerSet};
pub use tolerance::{Tolerance, ToleranceRule, ToleranceSet};

//! JUnit XML ingest: a streaming, well-formedness-checking reader for the dialects of
//! many producers (pytest, nextest, Surefire, jest-junit, googletest, gotestsum...),
//! and a tally that merges several files (CI shards) and weighs reruns.

pub mod attempts;
mod batch;
mod bounded;
mod element;
pub mod reader;
pub mod suite;
pub mod tally;
pub mod testcase;
mod wellformed;

pub use attempts::{Judged, Reruns};
pub use batch::Batch;
pub use bounded::MAX_EVENT_BYTES;
pub use element::Record;
pub use reader::{ReadLimits, read_report, read_report_with, read_report_within};
pub use suite::{CounterKind, CounterNote};
pub use tally::{Counts, Offenders, Tally};
pub use testcase::{Outcome, TestCase, normalise_id, test_id};

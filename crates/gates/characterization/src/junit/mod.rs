//! JUnit XML ingest: a streaming reader for the dialects of pytest, cargo-nextest,
//! Maven Surefire and jest-junit, and a tally that merges several files (CI shards).

mod element;
pub mod reader;
pub mod tally;
pub mod testcase;

pub use reader::{read_report, read_report_within};
pub use tally::{Offenders, Tally};
pub use testcase::{Outcome, TestCase, normalise_id};

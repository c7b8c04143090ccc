//! What a check saw, as data a renderer can draw: the samples of a comparison, the
//! nightly values of a trend, the JSON values that changed, the schema changes found.
//! No verdict reads it; the check's status and numbers decide. It is written into the
//! JSON report under `evidence`, tagged by `kind`.

use serde::Serialize;

use crate::direction::Direction;

/// Evidence attached to one check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Evidence {
    /// The samples a benchmark comparison was made on.
    Samples(SampleEvidence),
    /// A series of nightly values and the line fitted through them.
    Trend(TrendEvidence),
    /// Values that differ between a golden file and the current output.
    Changes(ChangeEvidence),
    /// Differences between the documents two schemas accept.
    Schema(SchemaEvidence),
}

/// The samples of one benchmark on both sides, in the baseline's unit (the check's
/// `unit`); the check's `baseline`, `current`, `change`, `interval`, `threshold` and
/// `direction` hold the estimate drawn over them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleEvidence {
    /// The summary compared (`median`, `mean`, `min`).
    pub statistic: String,
    /// Baseline samples, in the order read.
    pub baseline: Vec<f64>,
    /// Current samples, in the order read, converted to the baseline's unit.
    pub current: Vec<f64>,
    /// Positions in `baseline` left out of the estimate as far outliers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub baseline_left_out: Vec<usize>,
    /// Positions in `current` left out of the estimate as far outliers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub current_left_out: Vec<usize>,
}

/// One series over the recorded runs, oldest first, with the fitted trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendEvidence {
    /// Which way is better, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub better: Option<Direction>,
    /// The runs, oldest first.
    pub points: Vec<TrendPoint>,
    /// The fitted line's value at the first point.
    pub fit_start: f64,
    /// The fitted line's value at the last point.
    pub fit_end: f64,
}

/// One run of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// When the run happened (RFC 3339).
    pub time: String,
    /// The commit checked, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The series' value in that run.
    pub value: f64,
    /// Whether the series' own check failed that night.
    pub failed: bool,
}

/// The values that differ between a baseline document and the current one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeEvidence {
    /// The first differences, in document order.
    pub changes: Vec<ValueChange>,
    /// How many differences there are in all (more than `changes` when cut).
    pub total: usize,
}

/// One differing JSON pointer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueChange {
    /// Where: the JSON pointer, prefixed with the record's lines for JSONL.
    pub at: String,
    /// `added`, `removed`, `changed` or `type changed`.
    pub change: String,
    /// The baseline value as compact JSON; absent when added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The current value as compact JSON; absent when removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

/// The changes found between a previous schema and the current one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaEvidence {
    /// Every change, breaking or not.
    pub changes: Vec<SchemaChange>,
}

/// One change between two schemas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaChange {
    /// JSON pointer of the keyword involved.
    pub pointer: String,
    /// The rule it falls under (`required`, `enum`, ...).
    pub rule: String,
    /// `breaking`, `compatible` or `cannot decide` under the gate's compatibility mode.
    pub verdict: String,
    /// What changed, in one line.
    pub message: String,
    /// A document accepted by one schema and rejected by the other, as compact JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

impl SchemaChange {
    /// Whether the change breaks the gate's compatibility mode.
    pub fn breaking(&self) -> bool {
        self.verdict == "breaking"
    }
}

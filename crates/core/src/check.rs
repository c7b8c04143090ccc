//! One check: the unit every gate reports and every writer renders.

use serde::Serialize;
use std::path::{Path, PathBuf};

use crate::direction::Direction;
use crate::evidence::Evidence;
use crate::status::{Role, Status};

/// Where in an input a check's subject lives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    /// The file, as given by the user (relative paths stay relative).
    pub file: PathBuf,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            file: path.into(),
            line: None,
            column: None,
        }
    }

    /// A location naming a file and a line.
    pub fn line(path: impl Into<PathBuf>, line: u64) -> Self {
        Location {
            file: path.into(),
            line: Some(line),
            column: None,
        }
    }
}

/// One place in the code a check is about, with what was found there: a check that
/// covers several places (every new finding of one lint rule) lists them so that each
/// can be annotated on its own line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Occurrence {
    /// The file and line.
    pub location: Location,
    /// What was found there, one line.
    pub message: String,
}

/// The result of one check within a gate.
///
/// Numeric fields are present where they apply: `change` is the signed relative change
/// `(current - baseline) / baseline` (0.06 = 6% larger).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Stable identifier, unique within its gate (a benchmark name, a test id, a file).
    pub id: String,
    /// Outcome.
    pub status: Status,
    /// Whether the check compared something (evidence, the default) or reports on the
    /// run (bookkeeping); only evidence lets a gate pass (see [`Role`]).
    #[serde(skip_serializing_if = "Role::is_evidence")]
    pub role: Role,
    /// One-line human explanation.
    pub message: String,
    /// Baseline value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// Current value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<f64>,
    /// Signed relative change from baseline to current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<f64>,
    /// The threshold the change was held against, as a fraction (0.05 = 5%).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Unit of `baseline` and `current`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Which way is better for `current`, when the check compared a measured value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// One-sided p-value of the change, when samples were compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
    /// Confidence interval of the relative change, `[low, high]`, when samples were compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
    /// The smallest relative change (in the bad direction, as a fraction) that this
    /// comparison detects with 90% power at its gate's settings, when samples were
    /// compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_detectable_change: Option<f64>,
    /// The input this check is about, when it maps to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Further evidence, one line each (differing paths, failing tests, stderr tail).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// The places in the code the check is about, when there are several (each becomes
    /// its own annotation); `details` carries the same evidence as text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<Occurrence>,
    /// What the check saw, as data to draw (samples, a trend, changed values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Box<Evidence>>,
}

impl Check {
    /// A check with the given outcome and message and no numbers.
    pub fn new(id: impl Into<String>, status: Status, message: impl Into<String>) -> Self {
        Check {
            id: id.into(),
            status,
            role: Role::Evidence,
            message: message.into(),
            baseline: None,
            current: None,
            change: None,
            threshold: None,
            unit: None,
            direction: None,
            p_value: None,
            interval: None,
            min_detectable_change: None,
            location: None,
            details: Vec::new(),
            occurrences: Vec::new(),
            evidence: None,
        }
    }

    /// A passing check.
    pub fn pass(id: impl Into<String>, message: impl Into<String>) -> Self {
        Check::new(id, Status::Pass, message)
    }

    /// A failing check.
    pub fn fail(id: impl Into<String>, message: impl Into<String>) -> Self {
        Check::new(id, Status::Fail, message)
    }

    /// A check that could not be evaluated.
    pub fn error(id: impl Into<String>, message: impl Into<String>) -> Self {
        Check::new(id, Status::Error, message)
    }

    /// A check reported for attention only.
    pub fn warn(id: impl Into<String>, message: impl Into<String>) -> Self {
        Check::new(id, Status::Warn, message)
    }

    /// A check with nothing to compare.
    pub fn skip(id: impl Into<String>, message: impl Into<String>) -> Self {
        Check::new(id, Status::Skip, message)
    }

    /// Marks the check as bookkeeping: it reports on the run, its settings or its
    /// outputs and compared nothing, so it never lets a gate pass by itself.
    pub fn bookkeeping(mut self) -> Self {
        self.role = Role::Bookkeeping;
        self
    }

    /// Whether the check compared something and reached a judgement: an evidence
    /// check that passed, warned or failed (a skip or an error compared nothing).
    pub fn compared(&self) -> bool {
        self.role == Role::Evidence
            && matches!(
                self.effective_status(),
                Status::Pass | Status::Warn | Status::Fail
            )
    }

    /// Attaches baseline, current and the signed relative change.
    pub fn with_values(mut self, baseline: f64, current: f64, change: f64) -> Self {
        self.baseline = Some(baseline);
        self.current = Some(current);
        self.change = Some(change);
        self.finite_or_error()
    }

    /// Attaches the threshold (a fraction).
    pub fn with_threshold(mut self, threshold: f64) -> Self {
        self.threshold = Some(threshold);
        self.finite_or_error()
    }

    /// Attaches a unit.
    pub fn with_unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    /// Attaches which way is better for the compared value.
    pub fn with_direction(mut self, direction: Direction) -> Self {
        self.direction = Some(direction);
        self
    }

    /// Attaches the statistics of a sample comparison.
    pub fn with_statistics(mut self, p_value: f64, interval: [f64; 2]) -> Self {
        self.p_value = Some(p_value);
        self.interval = Some(interval);
        self.finite_or_error()
    }

    /// Attaches the smallest change the comparison detects (a fraction).
    pub fn with_min_detectable_change(mut self, change: f64) -> Self {
        self.min_detectable_change = Some(change);
        self.finite_or_error()
    }

    /// The first number this check carries that is not finite, by field name.
    pub fn non_finite(&self) -> Option<(&'static str, f64)> {
        let [low, high] = self
            .interval
            .map_or([None, None], |[l, h]| [Some(l), Some(h)]);
        [
            ("baseline", self.baseline),
            ("current", self.current),
            ("change", self.change),
            ("threshold", self.threshold),
            ("p_value", self.p_value),
            ("interval low", low),
            ("interval high", high),
            ("min_detectable_change", self.min_detectable_change),
        ]
        .into_iter()
        .find_map(|(name, v)| v.filter(|v| !v.is_finite()).map(|v| (name, v)))
    }

    /// The status a verdict counts: an error when a number is not finite, whatever the
    /// check says (NaN compares as "within threshold", so no decision may rest on one).
    pub fn effective_status(&self) -> Status {
        if self.non_finite().is_some() {
            Status::Error
        } else {
            self.status
        }
    }

    /// Makes the check an error naming the first number that is not finite, if any.
    fn finite_or_error(mut self) -> Self {
        self.settle();
        self
    }

    /// Makes the status say what the verdict counts: an error naming the first number
    /// that is not finite, if any (a field set directly, not through a builder).
    pub fn settle(&mut self) {
        if let Some((name, value)) = self.non_finite() {
            if self.status != Status::Error {
                self.message = format!(
                    "cannot decide: its {name} is {value}, not a finite number ({})",
                    self.message
                );
                self.status = Status::Error;
            }
        }
    }

    /// Attaches the input this check is about.
    pub fn with_location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Attaches a file as the location.
    pub fn with_file(self, path: &Path) -> Self {
        self.with_location(Location::file(path))
    }

    /// Appends places in the code the check is about.
    pub fn with_occurrences(mut self, occurrences: impl IntoIterator<Item = Occurrence>) -> Self {
        self.occurrences.extend(occurrences);
        self
    }

    /// Attaches evidence to draw.
    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence = Some(Box::new(evidence));
        self
    }

    /// Appends lines of evidence.
    pub fn with_details(mut self, details: impl IntoIterator<Item = String>) -> Self {
        self.details.extend(details);
        self
    }
}

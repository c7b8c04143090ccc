//! What adapters read: named measurements, each one value or a set of samples.

use safety_gate_core::Location;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which way is better for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Smaller is better (times, memory).
    #[default]
    Lower,
    /// Larger is better (throughput).
    Higher,
}

impl Direction {
    /// Human phrase for reports.
    pub fn phrase(self) -> &'static str {
        match self {
            Direction::Lower => "lower is better",
            Direction::Higher => "higher is better",
        }
    }
}

impl std::str::FromStr for Direction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "lower" => Ok(Direction::Lower),
            "higher" => Ok(Direction::Higher),
            other => Err(format!("direction `{other}` must be `lower` or `higher`")),
        }
    }
}

/// One benchmark's result: a single value or several samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The value, or the samples, all finite.
    pub values: Vec<f64>,
    /// Unit, when the format states one.
    pub unit: Option<String>,
    /// Direction, when the format or the metric spec states one.
    pub direction: Option<Direction>,
    /// Where the value was read.
    pub location: Location,
    /// The error the benchmark tool reported for this benchmark, if any.
    pub error: Option<String>,
    /// How the value was read, when the report should say so (a summary statistic
    /// standing in for samples the file does not hold).
    pub note: Option<String>,
}

impl Measurement {
    /// A measurement with no unit, direction or error.
    pub fn new(values: Vec<f64>, location: Location) -> Self {
        Measurement {
            values,
            unit: None,
            direction: None,
            location,
            error: None,
            note: None,
        }
    }

    /// Sets the unit.
    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    /// Sets the direction.
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = Some(direction);
        self
    }

    /// Whether this measurement carries more than one sample.
    pub fn has_samples(&self) -> bool {
        self.values.len() > 1
    }
}

/// Measurements by benchmark id, sorted.
pub type BenchSet = BTreeMap<String, Measurement>;

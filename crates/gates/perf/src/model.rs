//! What adapters read: named measurements, each finite samples or the error the tool
//! reported. [`Samples`] is the one way a number reaches a comparison: it cannot be
//! empty and cannot hold NaN or an infinity, so no decision ever sees either.

use safety_gate_core::{InputError, Location};
use std::collections::BTreeMap;

/// Which way is better for a metric (the one type core defines).
pub use safety_gate_core::Direction;

/// Why values cannot be samples.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SampleError {
    /// No value at all.
    #[error("has no value")]
    Empty,
    /// NaN or an infinity (including one reached by arithmetic, such as an overflow).
    #[error("value {value} (number {position}) is not a finite number")]
    NotFinite {
        /// 1-based position among the values.
        position: usize,
        /// The value.
        value: f64,
    },
}

/// One or more finite values. Read-only once built; it derefs to `[f64]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples(Vec<f64>);

impl Samples {
    /// Checks that `values` is non-empty and every value finite.
    pub fn new(values: Vec<f64>) -> Result<Self, SampleError> {
        if values.is_empty() {
            return Err(SampleError::Empty);
        }
        if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(SampleError::NotFinite {
                position: i + 1,
                value: *v,
            });
        }
        Ok(Samples(values))
    }

    /// Adds a value, refusing a non-finite one.
    pub fn push(&mut self, value: f64) -> Result<(), SampleError> {
        if !value.is_finite() {
            return Err(SampleError::NotFinite {
                position: self.0.len() + 1,
                value,
            });
        }
        self.0.push(value);
        Ok(())
    }

    /// Every value multiplied by `factor` (a unit conversion), refusing a result that
    /// overflows to infinity.
    pub fn scaled(&self, factor: f64) -> Result<Self, SampleError> {
        Samples::new(self.0.iter().map(|v| v * factor).collect())
    }
}

impl std::ops::Deref for Samples {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        &self.0
    }
}

impl PartialEq<Vec<f64>> for Samples {
    fn eq(&self, other: &Vec<f64>) -> bool {
        self.0 == *other
    }
}

/// What a benchmark tool reported for one benchmark.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Its value or samples.
    Measured(Samples),
    /// The error it reported instead of a measurement.
    Failed(String),
}

/// One benchmark's result: a single value or several samples, or the tool's error.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The samples, or the error.
    pub outcome: Outcome,
    /// Unit, when the format states one.
    pub unit: Option<String>,
    /// Direction, when the format or the metric spec states one.
    pub direction: Option<Direction>,
    /// Where the value was read.
    pub location: Location,
    /// How the value was read, when the report should say so (a summary statistic
    /// standing in for samples the file does not hold).
    pub note: Option<String>,
}

impl Measurement {
    /// A measurement of benchmark `id` read at `location`, with no unit or direction.
    /// Empty or non-finite `values` are an error naming the benchmark and the location.
    pub fn new(id: &str, values: Vec<f64>, location: Location) -> Result<Self, InputError> {
        match Samples::new(values) {
            Ok(samples) => Ok(Measurement::measured(samples, location)),
            Err(e) => Err(sample_error(id, &location, e)),
        }
    }

    /// A measurement of already checked samples.
    pub fn measured(samples: Samples, location: Location) -> Self {
        Measurement {
            outcome: Outcome::Measured(samples),
            unit: None,
            direction: None,
            location,
            note: None,
        }
    }

    /// A benchmark whose tool reported `error` instead of a measurement.
    pub fn failed(error: impl Into<String>, location: Location) -> Self {
        Measurement {
            outcome: Outcome::Failed(error.into()),
            unit: None,
            direction: None,
            location,
            note: None,
        }
    }

    /// Adds a sample of benchmark `id` (a repeated name in a log); a non-finite value is
    /// an error naming the benchmark. A failed measurement stays failed.
    pub fn push(&mut self, id: &str, value: f64) -> Result<(), InputError> {
        match &mut self.outcome {
            Outcome::Measured(samples) => samples
                .push(value)
                .map_err(|e| sample_error(id, &self.location, e)),
            Outcome::Failed(_) => Ok(()),
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

    /// The values; none when the tool reported an error.
    pub fn values(&self) -> &[f64] {
        match &self.outcome {
            Outcome::Measured(samples) => samples,
            Outcome::Failed(_) => &[],
        }
    }

    /// The error the tool reported, if any.
    pub fn error(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Measured(_) => None,
            Outcome::Failed(error) => Some(error),
        }
    }

    /// Whether this measurement carries more than one sample.
    pub fn has_samples(&self) -> bool {
        self.values().len() > 1
    }
}

/// A sample error as an input error naming the benchmark and where it was read.
fn sample_error(id: &str, location: &Location, e: SampleError) -> InputError {
    InputError::malformed(
        &location.file,
        location.line,
        location.column,
        format!("benchmark `{id}` {e}"),
    )
}

/// Measurements by benchmark id, sorted.
pub type BenchSet = BTreeMap<String, Measurement>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_refuse_empty_and_non_finite_values() {
        assert_eq!(Samples::new(vec![]), Err(SampleError::Empty));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                Samples::new(vec![1.0, bad]),
                Err(SampleError::NotFinite { position: 2, .. })
            ));
            let mut s = Samples::new(vec![1.0]).expect("finite");
            assert!(s.push(bad).is_err());
            assert_eq!(s, vec![1.0]);
        }
        let s = Samples::new(vec![1e300, 2.0]).expect("finite");
        assert!(s.scaled(1e9).is_err(), "overflow to infinity is refused");
        assert_eq!(s.scaled(2.0).expect("finite"), vec![2e300, 4.0]);
    }

    #[test]
    fn measurement_errors_name_the_benchmark_and_position() {
        let err = Measurement::new("tick", vec![f64::INFINITY], Location::line("r.log", 7))
            .expect_err("infinite");
        assert_eq!(
            err.to_string(),
            "r.log:7: benchmark `tick` value inf (number 1) is not a finite number"
        );
        let err = Measurement::new("tick", vec![], Location::file("r.json")).expect_err("empty");
        assert_eq!(err.to_string(), "r.json: benchmark `tick` has no value");
        let mut m = Measurement::new("t", vec![1.0], Location::file("f")).expect("ok");
        m.push("t", 2.0).expect("finite");
        assert!(m.push("t", f64::NAN).is_err());
        assert_eq!((m.values(), m.has_samples()), (&[1.0, 2.0][..], true));
        let failed = Measurement::failed("boom", Location::file("f"));
        assert_eq!((failed.values(), failed.error()), (&[][..], Some("boom")));
    }
}

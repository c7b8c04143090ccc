//! Which way is better for a measured value: the one direction type that benchmark
//! readers state, the perf gate compares with, checks carry and the nightly drift
//! check judges by.

use serde::{Deserialize, Serialize};

/// Which way is better for a metric.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Smaller is better (times, memory).
    #[default]
    Lower,
    /// Larger is better (throughput).
    Higher,
}

impl Direction {
    /// `lower` or `higher`, as written in config and history files.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Lower => "lower",
            Direction::Higher => "higher",
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in [Direction::Lower, Direction::Higher] {
            assert_eq!(d.as_str().parse::<Direction>(), Ok(d));
            let json = serde_json::to_string(&d).expect("serializes");
            assert_eq!(json, format!("\"{}\"", d.as_str()));
        }
        assert!("up".parse::<Direction>().is_err());
    }
}

//! What the property tests of hostile text share: a fixed-seed configuration and a
//! history whose series names, units and times come from the test.

use proptest::test_runner::{Config, RngSeed};
use safety_gate_core::Direction;
use safety_gate_core::evidence::TrendPoint;
use safety_gate_engine::drift;
use safety_gate_engine::history::{Trend, Trends};

/// `cases` cases from a fixed seed, nothing persisted: every run tries the same inputs.
pub fn config(cases: u32, seed: u64) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Nights of a series holding `values`, at times made from `time` (a history file's
/// text), the last one failing.
pub fn nights(time: &str, values: &[f64]) -> Vec<TrendPoint> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| TrendPoint {
            time: format!("{time}{i}"),
            commit: None,
            value: *v,
            failed: i + 1 == values.len(),
        })
        .collect()
}

/// A history of five creeping runs per series, each `(name, unit, time)`, judged as the
/// engine judges it.
pub fn trends(series: &[(String, Option<String>, String)]) -> Trends {
    let values = [1.0, 1.1, 1.2, 1.35, 1.5];
    Trends {
        runs: values.len(),
        shown: values.len(),
        window: values.len(),
        series: series
            .iter()
            .map(|(id, unit, time)| Trend {
                id: id.clone(),
                values: values.to_vec(),
                points: nights(time, &values),
                unit: unit.clone(),
                better: Some(Direction::Lower),
                threshold: 0.05,
                drift: drift::judge(&values, 0.05, Some(Direction::Lower)),
            })
            .collect(),
    }
}

//! SVG charts of a check's evidence, drawn with plotters' SVG backend: a benchmark's
//! samples on both sides ([`samples`]) and a series over the nightly runs ([`trend`]).
//! Every chart is one self-contained `<svg>` element; marks are told apart by shape
//! and fill as [`style`] defines them, and the HTML around each chart explains them in
//! words.

pub mod samples;
pub mod style;
pub mod trend;

pub use samples::samples_chart;
pub use trend::{trend_chart, trends_svg};

/// A chart drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// One `<svg>` element.
    pub svg: String,
    /// Whether the value axis is logarithmic (the values span a wide range).
    pub log: bool,
}

/// A chart that could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed to draw a chart: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

/// Marks in an SVG chart: filled circles, hollow circles, polygons.
#[cfg(test)]
pub(crate) fn marks(svg: &str) -> (usize, usize, usize) {
    let circles: Vec<&str> = svg
        .split("<circle")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(""))
        .collect();
    let hollow = circles
        .iter()
        .filter(|c| c.contains("fill=\"none\""))
        .count();
    (
        circles.len() - hollow,
        hollow,
        svg.matches("<polygon").count(),
    )
}

/// A series of nightly runs holding `values`, the nights at `failed` failing.
#[cfg(test)]
pub(crate) fn nights(
    values: &[f64],
    failed: &[usize],
) -> Vec<safety_gate_core::evidence::TrendPoint> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| safety_gate_core::evidence::TrendPoint {
            time: format!("2026-11-{:02}T02:00:00Z", i + 1),
            commit: None,
            value: *v,
            failed: failed.contains(&i),
        })
        .collect()
}

/// The text of every `<text>` element of an SVG chart, trimmed.
#[cfg(test)]
pub(crate) fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .map(|(_, body)| {
            body.split("</text>")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::trend::{Fit, TrendPlot};
    use super::*;
    use proptest::prelude::*;
    use safety_gate_core::evidence::SampleEvidence;
    use safety_gate_core::{Check, Direction};

    /// Finite numbers a benchmark file or a history may hold, the awkward ones often:
    /// zero, negatives, the smallest and largest doubles, ranges wider than any axis,
    /// large values a few ulps apart.
    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(0.0),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
            Just(1e300),
            Just(-1e-300),
            Just(1e10),
            Just(1e10 + 1e-5),
            -1e6..1e6f64,
            (-300i32..300).prop_map(|e| 10f64.powi(e)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Whatever finite values a check and its samples hold, a chart is drawn with a
        /// mark per sample, or refused with a reason: never a panic, a hang or a
        /// non-finite coordinate.
        #[test]
        fn any_finite_samples_draw_or_are_refused(
            baseline in prop::collection::vec(value(), 1..6),
            current in prop::collection::vec(value(), 1..6),
            summary in value(),
            change in value(),
            interval in (value(), value()),
            threshold in value(),
            higher in any::<bool>(),
        ) {
            let direction = if higher { Direction::Higher } else { Direction::Lower };
            let check = Check::fail("x", "changed")
                .with_values(summary, summary, change)
                .with_threshold(threshold)
                .with_statistics(0.01, [interval.0.min(interval.1), interval.0.max(interval.1)])
                .with_direction(direction);
            let evidence = SampleEvidence {
                statistic: "median".into(),
                baseline: baseline.clone(),
                current: current.clone(),
                baseline_left_out: vec![0],
                current_left_out: Vec::new(),
            };
            if let Ok(drawn) = samples_chart(&check, &evidence) {
                let (filled, hollow, _) = marks(&drawn.svg);
                prop_assert_eq!(filled + hollow, baseline.len() + current.len());
                prop_assert!(!drawn.svg.contains("NaN") && !drawn.svg.contains("inf"));
            }
        }

        /// The same for a series over the nights.
        #[test]
        fn any_finite_series_draws_or_is_refused(
            values in prop::collection::vec(value(), 1..8),
            threshold in value(),
            fit in (value(), value()),
        ) {
            let failing: Vec<usize> = (0..values.len()).step_by(3).collect();
            let points = nights(&values, &failing);
            let plot = TrendPlot {
                points: &points,
                unit: Some("ms"),
                threshold: Some(threshold),
                fit: Some(Fit { runs: values.len(), start: fit.0, end: fit.1 }),
            };
            if let Ok(drawn) = trend_chart(&plot) {
                prop_assert_eq!(marks(&drawn.svg).0, values.len());
                prop_assert!(!drawn.svg.contains("NaN") && !drawn.svg.contains("inf"));
            }
        }
    }
}

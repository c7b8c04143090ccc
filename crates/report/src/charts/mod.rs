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

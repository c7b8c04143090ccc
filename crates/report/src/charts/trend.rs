//! A series over the nightly runs: each night's value a dot joined by a line, failing
//! nights ringed, the fitted (Theil–Sen) line over the drift window, and the band of
//! the threshold around the fit's start that the line must not leave on the bad side.

use plotters::coord::Shift;
use plotters::coord::combinators::LogCoord;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use safety_gate_core::evidence::TrendPoint;

use super::style::{self, axis, tick};
use super::{ChartError, Drawn};

/// The line fitted over the last runs of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// How many of the last points the line covers.
    pub runs: usize,
    /// Its value at the first of them.
    pub start: f64,
    /// Its value at the last.
    pub end: f64,
}

/// What a trend chart draws.
#[derive(Debug, Clone, Copy)]
pub struct TrendPlot<'a> {
    /// The runs, oldest first.
    pub points: &'a [TrendPoint],
    /// Unit of the values.
    pub unit: Option<&'a str>,
    /// The drift threshold, as a fraction.
    pub threshold: Option<f64>,
    /// The fitted line, when the series was judged.
    pub fit: Option<Fit>,
}

/// Labels on the run axis.
const RUN_LABELS: usize = 8;

/// The chart as one `<svg>` element.
pub fn trend_chart(plot: &TrendPlot<'_>) -> Result<Drawn, ChartError> {
    let mut svg = String::new();
    let log = {
        let root = SVGBackend::with_string(&mut svg, (style::WIDTH, style::TREND_HEIGHT))
            .into_drawing_area();
        let log = draw_on(&root, plot, None)?;
        root.present()?;
        log
    };
    Ok(Drawn { svg, log })
}

/// Every series in one SVG, one chart under another, each titled with its name: the
/// nightly trend as a single artifact.
pub fn trends_svg(plots: &[(&str, TrendPlot<'_>)]) -> Result<String, ChartError> {
    if plots.is_empty() {
        return Err(ChartError("no series to draw".into()));
    }
    let mut svg = String::new();
    {
        let height = (style::TREND_HEIGHT + TITLE_HEIGHT) * plots.len() as u32;
        let root = SVGBackend::with_string(&mut svg, (style::WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let areas = root.split_evenly((plots.len(), 1));
        for (area, (title, plot)) in areas.iter().zip(plots) {
            draw_on(area, plot, Some(title))?;
        }
        root.present()?;
    }
    Ok(svg)
}

/// Height of a series' title in [`trends_svg`].
const TITLE_HEIGHT: u32 = 28;

/// Draws `plot` on `area`, titled when `title` is given; returns whether the value axis
/// is logarithmic.
fn draw_on(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    plot: &TrendPlot<'_>,
    title: Option<&str>,
) -> Result<bool, ChartError> {
    let n = plot.points.len();
    if n == 0 {
        return Err(ChartError("a series with no run".into()));
    }
    let band = band(plot);
    let drawn = plot
        .points
        .iter()
        .map(|p| p.value)
        .chain(plot.fit.iter().flat_map(|f| [f.start, f.end]))
        .chain(band.iter().flat_map(|(_, lo, hi)| [*lo, *hi]));
    let style::Axis { lo, hi, log } = axis(drawn)?;
    if log {
        draw(
            area,
            LogCoord::<f64>::from((lo..hi).log_scale()),
            plot,
            band,
            title,
        )?;
    } else {
        draw(area, RangedCoordf64::from(lo..hi), plot, band, title)?;
    }
    Ok(log)
}

/// The threshold band: first run of the window, and the values the threshold allows
/// around the fit's start.
fn band(plot: &TrendPlot<'_>) -> Option<(usize, f64, f64)> {
    let (fit, t) = (plot.fit?, plot.threshold?);
    let first = plot.points.len().checked_sub(fit.runs.max(1))?;
    let (a, b) = (fit.start * (1.0 - t), fit.start * (1.0 + t));
    Some((first, a.min(b), a.max(b)))
}

fn draw<Y>(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    y: Y,
    plot: &TrendPlot<'_>,
    band: Option<(usize, f64, f64)>,
    title: Option<&str>,
) -> Result<(), ChartError>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    root.fill(&WHITE)?;
    let n = plot.points.len();
    let text = ("sans-serif", 13).into_font().color(&style::AXIS);
    let x = RangedCoordf64::from(-0.5..(n as f64 - 0.5));
    let mut builder = ChartBuilder::on(root);
    if let Some(title) = title {
        builder.caption(title, ("sans-serif", 16).into_font().color(&style::AXIS));
    }
    let mut chart = builder
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(x, y)?;
    let date = |v: &f64| {
        if (v - v.round()).abs() > 1e-6 || *v < 0.0 {
            return String::new();
        }
        plot.points
            .get(v.round() as usize)
            .map(|p| p.time.get(5..10).unwrap_or(&p.time).to_string())
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .x_labels(RUN_LABELS)
        .x_label_formatter(&date)
        .y_label_formatter(&|v| tick(*v))
        .y_labels(6)
        .y_desc(plot.unit.unwrap_or(""))
        .label_style(text.clone())
        .axis_desc_style(text)
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .draw()?;
    if let Some((first, lo, hi)) = band {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(first as f64 - 0.3, lo), (n as f64 - 0.7, hi)],
            style::ALLOWED.mix(0.12).filled(),
        )))?;
    }
    let line: Vec<(f64, f64)> = plot
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, p.value))
        .collect();
    chart.draw_series(std::iter::once(PathElement::new(
        line.clone(),
        style::CURRENT.mix(0.7).stroke_width(2),
    )))?;
    if let (Some(fit), Some((first, _, _))) = (
        plot.fit,
        band.or(plot.fit.map(|f| (n.saturating_sub(f.runs), 0.0, 0.0))),
    ) {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(first as f64, fit.start), ((n - 1) as f64, fit.end)],
            style::ESTIMATE.stroke_width(2),
        )))?;
    }
    chart.draw_series(
        line.iter()
            .map(|p| Circle::new(*p, style::DOT, style::CURRENT.filled())),
    )?;
    chart.draw_series(
        plot.points
            .iter()
            .zip(&line)
            .filter(|(p, _)| p.failed)
            .map(|(_, at)| Circle::new(*at, style::RING, style::FAIL.stroke_width(2))),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{marks, nights as points, texts};

    #[test]
    fn every_night_is_a_dot_and_failing_nights_are_ringed() {
        let values: Vec<f64> = (0..10).map(|i| 1.25 * 1.01_f64.powi(i)).collect();
        let points = points(&values, &[8, 9]);
        let svg = trend_chart(&TrendPlot {
            points: &points,
            unit: Some("ms"),
            threshold: Some(0.05),
            fit: Some(Fit {
                runs: 10,
                start: 1.25,
                end: 1.36,
            }),
        })
        .expect("drawn")
        .svg;
        assert_eq!(marks(&svg), (10, 2, 0), "{svg}");
        let texts = texts(&svg);
        for label in ["11-01", "11-09", "ms"] {
            assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
        }
    }

    #[test]
    fn several_series_share_one_svg_each_titled() {
        let a = points(&[1.0, 1.1, 1.2], &[2]);
        let b = points(&[5.0, 5.0], &[]);
        let plot = |points| TrendPlot {
            points,
            unit: Some("ms"),
            threshold: None,
            fit: None,
        };
        let svg = trends_svg(&[("perf/a/x", plot(&a)), ("perf/b/<y>", plot(&b))]).expect("drawn");
        assert_eq!(svg.matches("<svg").count(), 1, "{svg}");
        assert_eq!(marks(&svg), (5, 1, 0), "{svg}");
        let texts = texts(&svg);
        assert!(texts.iter().any(|t| t == "perf/a/x"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "perf/b/&lt;y&gt;"), "{texts:?}");
    }

    #[test]
    fn a_short_or_flat_series_still_draws() {
        let points = points(&[2.0, 2.0], &[]);
        let svg = trend_chart(&TrendPlot {
            points: &points,
            unit: None,
            threshold: None,
            fit: None,
        })
        .expect("drawn")
        .svg;
        assert_eq!(marks(&svg), (2, 0, 0), "{svg}");
        let empty = TrendPlot {
            points: &[],
            unit: None,
            threshold: None,
            fit: None,
        };
        assert!(trend_chart(&empty).is_err());
        assert!(trends_svg(&[]).is_err());
    }
}

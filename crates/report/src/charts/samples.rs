//! A benchmark's samples, baseline above current on one value axis (a log axis where
//! the range is wide): every sample a dot, far outliers the estimate left out a hollow
//! circle, the baseline's summary a bar, the estimate a triangle with its interval, the
//! threshold a line with the zone beyond it shaded and the allowed change banded.

use plotters::coord::Shift;
use plotters::coord::combinators::LogCoord;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use safety_gate_core::Check;
use safety_gate_core::Direction;
use safety_gate_core::evidence::SampleEvidence;

use super::style::{self, axis, tick};
use super::{ChartError, Drawn};

/// Row of the baseline samples on the vertical axis; the current row is 0.
const BASELINE_ROW: f64 = 1.0;
/// Row of the estimate and its interval, under the current samples.
const ESTIMATE_ROW: f64 = -0.38;
/// Half the height samples are spread over within a row.
const JITTER: f64 = 0.2;
/// Vertical extent of the plot.
const ROWS: (f64, f64) = (-0.62, 1.45);

/// What a samples chart draws, in the baseline's unit.
struct Plot<'a> {
    evidence: &'a SampleEvidence,
    /// Which way is better (lower when the check does not say).
    better: Direction,
    unit: Option<&'a str>,
    /// The baseline's summary.
    baseline: Option<f64>,
    /// The estimate and its interval, in the unit (baseline × (1 + change)).
    estimate: Option<(f64, Option<[f64; 2]>)>,
    /// The value beyond which the change fails.
    limit: Option<f64>,
}

/// The chart of `check`'s samples as one `<svg>` element.
pub fn samples_chart(check: &Check, evidence: &SampleEvidence) -> Result<Drawn, ChartError> {
    let baseline = check.baseline.filter(|b| b.is_finite() && *b > 0.0);
    let scaled = |x: f64| baseline.map(|b| b * (1.0 + x)).filter(|v| v.is_finite());
    let estimate = check.change.and_then(scaled).map(|e| {
        let interval = check
            .interval
            .and_then(|[lo, hi]| Some([scaled(lo)?, scaled(hi)?]));
        (e, interval)
    });
    let better = check.direction.unwrap_or_default();
    let limit = check.threshold.and_then(|t| match better {
        Direction::Lower => scaled(t),
        Direction::Higher => scaled(-t).filter(|v| *v > 0.0),
    });
    let plot = Plot {
        evidence,
        better,
        unit: check.unit.as_deref(),
        baseline,
        estimate,
        limit,
    };
    let drawn = evidence
        .baseline
        .iter()
        .chain(&evidence.current)
        .copied()
        .chain(baseline)
        .chain(limit)
        .chain(
            estimate
                .iter()
                .flat_map(|(e, i)| std::iter::once(*e).chain(i.iter().flatten().copied())),
        );
    let style::Axis { lo, hi, log } = axis(drawn)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (style::WIDTH, style::SAMPLES_HEIGHT))
            .into_drawing_area();
        if log {
            draw(
                &root,
                LogCoord::<f64>::from((lo..hi).log_scale()),
                &plot,
                (lo, hi),
            )?;
        } else {
            draw(&root, RangedCoordf64::from(lo..hi), &plot, (lo, hi))?;
        }
        root.present()?;
    }
    Ok(Drawn { svg, log })
}

/// A spread within a row, the same for the same position: a low-discrepancy sequence,
/// so close values do not stack.
fn jitter(i: usize) -> f64 {
    ((i as f64 * 0.618_033_988_75).fract() - 0.5) * 2.0 * JITTER
}

fn draw<X>(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    x: X,
    plot: &Plot<'_>,
    (lo, hi): (f64, f64),
) -> Result<(), ChartError>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    root.fill(&WHITE)?;
    let text = ("sans-serif", 13).into_font().color(&style::AXIS);
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(x, RangedCoordf64::from(ROWS.0..ROWS.1))?;
    let unit = plot.unit.unwrap_or("");
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_labels(5)
        .y_label_formatter(&|v| {
            if (v - BASELINE_ROW).abs() < 1e-9 {
                "baseline".to_string()
            } else if v.abs() < 1e-9 {
                "current".to_string()
            } else {
                String::new()
            }
        })
        .x_desc(unit)
        .label_style(text.clone())
        .axis_desc_style(text)
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .draw()?;
    let evidence = plot.evidence;
    if let (Some(b), Some(limit)) = (plot.baseline, plot.limit) {
        let edge = match plot.better {
            Direction::Lower => hi,
            Direction::Higher => lo,
        };
        chart.draw_series([
            Rectangle::new(
                [(b.min(limit), ROWS.0), (b.max(limit), ROWS.1)],
                style::ALLOWED.mix(0.12).filled(),
            ),
            Rectangle::new(
                [(limit.min(edge), ROWS.0), (limit.max(edge), ROWS.1)],
                style::FAIL.mix(0.08).filled(),
            ),
        ])?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(limit, ROWS.0), (limit, ROWS.1)],
            style::FAIL.stroke_width(2),
        )))?;
    }
    if let Some(b) = plot.baseline {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(b, BASELINE_ROW - 0.32), (b, BASELINE_ROW + 0.32)],
            style::ESTIMATE.stroke_width(3),
        )))?;
    }
    let sides = [
        (
            &evidence.baseline,
            &evidence.baseline_left_out,
            BASELINE_ROW,
            style::BASELINE,
        ),
        (
            &evidence.current,
            &evidence.current_left_out,
            0.0,
            style::CURRENT,
        ),
    ];
    for (values, left_out, row, colour) in sides {
        let kept = values
            .iter()
            .enumerate()
            .filter(|(i, _)| !left_out.contains(i))
            .map(|(i, v)| Circle::new((*v, row + jitter(i)), style::DOT, colour.mix(0.8).filled()));
        chart.draw_series(kept)?;
        let dropped = left_out
            .iter()
            .filter_map(|i| values.get(*i).map(|v| (*i, *v)));
        chart.draw_series(dropped.map(|(i, v)| {
            Circle::new(
                (v, row + jitter(i)),
                style::DOT + 1,
                style::LEFT_OUT.stroke_width(2),
            )
        }))?;
    }
    if let Some((e, interval)) = plot.estimate {
        if let Some([l, h]) = interval {
            let tick = 0.09;
            chart.draw_series([
                PathElement::new(
                    vec![(l, ESTIMATE_ROW), (h, ESTIMATE_ROW)],
                    style::ESTIMATE.stroke_width(2),
                ),
                PathElement::new(
                    vec![(l, ESTIMATE_ROW - tick), (l, ESTIMATE_ROW + tick)],
                    style::ESTIMATE.stroke_width(2),
                ),
                PathElement::new(
                    vec![(h, ESTIMATE_ROW - tick), (h, ESTIMATE_ROW + tick)],
                    style::ESTIMATE.stroke_width(2),
                ),
            ])?;
        }
        chart.draw_series(std::iter::once(TriangleMarker::new(
            (e, ESTIMATE_ROW),
            7,
            style::ESTIMATE.filled(),
        )))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{marks, texts};

    fn evidence(baseline: &[f64], current: &[f64], left_out: Vec<usize>) -> SampleEvidence {
        SampleEvidence {
            statistic: "median".into(),
            baseline: baseline.to_vec(),
            current: current.to_vec(),
            baseline_left_out: left_out,
            current_left_out: Vec::new(),
        }
    }

    #[test]
    fn every_sample_is_a_mark_and_outliers_are_hollow() {
        let check = Check::fail("x", "slower")
            .with_values(1.0, 1.1, 0.1)
            .with_direction(Direction::Lower)
            .with_threshold(0.05)
            .with_statistics(0.001, [0.08, 0.12])
            .with_unit("ms");
        let e = evidence(&[1.0, 1.01, 0.99, 5.0], &[1.1, 1.11, 1.09], vec![3]);
        let svg = samples_chart(&check, &e).expect("drawn").svg;
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{svg}"
        );
        assert_eq!(
            marks(&svg),
            (6, 1, 1),
            "six kept, one left out, one estimate: {svg}"
        );
        let texts = texts(&svg);
        for label in ["baseline", "current", "ms"] {
            assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
        }
    }

    #[test]
    fn a_wide_range_is_drawn_on_a_log_axis() {
        let check = Check::fail("x", "slower").with_values(0.001, 10.0, 9999.0);
        let e = evidence(&[0.001, 0.0011], &[10.0, 11.0], Vec::new());
        let svg = samples_chart(&check, &e).expect("drawn").svg;
        assert_eq!(marks(&svg).0, 4, "{svg}");
        // Log ticks are powers of ten and their multiples; a linear axis would put
        // nearly every sample at its left edge.
        let texts = texts(&svg);
        assert!(texts.iter().any(|t| t == "0.01" || t == "0.1"), "{texts:?}");
    }

    #[test]
    fn single_values_and_text_are_drawn_safely() {
        let check = Check::fail("<x>", "slower")
            .with_values(1.25, 1.35, 0.08)
            .with_threshold(0.05)
            .with_unit("<ms&>");
        let svg = samples_chart(&check, &evidence(&[1.25], &[1.35], Vec::new()))
            .expect("drawn")
            .svg;
        assert_eq!(marks(&svg), (2, 0, 1), "{svg}");
        assert!(texts(&svg).iter().any(|t| t == "&lt;ms&amp;&gt;"), "{svg}");
    }
}

//! `history show --html` and `--svg`: the trend of every series of a nightly history,
//! as a page with a table and one chart per series, or as the charts alone in one SVG.

use safety_gate_core::numbers::{number, percent};
use safety_gate_engine::history::{Trend, Trends};
use serde::Serialize;

use super::checks::{ChartView, drawn_or_missing, trend_chart_view};
use super::templates::{self, HtmlError};
use crate::charts::trend::{Fit, TrendPlot};
use crate::charts::trends_svg;

#[derive(Serialize)]
struct Page<'a> {
    tool: &'a str,
    runs: usize,
    shown: usize,
    window: usize,
    drifting: usize,
    series: Vec<SeriesView>,
}

#[derive(Serialize)]
struct SeriesView {
    id: String,
    anchor: String,
    first: String,
    latest: String,
    change: String,
    drift: String,
    drifted: bool,
    chart: Option<ChartView>,
    chart_missing: Option<String>,
}

fn plot(trend: &Trend) -> TrendPlot<'_> {
    TrendPlot {
        points: &trend.points,
        unit: trend.unit.as_deref(),
        threshold: Some(trend.threshold),
        fit: trend.drift.as_ref().map(|d| Fit {
            runs: d.runs,
            start: d.fit_start,
            end: d.fit_end,
        }),
    }
}

/// The trend page: a table of every series, then its chart; `tool` names the writer.
pub fn history_page(trends: &Trends, tool: &str) -> Result<String, HtmlError> {
    let mut series = Vec::new();
    for (i, trend) in trends.series.iter().enumerate() {
        let unit = trend
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let (first, latest) = match (trend.values.first(), trend.values.last()) {
            (Some(f), Some(l)) => (*f, *l),
            _ => continue,
        };
        let (chart, chart_missing) = drawn_or_missing(trend_chart_view(
            &plot(trend),
            trend.drift.as_ref().map(|d| d.change),
            trend.better,
        ));
        let drift = match &trend.drift {
            Some(d) => format!(
                "{} {} over {} runs (p = {:.4})",
                if d.drifted { "drifting:" } else { "no drift:" },
                percent(d.change, true),
                d.runs,
                d.p_value
            ),
            None => "too few runs to judge".to_string(),
        };
        series.push(SeriesView {
            id: trend.id.clone(),
            anchor: format!("series-{}", i + 1),
            first: format!("{}{unit}", number(first)),
            latest: format!("{}{unit}", number(latest)),
            change: if first > 0.0 {
                percent((latest - first) / first, true)
            } else {
                String::new()
            },
            drifted: trend.drift.as_ref().is_some_and(|d| d.drifted),
            drift,
            chart,
            chart_missing,
        });
    }
    let page = Page {
        tool,
        runs: trends.runs,
        shown: trends.shown,
        window: trends.window,
        drifting: series.iter().filter(|s| s.drifted).count(),
        series,
    };
    templates::render("history.html", page)
}

/// Every series' chart in one SVG, titled with the series' name.
pub fn history_svg(trends: &Trends) -> Result<String, HtmlError> {
    let plots: Vec<(&str, TrendPlot<'_>)> = trends
        .series
        .iter()
        .filter(|t| !t.points.is_empty())
        .map(|t| (t.id.as_str(), plot(t)))
        .collect();
    Ok(trends_svg(&plots)?)
}

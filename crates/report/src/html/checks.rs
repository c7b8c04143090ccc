//! One check that needs attention, as the HTML report shows it: its numbers, and its
//! evidence drawn (a samples or trend chart) or tabled (changed values, schema changes),
//! with the evidence lines as text.

use plotters::style::RGBColor;
use safety_gate_core::evidence::{Evidence, SampleEvidence, TrendEvidence};
use safety_gate_core::numbers::{number, percent};
use safety_gate_core::{Check, Direction};
use serde::Serialize;

use crate::attention::Attention;
use crate::charts::style;
use crate::charts::trend::{Fit, TrendPlot};
use crate::charts::{ChartError, Drawn, samples_chart, trend_chart};

/// A check as the report shows it.
#[derive(Debug, Serialize)]
pub(crate) struct CheckView {
    pub anchor: String,
    pub id: String,
    pub status: &'static str,
    pub attention: &'static str,
    pub attention_label: &'static str,
    pub message: String,
    pub location: Option<String>,
    pub numbers: Vec<Number>,
    pub chart: Option<ChartView>,
    /// Why the evidence has no chart, when it could not be drawn.
    pub chart_missing: Option<String>,
    pub changes: Option<ChangesView>,
    pub schema: Option<Vec<SchemaRow>>,
    pub details: Vec<String>,
    pub details_folded: bool,
}

/// A named figure.
#[derive(Debug, Serialize)]
pub(crate) struct Number {
    pub name: &'static str,
    pub value: String,
}

/// A chart with its caption, legend and the count of each mark (which a reader of the
/// page, or a test, can hold against the drawing).
#[derive(Debug, Serialize)]
pub(crate) struct ChartView {
    pub kind: &'static str,
    pub svg: String,
    pub caption: String,
    pub legend: Vec<LegendItem>,
    pub marks: String,
}

/// One entry of a chart's legend: a swatch of the mark's shape and colour.
#[derive(Debug, Serialize)]
pub(crate) struct LegendItem {
    pub shape: &'static str,
    pub style: String,
    pub label: String,
}

/// Golden values that differ.
#[derive(Debug, Serialize)]
pub(crate) struct ChangesView {
    pub rows: Vec<safety_gate_core::evidence::ValueChange>,
    pub more: usize,
}

/// One schema change.
#[derive(Debug, Serialize)]
pub(crate) struct SchemaRow {
    pub pointer: String,
    pub rule: String,
    pub verdict: String,
    pub message: String,
    pub example: Option<String>,
    pub breaking: bool,
}

/// The words and class of what a check means for the run.
pub(crate) fn attention_words(attention: Attention) -> (&'static str, &'static str) {
    match attention {
        Attention::Rollback => ("rollback", "fail"),
        Attention::FailedInWarnMode => ("failed-in-warn-mode", "fail (warn mode)"),
        Attention::Undecided => ("undecided", "cannot decide"),
        Attention::Warning => ("warning", "warn"),
    }
}

/// A chart, or why none could be drawn: one undrawable chart never costs the page,
/// which says so in its place and shows the evidence as text.
pub(crate) fn drawn_or_missing(
    chart: Result<ChartView, ChartError>,
) -> (Option<ChartView>, Option<String>) {
    match chart {
        Ok(chart) => (Some(chart), None),
        Err(ChartError(reason)) => (None, Some(reason)),
    }
}

/// The view of `check`; `anchor` is unique in the page.
pub(crate) fn view(check: &Check, attention: Attention, anchor: String) -> CheckView {
    let (class, label) = attention_words(attention);
    let mut view = CheckView {
        anchor,
        id: check.id.clone(),
        status: check.effective_status().as_str(),
        attention: class,
        attention_label: label,
        message: check.message.clone(),
        location: check.location.as_ref().map(|l| {
            let line = l.line.map(|n| format!(":{n}")).unwrap_or_default();
            format!("{}{line}", l.file.display())
        }),
        numbers: numbers(check),
        chart: None,
        chart_missing: None,
        changes: None,
        schema: None,
        details: check.details.clone(),
        details_folded: check.evidence.is_some(),
    };
    match check.evidence.as_deref() {
        Some(Evidence::Samples(e)) => {
            (view.chart, view.chart_missing) = drawn_or_missing(samples_view(check, e));
        }
        Some(Evidence::Trend(e)) => {
            (view.chart, view.chart_missing) = drawn_or_missing(trend_view(check, e));
        }
        Some(Evidence::Changes(e)) => {
            view.changes = Some(ChangesView {
                rows: e.changes.clone(),
                more: e.total.saturating_sub(e.changes.len()),
            });
        }
        Some(Evidence::Schema(e)) => {
            // Breaking changes first: they are why the check failed.
            let mut rows: Vec<SchemaRow> = e
                .changes
                .iter()
                .map(|c| SchemaRow {
                    pointer: c.pointer.clone(),
                    rule: c.rule.clone(),
                    verdict: c.verdict.clone(),
                    message: c.message.clone(),
                    example: c.example.clone(),
                    breaking: c.breaking(),
                })
                .collect();
            rows.sort_by_key(|r| !r.breaking);
            view.schema = Some(rows);
        }
        // Kinds added later are shown as their text lines.
        _ => view.details_folded = false,
    }
    view.details_folded &= view.chart_missing.is_none();
    view
}

fn numbers(check: &Check) -> Vec<Number> {
    let unit = check
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |name, value: Option<String>| {
        if let Some(value) = value {
            out.push(Number { name, value });
        }
    };
    push(
        "baseline",
        check.baseline.map(|v| format!("{}{unit}", number(v))),
    );
    push(
        "current",
        check.current.map(|v| format!("{}{unit}", number(v))),
    );
    push("change", check.change.map(|v| percent(v, true)));
    push(
        "90% interval",
        check
            .interval
            .map(|[lo, hi]| format!("{} to {}", percent(lo, true), percent(hi, true))),
    );
    push("threshold", check.threshold.map(|v| percent(v, false)));
    push("p", check.p_value.map(|p| format!("{p:.4}")));
    out
}

/// `#rrggbb` of a chart colour.
fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn item(shape: &'static str, color: RGBColor, label: impl Into<String>) -> LegendItem {
    let color = hex(color);
    let style = match shape {
        "swatch-hollow" => format!("border-color: {color}"),
        "swatch-triangle" => format!("border-bottom-color: {color}"),
        _ => format!("background: {color}"),
    };
    LegendItem {
        shape,
        style,
        label: label.into(),
    }
}

fn scale_note(drawn: &Drawn) -> &'static str {
    if drawn.log {
        " Log scale: the values span a wide range."
    } else {
        ""
    }
}

fn samples_view(check: &Check, e: &SampleEvidence) -> Result<ChartView, ChartError> {
    let drawn = samples_chart(check, e)?;
    let unit = check
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let side = |values: &[f64], left_out: usize| {
        let n = values.len();
        let samples = if n == 1 {
            "1 value".to_string()
        } else {
            format!("{n} samples")
        };
        if left_out > 0 {
            format!("{samples}, {left_out} left out as far outliers")
        } else {
            samples
        }
    };
    let (bl, cl) = (e.baseline_left_out.len(), e.current_left_out.len());
    let summary = |v: Option<f64>| {
        v.map(|v| format!("{}{unit}", number(v)))
            .unwrap_or_default()
    };
    // A summary of one value is the value itself.
    let statistic = if e.baseline.len() > 1 || e.current.len() > 1 {
        e.statistic.as_str()
    } else {
        "value"
    };
    let mut caption = format!(
        "Baseline {statistic} {} ({}); current {} ({}).",
        summary(check.baseline),
        side(&e.baseline, bl),
        summary(check.current),
        side(&e.current, cl),
    );
    if let Some(change) = check.change {
        caption.push_str(&format!(" Estimated change {}", percent(change, true)));
        if let Some([lo, hi]) = check.interval {
            caption.push_str(&format!(
                " (90% interval {} to {})",
                percent(lo, true),
                percent(hi, true)
            ));
        }
        caption.push('.');
    }
    if let Some(t) = check.threshold {
        let better = check.direction.unwrap_or_default();
        caption.push_str(&format!(
            " Threshold {}, {}.",
            percent(t, false),
            better.phrase()
        ));
    }
    caption.push_str(scale_note(&drawn));
    let mut legend = vec![
        item("", style::BASELINE, "baseline sample"),
        item("", style::CURRENT, "current sample"),
    ];
    if bl + cl > 0 {
        legend.push(item(
            "swatch-hollow",
            style::LEFT_OUT,
            "left out as a far outlier",
        ));
    }
    legend.push(item(
        "swatch-line",
        style::ESTIMATE,
        format!("baseline {statistic}"),
    ));
    legend.push(item(
        "swatch-triangle",
        style::ESTIMATE,
        "estimate and its interval",
    ));
    if check.threshold.is_some() {
        legend.push(item("swatch-band", style::ALLOWED, "allowed change"));
        legend.push(item(
            "swatch-line",
            style::FAIL,
            "threshold; beyond it fails",
        ));
    }
    Ok(ChartView {
        kind: "samples",
        svg: drawn.svg,
        caption,
        legend,
        marks: format!(
            "samples={} left-out={} estimate={}",
            e.baseline.len() + e.current.len() - bl - cl,
            bl + cl,
            u8::from(check.change.is_some() && check.baseline.is_some())
        ),
    })
}

fn trend_view(check: &Check, e: &TrendEvidence) -> Result<ChartView, ChartError> {
    let plot = TrendPlot {
        points: &e.points,
        unit: check.unit.as_deref(),
        threshold: check.threshold,
        fit: Some(Fit {
            runs: e.points.len(),
            start: e.fit_start,
            end: e.fit_end,
        }),
    };
    trend_chart_view(&plot, check.change, e.better)
}

/// The view of a trend chart; `change` is the fitted change over the window.
pub(crate) fn trend_chart_view(
    plot: &TrendPlot<'_>,
    change: Option<f64>,
    better: Option<Direction>,
) -> Result<ChartView, ChartError> {
    let drawn = trend_chart(plot)?;
    let failing = plot.points.iter().filter(|p| p.failed).count();
    let mut caption = format!("{} runs, oldest first.", plot.points.len());
    if let (Some(change), Some(fit)) = (change, plot.fit) {
        caption.push_str(&format!(
            " Fitted change over the last {} runs {}",
            fit.runs,
            percent(change, true)
        ));
        if let Some(t) = plot.threshold {
            caption.push_str(&format!(", threshold {}", percent(t, false)));
        }
        caption.push('.');
    }
    if let Some(better) = better {
        caption.push_str(&format!(" {}.", capitalised(better.phrase())));
    }
    if failing > 0 {
        let nights = if failing == 1 { "night" } else { "nights" };
        caption.push_str(&format!(
            " {failing} {nights} failed the series' own check."
        ));
    }
    caption.push_str(scale_note(&drawn));
    let mut legend = vec![item("", style::CURRENT, "nightly value")];
    if failing > 0 {
        legend.push(item(
            "swatch-hollow",
            style::FAIL,
            "night whose check failed",
        ));
    }
    if plot.fit.is_some() {
        legend.push(item(
            "swatch-line",
            style::ESTIMATE,
            "fitted trend (Theil–Sen)",
        ));
        if plot.threshold.is_some() {
            legend.push(item(
                "swatch-band",
                style::ALLOWED,
                "threshold around the fit's start",
            ));
        }
    }
    Ok(ChartView {
        kind: "trend",
        svg: drawn.svg,
        caption,
        legend,
        marks: format!("nights={} failing={failing}", plot.points.len()),
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

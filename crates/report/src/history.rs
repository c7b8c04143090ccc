//! `history show`: one line per series with a sparkline of its recent values, the
//! change from the first to the latest, and the drift verdict; or the same as Markdown,
//! a table and a Mermaid chart per series, for a step summary.

use safety_gate_core::numbers::number;
use safety_gate_engine::history::{Trend, Trends};

use crate::github_text::{code_span, markdown};
use crate::mermaid;
use std::fmt::Write;

/// The trend text.
pub fn render(trends: &Trends) -> String {
    let mut out = String::new();
    let width = trends.series.iter().map(|t| t.id.len()).max().unwrap_or(0);
    let _ = writeln!(
        out,
        "{} runs in the history; trend of the last {}, drift over the last {}",
        trends.runs, trends.shown, trends.window
    );
    for trend in &trends.series {
        let values = &trend.values;
        let first = values[0];
        let latest = values[values.len() - 1];
        let change = if first > 0.0 {
            (latest - first) / first
        } else {
            0.0
        };
        let unit = trend
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let verdict = match &trend.drift {
            Some(d) => format!(
                "drift {:+.2}% p={:.4}: {}",
                d.change * 100.0,
                d.p_value,
                if d.drifted { "FAIL" } else { "ok" }
            ),
            None => "drift: too few runs".to_string(),
        };
        let _ = writeln!(
            out,
            "{:<width$}  {}  {}{unit} -> {}{unit} ({:+.2}%, {} runs)  {verdict}",
            trend.id,
            sparkline(values),
            number(first),
            number(latest),
            change * 100.0,
            values.len()
        );
    }
    out
}

/// Series charted in the Markdown trend; the table lists them all.
const MAX_MARKDOWN_CHARTS: usize = 20;

/// The trend as Markdown for a step summary: a table of every series, then a Mermaid
/// chart of each, drifting series first.
pub fn render_markdown(trends: &Trends) -> String {
    let mut out = format!(
        "## safety-gate history\n\n{} runs in the history; trend of the last {}, drift over the last {}.\n\n",
        trends.runs, trends.shown, trends.window
    );
    out.push_str(
        "| Series | First | Latest | Change | Runs | Drift |\n|---|---:|---:|---:|---:|---|\n",
    );
    for trend in &trends.series {
        let (Some(first), Some(latest)) = (trend.values.first(), trend.values.last()) else {
            continue;
        };
        let unit = trend
            .unit
            .as_deref()
            .map(|u| format!(" {}", markdown(u)))
            .unwrap_or_default();
        let change = if *first > 0.0 {
            format!("{:+.2}%", (latest - first) / first * 100.0)
        } else {
            String::new()
        };
        let drift = match &trend.drift {
            Some(d) if d.drifted => format!(
                "**drifting** {:+.2}% (p = {:.4})",
                d.change * 100.0,
                d.p_value
            ),
            Some(d) => format!("ok {:+.2}% (p = {:.4})", d.change * 100.0, d.p_value),
            None => "too few runs".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {}{unit} | {}{unit} | {change} | {} | {drift} |",
            markdown(&trend.id),
            number(*first),
            number(*latest),
            trend.values.len()
        );
    }
    let mut charted: Vec<&Trend> = trends.series.iter().collect();
    charted.sort_by_key(|t| !t.drift.as_ref().is_some_and(|d| d.drifted));
    for trend in charted.into_iter().take(MAX_MARKDOWN_CHARTS) {
        let limits: Vec<f64> = trend
            .drift
            .as_ref()
            .map(|d| {
                vec![
                    d.fit_start * (1.0 - trend.threshold),
                    d.fit_start * (1.0 + trend.threshold),
                ]
            })
            .unwrap_or_default();
        let drifting = trend.drift.as_ref().is_some_and(|d| d.drifted);
        let title = format!("{}{}", trend.id, if drifting { ": drifting" } else { "" });
        let _ = write!(out, "\n{}\n\n", code_span(&trend.id));
        out.push_str(&mermaid::xychart(
            &title,
            trend.unit.as_deref(),
            &trend.points,
            &limits,
        ));
    }
    if trends.series.len() > MAX_MARKDOWN_CHARTS {
        let _ = writeln!(
            out,
            "\n{} more series are in the table; `history show --html` draws them all.",
            trends.series.len() - MAX_MARKDOWN_CHARTS
        );
    }
    out
}

/// A bar per value, scaled between the series' minimum and maximum.
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| {
            if hi > lo {
                BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize]
            } else {
                BARS[3]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::Direction;
    use safety_gate_engine::drift;

    /// A one-series history of these values, judged as the engine judges it.
    fn trends(values: &[f64]) -> Trends {
        Trends {
            runs: values.len(),
            shown: values.len(),
            window: values.len(),
            series: vec![Trend {
                id: "perf/tick/tick_ms".into(),
                values: values.to_vec(),
                points: crate::charts::nights(values, &[]),
                unit: Some("ms".into()),
                better: Some(Direction::Lower),
                threshold: 0.05,
                drift: drift::judge(values, 0.05, Some(Direction::Lower)),
            }],
        }
    }

    #[test]
    fn creep_shows_a_rising_sparkline_and_fails_drift() {
        let values: Vec<f64> = (0..10).map(|i| 1.25 * 1.01_f64.powi(i)).collect();
        let text = render(&trends(&values));
        let line = sparkline(&values);
        let bars: Vec<char> = line.chars().collect();
        assert_eq!((bars[0], bars[9]), ('▁', '█'), "{line}");
        assert!(bars.windows(2).all(|w| w[0] <= w[1]), "{line}");
        assert!(text.contains(&line), "{text}");
        insta::assert_snapshot!(text);
        assert!(text.contains("FAIL"), "{text}");
    }

    #[test]
    fn markdown_is_a_real_table_and_a_chart_per_series() {
        let values: Vec<f64> = (0..10).map(|i| 1.25 * 1.01_f64.powi(i)).collect();
        let text = render_markdown(&trends(&values));
        insta::assert_snapshot!(text);
        assert!(text.contains("| Series | First | Latest | Change | Runs | Drift |\n|---|---:|"));
        assert!(
            text.contains(
                "| perf/tick/tick\\_ms | 1.25 ms | 1.367107 ms | +9.37% | 10 | **drifting**"
            ),
            "{text}"
        );
        assert_eq!(text.matches("```mermaid\nxychart-beta\n").count(), 1);
        assert!(
            text.contains("title \"perf/tick/tick_ms: drifting\""),
            "{text}"
        );
        assert_eq!(
            text.matches("    line [").count(),
            3,
            "values and the two limits"
        );
    }

    #[test]
    fn a_short_history_says_so() {
        let text = render(&trends(&[1.0, 1.0]));
        assert!(text.contains("drift: too few runs"), "{text}");
        assert!(text.contains("▄▄"), "{text}");
    }
}

//! Mermaid `xychart-beta` charts for Markdown that GitHub renders (step summaries and
//! pull-request comments): one series over the recorded runs, with the threshold's
//! limits drawn as flat lines when it has them.

use safety_gate_core::evidence::TrendPoint;
use safety_gate_core::numbers::number;
use std::fmt::Write;

/// Runs shown in one chart: the latest, so a long history stays readable.
pub const MAX_POINTS: usize = 60;

/// A fenced Mermaid block charting `points` (oldest first) as a line titled `title`, with
/// horizontal lines at each of `limits` (the threshold around the fit's start).
pub fn xychart(title: &str, unit: Option<&str>, points: &[TrendPoint], limits: &[f64]) -> String {
    let points = &points[points.len().saturating_sub(MAX_POINTS)..];
    let values: Vec<f64> = points.iter().map(|p| p.value).collect();
    let low = values
        .iter()
        .chain(limits)
        .copied()
        .fold(f64::INFINITY, f64::min);
    let high = values
        .iter()
        .chain(limits)
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = if high > low {
        (high - low) * 0.1
    } else {
        low.abs() * 0.05 + 1e-9
    };
    let labels: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let day = match p.time.get(5..10) {
                Some(day) => day.to_string(),
                None => format!("#{}", i + 1),
            };
            let failed = if p.failed { " ✗" } else { "" };
            text(&format!("{day}{failed}"))
        })
        .collect();
    let list = |v: &[f64]| v.iter().map(|x| number(*x)).collect::<Vec<_>>().join(", ");
    let mut out = String::from("```mermaid\nxychart-beta\n");
    let _ = writeln!(out, "    title {}", text(title));
    let _ = writeln!(out, "    x-axis [{}]", labels.join(", "));
    let _ = writeln!(
        out,
        "    y-axis {} {} --> {}",
        text(unit.unwrap_or("value")),
        number(low - pad),
        number(high + pad)
    );
    let _ = writeln!(out, "    line [{}]", list(&values));
    for limit in limits {
        let _ = writeln!(out, "    line [{}]", list(&vec![*limit; values.len()]));
    }
    out.push_str("```\n");
    out
}

/// A quoted Mermaid string: double quotes and line breaks, which would end it, become
/// single quotes and spaces.
fn text(value: &str) -> String {
    format!(
        "\"{}\"",
        value.replace('"', "'").replace(['\r', '\n', '`'], " ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(n: usize) -> Vec<TrendPoint> {
        (0..n)
            .map(|i| TrendPoint {
                time: format!("2026-11-{:02}T02:00:00Z", i + 1),
                commit: None,
                value: 1.25 + i as f64 * 0.01,
                failed: i + 1 == n,
            })
            .collect()
    }

    #[test]
    fn a_series_is_a_line_with_its_limits() {
        let chart = xychart(
            "perf/tick/\"tick_ms\"",
            Some("ms"),
            &points(3),
            &[1.1875, 1.3125],
        );
        insta::assert_snapshot!(chart);
        assert!(chart.starts_with("```mermaid\nxychart-beta\n"));
        assert_eq!(chart.matches("    line [").count(), 3);
        assert!(chart.contains("title \"perf/tick/'tick_ms'\""));
        assert!(chart.contains("\"11-03 ✗\""), "{chart}");
    }

    #[test]
    fn long_histories_show_their_latest_runs() {
        let chart = xychart("s", None, &points(100), &[]);
        let line = chart
            .lines()
            .find(|l| l.starts_with("    line"))
            .expect("line");
        assert_eq!(line.matches(", ").count() + 1, MAX_POINTS);
        assert!(chart.contains("y-axis \"value\""));
    }
}

//! `history show`: one line per series with a sparkline of its recent values, the
//! change from the first to the latest, and the drift verdict.

use safety_gate_core::numbers::number;
use safety_gate_engine::history::Trends;
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
    use safety_gate_engine::history::Trend;

    /// A one-series history of these values, judged as the engine judges it.
    fn trends(values: &[f64]) -> Trends {
        Trends {
            runs: values.len(),
            shown: values.len(),
            window: values.len(),
            series: vec![Trend {
                id: "perf/tick/tick_ms".into(),
                values: values.to_vec(),
                points: Vec::new(),
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
    fn a_short_history_says_so() {
        let text = render(&trends(&[1.0, 1.0]));
        assert!(text.contains("drift: too few runs"), "{text}");
        assert!(text.contains("▄▄"), "{text}");
    }
}

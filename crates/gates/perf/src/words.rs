//! The words of a sampled decision: the numbers of a comparison, what it can detect,
//! and the gate's one line on what its comparisons can detect.

use crate::compare::fmt;
use crate::decision::Sampled;
use crate::family::{Adjusted, Family};
use crate::stats::{self, POWER, Statistic};

/// What one comparison can detect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Detection {
    /// The smallest relative change found with 90% power; `None` when none is.
    pub mdc: Option<f64>,
    /// When that is above the threshold: samples per side that would bring it under
    /// (`None` inside: more than can be proposed).
    pub needed: Option<Option<usize>>,
    /// Whether even a tenfold change would go undetected: such a comparison has judged
    /// nothing.
    pub blind: bool,
}

/// `2% false alarms over 50 benchmarks`, or `2% false alarms` for a family of one.
pub(crate) fn family_phrase(family: Family) -> String {
    let rate = fmt(family.false_alarm_rate * 100.0);
    match family.size {
        0 | 1 => format!("{rate}% false alarms"),
        n => format!("{rate}% false alarms over {n} benchmarks"),
    }
}

/// The numbers of a sample comparison, in words.
pub(crate) fn describe(s: &Sampled, family: Family, adjusted: Adjusted) -> String {
    let (e, policy) = (&s.estimate, s.policy);
    let method = match policy.statistic {
        Statistic::Mean => "Welch's t on log-values",
        Statistic::Median => "Hodges-Lehmann, Mann-Whitney U",
        Statistic::Min => "ratio of minimums, Mann-Whitney U",
    };
    let [b, c] = e.summaries();
    let [n, m] = e.noise().samples;
    let level = family.first_level();
    let zero_test = e.noise().zero_test(level).name();
    let adjusted_p = if family.size > 1 {
        format!(
            "; Holm-adjusted over {} benchmarks: {}",
            family.size,
            p_text(adjusted.p)
        )
    } else {
        String::new()
    };
    format!(
        "{stat} {b} -> {c}, change {change:+.2}% ({level:.0}% CI {lo:+.2}% to {hi:+.2}%), \
         p = {p0} against no change ({zero_test}{adjusted_p}), p = {pt} against the \
         threshold; threshold {t:.2}%, {dir} ({method}; {n} and {m} samples{dropped})",
        stat = policy.statistic.as_str(),
        level = (1.0 - 2.0 * stats::INTERVAL_ALPHA) * 100.0,
        b = fmt(b),
        c = fmt(c),
        change = e.change() * 100.0,
        lo = e.interval()[0] * 100.0,
        hi = e.interval()[1] * 100.0,
        p0 = p_text(e.p_zero(level)),
        pt = p_text(e.p_value()),
        t = policy.threshold * 100.0,
        dir = policy.direction.phrase(),
        dropped = match e.dropped() {
            0 => String::new(),
            1 => ", 1 far outlier of the baseline left out".to_string(),
            d => format!(", {d} far outliers of the baseline left out"),
        },
    )
}

/// What the comparison can detect, when that is more than the threshold.
pub(crate) fn detectable(detection: Detection, threshold: f64, family: Family) -> String {
    let Some(needed) = detection.needed else {
        return String::new();
    };
    let mdc = detection
        .mdc
        .map_or("no change".to_string(), |m| format!("{:.1}%", m * 100.0));
    let more = match needed {
        Some(n) => format!("{n} samples per side would bring it under"),
        None => "no number of samples up to a million would bring it under".to_string(),
    };
    format!(
        "; detects {mdc} or more with {power:.0}% power at {phrase}, above the {t}% \
         threshold: {more}",
        power = POWER * 100.0,
        phrase = family_phrase(family),
        t = fmt(threshold * 100.0),
    )
}

/// A p-value in few characters.
fn p_text(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.1e}")
    } else {
        format!("{p:.4}")
    }
}

/// The gate's line about what its sampled comparisons can detect (each judged in a
/// family like `family`, against its own threshold).
pub(crate) fn detection_note(
    detections: &[Detection],
    thresholds: &[f64],
    family: Family,
) -> Option<String> {
    if detections.is_empty() {
        return None;
    }
    let largest = detections
        .iter()
        .filter_map(|d| d.mdc)
        .fold(0.0_f64, f64::max);
    let head = format!(
        "min detectable change ({:.0}% power, {}):",
        POWER * 100.0,
        family_phrase(family)
    );
    let short: Vec<Option<usize>> = detections.iter().filter_map(|d| d.needed).collect();
    if short.is_empty() {
        let tightest = thresholds.iter().copied().fold(f64::INFINITY, f64::min);
        return Some(format!(
            "{head} at most {:.1}%, under every threshold (the tightest is {}%)",
            largest * 100.0,
            fmt(tightest * 100.0)
        ));
    }
    let more = match short.iter().copied().collect::<Option<Vec<usize>>>() {
        Some(all) => format!(
            "up to {} samples per side would bring every one under",
            all.iter().max().copied().unwrap_or(2)
        ),
        None => "for some, no number of samples up to a million would".to_string(),
    };
    let unreachable = detections.iter().filter(|d| d.mdc.is_none()).count();
    let largest = if unreachable > 0 {
        format!("{unreachable} detect no change at all")
    } else {
        format!("largest {:.1}%", largest * 100.0)
    };
    Some(format!(
        "{head} {} of {} sampled benchmarks cannot detect a change of their threshold \
         ({largest}); {more}",
        short.len(),
        detections.len()
    ))
}

//! The look every chart shares: sizes, colours and the marks' shapes. Kept in one place
//! so the HTML legend, the charts and the tests that count marks agree.

use plotters::style::RGBColor;

/// Chart width in pixels.
pub const WIDTH: u32 = 640;
/// Height of a samples chart.
pub const SAMPLES_HEIGHT: u32 = 200;
/// Height of a trend chart.
pub const TREND_HEIGHT: u32 = 240;

/// Baseline samples (filled circles).
pub const BASELINE: RGBColor = RGBColor(0x3b, 0x6e, 0xa8);
/// Current samples and a trend's nightly values (filled circles).
pub const CURRENT: RGBColor = RGBColor(0xd9, 0x73, 0x1e);
/// Samples left out as far outliers (hollow circles).
pub const LEFT_OUT: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
/// The estimate, its interval and a fitted trend line.
pub const ESTIMATE: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// The threshold line, the zone beyond it and failing nights (hollow rings).
pub const FAIL: RGBColor = RGBColor(0xc0, 0x27, 0x2d);
/// The band of allowed change.
pub const ALLOWED: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
/// Axis text and lines.
pub const AXIS: RGBColor = RGBColor(0x44, 0x44, 0x44);

/// Radius of a sample or value mark.
pub const DOT: i32 = 4;
/// Radius of the ring around a failing night.
pub const RING: i32 = 8;

/// Largest ratio of the highest to the lowest value drawn on a linear axis; wider
/// ranges are drawn on a log scale so that both sides stay readable.
pub const LINEAR_MAX_RATIO: f64 = 20.0;

/// Whether values spanning `low..=high` need a log axis.
pub fn wants_log(low: f64, high: f64) -> bool {
    low > 0.0 && high / low > LINEAR_MAX_RATIO
}

/// `low..high` widened by a margin on each side, and by a little around a single value,
/// so that no mark sits on the frame and a flat series still has a range. On a log
/// axis the margin is a factor.
pub fn padded(low: f64, high: f64, log: bool) -> (f64, f64) {
    if log {
        let ratio = (high / low).powf(0.08).max(1.05);
        return (low / ratio, high * ratio);
    }
    let span = high - low;
    let pad = if span > 0.0 {
        span * 0.08
    } else if low != 0.0 {
        low.abs() * 0.05
    } else {
        1.0
    };
    (low - pad, high + pad)
}

/// Short axis numbers: up to four significant digits, no trailing zeros.
pub fn tick(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return if value.is_finite() {
            "0".into()
        } else {
            String::new()
        };
    }
    let magnitude = value.abs().log10().floor() as i32;
    if !(-4..6).contains(&magnitude) {
        return format!("{value:.2e}");
    }
    let decimals = (3 - magnitude).clamp(0, 8) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_only_for_wide_positive_ranges() {
        assert!(!wants_log(1.0, 1.2));
        assert!(!wants_log(0.0, 1000.0));
        assert!(wants_log(0.001, 1.0));
    }

    #[test]
    fn padding_gives_every_range_a_width() {
        let (lo, hi) = padded(5.0, 5.0, false);
        assert!(lo < 5.0 && hi > 5.0);
        let (lo, hi) = padded(0.0, 0.0, false);
        assert!(lo < 0.0 && hi > 0.0);
        let (lo, hi) = padded(0.001, 10.0, true);
        assert!(lo > 0.0 && lo < 0.001 && hi > 10.0);
    }

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(1.25), "1.25");
        assert_eq!(tick(1.3333333), "1.333");
        assert_eq!(tick(740.74), "740.7");
        assert_eq!(tick(0.00125), "0.00125");
        assert_eq!(tick(1.0e9), "1.00e9");
        assert_eq!(tick(0.0), "0");
    }
}

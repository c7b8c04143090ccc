//! The look every chart shares: sizes, colours and the marks' shapes. Kept in one place
//! so the HTML legend, the charts and the tests that count marks agree.

use plotters::style::RGBColor;

use super::ChartError;

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

/// Narrowest linear axis, as a fraction of the values' magnitude: closer values are
/// drawn as one (nobody reads a change of a millionth off a chart), and the axis keeps
/// room for its ticks to be told apart in doubles.
const MIN_RELATIVE_WIDTH: f64 = 1e-6;

/// The value axis of a chart: its ends and whether it is logarithmic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    /// Lowest value on the axis.
    pub lo: f64,
    /// Highest value on the axis.
    pub hi: f64,
    /// Whether the axis is logarithmic.
    pub log: bool,
}

/// The axis for `values` (the non-finite ones are left out): their range widened by a
/// margin on each side, and by a little around a single value, so that no mark sits on
/// the frame and a flat series still has a range; on a log axis the margin is a factor.
/// Refuses values it cannot put on one axis that the plotting library handles in
/// bounded time: none finite, or a range wider than a double can measure.
pub fn axis(values: impl IntoIterator<Item = f64>) -> Result<Axis, ChartError> {
    let (low, high) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !low.is_finite() || !high.is_finite() {
        return Err(ChartError("no finite value to draw".into()));
    }
    let axis = if wants_log(low, high) {
        let (a, b) = (low.log10(), high.log10());
        // At most a decade each side: the widest ranges still fit in a double.
        let pad = ((b - a) * 0.08).clamp(1.05_f64.log10(), 1.0);
        Axis {
            lo: 10_f64.powf(a - pad).max(f64::MIN_POSITIVE),
            hi: 10_f64.powf(b + pad).min(f64::MAX),
            log: true,
        }
    } else {
        // Halves first: the difference of two finite doubles can overflow.
        let (mid, half) = (low / 2.0 + high / 2.0, high / 2.0 - low / 2.0);
        let half = if half > 0.0 {
            half * 1.16
        } else {
            mid.abs() * 0.05
        };
        let half = half.max(mid.abs() * MIN_RELATIVE_WIDTH).max(if mid == 0.0 {
            1.0
        } else {
            f64::MIN_POSITIVE
        });
        Axis {
            lo: mid - half,
            hi: mid + half,
            log: false,
        }
    };
    let measurable = if axis.log {
        (axis.hi / axis.lo).is_finite()
    } else {
        (axis.hi - axis.lo).is_finite()
    };
    if axis.lo < axis.hi && measurable {
        Ok(axis)
    } else {
        Err(ChartError(format!(
            "the values from {low:e} to {high:e} span too wide a range for one axis"
        )))
    }
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
    fn every_axis_has_a_width_and_bounded_ends() {
        let axis = |values: &[f64]| super::axis(values.iter().copied()).expect("an axis");
        let a = axis(&[5.0]);
        assert!(a.lo < 5.0 && a.hi > 5.0 && !a.log, "{a:?}");
        let a = axis(&[0.0, 0.0]);
        assert!(a.lo < 0.0 && a.hi > 0.0, "{a:?}");
        let a = axis(&[0.001, 10.0, f64::NAN]);
        assert!(a.log && a.lo > 0.0 && a.lo < 0.001 && a.hi > 10.0, "{a:?}");
        // Near the ends of the doubles: a log axis within them, never zero or infinite.
        let a = axis(&[1e-150, 1e150]);
        assert!(a.log && a.lo > 0.0 && a.hi.is_finite(), "{a:?}");
        let a = axis(&[5e-324]);
        assert!(a.lo < a.hi && (a.hi - a.lo).is_finite(), "{a:?}");
        // Values a millionth apart are drawn as one: the axis has room for ticks.
        let a = axis(&[1e10, 1e10 + 1e-5]);
        assert!(a.hi - a.lo >= 1e4, "{a:?}");
        let refused: [&[f64]; 4] = [
            &[f64::MIN, f64::MAX],
            &[1e-300, 1e300],
            &[5e-324, f64::MAX],
            &[f64::NAN],
        ];
        for refused in refused {
            assert!(super::axis(refused.iter().copied()).is_err(), "{refused:?}");
        }
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

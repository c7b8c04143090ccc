//! Welch's t-test on log-values: the shift of the mean log-value, its interval and the
//! one-sided p-value of a rise beyond a given shift.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Welch's comparison of `y` (current) against `x` (baseline).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Welch {
    /// Difference of the means, current minus baseline.
    pub shift: f64,
    /// Its standard error.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
}

impl Welch {
    /// Compares two sides of at least two values each.
    pub(crate) fn new(x: &[f64], y: &[f64]) -> Self {
        let (mx, vx) = mean_var(x);
        let (my, vy) = mean_var(y);
        let (ax, ay) = (vx / x.len() as f64, vy / y.len() as f64);
        Welch {
            shift: my - mx,
            se: (ax + ay).sqrt(),
            df: welch_df(ax, ay, x.len(), y.len()),
        }
    }

    /// The p-value of "the shift is larger than `null`".
    pub(crate) fn p_above(&self, null: f64) -> f64 {
        if self.se.is_nan() || self.se <= 0.0 {
            // No spread on either side: the shift is exact.
            return if self.shift > null {
                0.0
            } else if self.shift < null {
                1.0
            } else {
                0.5
            };
        }
        students_t(self.df).map_or(0.5, |t| t.sf((self.shift - null) / self.se))
    }

    /// The `1 - 2 alpha` interval of the shift.
    pub(crate) fn interval(&self, alpha: f64) -> [f64; 2] {
        let half = match students_t(self.df) {
            Some(t) if self.se > 0.0 => t.inverse_cdf(1.0 - alpha) * self.se,
            _ => 0.0,
        };
        [self.shift - half, self.shift + half]
    }
}

/// Student's t with `df` degrees of freedom.
pub(super) fn students_t(df: f64) -> Option<StudentsT> {
    StudentsT::new(0.0, 1.0, df).ok()
}

/// Welch–Satterthwaite degrees of freedom; a side of one sample contributes none.
pub(super) fn welch_df(ax: f64, ay: f64, n: usize, m: usize) -> f64 {
    let term = |a: f64, k: usize| if k > 1 { a * a / (k - 1) as f64 } else { 0.0 };
    let denominator = term(ax, n) + term(ay, m);
    if denominator > 0.0 {
        ((ax + ay).powi(2) / denominator).max(1.0)
    } else {
        1.0
    }
}

/// Mean and unbiased variance (zero for a single value).
pub(super) fn mean_var(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_textbook_welch_test() {
        // Two groups with means 0 and 1 and equal spread: t = 1 / sqrt(2 * 1/3) ~ 1.2247.
        let w = Welch::new(&[-1.0, 0.0, 1.0], &[0.0, 1.0, 2.0]);
        assert_eq!(w.shift, 1.0);
        // df = 4, one-sided p of t = 1.2247 is about 0.1439.
        let p = w.p_above(0.0);
        assert!((p - 0.1439).abs() < 1e-3, "{p}");
        // 90% interval: 1 -/+ 2.1318 * 0.8165.
        let [low, high] = w.interval(0.05);
        assert!((low - (1.0 - 2.1318 * 0.8165)).abs() < 1e-3, "{low}");
        assert!((high - (1.0 + 2.1318 * 0.8165)).abs() < 1e-3, "{high}");
    }

    #[test]
    fn constant_samples_give_an_exact_shift() {
        let w = Welch::new(&[1.0, 1.0], &[2.0, 2.0]);
        assert_eq!((w.shift, w.interval(0.05)), (1.0, [1.0, 1.0]));
        assert_eq!(
            (w.p_above(0.0), w.p_above(1.0), w.p_above(2.0)),
            (0.0, 0.5, 1.0)
        );
    }
}

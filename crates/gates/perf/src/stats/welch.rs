//! Welch's t-test on log-values: the shift of the mean log-value, its interval and
//! the one-sided p-value of a rise beyond a given shift.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Returns `(shift, low, high, p_up)`: the difference of mean log-values (current minus
/// baseline), a `1 - 2 alpha` interval, and the p-value of "the shift is larger than
/// `null`".
pub(super) fn log_shift(x: &[f64], y: &[f64], alpha: f64, null: f64) -> (f64, f64, f64, f64) {
    let (mx, vx) = mean_var(x);
    let (my, vy) = mean_var(y);
    let shift = my - mx;
    let (ax, ay) = (vx / x.len() as f64, vy / y.len() as f64);
    let se = (ax + ay).sqrt();
    if se.is_nan() || se <= 0.0 {
        // No spread on either side: the shift is exact.
        let p = if shift > null {
            0.0
        } else if shift < null {
            1.0
        } else {
            0.5
        };
        return (shift, shift, shift, p);
    }
    let df = welch_df(ax, ay, x.len(), y.len());
    let t = match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t,
        Err(_) => return (shift, f64::NEG_INFINITY, f64::INFINITY, 0.5),
    };
    let critical = t.inverse_cdf(1.0 - alpha);
    let p_up = t.sf((shift - null) / se);
    (shift, shift - critical * se, shift + critical * se, p_up)
}

/// Welch–Satterthwaite degrees of freedom; a side of one sample contributes none.
fn welch_df(ax: f64, ay: f64, n: usize, m: usize) -> f64 {
    let term = |a: f64, k: usize| if k > 1 { a * a / (k - 1) as f64 } else { 0.0 };
    let denominator = term(ax, n) + term(ay, m);
    if denominator > 0.0 {
        ((ax + ay).powi(2) / denominator).max(1.0)
    } else {
        1.0
    }
}

/// Mean and unbiased variance (zero for a single value).
fn mean_var(values: &[f64]) -> (f64, f64) {
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
        let x = [-1.0, 0.0, 1.0];
        let y = [0.0, 1.0, 2.0];
        let (shift, low, high, p) = log_shift(&x, &y, 0.05, 0.0);
        assert_eq!(shift, 1.0);
        // df = 4, one-sided p of t = 1.2247 is about 0.1439.
        assert!((p - 0.1439).abs() < 1e-3, "{p}");
        // 90% interval: 1 -/+ 2.1318 * 0.8165.
        assert!((low - (1.0 - 2.1318 * 0.8165)).abs() < 1e-3, "{low}");
        assert!((high - (1.0 + 2.1318 * 0.8165)).abs() < 1e-3, "{high}");
    }

    #[test]
    fn constant_samples_give_an_exact_shift() {
        let (shift, low, high, p) = log_shift(&[1.0, 1.0], &[2.0, 2.0], 0.05, 0.0);
        assert_eq!((shift, low, high, p), (1.0, 1.0, 1.0, 0.0));
    }
}

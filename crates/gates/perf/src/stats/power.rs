//! The test against no change, and what it can detect: the smallest change it finds
//! with 90% power at a given level, from the noise and sample counts it saw, and how
//! many samples would bring that under a target.
//!
//! The test is Mann–Whitney's (exact whatever the shape of the noise, unmoved by
//! outliers, and monotone: a worse current sample can only lower its p-value) whenever
//! the sample counts let it reach the level at all; with fewer samples, Welch's t on
//! log-values, which assumes log-normal noise but can reach any level from two samples
//! a side. The choice depends on the counts and the level only, never on the values.
//!
//! Power assumes normal noise on log-values. For Welch's t it is the usual
//! `shift = (q(1 - level) + q(power)) * se`, with `q` Student's t quantiles and `se` the
//! standard error of the shift. For Mann–Whitney it is Lehmann's approximation: U under a
//! shift is close to normal with a mean and variance that follow from the shift, and is
//! held against the test's exact critical value, so the coarse tail of the exact test at
//! small samples is charged in full. `docs/perf.md` compares the figure with simulated
//! detection.

use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use super::{rank, welch};

/// The power the minimum detectable change is quoted at.
pub const POWER: f64 = 0.9;

/// How much larger a change the rank test may need than Welch's t, on normal noise,
/// and still be preferred: the price of assuming nothing about the noise's shape.
/// At the floor of its exact distribution (four samples a side at 2%, seven at 0.04%)
/// it needs 30-40% more, and Welch's t decides instead.
pub const RANK_PRICE: f64 = 1.1;

/// Most samples per side a message will ever propose.
const MOST_SAMPLES: usize = 1_000_000;

/// The test against no change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZeroTest {
    /// Mann–Whitney U.
    Rank,
    /// Welch's t on log-values.
    Welch,
}

impl ZeroTest {
    /// The test for `n` and `m` samples at `level`: the rank test when, on normal
    /// noise, it needs a change at most [`RANK_PRICE`] times the one Welch's t needs
    /// (never when it cannot reach the level at all).
    pub fn at(n: usize, m: usize, level: f64) -> Self {
        let choose = || match (
            rank_shift_in_sds(n, m, level),
            welch_shift_in_sds(n, m, level),
        ) {
            (Some(rank), Some(welch)) if rank <= RANK_PRICE * welch => ZeroTest::Rank,
            (Some(_), None) => ZeroTest::Rank,
            _ => ZeroTest::Welch,
        };
        static CACHE: Memo<ZeroTest> = OnceLock::new();
        memo(&CACHE, (n, m, level.to_bits()), choose)
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            ZeroTest::Rank => "Mann-Whitney U",
            ZeroTest::Welch => "Welch's t",
        }
    }
}

/// The noise of one comparison, on log-values: what its power depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    /// Standard deviation of the log-values, baseline and current, every sample.
    pub spread: [f64; 2],
    /// The same once far outliers are left out (the spread of the bulk, which outliers
    /// do not move): what the rank test's power depends on.
    pub robust_spread: [f64; 2],
    /// Samples per side.
    pub samples: [usize; 2],
}

impl Noise {
    /// The test against no change at `level` for these counts.
    pub fn zero_test(&self, level: f64) -> ZeroTest {
        ZeroTest::at(self.samples[0], self.samples[1], level)
    }

    /// The smallest shift of the log-values that the test against no change at `level`
    /// detects with [`POWER`]; `None` when there is none.
    pub fn min_detectable_shift(&self, level: f64) -> Option<f64> {
        self.shift_with(self.samples, level)
    }

    /// The fewest samples per side (the same on both) for which the smallest detectable
    /// shift at `level` is at most `target`, assuming the spreads seen; `None` beyond a
    /// million.
    pub fn samples_for(&self, level: f64, target: f64) -> Option<usize> {
        let fits = |n: usize| self.shift_with([n, n], level).is_some_and(|s| s <= target);
        let mut high = 2;
        while !fits(high) {
            if high >= MOST_SAMPLES {
                return None;
            }
            high = (high * 2).min(MOST_SAMPLES);
        }
        let mut low = high / 2;
        // Invariant: fits(high), and low < 2 or !fits(low).
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            if fits(mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        // Where the test changes from Welch's to the rank test the shift can step up a
        // little, so a bisection may stop short of the fewest; walk down to it.
        while high > 2 && fits(high - 1) {
            high -= 1;
        }
        Some(high)
    }

    fn shift_with(&self, [n, m]: [usize; 2], level: f64) -> Option<f64> {
        if n < 2 || m < 2 || !(level > 0.0 && level < 1.0) {
            return None;
        }
        let [sx, sy] = self.spread;
        let (ax, ay) = (sx * sx / n as f64, sy * sy / m as f64);
        let se = (ax + ay).sqrt();
        if se == 0.0 {
            return Some(0.0);
        }
        let shift = match ZeroTest::at(n, m, level) {
            ZeroTest::Rank => {
                let [rx, ry] = self.robust_spread;
                let robust = ((rx * rx + ry * ry) / 2.0).sqrt();
                // Quantised timers can leave no deviation at all: fall back to the spread.
                let sd = if robust > 0.0 {
                    robust
                } else {
                    ((sx * sx + sy * sy) / 2.0).sqrt()
                };
                rank_shift_in_sds(n, m, level)? * sd
            }
            ZeroTest::Welch => t_quantiles(welch::welch_df(ax, ay, n, m), level)? * se,
        };
        shift.is_finite().then_some(shift)
    }
}

/// `q(1 - level) + q(POWER)` for Student's t with `df` degrees of freedom.
fn t_quantiles(df: f64, level: f64) -> Option<f64> {
    let t = welch::students_t(df)?;
    Some(t.inverse_cdf(1.0 - level) + t.inverse_cdf(POWER))
}

/// The shift, in standard deviations of normal noise with equal spreads, that Welch's t
/// with `n` and `m` samples detects with [`POWER`] at `level`.
fn welch_shift_in_sds(n: usize, m: usize, level: f64) -> Option<f64> {
    let (a, b) = (1.0 / n as f64, 1.0 / m as f64);
    Some(t_quantiles(welch::welch_df(a, b, n, m), level)? * (a + b).sqrt())
}

/// The shift, in standard deviations of normal noise, that Mann–Whitney with `n` and `m`
/// samples detects with [`POWER`] at `level`: Lehmann's normal approximation of U under
/// a shift, held against the test's exact critical value. It depends on the counts and
/// the level only, so it is worked out once per gate for each.
fn rank_shift_in_sds(n: usize, m: usize, level: f64) -> Option<f64> {
    static CACHE: Memo<Option<f64>> = OnceLock::new();
    memo(&CACHE, (n, m, level.to_bits()), || {
        solve_rank_shift(n, m, level)
    })
}

/// A cache of what depends only on the sample counts and the level.
type Memo<T> = OnceLock<Mutex<HashMap<(usize, usize, u64), T>>>;

/// The cached value for `key`, worked out by `make` the first time.
fn memo<T: Copy>(cache: &Memo<T>, key: (usize, usize, u64), make: impl FnOnce() -> T) -> T {
    let cache = cache.get_or_init(Mutex::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).copied()) {
        return found;
    }
    let found = make();
    if let Ok(mut c) = cache.lock() {
        c.insert(key, found);
    }
    found
}

fn solve_rank_shift(n: usize, m: usize, level: f64) -> Option<f64> {
    let critical = rank::critical_u(n, m, level)?;
    let normal = Normal::new(0.0, 1.0).ok()?;
    if !rank::is_exact(n, m) {
        // Large samples: U is close to normal under the shift too, and the test costs
        // its asymptotic efficiency against the t-test, 3 / pi.
        let quantiles = normal.inverse_cdf(1.0 - level) + normal.inverse_cdf(POWER);
        let se = (1.0 / n as f64 + 1.0 / m as f64).sqrt();
        return Some(quantiles * se * (std::f64::consts::PI / 3.0).sqrt());
    }
    let (nf, mf) = (n as f64, m as f64);
    // U's spread is estimated from the samples too: Student's t at n + m - 2 degrees of
    // freedom, not the normal, keeps the figure from promising more than the test does
    // at small samples and strict levels.
    let spread_of_u = welch::students_t(nf + mf - 2.0)?;
    let power = |d: f64| {
        let p1 = normal.cdf(d / std::f64::consts::SQRT_2);
        let p2 = both_above(&normal, d);
        let var = nf * mf * (p1 * (1.0 - p1) + (nf + mf - 2.0) * (p2 - p1 * p1));
        if var <= 0.0 {
            return if nf * mf * p1 >= critical { 1.0 } else { 0.0 };
        }
        spread_of_u.cdf((nf * mf * p1 - critical + 0.5) / var.sqrt())
    };
    let (mut low, mut high) = (0.0, 64.0);
    if power(high) < POWER {
        return None;
    }
    for _ in 0..40 {
        let mid = (low + high) / 2.0;
        if power(mid) >= POWER {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(high)
}

/// P(Y1 > X and Y2 > X) for independent standard normal X and Y1, Y2 shifted by `d`:
/// the integral of phi(x) Phi(d - x)^2, by Simpson's rule over +-10.
fn both_above(normal: &Normal, d: f64) -> f64 {
    const STEPS: usize = 200;
    let h = 20.0 / STEPS as f64;
    let f = |x: f64| normal.pdf(x) * normal.cdf(d - x).powi(2);
    let mut sum = f(-10.0) + f(10.0);
    for i in 1..STEPS {
        let x = -10.0 + i as f64 * h;
        sum += f(x) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    sum * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(sd: f64, n: usize) -> Noise {
        Noise {
            spread: [sd, sd],
            robust_spread: [sd, sd],
            samples: [n, n],
        }
    }

    #[test]
    fn falls_as_samples_grow_and_rises_as_the_level_tightens() {
        for level in [0.02, 0.02 / 50.0] {
            let mut last = f64::INFINITY;
            for n in [3, 4, 5, 7, 10, 30, 100, 1000] {
                let shift = noise(0.05, n).min_detectable_shift(level).expect("some");
                assert!(shift < last, "n = {n}: {shift} >= {last}");
                last = shift;
            }
        }
        let n10 = noise(0.05, 10);
        let loose = n10.min_detectable_shift(0.02).expect("some");
        let strict = n10.min_detectable_shift(0.02 / 50.0).expect("some");
        assert!(strict > loose, "{strict} <= {loose}");
    }

    #[test]
    fn the_rank_test_is_used_where_it_costs_little_power() {
        // Out of reach, or near the floor of its exact distribution: Welch's t (up to
        // six a side at 2%, eight at 2% over 50 benchmarks).
        for n in [3, 4, 5, 6] {
            assert_eq!(ZeroTest::at(n, n, 0.02), ZeroTest::Welch, "{n}");
        }
        for n in [6, 7, 8] {
            assert_eq!(ZeroTest::at(n, n, 0.0004), ZeroTest::Welch, "{n}");
        }
        for n in [7, 10, 30] {
            assert_eq!(ZeroTest::at(n, n, 0.02), ZeroTest::Rank, "{n}");
        }
        for n in [9, 10, 30] {
            assert_eq!(ZeroTest::at(n, n, 0.0004), ZeroTest::Rank, "{n}");
        }
    }

    #[test]
    fn matches_the_textbook_figure() {
        // Three samples a side (Welch), sd 0.05: se = 0.05 * sqrt(2 / 3) = 0.040825,
        // df = 4; t(0.98) + t(0.90) = 2.9985 + 1.5332.
        let shift = noise(0.05, 3).min_detectable_shift(0.02).expect("some");
        assert!((shift - 4.5317 * 0.040_825).abs() < 1e-4, "{shift}");
        // Ten a side (rank): near the t-test's figure times sqrt(pi / 3), the test's
        // efficiency on normal noise, and no lower than the t-test's.
        let shift = noise(0.05, 10).min_detectable_shift(0.02).expect("some");
        let t_test = 3.5441 * 0.05 * 0.2_f64.sqrt();
        let efficiency = (std::f64::consts::PI / 3.0).sqrt();
        assert!(
            shift > t_test && shift < 1.1 * t_test * efficiency,
            "{shift}"
        );
        assert_eq!(noise(0.0, 10).min_detectable_shift(0.02), Some(0.0));
    }

    #[test]
    fn samples_for_is_the_fewest_that_reach_the_target() {
        let target = 0.05_f64.ln_1p();
        for level in [0.02, 0.02 / 50.0] {
            let n = noise(0.05, 10).samples_for(level, target).expect("some");
            let at = |k| noise(0.05, k).min_detectable_shift(level);
            assert!(at(n).is_some_and(|s| s <= target), "{n}");
            assert!(!at(n - 1).is_some_and(|s| s <= target), "{n}");
        }
        assert_eq!(noise(0.0, 3).samples_for(0.02, 0.05), Some(2));
        assert_eq!(noise(1e9, 3).samples_for(0.02, 1e-9), None);
    }
}

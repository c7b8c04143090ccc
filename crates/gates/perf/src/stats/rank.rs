//! Mann–Whitney U and the Hodges–Lehmann shift: the rank-based comparison, robust to
//! outliers and exact whatever the shape of the noise. Works on sorted log-values;
//! pairwise differences are never materialised (order statistics of `y_j - x_i` are
//! found by counting), so 100 x 100 samples stay cheap.

use statrs::distribution::{ContinuousCDF, Normal};

/// Largest `min(n, m) * n * m` for which the exact null distribution of U is computed;
/// beyond it (or with ties) the normal approximation is used.
const EXACT_WORK_LIMIT: usize = 20_000;

/// The p-value of "`y` is shifted above `x`": P(U >= u) for sorted `x` and `y`.
pub(super) fn p_above(x: &[f64], y: &[f64]) -> f64 {
    let (u, ties) = u_statistic(x, y);
    match exact(x.len(), y.len(), ties) {
        Some(freq) => {
            let total: f64 = freq.iter().sum();
            // U counts whole pairs here, as there are no ties.
            freq[u.round() as usize..].iter().sum::<f64>() / total
        }
        None => Approximation::new(x, y).map_or(0.5, |a| a.p_above(u)),
    }
}

/// The Hodges–Lehmann shift (median of all `y_j - x_i`) and its distribution-free
/// `1 - 2 alpha` interval; `None` for the interval when the samples are too few for one.
pub(super) fn shift_interval(x: &[f64], y: &[f64], alpha: f64) -> (f64, Option<[f64; 2]>) {
    let pairs = x.len() * y.len();
    let (_, ties) = u_statistic(x, y);
    let k = match exact(x.len(), y.len(), ties) {
        Some(freq) => {
            let total: f64 = freq.iter().sum();
            // Largest k with P(U <= k - 1) <= alpha.
            let mut cumulative = 0.0;
            let mut k = 0;
            for (value, count) in freq.iter().enumerate() {
                cumulative += count;
                if cumulative / total > alpha {
                    break;
                }
                k = value + 1;
            }
            k
        }
        None => Approximation::new(x, y).map_or(0, |a| a.interval_rank(alpha)),
    };
    let shift = median_pair(x, y);
    let interval = (k > 0).then(|| [kth_pair(x, y, k), kth_pair(x, y, pairs + 1 - k)]);
    (shift, interval)
}

/// The smallest one-sided p-value the test can give with `n` and `m` samples without
/// ties: one ordering in `C(n + m, n)` when the exact distribution is used, else the
/// normal approximation at the largest U.
pub(super) fn smallest_p(n: usize, m: usize) -> f64 {
    if n.min(m) * n * m <= EXACT_WORK_LIMIT {
        // C(n + m, n) is exact in a double at these sizes (at most C(54, 27) < 2^53),
        // and 1 / C rounds as the exact test's count / total does.
        let orderings = (1..=n.min(m)).fold(1.0, |c: f64, i| c * (n.max(m) + i) as f64 / i as f64);
        return 1.0 / orderings;
    }
    let (n, m) = (n as f64, m as f64);
    let sd = (n * m * (n + m + 1.0) / 12.0).sqrt();
    Normal::new(0.0, 1.0).map_or(0.0, |z| z.sf((n * m / 2.0 - 0.5) / sd))
}

/// The smallest U whose one-sided p-value is at most `level` (no ties): the test's
/// critical value. `None` when no U reaches the level.
pub(super) fn critical_u(n: usize, m: usize, level: f64) -> Option<f64> {
    if n.min(m) * n * m <= EXACT_WORK_LIMIT {
        let freq = exact_distribution(n, m);
        let total: f64 = freq.iter().sum();
        let mut upper = 0.0;
        let mut critical = None;
        for (u, count) in freq.iter().enumerate().rev() {
            upper += count;
            if upper / total > level {
                break;
            }
            critical = Some(u as f64);
        }
        return critical;
    }
    let (nf, mf) = (n as f64, m as f64);
    let sd = (nf * mf * (nf + mf + 1.0) / 12.0).sqrt();
    let z = Normal::new(0.0, 1.0).ok()?.inverse_cdf(1.0 - level);
    let c = nf * mf / 2.0 + 0.5 + z * sd;
    (c <= nf * mf).then_some(c)
}

/// The fewest samples per side (equal sides) for which the test can reach `level`.
pub(super) fn samples_needed(level: f64) -> usize {
    (2..1_000)
        .find(|n| smallest_p(*n, *n) <= level)
        .unwrap_or(1_000)
}

/// Whether the exact null distribution is used for `n` and `m` samples without ties.
pub(super) fn is_exact(n: usize, m: usize) -> bool {
    n.min(m) * n * m <= EXACT_WORK_LIMIT
}

/// The exact null frequencies of U, when they apply (no ties, small samples).
fn exact(n: usize, m: usize, ties: bool) -> Option<Vec<f64>> {
    (!ties && is_exact(n, m)).then(|| exact_distribution(n, m))
}

/// U = pairs with `y > x`, ties counting one half; and whether any tie occurred.
fn u_statistic(x: &[f64], y: &[f64]) -> (f64, bool) {
    let (mut below, mut upto) = (0, 0);
    let mut u = 0.0;
    let mut ties = false;
    for &v in y {
        while below < x.len() && x[below] < v {
            below += 1;
        }
        upto = upto.max(below);
        while upto < x.len() && x[upto] <= v {
            upto += 1;
        }
        ties |= upto > below;
        u += below as f64 + 0.5 * (upto - below) as f64;
    }
    (u, ties)
}

/// Frequencies of U = 0..=n*m under the null: the coefficients of the Gaussian
/// binomial [n+m choose n], built one factor `(1 - q^(m+i)) / (1 - q^i)` at a time.
fn exact_distribution(n: usize, m: usize) -> Vec<f64> {
    let mut poly = vec![0.0; n * m + 1];
    poly[0] = 1.0;
    for i in 1..=n {
        for u in (m + i..poly.len()).rev() {
            poly[u] -= poly[u - m - i];
        }
        for u in i..poly.len() {
            poly[u] += poly[u - i];
        }
    }
    poly
}

/// The normal approximation of U's null distribution, with the tie correction.
struct Approximation {
    mean: f64,
    sd: f64,
    normal: Normal,
}

impl Approximation {
    /// `None` when U has no spread (every value tied).
    fn new(x: &[f64], y: &[f64]) -> Option<Self> {
        let (n, m) = (x.len() as f64, y.len() as f64);
        let total = n + m;
        let mut all: Vec<f64> = x.iter().chain(y).copied().collect();
        all.sort_by(f64::total_cmp);
        let mut tie_term = 0.0;
        for run in all.chunk_by(|a, b| a == b) {
            let t = run.len() as f64;
            tie_term += t * t * t - t;
        }
        let var = n * m / 12.0 * ((total + 1.0) - tie_term / (total * (total - 1.0)));
        if var.is_nan() || var <= 0.0 {
            return None;
        }
        Some(Approximation {
            mean: n * m / 2.0,
            sd: var.sqrt(),
            normal: Normal::new(0.0, 1.0).ok()?,
        })
    }

    /// P(U >= u), with the continuity correction.
    fn p_above(&self, u: f64) -> f64 {
        self.normal
            .sf((u - self.mean - 0.5) / self.sd)
            .clamp(0.0, 1.0)
    }

    /// The rank `k` of the interval's lower end (0 when there is none).
    fn interval_rank(&self, alpha: f64) -> usize {
        let k = (self.mean - self.normal.inverse_cdf(1.0 - alpha) * self.sd).floor();
        if k >= 1.0 { k as usize } else { 0 }
    }
}

/// The median of all pairwise differences `y_j - x_i`.
fn median_pair(x: &[f64], y: &[f64]) -> f64 {
    let pairs = x.len() * y.len();
    if pairs % 2 == 1 {
        kth_pair(x, y, pairs / 2 + 1)
    } else {
        (kth_pair(x, y, pairs / 2) + kth_pair(x, y, pairs / 2 + 1)) / 2.0
    }
}

/// The `k`-th smallest (1-based) of the differences `y_j - x_i`: bisection on the
/// value, with an O(n + m) count per step, until at most `n + m` differences are left
/// between the bounds; those are then listed and the answer picked exactly.
fn kth_pair(x: &[f64], y: &[f64], k: usize) -> f64 {
    let mut lo = y[0] - x[x.len() - 1];
    let mut hi = y[y.len() - 1] - x[0];
    let mut below = count_at_most(x, y, lo);
    if below >= k {
        return lo;
    }
    let mut upto = x.len() * y.len();
    // Invariant: below = count(lo) < k <= count(hi) = upto.
    let few = (x.len() + y.len()).max(64);
    while upto - below > few {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        let count = count_at_most(x, y, mid);
        if count >= k {
            (hi, upto) = (mid, count);
        } else {
            (lo, below) = (mid, count);
        }
    }
    let mut between = between(x, y, lo, hi);
    between.sort_by(f64::total_cmp);
    between[k - below - 1]
}

/// The differences `y_j - x_i` in `(lo, hi]`.
fn between(x: &[f64], y: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    let (mut first, mut last) = (0, 0);
    let mut found = Vec::new();
    for &v in y {
        // Differences fall as i grows: [first, last) holds those with lo < d <= hi.
        while first < x.len() && v - x[first] > hi {
            first += 1;
        }
        last = last.max(first);
        while last < x.len() && v - x[last] > lo {
            last += 1;
        }
        found.extend(x[first..last].iter().map(|a| v - a));
    }
    found
}

/// How many differences `y_j - x_i` are at most `d`.
fn count_at_most(x: &[f64], y: &[f64], d: f64) -> usize {
    // For each y_j the differences fall as i grows; as j grows the first i with
    // y_j - x_i <= d only moves right. Comparing the differences themselves keeps the
    // count consistent with the values `between` lists.
    let mut i = 0;
    let mut count = 0;
    for &v in y {
        while i < x.len() && v - x[i] > d {
            i += 1;
        }
        count += x.len() - i;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(x: &[f64], y: &[f64]) -> Vec<f64> {
        let mut d: Vec<f64> = y
            .iter()
            .flat_map(|b| x.iter().map(move |a| b - a))
            .collect();
        d.sort_by(f64::total_cmp);
        d
    }

    #[test]
    fn kth_pair_matches_brute_force() {
        let x = [0.1, 0.4, 0.45, 0.9, 1.3];
        let y = [0.2, 0.35, 0.8, 1.1];
        let all = pairs(&x, &y);
        for k in 1..=all.len() {
            assert_eq!(kth_pair(&x, &y, k), all[k - 1], "k = {k}");
        }
        // Large enough for the bisection to run before the listing.
        let x: Vec<f64> = (0..40).map(|i| (f64::from(i) * 0.37).sin()).collect();
        let y: Vec<f64> = (0..30).map(|i| (f64::from(i) * 0.73).cos() + 0.1).collect();
        let (mut x, mut y) = (x, y);
        x.sort_by(f64::total_cmp);
        y.sort_by(f64::total_cmp);
        let all = pairs(&x, &y);
        for k in [1, 2, 17, 600, 601, 1199, 1200] {
            assert_eq!(kth_pair(&x, &y, k), all[k - 1], "k = {k}");
        }
    }

    #[test]
    fn exact_distribution_is_the_gaussian_binomial() {
        // n = m = 2: U over 0..=4 has frequencies 1, 1, 2, 1, 1 (six orderings).
        assert_eq!(exact_distribution(2, 2), vec![1.0, 1.0, 2.0, 1.0, 1.0]);
        let total: f64 = exact_distribution(10, 10).iter().sum();
        assert_eq!(total, 184_756.0);
    }

    #[test]
    fn separated_samples_give_the_smallest_exact_p() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [5.0, 6.0, 7.0, 8.0];
        let (shift, interval) = shift_interval(&x, &y, 0.05);
        assert_eq!(shift, 4.0);
        // One ordering in C(8, 4) = 70 puts every y above every x.
        let p = p_above(&x, &y);
        assert!((p - 1.0 / 70.0).abs() < 1e-12, "{p}");
        assert!(interval.is_some_and(|[low, _]| low > 0.0), "{interval:?}");
        assert!((p_above(&y, &x) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn smallest_p_is_one_ordering_in_all() {
        assert!((smallest_p(2, 2) - 1.0 / 6.0).abs() < 1e-15);
        assert!((smallest_p(3, 3) - 1.0 / 20.0).abs() < 1e-15);
        assert!((smallest_p(4, 5) - 1.0 / 126.0).abs() < 1e-15);
        assert!((smallest_p(10, 10) - 1.0 / 184_756.0).abs() < 1e-18);
        assert!(smallest_p(100, 100) < 1e-20);
        assert_eq!(samples_needed(0.05), 3);
        assert_eq!(samples_needed(0.02), 4);
        assert_eq!(samples_needed(0.0004), 7);
        // The exact test reaches what smallest_p promises, and no interval exists below.
        let (x, y) = ([1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]);
        assert!((p_above(&x, &y) - smallest_p(4, 4)).abs() < 1e-15);
        assert_eq!(shift_interval(&[1.0, 2.0], &[3.0, 4.0], 0.05).1, None);
    }

    #[test]
    fn the_critical_value_is_the_smallest_u_at_the_level() {
        // n = m = 4: P(U = 16) = 1/70, P(U >= 15) = 2/70, P(U >= 14) = 4/70.
        assert_eq!(critical_u(4, 4, 0.02), Some(16.0));
        assert_eq!(critical_u(4, 4, 0.03), Some(15.0));
        assert_eq!(critical_u(3, 3, 0.02), None);
        let c = critical_u(100, 100, 0.01).expect("reachable");
        assert!(c > 5_000.0 && c < 10_000.0, "{c}");
    }

    #[test]
    fn ties_use_the_normal_approximation() {
        let x = [1.0, 1.0, 2.0, 2.0, 3.0];
        let (u, ties) = u_statistic(&x, &x);
        assert!(ties);
        assert_eq!(u, 12.5);
        let p = p_above(&x, &x);
        assert!((p - 0.5).abs() < 0.1, "{p}");
        // Every value tied: no spread, no evidence either way.
        assert_eq!(p_above(&[1.0, 1.0], &[1.0, 1.0]), 0.5);
    }
}

//! Pairing records inside a hunk of differing JSONL records.
//!
//! The Myers alignment matches records with identical content. Records that changed
//! (a counter, a timestamp nobody redacted) land in one hunk; pairing them in order
//! would turn one inserted record into a cascade of changes. Inside a hunk records are
//! therefore paired by similarity: a weighted longest common subsequence where two
//! records may pair when at least half of their fields are equal, maximising the total
//! similarity. Hunks too large for the quadratic table are paired in order.

use serde_json::Value;

/// Largest hunk (baseline records x current records) aligned by similarity.
const MAX_CELLS: usize = 4_000_000;

/// Least similarity for two records to pair as "changed" rather than delete + insert.
const MIN_SIMILARITY: f32 = 0.5;

/// One step of a hunk's alignment, by index within the hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Baseline record `.0` became current record `.1`.
    Pair(usize, usize),
    /// Baseline record only.
    Delete(usize),
    /// Current record only.
    Insert(usize),
}

/// Aligns a hunk of baseline records with a hunk of current records.
pub fn align_hunk(old: &[&Value], new: &[&Value]) -> Vec<Step> {
    let (n, m) = (old.len(), new.len());
    if !by_similarity(n, m) {
        return in_order(n, m);
    }
    // score[i][j]: best total similarity aligning old[i..] with new[j..].
    let width = m + 1;
    let mut score = vec![0f32; (n + 1) * width];
    let mut sim = vec![0f32; n * m];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let s = similarity(old[i], new[j]);
            sim[i * m + j] = s;
            let mut best = score[(i + 1) * width + j].max(score[i * width + j + 1]);
            if s >= MIN_SIMILARITY {
                best = best.max(score[(i + 1) * width + j + 1] + s);
            }
            score[i * width + j] = best;
        }
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let s = sim[i * m + j];
        let here = score[i * width + j];
        if s >= MIN_SIMILARITY && here == score[(i + 1) * width + j + 1] + s {
            steps.push(Step::Pair(i, j));
            i += 1;
            j += 1;
        } else if here == score[(i + 1) * width + j] {
            steps.push(Step::Delete(i));
            i += 1;
        } else {
            steps.push(Step::Insert(j));
            j += 1;
        }
    }
    steps.extend((i..n).map(Step::Delete));
    steps.extend((j..m).map(Step::Insert));
    steps
}

/// Whether a hunk of `n` baseline and `m` current records is aligned by similarity
/// (and so needs all its records at once); other hunks are paired in order.
pub fn by_similarity(n: usize, m: usize) -> bool {
    n > 0 && m > 0 && (n + 1).saturating_mul(m + 1) <= MAX_CELLS
}

/// Pairs records in order; the surplus is deleted or inserted.
pub fn in_order(n: usize, m: usize) -> Vec<Step> {
    let paired = n.min(m);
    let mut steps: Vec<Step> = (0..paired).map(|k| Step::Pair(k, k)).collect();
    steps.extend((paired..n).map(Step::Delete));
    steps.extend((paired..m).map(Step::Insert));
    steps
}

/// Share of equal fields (objects: keys; arrays: positions) in `[0, 1]`; other values
/// are 1 when equal, else 0.
fn similarity(a: &Value, b: &Value) -> f32 {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let union = x.len() + y.keys().filter(|k| !x.contains_key(*k)).count();
            let equal = x.iter().filter(|(k, v)| y.get(*k) == Some(v)).count();
            ratio(equal, union)
        }
        (Value::Array(x), Value::Array(y)) => {
            let equal = x.iter().zip(y).filter(|(p, q)| p == q).count();
            ratio(equal, x.len().max(y.len()))
        }
        _ => f32::from(u8::from(a == b)),
    }
}

fn ratio(equal: usize, total: usize) -> f32 {
    if total == 0 {
        1.0
    } else {
        equal as f32 / total as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn align(old: &[Value], new: &[Value]) -> Vec<Step> {
        let (o, n): (Vec<&Value>, Vec<&Value>) = (old.iter().collect(), new.iter().collect());
        align_hunk(&o, &n)
    }

    #[test]
    fn insertion_among_changed_records_is_one_insertion() {
        let ev = |ts: u64, e: &str| json!({"ts": ts, "event": e, "agent": "bob"});
        let old = [ev(1, "eat"), ev(2, "sleep")];
        let new = [ev(11, "alert"), ev(12, "eat"), ev(13, "sleep")];
        assert_eq!(
            align(&old, &new),
            vec![Step::Insert(0), Step::Pair(0, 1), Step::Pair(1, 2)]
        );
    }

    #[test]
    fn unrelated_records_are_deleted_and_inserted() {
        let old = [json!({"a": 1, "b": 2, "c": 3})];
        let new = [json!({"a": 9, "b": 8, "c": 3})];
        assert_eq!(align(&old, &new), vec![Step::Delete(0), Step::Insert(0)]);
        assert_eq!(
            align(&[json!(1)], &[json!(1), json!(2)]),
            vec![Step::Pair(0, 0), Step::Insert(1)]
        );
    }

    #[test]
    fn huge_hunks_pair_in_order() {
        assert_eq!(
            in_order(2, 3),
            vec![Step::Pair(0, 0), Step::Pair(1, 1), Step::Insert(2)]
        );
    }
}

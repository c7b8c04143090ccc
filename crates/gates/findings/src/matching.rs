//! Which current findings are the baseline's, wherever they moved: the rest are new,
//! and baseline findings left over are fixed.
//!
//! Findings are compared as multisets, tier by tier, each tier pairing only findings
//! the tiers before it left unpaired; a finding pairs only with one of the same tool
//! and rule:
//!
//! 1. **Fingerprint**: the same value under the same `fingerprints` key, or under the
//!    same `partialFingerprints` key in the same file (tools compute these to survive
//!    edits around a finding).
//! 2. **Snippet**: the same file and the same source text, whitespace collapsed: a
//!    finding on a line that only moved.
//! 3. **Message**: the same file and the same message, whitespace collapsed and digits
//!    ignored (messages quote line numbers: "redefinition of `x` from line 12"): a
//!    finding on a line that was edited, or from a tool that writes no snippet.
//!
//! Within one tier, findings with the same key form a bucket: `n` baseline and `m`
//! current findings pair `min(n, m)` times, so two identical findings where the
//! baseline had one make one new finding, and one identical finding removed while
//! another is added leave the count, and the verdict, unchanged. Which of them pair
//! is decided by distance in lines, nearest first, so the finding named new is the
//! one away from the others' places.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Finding;

/// How a current finding was paired with a baseline one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// By a fingerprint the tool wrote.
    Fingerprint,
    /// By its source text.
    Snippet,
    /// By its message.
    Message,
}

/// The outcome of matching: pairs, new findings and fixed findings, as indexes into
/// the current and baseline lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// `(baseline, current, how)` for every pair, in current order.
    pub pairs: Vec<(usize, usize, How)>,
    /// Current findings without a baseline counterpart, in current order.
    pub new: Vec<usize>,
    /// Baseline findings without a current counterpart, in baseline order.
    pub fixed: Vec<usize>,
}

/// Buckets of one pass larger than this many pairs are paired in line order instead
/// of nearest first, which would need every pair in memory.
const MAX_BUCKET_PAIRS: usize = 1 << 20;

/// Pairs current findings with baseline ones (see the module documentation).
pub fn match_findings(baseline: &[Finding], current: &[Finding]) -> Matching {
    let mut state = State {
        baseline,
        current,
        base_taken: vec![false; baseline.len()],
        pairs: Vec::new(),
        cur_taken: vec![false; current.len()],
    };
    let mut names: BTreeSet<(bool, &str)> = BTreeSet::new();
    for f in baseline.iter().chain(current) {
        names.extend(f.fingerprints.keys().map(|k| (false, k.as_str())));
        names.extend(f.partial_fingerprints.keys().map(|k| (true, k.as_str())));
    }
    for (partial, name) in names {
        state.pass(How::Fingerprint, |f| {
            let (map, file) = if partial {
                (&f.partial_fingerprints, f.file.as_str())
            } else {
                (&f.fingerprints, "")
            };
            let value = map.get(name)?;
            Some(vec![file.to_string(), name.to_string(), value.clone()])
        });
    }
    state.pass(How::Snippet, |f| {
        let snippet = collapse(f.snippet.as_deref()?);
        (!snippet.is_empty()).then(|| vec![f.file.clone(), snippet])
    });
    state.pass(How::Message, |f| {
        Some(vec![f.file.clone(), without_digits(&collapse(&f.message))])
    });
    let mut pairs = state.pairs;
    pairs.sort_by_key(|(_, c, _)| *c);
    Matching {
        pairs,
        new: (0..current.len())
            .filter(|c| !state.cur_taken[*c])
            .collect(),
        fixed: (0..baseline.len())
            .filter(|b| !state.base_taken[*b])
            .collect(),
    }
}

struct State<'a> {
    baseline: &'a [Finding],
    current: &'a [Finding],
    base_taken: Vec<bool>,
    cur_taken: Vec<bool>,
    pairs: Vec<(usize, usize, How)>,
}

/// Bucket key: tool (case-folded), rule, then what the tier compares.
type Key = (String, String, Vec<String>);

impl State<'_> {
    /// Pairs the findings still unpaired whose keys (by `key`) are equal.
    fn pass(&mut self, how: How, key: impl Fn(&Finding) -> Option<Vec<String>>) {
        let full = |f: &Finding| key(f).map(|k| (f.tool.to_lowercase(), f.rule.clone(), k));
        let mut buckets: BTreeMap<Key, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for (i, f) in self.baseline.iter().enumerate() {
            if let Some(k) = (!self.base_taken[i]).then(|| full(f)).flatten() {
                buckets.entry(k).or_default().0.push(i);
            }
        }
        for (i, f) in self.current.iter().enumerate() {
            if let Some(k) = (!self.cur_taken[i]).then(|| full(f)).flatten() {
                if let Some(bucket) = buckets.get_mut(&k) {
                    bucket.1.push(i);
                }
            }
        }
        for (bs, cs) in buckets.into_values() {
            for (b, c) in nearest(&bs, &cs, self.baseline, self.current) {
                self.base_taken[b] = true;
                self.cur_taken[c] = true;
                self.pairs.push((b, c, how));
            }
        }
    }
}

/// Pairs `min(n, m)` of the bucket's findings, nearest lines first (ties in order).
fn nearest(bs: &[usize], cs: &[usize], base: &[Finding], cur: &[Finding]) -> Vec<(usize, usize)> {
    let line = |f: &Finding| f.line.unwrap_or(0);
    if bs.len() == 1 && cs.len() == 1 {
        return vec![(bs[0], cs[0])];
    }
    if bs.len().saturating_mul(cs.len()) > MAX_BUCKET_PAIRS {
        let mut bs = bs.to_vec();
        let mut cs = cs.to_vec();
        bs.sort_by_key(|b| (line(&base[*b]), *b));
        cs.sort_by_key(|c| (line(&cur[*c]), *c));
        return bs.into_iter().zip(cs).collect();
    }
    let mut all: Vec<(u64, usize, usize)> = Vec::with_capacity(bs.len() * cs.len());
    for &b in bs {
        for &c in cs {
            all.push((line(&base[b]).abs_diff(line(&cur[c])), b, c));
        }
    }
    all.sort_unstable();
    let (mut used_b, mut used_c) = (BTreeSet::new(), BTreeSet::new());
    let want = bs.len().min(cs.len());
    let mut out = Vec::with_capacity(want);
    for (_, b, c) in all {
        if out.len() == want {
            break;
        }
        if !used_b.contains(&b) && !used_c.contains(&c) {
            used_b.insert(b);
            used_c.insert(c);
            out.push((b, c));
        }
    }
    out
}

/// Whitespace runs as one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every run of digits as `#`.
fn without_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;
    use proptest::prelude::*;

    fn finding(rule: &str, line: u64, snippet: Option<&str>, message: &str) -> Finding {
        Finding {
            tool: "Bandit".into(),
            rule: rule.into(),
            level: Level::Warning,
            message: message.into(),
            file: "app.py".into(),
            line: Some(line),
            column: Some(5),
            snippet: snippet.map(str::to_string),
            fingerprints: BTreeMap::new(),
            partial_fingerprints: BTreeMap::new(),
        }
    }

    fn shifted(fs: &[Finding], by: u64) -> Vec<Finding> {
        fs.iter()
            .map(|f| Finding {
                line: f.line.map(|l| l + by),
                ..f.clone()
            })
            .collect()
    }

    #[test]
    fn moved_and_edited_lines_are_not_new() {
        let base = [
            finding("B301", 10, Some("pickle.loads(blob)"), "Pickle is unsafe"),
            finding("B602", 20, Some("call(cmd, shell=True)"), "shell=True"),
        ];
        let cur = [
            finding("B602", 31, Some("call(command,  shell=True)"), "shell=True"),
            finding("B301", 12, Some("pickle.loads(blob)"), "Pickle is unsafe"),
        ];
        let m = match_findings(&base, &cur);
        assert_eq!(m.pairs, [(1, 0, How::Message), (0, 1, How::Snippet)]);
        assert!(m.new.is_empty() && m.fixed.is_empty());
    }

    #[test]
    fn identical_findings_count_as_a_multiset() {
        let same = |line| finding("B301", line, Some("pickle.loads(x)"), "Pickle");
        // One more identical finding than the baseline had: one new, the far one.
        let m = match_findings(&[same(10), same(20)], &[same(11), same(21), same(90)]);
        assert_eq!((m.new.clone(), m.fixed.clone()), (vec![2], vec![]));
        // One removed, one added elsewhere: the same count, nothing new or fixed.
        let m = match_findings(&[same(10), same(20)], &[same(20), same(40)]);
        assert!(m.new.is_empty() && m.fixed.is_empty());
        // Two removed of three: two fixed.
        let m = match_findings(&[same(1), same(2), same(3)], &[same(2)]);
        assert_eq!((m.new.len(), m.fixed), (0, vec![0, 2]));
    }

    #[test]
    fn a_different_rule_file_or_tool_never_pairs() {
        let base = finding("B301", 10, Some("x"), "m");
        let mut other_file = base.clone();
        other_file.file = "lib.py".into();
        let mut other_tool = base.clone();
        other_tool.tool = "semgrep".into();
        let other_rule = finding("B302", 10, Some("x"), "m");
        for cur in [other_file, other_tool, other_rule] {
            let m = match_findings(std::slice::from_ref(&base), &[cur]);
            assert_eq!((m.new, m.fixed), (vec![0], vec![0]));
        }
        let mut upper = base.clone();
        upper.tool = "BANDIT".into();
        assert!(
            match_findings(std::slice::from_ref(&base), &[upper])
                .new
                .is_empty()
        );
    }

    #[test]
    fn fingerprints_pair_across_files_partial_ones_within_a_file() {
        let mut a = finding("js/xss", 10, None, "XSS from here");
        a.fingerprints
            .insert("matchBasedId/v1".into(), "abc".into());
        let mut moved = finding("js/xss", 99, None, "XSS from there");
        moved.file = "renamed.js".into();
        moved.fingerprints = a.fingerprints.clone();
        let m = match_findings(std::slice::from_ref(&a), std::slice::from_ref(&moved));
        assert_eq!(m.pairs, [(0, 0, How::Fingerprint)]);

        let mut p = finding("js/xss", 10, None, "XSS one");
        p.partial_fingerprints
            .insert("primaryLocationLineHash".into(), "h:1".into());
        let mut elsewhere = p.clone();
        elsewhere.file = "other.js".into();
        elsewhere.message = "XSS two".into();
        let m = match_findings(std::slice::from_ref(&p), std::slice::from_ref(&elsewhere));
        assert_eq!(m.new, [0]);
    }

    #[test]
    fn line_numbers_in_messages_do_not_make_a_moved_finding_new() {
        let base = [finding(
            "F811",
            12,
            None,
            "Redefinition of unused `os` from line 3",
        )];
        let cur = [finding(
            "F811",
            22,
            None,
            "Redefinition of unused `os` from line 13",
        )];
        assert!(match_findings(&base, &cur).new.is_empty());
    }

    fn arb_findings() -> impl Strategy<Value = Vec<Finding>> {
        let one =
            (0..3usize, 1..40u64, 0..4usize, 0..3usize).prop_map(|(rule, line, snip, msg)| {
                let snippet = (snip > 0).then(|| format!("code {snip}"));
                finding(
                    ["B301", "B602", "F401"][rule],
                    line,
                    snippet.as_deref(),
                    &format!("msg {msg}"),
                )
            });
        proptest::collection::vec(one, 0..12)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Shifting every line and shuffling the order changes nothing.
        #[test]
        fn shifted_and_reordered_findings_are_the_same(fs in arb_findings(), by in 0..1000u64) {
            let mut moved = shifted(&fs, by);
            moved.reverse();
            let m = match_findings(&fs, &moved);
            prop_assert!(m.new.is_empty() && m.fixed.is_empty());
        }

        /// Every finding is paired, new or fixed exactly once; pairs share tool, rule
        /// and file; and new minus fixed is the change in count, rule by rule.
        #[test]
        fn matching_is_a_partition(base in arb_findings(), cur in arb_findings()) {
            let m = match_findings(&base, &cur);
            let mut seen_b = vec![0; base.len()];
            let mut seen_c = vec![0; cur.len()];
            for (b, c, _) in &m.pairs {
                seen_b[*b] += 1;
                seen_c[*c] += 1;
                prop_assert_eq!(&base[*b].rule, &cur[*c].rule);
                prop_assert_eq!(&base[*b].file, &cur[*c].file);
            }
            for b in &m.fixed { seen_b[*b] += 1; }
            for c in &m.new { seen_c[*c] += 1; }
            prop_assert!(seen_b.iter().chain(&seen_c).all(|n| *n == 1));
            for rule in ["B301", "B602", "F401"] {
                let count = |fs: &[Finding], idx: &[usize]| idx.iter().filter(|i| fs[**i].rule == rule).count() as i64;
                let total = |fs: &[Finding]| fs.iter().filter(|f| f.rule == rule).count() as i64;
                let all_b: Vec<usize> = (0..base.len()).collect();
                let all_c: Vec<usize> = (0..cur.len()).collect();
                prop_assert_eq!(
                    count(&cur, &m.new) - count(&base, &m.fixed),
                    count(&cur, &all_c) - count(&base, &all_b)
                );
                prop_assert_eq!(total(&cur) - total(&base), count(&cur, &all_c) - count(&base, &all_b));
            }
        }

        /// Adding one finding with a message no other has makes exactly it new.
        #[test]
        fn one_added_finding_is_the_one_new(fs in arb_findings(), at in 0..12usize, line in 1..60u64) {
            let mut cur = shifted(&fs, 10);
            let added = finding("B301", line, Some("eval(input())"), "a message of its own");
            let at = at.min(cur.len());
            cur.insert(at, added);
            let m = match_findings(&fs, &cur);
            prop_assert_eq!(m.new, vec![at]);
            prop_assert!(m.fixed.is_empty());
        }
    }
}

//! Structural diff of two JSON values: every differing path as a JSON pointer with
//! its old and new value, kept up to a cap and counted beyond it.

use safety_gate_core::evidence::ValueChange;
use safety_gate_core::exact::Decimal;
use serde_json::Value;

use super::nonfinite::{show_string, special};
use super::pointer::{PointerSet, push_token};
use super::tolerance::{Tolerance, ToleranceSet};

/// Differences kept with their values; the rest are only counted.
pub const KEEP: usize = 200;

/// What changed at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Present only in the current value.
    Added,
    /// Present only in the baseline.
    Removed,
    /// Same JSON type, different value.
    Changed,
    /// Different JSON types (`1` against `"1"`).
    TypeChanged,
}

impl Kind {
    /// Lowercase label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
            Kind::TypeChanged => "type changed",
        }
    }
}

/// Lines of the records a JSONL difference belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordLines {
    /// 1-based line in the baseline file.
    pub baseline: Option<u64>,
    /// 1-based line in the current file.
    pub current: Option<u64>,
}

/// One differing path.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// JSON pointer of the path (`""` is the whole document or record).
    pub pointer: String,
    /// What changed.
    pub kind: Kind,
    /// Baseline value, absent for `Added`.
    pub old: Option<Value>,
    /// Current value, absent for `Removed`.
    pub new: Option<Value>,
    /// The JSONL records involved, for JSONL files.
    pub record: Option<RecordLines>,
}

impl Difference {
    /// The JSONL records' lines (`baseline line 3, current line 4`), for JSONL files.
    fn lines(&self) -> Option<String> {
        match self.record.map(|r| (r.baseline, r.current)) {
            Some((Some(b), Some(c))) => Some(format!("baseline line {b}, current line {c}")),
            Some((Some(b), None)) => Some(format!("baseline line {b}")),
            Some((None, Some(c))) => Some(format!("current line {c}")),
            _ => None,
        }
    }

    /// The pointer, or what the empty pointer stands for.
    fn place(&self) -> &str {
        match (self.pointer.is_empty(), self.record.is_some()) {
            (false, _) => &self.pointer,
            (true, true) => "record",
            (true, false) => "(root)",
        }
    }

    /// This difference as evidence to draw: where, what changed, and both values.
    pub fn to_change(&self) -> ValueChange {
        ValueChange {
            at: match self.lines() {
                Some(lines) => format!("[{lines}] {}", self.place()),
                None => self.place().to_string(),
            },
            change: self.kind.as_str().to_string(),
            old: self.old.as_ref().map(show),
            new: self.new.as_ref().map(show),
        }
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(lines) = self.lines() {
            write!(f, "[{lines}] ")?;
        }
        let at = self.place();
        let old = self.old.as_ref().map(show);
        let new = self.new.as_ref().map(show);
        match (self.kind, old, new) {
            (Kind::TypeChanged, Some(o), Some(n)) => {
                let (a, b) = (type_name(self.old.as_ref()), type_name(self.new.as_ref()));
                write!(f, "type changed {at}: {o} ({a}) -> {n} ({b})")
            }
            (Kind::Changed, Some(o), Some(n)) => write!(f, "changed {at}: {o} -> {n}"),
            (_, None, Some(n)) => write!(f, "added {at}: {n}"),
            (_, Some(o), None) => write!(f, "removed {at}: {o}"),
            (kind, _, _) => write!(f, "{} {at}", kind.as_str()),
        }
    }
}

/// Longest rendering of one value in a report line.
const SHOW_CHARS: usize = 80;

/// Compact JSON of a value, NaN and infinities by name, cut to a readable length.
pub fn show(value: &Value) -> String {
    if let Some(token) = special(value) {
        return token.to_string();
    }
    let text = show_string(&value.to_string()).into_owned();
    if text.chars().count() <= SHOW_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SHOW_CHARS).collect();
    format!("{cut}…")
}

/// JSON type name; NaN and infinities count as numbers.
fn type_name(value: Option<&Value>) -> &'static str {
    match value {
        None => "absent",
        Some(v) if special(v).is_some() => "number",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
    }
}

/// The differences found, the first [`KEEP`] with values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Differences {
    /// The first differences, in document order.
    pub listed: Vec<Difference>,
    /// How many differences there are in all.
    pub total: usize,
    /// Records the differences being found belong to (JSONL).
    pub record: Option<RecordLines>,
}

impl Differences {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Counts a difference; keeps it (cloning the values) while under the cap.
    pub fn push(&mut self, pointer: &str, kind: Kind, old: Option<&Value>, new: Option<&Value>) {
        self.total += 1;
        if self.listed.len() < KEEP {
            self.listed.push(Difference {
                pointer: pointer.to_string(),
                kind,
                old: old.cloned(),
                new: new.cloned(),
                record: self.record,
            });
        }
    }
}

/// Tolerances and redactions applied while diffing.
#[derive(Debug, Clone, Copy)]
pub struct DiffOptions<'a> {
    /// Numeric tolerances by pointer glob.
    pub tolerances: &'a ToleranceSet,
    /// Redacted pointer globs.
    pub ignore: &'a PointerSet,
}

/// Adds every difference between `old` and `new` (rooted at `pointer`) to `out`.
pub fn diff_values(
    old: &Value,
    new: &Value,
    pointer: &str,
    opts: DiffOptions<'_>,
    out: &mut Differences,
) {
    walk(old, new, pointer, None, opts, out);
}

fn walk(
    old: &Value,
    new: &Value,
    pointer: &str,
    inherited: Option<Tolerance>,
    opts: DiffOptions<'_>,
    out: &mut Differences,
) {
    if opts.ignore.is_match(pointer) {
        return;
    }
    let tolerance = if opts.tolerances.is_empty() {
        None
    } else {
        opts.tolerances.at(pointer).or(inherited)
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, av) in a {
                let child = push_token(pointer, key);
                match b.get(key) {
                    Some(bv) => walk(av, bv, &child, tolerance, opts, out),
                    None if !opts.ignore.is_match(&child) => {
                        out.push(&child, Kind::Removed, Some(av), None);
                    }
                    None => {}
                }
            }
            for (key, bv) in b {
                if !a.contains_key(key) {
                    let child = push_token(pointer, key);
                    if !opts.ignore.is_match(&child) {
                        out.push(&child, Kind::Added, None, Some(bv));
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let child = push_token(pointer, &i.to_string());
                match (a.get(i), b.get(i)) {
                    (Some(av), Some(bv)) => walk(av, bv, &child, tolerance, opts, out),
                    (Some(av), None) if !opts.ignore.is_match(&child) => {
                        out.push(&child, Kind::Removed, Some(av), None);
                    }
                    (None, Some(bv)) if !opts.ignore.is_match(&child) => {
                        out.push(&child, Kind::Added, None, Some(bv));
                    }
                    _ => {}
                }
            }
        }
        _ => {
            let (ta, tb) = (type_name(Some(old)), type_name(Some(new)));
            if ta != tb {
                out.push(pointer, Kind::TypeChanged, Some(old), Some(new));
            } else if !leaves_equal(old, new, tolerance) {
                out.push(pointer, Kind::Changed, Some(old), Some(new));
            }
        }
    }
}

/// Equality of two leaves of the same type. Numbers compare by exact decimal value
/// (`1` == `1.0`, but `9007199254740993` != `9007199254740992.0`), within the
/// tolerance when one applies, computed exactly too; NaN and infinities only equal
/// themselves.
fn leaves_equal(old: &Value, new: &Value, tolerance: Option<Tolerance>) -> bool {
    if special(old).is_some() || special(new).is_some() {
        return special(old) == special(new);
    }
    let (Value::Number(a), Value::Number(b)) = (old, new) else {
        return old == new;
    };
    let (a, b) = (Decimal::of(a), Decimal::of(b));
    a == b || tolerance.is_some_and(|t| t.accepts(&a, &b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::nonfinite::rewrite;
    use crate::golden::{PointerGlob, ToleranceRule};
    use serde_json::json;

    fn diff_with(old: &Value, new: &Value, tol: &[&str], ignore: &[&str]) -> Differences {
        let rules: Vec<ToleranceRule> = tol.iter().map(|s| s.parse().expect("tol")).collect();
        let globs: Vec<PointerGlob> = ignore.iter().map(|s| s.parse().expect("glob")).collect();
        let (tolerances, ignore) = (ToleranceSet::new(&rules), PointerSet::new(&globs));
        let mut out = Differences::default();
        let opts = DiffOptions {
            tolerances: &tolerances,
            ignore: &ignore,
        };
        diff_values(old, new, "", opts, &mut out);
        out
    }

    fn lines(d: &Differences) -> Vec<String> {
        d.listed.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reports_each_kind_with_pointer_and_values() {
        let old = json!({"a": {"b": 1, "gone": true}, "list": [1, 2], "t": 1, "s/k": "x"});
        let new = json!({"a": {"b": 2, "new": null}, "list": [1], "t": "1", "s/k": "x"});
        assert_eq!(
            lines(&diff_with(&old, &new, &[], &[])),
            vec![
                "changed /a/b: 1 -> 2",
                "removed /a/gone: true",
                "added /a/new: null",
                "removed /list/1: 2",
                "type changed /t: 1 (number) -> \"1\" (string)",
            ]
        );
    }

    #[test]
    fn integers_equal_floats_and_exact_is_the_default() {
        assert!(diff_with(&json!({"x": 1}), &json!({"x": 1.0}), &[], &[]).is_empty());
        assert_eq!(
            diff_with(&json!({"x": 0.1}), &json!({"x": 0.1000000001}), &[], &[]).total,
            1
        );
        let big = json!(9007199254740993_u64);
        assert_eq!(
            diff_with(&big, &json!(9007199254740992_u64), &[], &[]).total,
            1
        );
    }

    #[test]
    fn numbers_compare_by_exact_value_not_as_doubles() {
        let parse =
            |t: &str| -> Value { safety_gate_core::strict_json::from_str(t).expect("json") };
        for (a, b) in [
            ("18446744073709551616", "18446744073709551617"),
            ("9007199254740993", "9007199254740992.0"),
            ("9007199254740993.0", "9007199254740992"),
            ("[0.1]", "[0.10000000000000000001]"),
            ("{\"x\": -1e-400}", "{\"x\": 0}"),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567891",
            ),
        ] {
            assert_eq!(
                diff_with(&parse(a), &parse(b), &[], &[]).total,
                1,
                "{a} {b}"
            );
        }
        for (a, b) in [
            ("1000", "1000.0"),
            ("1000", "1e3"),
            ("[0.5]", "[5E-1]"),
            ("-0", "0.0"),
        ] {
            assert!(
                diff_with(&parse(a), &parse(b), &[], &[]).is_empty(),
                "{a} {b}"
            );
        }
        // A tolerance is applied to the exact values: a double sees no gap here.
        let (a, b) = (parse("[9007199254740993]"), parse("[9007199254740992.0]"));
        assert_eq!(diff_with(&a, &b, &["/0=abs:0.5"], &[]).total, 1);
        assert!(diff_with(&a, &b, &["/0=abs:1"], &[]).is_empty());
        assert!(diff_with(&a, &b, &["/0=rel:1e-15"], &[]).is_empty());
    }

    #[test]
    fn tolerances_cover_subtrees_and_most_specific_rule_applies() {
        let old = json!({"m": {"a_rate": 0.5, "n": {"v": 10.0}}});
        let new = json!({"m": {"a_rate": 0.5000001, "n": {"v": 10.4}}});
        assert_eq!(diff_with(&old, &new, &[], &[]).total, 2);
        assert!(diff_with(&old, &new, &["/m=abs:0.5"], &[]).is_empty());
        let d = diff_with(&old, &new, &["/m/*_rate=rel:1e-6", "/m/n/v=abs:0.1"], &[]);
        assert_eq!(lines(&d), vec!["changed /m/n/v: 10.0 -> 10.4"]);
    }

    #[test]
    fn ignored_pointers_hide_their_subtree() {
        let old = json!({"ts": 1, "run": {"id": "a", "k": 1}, "rows": [{"id": 1}, {"id": 2}]});
        let new = json!({"ts": 2, "run": {"id": "b", "k": 1}, "rows": [{"id": 9}, {"id": 8}], "extra": 1});
        let d = diff_with(&old, &new, &[], &["/ts", "/**/id", "/extra"]);
        assert!(d.is_empty(), "{:?}", lines(&d));
    }

    #[test]
    fn nan_is_explicit() {
        let parse = |t: &str| -> Value { serde_json::from_str(&rewrite(t)).expect("json") };
        assert!(diff_with(&parse("[NaN]"), &parse("[NaN]"), &[], &[]).is_empty());
        let d = diff_with(&parse("[NaN]"), &parse("[1.0]"), &["/**=abs:1e9"], &[]);
        assert_eq!(lines(&d), vec!["changed /0: NaN -> 1.0"]);
        let d = diff_with(&parse("[Infinity]"), &parse("[-Infinity]"), &[], &[]);
        assert_eq!(d.total, 1);
    }

    #[test]
    fn huge_diffs_are_capped_but_counted() {
        let old = Value::Array((0..1000).map(|i| json!(i)).collect());
        let new = Value::Array((0..1000).map(|i| json!(i + 1)).collect());
        let d = diff_with(&old, &new, &[], &[]);
        assert_eq!(d.total, 1000);
        assert_eq!(d.listed.len(), KEEP);
    }
}

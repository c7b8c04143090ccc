//! JSONL golden files: parsed record by record, aligned by record hash (Myers diff),
//! so one inserted record is reported as one insertion, not as every later record
//! changing.
//!
//! Real captures mix log lines into the stream. A line that does not parse as JSON is
//! an error in strict mode and skipped (and counted) otherwise; a line that starts
//! like a JSON record (`{` or `[`) but does not parse is always an error: it is a
//! truncated or corrupt record, not a log line.

use serde_json::Value;
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::Path;
use std::time::{Duration, Instant};

use safety_gate_core::InputError;
use safety_gate_core::exact::Decimal;

use super::align::{Step, align_hunk, by_similarity, in_order};
use super::diff::{DiffOptions, Differences, Kind, RecordLines, diff_values};
use super::nonfinite::rewrite;
use super::pointer::{PointerSet, push_token};

/// How long the alignment may search for the shortest edit script before settling
/// for a longer one (still correct, just less minimal).
const ALIGN_BUDGET: Duration = Duration::from_secs(10);

/// One JSON record and the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number.
    pub line: u64,
    /// The parsed record.
    pub value: Value,
}

/// A parsed JSONL file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonlFile {
    /// The records, in file order.
    pub records: Vec<Record>,
    /// Non-JSON lines passed over (non-strict mode only).
    pub skipped_lines: usize,
}

/// Parses JSONL text read from `path`. Blank lines are ignored.
pub fn parse_jsonl(path: &Path, text: &str, strict: bool) -> Result<JsonlFile, InputError> {
    let mut file = JsonlFile::default();
    for (index, line) in text.lines().enumerate() {
        let number = index as u64 + 1;
        match parse_line(path, number, line, strict)? {
            Line::Blank => {}
            Line::Skipped => file.skipped_lines += 1,
            Line::Record(value) => file.records.push(Record {
                line: number,
                value,
            }),
        }
    }
    Ok(file)
}

/// What one line of a JSONL file holds.
pub(super) enum Line {
    /// Only whitespace.
    Blank,
    /// A non-JSON line passed over (non-strict mode only).
    Skipped,
    /// A record.
    Record(Value),
}

/// Parses line `number` of `path` (without its line ending).
pub(super) fn parse_line(
    path: &Path,
    number: u64,
    line: &str,
    strict: bool,
) -> Result<Line, InputError> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Ok(Line::Blank);
    }
    // Strict: a record with a duplicated key is corrupt, not "the last one wins".
    match safety_gate_core::strict_json::from_str(&rewrite(trimmed)) {
        Ok(value) => Ok(Line::Record(value)),
        Err(e) if trimmed.starts_with(['{', '[']) => {
            let column = line.len() - line.trim_start().len() + e.column();
            Err(InputError::malformed(
                path,
                Some(number),
                Some(column as u64),
                format!("corrupt JSON record: {e}"),
            ))
        }
        Err(_) if strict => Err(InputError::malformed(
            path,
            Some(number),
            Some(1),
            "line is not JSON (strict mode; non-strict mode skips such lines)",
        )),
        Err(_) => Ok(Line::Skipped),
    }
}

/// The records of one side of a comparison, as the alignment sees them: one hash
/// per record, its line, and the records themselves loaded only when needed.
pub(super) trait Records {
    /// Hash of each record, redactions applied (see [`hash`]).
    fn hashes(&self) -> &[u64];
    /// 1-based line number of record `index`.
    fn line(&self, index: usize) -> u64;
    /// The parsed records in `range`.
    fn load(&mut self, range: Range<usize>) -> Result<Vec<Value>, InputError>;
}

/// Records already in memory.
struct InMemory<'a> {
    file: &'a JsonlFile,
    hashes: Vec<u64>,
}

impl Records for InMemory<'_> {
    fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    fn line(&self, index: usize) -> u64 {
        self.file.records[index].line
    }

    fn load(&mut self, range: Range<usize>) -> Result<Vec<Value>, InputError> {
        Ok(self.file.records[range]
            .iter()
            .map(|r| r.value.clone())
            .collect())
    }
}

/// Record-level counts of a JSONL comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordCounts {
    /// Records equal (within tolerances, after redactions).
    pub equal: usize,
    /// Records paired up but differing.
    pub changed: usize,
    /// Records only in the current file.
    pub inserted: usize,
    /// Records only in the baseline.
    pub deleted: usize,
}

/// Aligns the records of two parsed JSONL files and diffs the paired ones.
pub fn diff_jsonl(
    old: &JsonlFile,
    new: &JsonlFile,
    opts: DiffOptions<'_>,
) -> (Differences, RecordCounts) {
    let in_memory = |file| InMemory {
        file,
        hashes: file
            .records
            .iter()
            .map(|r| hash(&r.value, opts.ignore))
            .collect(),
    };
    let (mut old, mut new) = (in_memory(old), in_memory(new));
    match diff_records(&mut old, &mut new, opts) {
        Ok(result) => result,
        Err(e) => unreachable!("records in memory cannot fail to load: {e}"),
    }
}

/// Records of an in-order hunk loaded at a time, so a huge hunk stays small in memory.
const IN_ORDER_CHUNK: usize = 1024;

/// Aligns two record sequences by hash (Myers) and diffs the records of the hunks
/// that differ. Records of equal runs have equal redacted content (up to a 64-bit
/// hash collision) and are counted equal without being loaded again.
pub(super) fn diff_records<R: Records>(
    old: &mut R,
    new: &mut R,
    opts: DiffOptions<'_>,
) -> Result<(Differences, RecordCounts), InputError> {
    let deadline = Instant::now() + ALIGN_BUDGET;
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, old.hashes(), new.hashes(), Some(deadline));
    let mut hunk = Hunk {
        out: Differences::default(),
        counts: RecordCounts::default(),
        opts,
    };
    for op in ops {
        let (o, ol, n, nl) = match op {
            DiffOp::Equal { len, .. } => {
                hunk.counts.equal += len;
                continue;
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index, old_len, new_index, 0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len),
        };
        if by_similarity(ol, nl) {
            let a = old.load(o..o + ol)?;
            let b = new.load(n..n + nl)?;
            let steps = align_hunk(&a.iter().collect::<Vec<_>>(), &b.iter().collect::<Vec<_>>());
            hunk.apply(&steps, (&*old, o, &a), (&*new, n, &b));
            continue;
        }
        // Paired in order: pairs first, then the surplus of one side, chunk by chunk.
        for start in (0..ol.max(nl)).step_by(IN_ORDER_CHUNK) {
            let (a_end, b_end) = (
                (start + IN_ORDER_CHUNK).min(ol),
                (start + IN_ORDER_CHUNK).min(nl),
            );
            let a = old.load(o + start.min(a_end)..o + a_end)?;
            let b = new.load(n + start.min(b_end)..n + b_end)?;
            let steps = in_order(a.len(), b.len());
            hunk.apply(&steps, (&*old, o + start, &a), (&*new, n + start, &b));
        }
    }
    hunk.out.record = None;
    Ok((hunk.out, hunk.counts))
}

/// The differences and counts gathered so far.
struct Hunk<'a> {
    out: Differences,
    counts: RecordCounts,
    opts: DiffOptions<'a>,
}

impl Hunk<'_> {
    /// Applies the steps of a hunk whose records start at `first` on each side.
    fn apply<R: Records>(
        &mut self,
        steps: &[Step],
        (old, o, a): (&R, usize, &[Value]),
        (new, n, b): (&R, usize, &[Value]),
    ) {
        let out = &mut self.out;
        for step in steps {
            match *step {
                Step::Pair(i, j) => {
                    out.record = Some(RecordLines {
                        baseline: Some(old.line(o + i)),
                        current: Some(new.line(n + j)),
                    });
                    let before = out.total;
                    diff_values(&a[i], &b[j], "", self.opts, out);
                    if out.total == before {
                        self.counts.equal += 1;
                    } else {
                        self.counts.changed += 1;
                    }
                }
                Step::Delete(i) => {
                    out.record = Some(RecordLines {
                        baseline: Some(old.line(o + i)),
                        current: None,
                    });
                    out.push("", Kind::Removed, Some(&a[i]), None);
                    self.counts.deleted += 1;
                }
                Step::Insert(j) => {
                    out.record = Some(RecordLines {
                        baseline: None,
                        current: Some(new.line(n + j)),
                    });
                    out.push("", Kind::Added, None, Some(&b[j]));
                    self.counts.inserted += 1;
                }
            }
        }
    }
}

/// Hash of a record's content with redacted paths left out. Numbers hash by exact
/// decimal value, so `1` and `1.0` align while two numbers a double cannot tell apart
/// (large ids, `9007199254740993` and `9007199254740992.0`) never share a hash (equal
/// runs are not diffed again).
pub(super) fn hash(value: &Value, ignore: &PointerSet) -> u64 {
    let mut h = DefaultHasher::new();
    hash_into(value, "", ignore, &mut h);
    h.finish()
}

fn hash_into(value: &Value, pointer: &str, ignore: &PointerSet, h: &mut DefaultHasher) {
    match value {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, *b).hash(h),
        Value::Number(n) => (2u8, Decimal::of(n)).hash(h),
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(items) => {
            4u8.hash(h);
            for (i, item) in items.iter().enumerate() {
                child(item, pointer, &i.to_string(), ignore, h);
            }
        }
        Value::Object(map) => {
            5u8.hash(h);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                key.hash(h);
                child(&map[key], pointer, key, ignore, h);
            }
        }
    }
}

fn child(value: &Value, pointer: &str, token: &str, ignore: &PointerSet, h: &mut DefaultHasher) {
    if ignore.is_empty() {
        return hash_into(value, "", ignore, h);
    }
    let p = push_token(pointer, token);
    if !ignore.is_match(&p) {
        hash_into(value, &p, ignore, h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::{PointerGlob, ToleranceSet};

    fn file(text: &str) -> JsonlFile {
        parse_jsonl(Path::new("x.jsonl"), text, true).expect("valid")
    }

    fn diff(old: &str, new: &str, ignore: &[&str]) -> (Vec<String>, RecordCounts) {
        let globs: Vec<PointerGlob> = ignore.iter().map(|s| s.parse().expect("glob")).collect();
        let (tolerances, ignore) = (ToleranceSet::new(&[]), PointerSet::new(&globs));
        let opts = DiffOptions {
            tolerances: &tolerances,
            ignore: &ignore,
        };
        let (d, counts) = diff_jsonl(&file(old), &file(new), opts);
        (d.listed.iter().map(ToString::to_string).collect(), counts)
    }

    #[test]
    fn one_insertion_is_one_difference_not_a_cascade() {
        let old = "{\"t\":1}\n{\"t\":2}\n{\"t\":3}\n{\"t\":4}\n";
        let new = "{\"t\":1}\n{\"t\":2}\n{\"t\":9}\n{\"t\":3}\n{\"t\":4}\n";
        let (lines, counts) = diff(old, new, &[]);
        assert_eq!(lines, vec!["[current line 3] added record: {\"t\":9}"]);
        assert_eq!(counts.inserted, 1);
        assert_eq!(counts.equal, 4);
    }

    #[test]
    fn changed_and_deleted_records_are_reported_with_lines() {
        let old = "{\"t\":1,\"v\":\"a\"}\n{\"t\":2}\n{\"t\":3,\"v\":\"c\"}\n";
        let new = "{\"t\":1,\"v\":\"a\"}\n{\"t\":3,\"v\":\"C\"}\n";
        let (lines, counts) = diff(old, new, &[]);
        assert_eq!(counts.equal, 1);
        assert_eq!(counts.changed + counts.deleted, 2, "{lines:?}");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("/v: \"c\" -> \"C\"") || l.contains("/t: 2 -> 3")),
            "{lines:?}"
        );
    }

    #[test]
    fn redacted_fields_do_not_break_alignment() {
        let old = "{\"t\":1,\"ts\":100}\n{\"t\":2,\"ts\":101}\n";
        let new = "{\"t\":1,\"ts\":200}\n{\"t\":2,\"ts\":201}\n";
        let (lines, counts) = diff(old, new, &["/ts"]);
        assert!(lines.is_empty(), "{lines:?}");
        assert_eq!(counts.equal, 2);
    }

    #[test]
    fn non_json_lines_error_in_strict_and_are_counted_otherwise() {
        let text = "log line\n{\"a\":1}\n\nRunning...\n";
        let err = parse_jsonl(Path::new("e.jsonl"), text, true).expect_err("strict");
        assert!(err.to_string().starts_with("e.jsonl:1:1"), "{err}");
        let lenient = parse_jsonl(Path::new("e.jsonl"), text, false).expect("lenient");
        assert_eq!(lenient.records.len(), 1);
        assert_eq!(lenient.records[0].line, 2);
        assert_eq!(lenient.skipped_lines, 2);
    }

    #[test]
    fn corrupt_records_are_errors_even_when_lenient() {
        let err =
            parse_jsonl(Path::new("e.jsonl"), "{\"a\":1}\n{\"a\": \n", false).expect_err("corrupt");
        assert_eq!(err.line(), Some(2));
    }
}

//! JSONL golden files read as a stream: one pass keeps, per record, only its redacted
//! hash, byte offset and line number; the records of differing hunks are read again
//! from their offsets. Memory grows with the number of records, not the file size.
//!
//! The checks and their order are those of reading the whole file as text: size
//! limit, empty file, UTF-16/32, invalid UTF-8 (which wins over any JSON error, as
//! the whole file was decoded before parsing), then the first bad line.

use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use safety_gate_core::InputError;
use safety_gate_core::inputs::check_encoding;

use super::jsonl::{Line, Records, hash, parse_line};
use super::pointer::{PointerSet, keeps_a_value};

/// Bytes `check_encoding` looks at.
const ENCODING_PROBE: u64 = 64;

/// An indexed JSONL file: records are loaded from disk on demand.
pub struct JsonlIndex {
    path: PathBuf,
    reader: BufReader<File>,
    /// Reader position, to skip the seek (and buffer drop) on consecutive records.
    position: u64,
    strict: bool,
    hashes: Vec<u64>,
    offsets: Vec<u64>,
    lines: Vec<u64>,
    /// Non-JSON lines passed over (non-strict mode only).
    pub skipped_lines: usize,
    /// Whether any record keeps a value once redacted (see [`keeps_a_value`]).
    pub keeps_values: bool,
}

/// Reads `path` once, line by line, and indexes its records (hash with `ignore`
/// applied, offset, line). Errors are those of reading the file whole.
pub fn index_jsonl(
    path: &Path,
    strict: bool,
    ignore: &PointerSet,
    limit: u64,
) -> Result<JsonlIndex, InputError> {
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = safety_gate_core::inputs::open_file(path, Some(limit))?;
    let mut head = Vec::new();
    (&mut file)
        .take(ENCODING_PROBE)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.is_empty() {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
        });
    }
    check_encoding(path, &head)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut index = JsonlIndex {
        path: path.to_path_buf(),
        reader: BufReader::with_capacity(1 << 16, file),
        position: 0,
        strict,
        hashes: Vec::new(),
        offsets: Vec::new(),
        lines: Vec::new(),
        skipped_lines: 0,
        keeps_values: false,
    };
    let mut buf = Vec::new();
    let (mut number, mut blank, mut first_error) = (0u64, true, None);
    loop {
        buf.clear();
        let offset = index.position;
        let read = index.reader.read_until(b'\n', &mut buf).map_err(io)?;
        if read == 0 {
            break;
        }
        index.position += read as u64;
        number += 1;
        let text = std::str::from_utf8(&buf).map_err(|e| {
            let column = e.valid_up_to() as u64 + 1;
            InputError::malformed(path, Some(number), Some(column), "invalid UTF-8")
        })?;
        // After a bad line only the encoding is still checked: it is reported first.
        if first_error.is_some() {
            continue;
        }
        let line = line_text(text, offset);
        blank &= line.trim().is_empty();
        match parse_line(path, number, line, strict) {
            Ok(Line::Blank) => {}
            Ok(Line::Skipped) => index.skipped_lines += 1,
            Ok(Line::Record(value)) => {
                index.keeps_values = index.keeps_values || keeps_a_value(&value, "", ignore);
                index.hashes.push(hash(&value, ignore));
                index.offsets.push(offset);
                index.lines.push(number);
            }
            Err(e) => first_error = Some(e),
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    if blank {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(index)
}

/// A line without its ending (`\n` or `\r\n`), and without the byte order mark that
/// may open the file.
fn line_text(text: &str, offset: u64) -> &str {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if offset == 0 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    }
}

impl JsonlIndex {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the file holds no record.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Reads record `index` again from its offset.
    fn read_record(&mut self, index: usize, buf: &mut Vec<u8>) -> Result<Value, InputError> {
        let path = self.path.clone();
        let io = |source| InputError::Io {
            path: path.clone(),
            source,
        };
        let (offset, number) = (self.offsets[index], self.lines[index]);
        if self.position != offset {
            self.reader.seek(SeekFrom::Start(offset)).map_err(io)?;
            self.position = offset;
        }
        buf.clear();
        let read = self.reader.read_until(b'\n', buf).map_err(io)?;
        self.position += read as u64;
        let changed = || {
            InputError::malformed(
                &path,
                Some(number),
                None,
                "file changed while being compared",
            )
        };
        let text = std::str::from_utf8(buf).map_err(|_| changed())?;
        match parse_line(&path, number, line_text(text, offset), self.strict)? {
            Line::Record(value) => Ok(value),
            Line::Blank | Line::Skipped => Err(changed()),
        }
    }
}

impl Records for JsonlIndex {
    fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    fn line(&self, index: usize) -> u64 {
        self.lines[index]
    }

    fn load(&mut self, range: Range<usize>) -> Result<Vec<Value>, InputError> {
        let mut buf = Vec::new();
        range.map(|i| self.read_record(i, &mut buf)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::diff::{DiffOptions, Differences};
    use crate::golden::jsonl::{diff_jsonl, diff_records, parse_jsonl};
    use crate::golden::{PointerGlob, ToleranceSet};

    fn index(dir: &Path, name: &str, bytes: &[u8], strict: bool) -> Result<JsonlIndex, InputError> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        index_jsonl(&path, strict, &PointerSet::new(&[]), u64::MAX)
    }

    /// The streamed comparison lists what the in-memory one lists.
    fn same_as_in_memory(old: &str, new: &str, tol: &[&str], ignore: &[&str]) {
        let dir = tempfile::tempdir().expect("tempdir");
        let rules: Vec<_> = tol.iter().map(|s| s.parse().expect("tol")).collect();
        let globs: Vec<PointerGlob> = ignore.iter().map(|s| s.parse().expect("glob")).collect();
        let (tolerances, ignore) = (ToleranceSet::new(&rules), PointerSet::new(&globs));
        let opts = DiffOptions {
            tolerances: &tolerances,
            ignore: &ignore,
        };
        let p = Path::new("x.jsonl");
        let (want, want_counts) = diff_jsonl(
            &parse_jsonl(p, old, false).expect("old"),
            &parse_jsonl(p, new, false).expect("new"),
            opts,
        );
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            index_jsonl(&path, false, &ignore, u64::MAX).expect("index")
        };
        let (mut a, mut b) = (write("a.jsonl", old), write("b.jsonl", new));
        let (got, got_counts) = diff_records(&mut a, &mut b, opts).expect("diff");
        let lines = |d: &Differences| d.listed.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(lines(&got), lines(&want));
        assert_eq!((got.total, got_counts), (want.total, want_counts));
    }

    #[test]
    fn streamed_diff_matches_the_in_memory_diff() {
        let old = "{\"t\":1,\"v\":\"a\"}\nlog\n{\"t\":2}\r\n\n{\"t\":3,\"v\":\"c\",\"r\":0.25}\n";
        let new = "{\"t\":1,\"v\":\"a\"}\n{\"t\":9}\n{\"t\":3,\"v\":\"C\",\"r\":0.2500001}";
        same_as_in_memory(old, new, &[], &[]);
        same_as_in_memory(old, new, &["/r=abs:1e-3"], &["/v"]);
        let many: String = (0..1500).map(|i| format!("{{\"i\":{i}}}\n")).collect();
        let shifted: String = (1..1501)
            .map(|i| format!("{{\"i\":{i},\"x\":1}}\n"))
            .collect();
        same_as_in_memory(&many, &shifted, &[], &[]);
    }

    #[test]
    fn numbers_within_tolerance_pair_and_pass() {
        same_as_in_memory(
            "{\"r\":1.0}\n",
            "{\"r\":1.0000001}\n",
            &["/r=abs:1e-3"],
            &[],
        );
    }

    #[test]
    fn large_integers_that_differ_do_not_hash_equal() {
        same_as_in_memory(
            "{\"id\":9007199254740993}\n",
            "{\"id\":9007199254740992}\n",
            &[],
            &[],
        );
    }

    #[test]
    fn invalid_utf8_wins_over_an_earlier_bad_line_as_when_read_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = b"{\"a\":1}\nnot json\n{\"a\":\"\xff\"}\n";
        let Err(err) = index(dir.path(), "u.jsonl", bytes, true) else {
            panic!("invalid UTF-8 accepted");
        };
        assert_eq!(
            (err.line(), err.to_string().contains("invalid UTF-8")),
            (Some(3), true)
        );
    }

    #[test]
    fn bom_records_and_empty_files_read_as_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ok = index(
            dir.path(),
            "b.jsonl",
            "\u{feff}{\"a\":1}\nlog\n".as_bytes(),
            false,
        )
        .expect("bom");
        assert_eq!((ok.len(), ok.skipped_lines, ok.line(0)), (1, 1, 1));
        for empty in [&b""[..], b"\n  \n", "\u{feff}\n".as_bytes()] {
            let Err(err) = index(dir.path(), "e.jsonl", empty, true) else {
                panic!("empty file accepted");
            };
            assert!(matches!(err, InputError::Empty { .. }), "{err}");
        }
    }
}

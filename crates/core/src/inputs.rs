//! Reading input files so that every failure names the file (and line, when known):
//! missing, a directory, empty, too large, UTF-16, not UTF-8, not JSON (or JSON with a
//! duplicated key), or a glob matching nothing.

use globset::{Glob, GlobMatcher};
use serde_json::Value;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::error::InputError;

pub use crate::context::DEFAULT_MAX_INPUT_BYTES;

/// Reads a whole text file: refuses directories, empty files, files over `limit`
/// bytes, UTF-16 and invalid UTF-8. A leading UTF-8 byte order mark is dropped.
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    decode_text(path, read_bytes(path, limit)?)
}

/// Turns the bytes of a file read from `path` into text with the checks of
/// [`read_text`]: UTF-16 and invalid UTF-8 are refused, a UTF-8 byte order mark is
/// dropped, and a file of only whitespace counts as empty.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, InputError> {
    check_encoding(path, &bytes)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = line_column(e.as_bytes(), offset);
        InputError::malformed(path, Some(line), Some(column), "invalid UTF-8")
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}

/// Refuses UTF-16 and UTF-32 text (by byte order mark, or by the NUL bytes that ASCII
/// text saved as UTF-16 is full of), which would otherwise fail as "invalid UTF-8" at
/// byte 0 and leave the reader guessing.
pub fn check_encoding(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    let utf16 = |what: &str| {
        InputError::malformed(
            path,
            None,
            None,
            format!("{what} is not supported, save the file as UTF-8"),
        )
    };
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(utf16("UTF-32"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(utf16("UTF-16"));
    }
    // ASCII saved as UTF-16 has one NUL in nearly every byte pair.
    let pairs: Vec<&[u8]> = bytes[..bytes.len().min(64)].chunks_exact(2).collect();
    let one_nul = pairs
        .iter()
        .filter(|pair| (pair[0] == 0) != (pair[1] == 0))
        .count();
    if pairs.len() >= 2 && one_nul * 4 >= pairs.len() * 3 {
        return Err(utf16("UTF-16 (without a byte order mark)"));
    }
    Ok(())
}

/// Reads a whole file as bytes, with the same checks as [`read_text`] except UTF-8.
/// A file that grows past `limit` while being read is refused like one that was
/// too large to begin with.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let file = open_file(path, Some(limit))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    if bytes.is_empty() {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(bytes)
}

/// The one way an input file is opened. Refuses anything but a regular file (a
/// directory, a named pipe, a device, a socket), an empty file and, when a limit is
/// given, a file larger than `limit` bytes. The open itself never waits: a named
/// pipe is opened without blocking, then refused for what it is, so a FIFO given as
/// an input cannot hang the run. Streaming readers call it directly.
pub fn open_file(path: &Path, limit: Option<u64>) -> Result<std::fs::File, InputError> {
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(io)?;
    // The type is read from the opened file, not the path, so it cannot change between
    // the check and the read. Reads of a regular file ignore O_NONBLOCK.
    let meta = file.metadata().map_err(io)?;
    if let Some(what) = not_a_file(&meta.file_type()) {
        return Err(InputError::malformed(
            path,
            None,
            None,
            format!("is {what}, expected a regular file"),
        ));
    }
    if let Some(limit) = limit.filter(|l| meta.len() > *l) {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    if meta.len() == 0 {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(file)
}

/// What a file that is not a regular file is, for the error message.
fn not_a_file(kind: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some("a directory")
    } else if kind.is_fifo() {
        Some("a named pipe")
    } else if kind.is_char_device() {
        Some("a character device")
    } else if kind.is_block_device() {
        Some("a block device")
    } else if kind.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    }
}

/// Reads and parses a JSON file; syntax errors carry line and column.
pub fn read_json(path: &Path, limit: u64) -> Result<Value, InputError> {
    let text = read_text(path, limit)?;
    parse_json(path, &text)
}

/// Parses JSON text read from `path`, refusing duplicate object keys, nesting deeper
/// than 128 levels and numbers outside the `f64` range (see [`crate::strict_json`]);
/// errors carry line and column.
pub fn parse_json(path: &Path, text: &str) -> Result<Value, InputError> {
    crate::strict_json::from_str(text).map_err(|e| json_error(path, &e))
}

/// The outline of JSON text read from `path` (see [`crate::strict_json::outline`]), for
/// recognising a format before the chosen reader parses the document; errors carry
/// line and column.
pub fn outline_json(path: &Path, text: &str) -> Result<Value, InputError> {
    crate::strict_json::outline(text).map_err(|e| json_error(path, &e))
}

/// A JSON error as an input error naming `path`, at serde_json's position.
fn json_error(path: &Path, e: &serde_json::Error) -> InputError {
    // The position is already in `path:line:column`; drop serde_json's copy of it.
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    // Line 0 means serde_json knows no position (a check made after parsing).
    let known = e.line() > 0;
    InputError::malformed(
        path,
        known.then_some(e.line() as u64),
        known.then_some(e.column() as u64),
        message,
    )
}

/// 1-based line and column of a byte offset.
pub fn line_column(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() as u64 + 1;
    (line, column)
}

/// Expands a path or glob (`*`, `?`, `**`, `[..]`, `{a,b}`) relative to `base` into the
/// sorted list of files it names. A plain path is returned as is (its absence is found
/// when it is read); a glob that matches no file is an error.
pub fn expand(pattern: &str, base: &Path) -> Result<Vec<PathBuf>, InputError> {
    if !is_glob(pattern) {
        return Ok(vec![base.join(pattern)]);
    }
    let full = base.join(pattern);
    let full_text = full.to_string_lossy().replace('\\', "/");
    let matcher: GlobMatcher = Glob::new(&full_text)
        .map_err(|e| InputError::malformed(pattern, None, None, format!("invalid glob: {e}")))?
        .compile_matcher();
    let root = literal_prefix(&full_text);
    let mut found = Vec::new();
    walk(&root, &matcher, &mut found);
    found.sort();
    if found.is_empty() {
        return Err(InputError::NoMatch { pattern: full_text });
    }
    Ok(found)
}

/// Whether a pattern uses glob syntax.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '{'])
}

/// The directory part of a glob before its first wildcard component (for a plain path,
/// its folder): where [`expand`] starts looking.
pub fn literal_prefix(pattern: &str) -> PathBuf {
    let mut prefix = PathBuf::new();
    let components: Vec<&str> = pattern.split('/').collect();
    for (i, part) in components.iter().enumerate() {
        if is_glob(part) || i + 1 == components.len() {
            break;
        }
        if part.is_empty() && i == 0 {
            prefix.push("/");
        } else {
            prefix.push(part);
        }
    }
    if prefix.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        prefix
    }
}

/// Collects the files below `dir` that match; unreadable directories are passed over
/// (a glob that then matches nothing is still an error).
fn walk(dir: &Path, matcher: &GlobMatcher, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, matcher, found);
        } else if matcher.is_match(path.to_string_lossy().trim_start_matches("./")) {
            found.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_empty_and_directories() {
        let dir = tempfile::tempdir().expect("tempdir");
        let empty = dir.path().join("empty.json");
        std::fs::write(&empty, "  \n").expect("write");
        assert!(matches!(
            read_text(&empty, 100),
            Err(InputError::Empty { .. })
        ));
        assert!(read_text(dir.path(), 100).is_err());
        assert!(matches!(
            read_text(&dir.path().join("missing"), 100),
            Err(InputError::Io { .. })
        ));
    }

    #[test]
    fn special_files_are_refused_at_once_by_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("results.json");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600))
            .expect("mkfifo");
        // A writer that never writes: reading would block forever.
        let cases = [
            (fifo.clone(), "is a named pipe"),
            (PathBuf::from("/dev/zero"), "is a character device"),
            (PathBuf::from("/dev/null"), "is a character device"),
            (dir.path().to_path_buf(), "is a directory"),
        ];
        for (path, expected) in cases {
            let (tx, rx) = std::sync::mpsc::channel();
            let probe = path.clone();
            std::thread::spawn(move || {
                let _ = tx.send(read_bytes(&probe, 1 << 20).map_err(|e| e.to_string()));
            });
            let result = rx
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("reading {} blocked", path.display()));
            let err = result.expect_err("refused");
            assert!(
                err.contains(expected) && err.contains(&path.display().to_string()),
                "{err}"
            );
        }
    }

    #[test]
    fn json_errors_carry_position() {
        let err = parse_json(Path::new("x.json"), "{\n  \"a\": 1,\n  oops\n}").expect_err("bad");
        assert_eq!(err.line(), Some(3));
        assert!(err.to_string().starts_with("x.json:3:"), "{err}");
    }

    #[test]
    fn globs_expand_sorted_and_empty_globs_fail() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("a/b")).expect("mkdir");
        for f in ["a/2.xml", "a/b/1.xml", "a/x.txt"] {
            std::fs::write(dir.path().join(f), "x").expect("write");
        }
        let found = expand("a/**/*.xml", dir.path()).expect("matches");
        assert_eq!(
            found,
            vec![dir.path().join("a/2.xml"), dir.path().join("a/b/1.xml")]
        );
        assert!(matches!(
            expand("a/*.json", dir.path()),
            Err(InputError::NoMatch { .. })
        ));
    }

    #[test]
    fn utf16_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text: Vec<u8> = "{\"a\": 1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let cases = [
            ("le-bom.json", [&[0xFF, 0xFE][..], &text].concat()),
            ("be-bom.json", [&[0xFE, 0xFF][..], &text].concat()),
            ("le-no-bom.json", text.clone()),
        ];
        for (name, bytes) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            let err = read_text(&path, 1000).expect_err(name).to_string();
            assert!(err.contains("UTF-16 ") && err.contains(name), "{err}");
        }
        let path = dir.path().join("utf8.json");
        std::fs::write(&path, "\u{feff}{\"caf\u{e9}\": 1}").expect("write");
        assert!(read_json(&path, 1000).is_ok());
    }

    #[test]
    fn duplicate_json_keys_name_the_file() {
        let err = parse_json(Path::new("d.json"), "{\"a\": 1,\n\"a\": 2}").expect_err("dup");
        assert!(err.to_string().starts_with("d.json:2:"), "{err}");
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
    }
}

//! criterion's `target/criterion` tree. Each benchmark folder `<id>/` holds
//! `new/sample.json` (or `<NAME>/` for a baseline saved with `--save-baseline NAME`),
//! whose `times[i] / iters[i]` are per-iteration samples in nanoseconds; the id is the
//! folder's path relative to the tree (`sum/small`). A benchmark without `sample.json`
//! falls back to `estimates.json`'s median as a single value. One `sample.json` given
//! as a file is one benchmark named by the `benchmark.json` beside it. A benchmark
//! folder may hold others (`g/new/` for a benchmark `g`, `g/f/new/` for `g/f`), so every
//! folder is walked; a folder name that is not UTF-8 (criterion names folders after
//! benchmark ids, which are) is an error, never a lossy id two folders could share.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::{Path, PathBuf};

use super::json::{insert, malformed, number, numbers};
use crate::model::{BenchSet, Direction, Measurement};

/// Largest criterion JSON file read.
const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads every benchmark below `root`, from its `dir_name` folder; no file over
/// `max_bytes` is read.
pub(super) fn read_tree(
    root: &Path,
    dir_name: &str,
    max_bytes: u64,
) -> Result<BenchSet, InputError> {
    let mut found = Vec::new();
    let mut visited = std::collections::HashSet::new();
    walk(root, dir_name, &mut visited, &mut found)?;
    found.sort();
    let mut set = BenchSet::new();
    for bench_dir in found {
        let id = benchmark_id(root, &bench_dir)?;
        let data = bench_dir.join(dir_name);
        let sample = data.join("sample.json");
        let m = if sample.is_file() {
            let doc = read_json(&sample, max_bytes)?;
            samples(&sample, &id, &doc)?
        } else {
            let estimates = data.join("estimates.json");
            let doc = read_json(&estimates, max_bytes)?;
            let median = number(&estimates, &doc["median"]["point_estimate"], || {
                "median.point_estimate".to_string()
            })?;
            Measurement::new(&id, vec![median], Location::file(&estimates))?
                .unit("ns")
                .direction(Direction::Lower)
        };
        insert(root, &mut set, id, m)?;
    }
    if set.is_empty() {
        return Err(malformed(
            root,
            format!(
                "no criterion benchmark found (no `<id>/{dir_name}/sample.json` below this folder)"
            ),
        ));
    }
    Ok(set)
}

/// A benchmark folder's id: its path below `root`, `/`-separated (`.` for the root
/// itself). A component that is not UTF-8 is an error naming the folder.
fn benchmark_id(root: &Path, bench_dir: &Path) -> Result<String, InputError> {
    let mut parts = Vec::new();
    for part in bench_dir
        .strip_prefix(root)
        .unwrap_or(bench_dir)
        .components()
    {
        let Some(part) = part.as_os_str().to_str() else {
            return Err(malformed(
                bench_dir,
                "has a folder name that is not UTF-8: criterion names folders after benchmark \
                 ids, which are UTF-8, so this is not its output (a lossy name could stand for \
                 two folders)",
            ));
        };
        parts.push(part);
    }
    Ok(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// Reads one `sample.json` file.
pub(super) fn read_sample_file(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let bench_dir = path.parent().and_then(Path::parent);
    let named = path
        .parent()
        .map(|p| p.join("benchmark.json"))
        .filter(|p| p.is_file())
        .and_then(|p| read_json(&p, MAX_FILE_BYTES).ok())
        .and_then(|d| d["full_id"].as_str().map(str::to_string));
    let id = named
        .or_else(|| {
            bench_dir
                .and_then(|d| d.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| path.display().to_string());
    let mut set = BenchSet::new();
    let m = samples(path, &id, doc)?;
    set.insert(id, m);
    Ok(set)
}

/// Per-iteration times from `times` and `iters`.
fn samples(path: &Path, id: &str, doc: &Value) -> Result<Measurement, InputError> {
    let times = numbers(path, &doc["times"], || "`times`".to_string())?;
    let iters = numbers(path, &doc["iters"], || "`iters`".to_string())?;
    if times.len() != iters.len() || times.is_empty() {
        return Err(malformed(
            path,
            format!(
                "`times` and `iters` must be non-empty and of equal length (they hold {} and {})",
                times.len(),
                iters.len()
            ),
        ));
    }
    let values = times
        .iter()
        .zip(&iters)
        .enumerate()
        .map(|(n, (t, i))| match t / i {
            per_iter if *i > 0.0 && per_iter.is_finite() => Ok(per_iter),
            _ if *i <= 0.0 => Err(malformed(
                path,
                format!("`iters[{n}]` is {i}, not a positive count"),
            )),
            per_iter => Err(malformed(
                path,
                format!("`times[{n}]` / `iters[{n}]` is {per_iter}, not a finite number"),
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Measurement::new(id, values, Location::file(path))?
        .unit("ns")
        .direction(Direction::Lower))
}

/// Whether a document is a criterion `sample.json`.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc.get("times").is_some() && doc.get("iters").is_some()
}

/// Collects benchmark folders: those holding `dir_name/sample.json` or
/// `dir_name/estimates.json`, and every benchmark folder below them. criterion's `report`
/// folders are passed over, and a folder already visited (through a symlink to `.` or
/// to a parent) is not entered again.
fn walk(
    dir: &Path,
    dir_name: &str,
    visited: &mut std::collections::HashSet<PathBuf>,
    found: &mut Vec<PathBuf>,
) -> Result<(), InputError> {
    let real = std::fs::canonicalize(dir).map_err(|source| InputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    if !visited.insert(real) {
        return Ok(());
    }
    let data = dir.join(dir_name);
    if data.join("sample.json").is_file() || data.join("estimates.json").is_file() {
        found.push(dir.to_path_buf());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| InputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name() != "report")
        .map(|e| e.path())
        .collect();
    // Sorted, so that of two paths to one folder the same one always names it.
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, dir_name, visited, found)?;
        }
    }
    Ok(())
}

fn read_json(path: &Path, max_bytes: u64) -> Result<Value, InputError> {
    safety_gate_core::inputs::read_json(path, MAX_FILE_BYTES.min(max_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn tree_ids_are_relative_paths_and_samples_are_per_iteration() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sample = r#"{"sampling_mode": "Linear", "iters": [1.0, 2.0], "times": [10.0, 30.0]}"#;
        write(dir.path(), "sum/small/new/sample.json", sample);
        write(dir.path(), "sum/small/main/sample.json", sample);
        write(dir.path(), "sum/report/index.html", "<html>");
        write(
            dir.path(),
            "parse/new/estimates.json",
            r#"{"median": {"point_estimate": 42.0}}"#,
        );
        let set = read_tree(dir.path(), "new", MAX_FILE_BYTES).expect("ok");
        assert_eq!(set.keys().collect::<Vec<_>>(), ["parse", "sum/small"]);
        assert_eq!(set["sum/small"].values(), vec![10.0, 15.0]);
        assert_eq!(set["parse"].values(), vec![42.0]);
        let main = read_tree(dir.path(), "main", MAX_FILE_BYTES).expect("saved baseline");
        assert_eq!(main.keys().collect::<Vec<_>>(), ["sum/small"]);
        assert!(read_tree(dir.path(), "nope", MAX_FILE_BYTES).is_err());
    }

    #[test]
    fn sample_errors_name_the_entry() {
        let p = Path::new("sample.json");
        let doc = serde_json::json!({"iters": [1.0, 0.0], "times": [10.0, 0.0]});
        let err = samples(p, "x", &doc).expect_err("iters 0");
        assert!(err.to_string().contains("`iters[1]` is 0"), "{err}");
        let doc = serde_json::json!({"iters": [1e-300], "times": [1e300]});
        let err = samples(p, "x", &doc).expect_err("overflow");
        assert!(err.to_string().contains("`times[0]` / `iters[0]`"), "{err}");
        let doc = serde_json::json!({"iters": [1.0], "times": [1.0, 2.0]});
        let err = samples(p, "x", &doc).expect_err("lengths");
        assert!(err.to_string().contains("hold 2 and 1"), "{err}");
    }

    #[test]
    fn a_benchmark_folder_inside_another_is_read_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sample = r#"{"iters": [1.0], "times": [10.0]}"#;
        write(dir.path(), "g/new/sample.json", sample);
        write(dir.path(), "g/base/sample.json", sample);
        write(dir.path(), "g/f/new/sample.json", sample);
        write(
            dir.path(),
            "g/f/x/new/estimates.json",
            r#"{"median": {"point_estimate": 4.0}}"#,
        );
        let set = read_tree(dir.path(), "new", MAX_FILE_BYTES).expect("ok");
        assert_eq!(set.keys().collect::<Vec<_>>(), ["g", "g/f", "g/f/x"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn folder_names_that_are_not_utf8_are_refused_not_merged() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let sample = r#"{"iters": [1.0], "times": [10.0]}"#;
        // Both would read as `bench\u{fffd}` if decoded lossily.
        for name in [&b"bench\xfe"[..], b"bench\xff"] {
            let folder = dir
                .path()
                .join(std::ffi::OsStr::from_bytes(name))
                .join("new");
            std::fs::create_dir_all(&folder).expect("mkdir");
            std::fs::write(folder.join("sample.json"), sample).expect("write");
        }
        let err = read_tree(dir.path(), "new", MAX_FILE_BYTES).expect_err("not UTF-8");
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_to_visited_folders_are_not_walked_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sample = r#"{"sampling_mode": "Linear", "iters": [1.0], "times": [10.0]}"#;
        write(dir.path(), "sum/new/sample.json", sample);
        for (link, target) in [("loop1", "."), ("loop2", "."), ("sub/up", "..")] {
            std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
            std::os::unix::fs::symlink(target, dir.path().join(link)).expect("symlink");
        }
        let set = read_tree(dir.path(), "new", MAX_FILE_BYTES).expect("ok");
        assert_eq!(set.keys().collect::<Vec<_>>(), ["sum"]);
    }
}

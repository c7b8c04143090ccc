//! `go test -bench` text output. A result line is `BenchmarkName-P  N  v1 unit1  v2
//! unit2 ...`; with `-count=N` each name appears N times and every repeat is a sample.
//! The `-P` (GOMAXPROCS) suffix is dropped so runners with different core counts
//! compare. The time (`ns/op`) keeps the benchmark's name as id; other units
//! (`B/op`, `allocs/op`, `MB/s`, custom metrics) get `name:unit`. Other lines
//! (`goos:`, `PASS`, `ok`, test logs) are ignored.

use safety_gate_core::{InputError, Location};
use std::path::Path;

use super::{finite, malformed};
use crate::model::{BenchSet, Measurement};
use crate::units;

/// Reads every result line.
pub(super) fn read(path: &Path, text: &str) -> Result<BenchSet, InputError> {
    let mut set = BenchSet::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index as u64 + 1;
        let Some((name, metrics)) = result_line(line) else {
            continue;
        };
        if metrics.is_empty() {
            return Err(InputError::malformed(
                path,
                Some(line_no),
                None,
                "result line has no value",
            ));
        }
        for (value, unit) in metrics {
            let id = if unit == "ns/op" {
                name.to_string()
            } else {
                format!("{name}:{unit}")
            };
            let value = finite(path, Some(line_no), &id, value)?;
            if let Some(m) = set.get_mut(&id) {
                m.push(&id, value)?;
                continue;
            }
            let m = Measurement::new(&id, vec![value], Location::line(path, line_no))?.unit(unit);
            let m = match units::parse(unit) {
                Some((kind, _)) => m.direction(kind.direction()),
                None => m,
            };
            set.insert(id, m);
        }
    }
    if set.is_empty() {
        return Err(malformed(path, "no `Benchmark...` result line found"));
    }
    Ok(set)
}

/// Whether the text holds at least one result line.
pub(super) fn looks_like(text: &str) -> bool {
    text.lines()
        .any(|l| result_line(l).is_some_and(|(_, m)| !m.is_empty()))
}

/// The name (without `-P`) and the `(value, unit)` pairs of a result line.
fn result_line(line: &str) -> Option<(&str, Vec<(f64, &str)>)> {
    let mut fields = line.split_whitespace();
    let name = fields.next()?;
    if !name.starts_with("Benchmark") {
        return None;
    }
    // The iteration count must follow; "BenchmarkX ... FAIL" or log lines do not match.
    fields.next()?.parse::<u64>().ok()?;
    let name = match name.rsplit_once('-') {
        Some((base, procs)) if procs.chars().all(|c| c.is_ascii_digit()) && !procs.is_empty() => {
            base
        }
        _ => name,
    };
    let rest: Vec<&str> = fields.collect();
    let mut metrics = Vec::new();
    for pair in rest.chunks(2) {
        let [value, unit] = pair else { return None };
        metrics.push((value.parse().ok()?, *unit));
    }
    Some((name, metrics))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "goos: linux\ngoarch: amd64\npkg: demo\n\
        BenchmarkSum/small-8   \t 1000000\t      1052 ns/op\t       0 B/op\t       0 allocs/op\n\
        BenchmarkSum/small-8   \t 1000000\t      1060 ns/op\t       0 B/op\t       0 allocs/op\n\
        BenchmarkCopy-8 500 2000 ns/op 512.00 MB/s\nPASS\nok  \tdemo\t1.2s\n";

    #[test]
    fn repeats_are_samples_per_unit() {
        let set = read(Path::new("go.txt"), OUT).expect("ok");
        assert_eq!(set["BenchmarkSum/small"].values(), vec![1052.0, 1060.0]);
        assert_eq!(set["BenchmarkSum/small"].location.line, Some(4));
        assert_eq!(set["BenchmarkSum/small:allocs/op"].values(), vec![0.0, 0.0]);
        let mbs = &set["BenchmarkCopy:MB/s"];
        assert_eq!(mbs.direction, Some(crate::Direction::Higher));
        assert!(looks_like(OUT) && !looks_like("Benchmarking is fun\n"));
        assert!(read(Path::new("go.txt"), "PASS\n").is_err());
    }
}

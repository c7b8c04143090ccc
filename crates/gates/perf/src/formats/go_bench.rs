//! `go test -bench` text output. A result line is `BenchmarkName-P  N  v1 unit1  v2
//! unit2 ...`; with `-count=N` each name appears N times and every repeat is a sample.
//! The time (`ns/op`) keeps the benchmark's name as id; other units (`B/op`,
//! `allocs/op`, `MB/s`, custom metrics) get `name:unit`.
//!
//! Names: the `-P` (GOMAXPROCS) suffix is dropped so that runners with different core
//! counts compare, but only where the stripped name stays unique (`-cpu 1,2,4` runs,
//! and sub-benchmarks such as `size-1024` under GOMAXPROCS=1, keep their names). A
//! name defined in two packages (`pkg:` lines) is qualified as `name (package)`.
//!
//! A `--- FAIL:` or `--- SKIP:` line makes that benchmark an error; a `FAIL` line with
//! no failed benchmark named before it (a panic, a build failure) fails the file. A
//! line that starts like a result but does not read exactly is an error, never dropped.

use safety_gate_core::{InputError, Location};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::json::{at_line, finite, malformed};
use super::qualify;
use crate::model::{BenchSet, Direction, Measurement};
use crate::units;

/// What one line of the output holds.
enum Line<'a> {
    Result(&'a str, Vec<(f64, &'a str)>),
    Failed(&'a str, &'static str),
    PackageFailed,
    Package(&'a str),
    Other,
}

/// One result or failure, with the package it was printed under.
struct Entry<'a> {
    package: Option<&'a str>,
    name: &'a str,
    line: u64,
    outcome: Result<Vec<(f64, &'a str)>, &'static str>,
}

/// Reads every result line.
pub(super) fn read(path: &Path, text: &str) -> Result<BenchSet, InputError> {
    let mut package = None;
    let mut named_failure = false;
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index as u64 + 1;
        match classify(line).map_err(|message| at_line(path, line_no, message))? {
            Line::Package(name) => {
                package = Some(name);
                named_failure = false;
            }
            Line::Result(name, metrics) => entries.push(Entry {
                package,
                name,
                line: line_no,
                outcome: Ok(metrics),
            }),
            Line::Failed(name, what) => {
                named_failure |= what == "failed";
                entries.push(Entry {
                    package,
                    name,
                    line: line_no,
                    outcome: Err(what),
                });
            }
            Line::PackageFailed if !named_failure => {
                return Err(at_line(
                    path,
                    line_no,
                    format!(
                        "`go test` reported FAIL{} without naming a failed benchmark (a panic, \
                         a build failure or a failed test): the results are incomplete",
                        package.map(|p| format!(" for {p}")).unwrap_or_default()
                    ),
                ));
            }
            Line::PackageFailed | Line::Other => {}
        }
    }
    let ids = ids(&entries);
    let mut set = BenchSet::new();
    for entry in &entries {
        let name = &ids[&(entry.package, entry.name)];
        let metrics = match &entry.outcome {
            Ok(metrics) => metrics,
            Err(what) => {
                let location = Location::line(path, entry.line);
                let message = format!("`{name}` {what} in `go test` (line {})", entry.line);
                set.insert(name.clone(), Measurement::failed(message, location));
                continue;
            }
        };
        for (value, unit) in metrics {
            let id = if *unit == "ns/op" {
                name.clone()
            } else {
                format!("{name}:{unit}")
            };
            let value = finite(path, Some(entry.line), &id, *value)?;
            if let Some(m) = set.get_mut(&id) {
                m.push(&id, value)?;
                continue;
            }
            let location = Location::line(path, entry.line);
            let m = Measurement::new(&id, vec![value], location)?.unit(*unit);
            let m = match direction(unit) {
                Some(d) => m.direction(d),
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

/// Times and rates decide alone; `B/op` and `allocs/op` are costs per operation in go's
/// own terms. Custom metrics (`b.ReportMetric`) state nothing.
fn direction(unit: &str) -> Option<Direction> {
    units::direction(unit).or(match unit {
        "B/op" | "allocs/op" => Some(Direction::Lower),
        _ => None,
    })
}

/// Whether the text holds at least one result line, or a benchmark that failed or was
/// skipped (a run whose only benchmark failed must still be read, to name it).
pub(super) fn looks_like(text: &str) -> bool {
    text.lines().any(|l| {
        matches!(classify(l), Ok(Line::Result(_, m)) if !m.is_empty())
            || matches!(classify(l), Ok(Line::Failed(..)))
    })
}

/// Reads one line. A result line must read exactly: iterations, then value-unit pairs.
fn classify(line: &str) -> Result<Line<'_>, String> {
    let trimmed = line.trim();
    if let Some(rest) = trimmed.strip_prefix("pkg:") {
        return Ok(Line::Package(rest.trim()));
    }
    for (marker, what) in [("--- FAIL:", "failed"), ("--- SKIP:", "was skipped")] {
        if let Some(rest) = trimmed.strip_prefix(marker) {
            let name = rest.split_whitespace().next().unwrap_or("");
            if is_benchmark_name(name) {
                return Ok(Line::Failed(name, what));
            }
            return if what == "failed" {
                Err(format!("`go test` reported `{trimmed}`: the run failed"))
            } else {
                Ok(Line::Other)
            };
        }
    }
    if trimmed == "FAIL" || trimmed.starts_with("FAIL\t") || trimmed.starts_with("FAIL ") {
        return Ok(Line::PackageFailed);
    }
    let mut fields = line.split_whitespace();
    let Some(name) = fields.next().filter(|n| is_benchmark_name(n)) else {
        return Ok(Line::Other);
    };
    let rest: Vec<&str> = fields.collect();
    let Some((iterations, pairs)) = rest.split_first() else {
        // The name alone: printed before the result under -v or by a sub-benchmark parent.
        return Ok(Line::Other);
    };
    if iterations.parse::<u64>().is_err() {
        return Err(format!(
            "`{name}`: expected an iteration count after the name, found `{iterations}`"
        ));
    }
    if pairs.is_empty() {
        return Err(format!("`{name}`: result line has no value"));
    }
    if pairs.len() % 2 != 0 {
        return Err(format!(
            "`{name}`: unexpected trailing `{}` (a result is value-unit pairs)",
            pairs[pairs.len() - 1]
        ));
    }
    let metrics = pairs
        .chunks(2)
        .map(|pair| match pair[0].parse::<f64>() {
            Ok(v) if v.is_finite() => Ok((v, pair[1])),
            _ => Err(format!(
                "`{name}`: `{} {}` is not a value and a unit",
                pair[0], pair[1]
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Line::Result(name, metrics))
}

/// go's rule: `Benchmark` followed by nothing or by a character that is not lower case.
fn is_benchmark_name(token: &str) -> bool {
    token
        .strip_prefix("Benchmark")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_lowercase()))
}

/// The name without its `-P` suffix, if it has one.
fn stripped(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((base, procs))
            if !base.is_empty()
                && !procs.is_empty()
                && procs.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => name,
    }
}

/// The id of every (package, printed name): `-P` dropped where that keeps names of one
/// package apart, then qualified by package where two packages share a name.
fn ids<'a>(entries: &[Entry<'a>]) -> BTreeMap<(Option<&'a str>, &'a str), String> {
    let printed: BTreeSet<(Option<&str>, &str)> =
        entries.iter().map(|e| (e.package, e.name)).collect();
    let mut by_stripped: BTreeMap<(Option<&str>, &str), usize> = BTreeMap::new();
    for (package, name) in &printed {
        *by_stripped.entry((*package, stripped(name))).or_default() += 1;
    }
    let short = |package: Option<&'a str>, name: &'a str| -> &'a str {
        if by_stripped[&(package, stripped(name))] == 1 {
            stripped(name)
        } else {
            name
        }
    };
    let qualified = qualify::ids(printed.iter().map(|(p, n)| (*p, short(*p, n))));
    printed
        .iter()
        .map(|(p, n)| ((*p, *n), qualified[&(*p, short(*p, n))].clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "goos: linux\ngoarch: amd64\npkg: demo\n\
        BenchmarkSum/small-8   \t 1000000\t      1052 ns/op\t       0 B/op\t       0 allocs/op\n\
        BenchmarkSum/small-8   \t 1000000\t      1060 ns/op\t       0 B/op\t       0 allocs/op\n\
        BenchmarkCopy-8 500 2000 ns/op 512.00 MB/s\nPASS\nok  \tdemo\t1.2s\n";

    fn read_str(text: &str) -> Result<BenchSet, String> {
        read(Path::new("go.txt"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn repeats_are_samples_per_unit() {
        let set = read_str(OUT).expect("ok");
        assert_eq!(set["BenchmarkSum/small"].values(), vec![1052.0, 1060.0]);
        assert_eq!(set["BenchmarkSum/small"].location.line, Some(4));
        assert_eq!(set["BenchmarkSum/small:allocs/op"].values(), vec![0.0, 0.0]);
        let mbs = &set["BenchmarkCopy:MB/s"];
        assert_eq!(mbs.direction, Some(Direction::Higher));
        assert!(looks_like(OUT) && !looks_like("Benchmarking is fun\n"));
        assert!(read_str("PASS\n").is_err());
    }

    #[test]
    fn a_name_in_two_packages_is_qualified_by_package() {
        let text = "pkg: a/cache\nBenchmarkX-4 100 55.76 ns/op\nBenchmarkY-4 100 1 ns/op\n\
                    pkg: a/csrf\nBenchmarkX-4 100 0.37 ns/op\n";
        let set = read_str(text).expect("ok");
        assert_eq!(
            set.keys().collect::<Vec<_>>(),
            ["BenchmarkX (a/cache)", "BenchmarkX (a/csrf)", "BenchmarkY"]
        );
        assert_eq!(set["BenchmarkX (a/csrf)"].values(), vec![0.37]);
    }

    #[test]
    fn procs_suffix_is_dropped_only_where_names_stay_unique() {
        let cpu = "BenchmarkX 100 10 ns/op\nBenchmarkX-2 100 6 ns/op\nBenchmarkX-4 100 4 ns/op\n";
        let set = read_str(cpu).expect("ok");
        assert_eq!(
            set.keys().collect::<Vec<_>>(),
            ["BenchmarkX", "BenchmarkX-2", "BenchmarkX-4"]
        );
        let sizes = "BenchmarkCopy/size-1024 100 10 ns/op\nBenchmarkCopy/size-2048 100 20 ns/op\n";
        let set = read_str(sizes).expect("ok");
        assert_eq!(
            set.keys().collect::<Vec<_>>(),
            ["BenchmarkCopy/size-1024", "BenchmarkCopy/size-2048"]
        );
        let set = read_str("BenchmarkCopy/size-1024-8 100 10 ns/op\n").expect("ok");
        assert_eq!(set.keys().collect::<Vec<_>>(), ["BenchmarkCopy/size-1024"]);
    }

    #[test]
    fn failures_and_skips_are_errors_naming_the_benchmark() {
        let text = "BenchmarkA-8 100 10 ns/op\n--- FAIL: BenchmarkB-8\n    b_test.go:9: boom\n\
                    --- SKIP: BenchmarkC\nFAIL\nexit status 1\nFAIL\tdemo\t0.1s\n";
        let set = read_str(text).expect("ok");
        assert_eq!(set["BenchmarkA"].values(), vec![10.0]);
        let b = set["BenchmarkB"].error().expect("error");
        assert!(b.contains("BenchmarkB") && b.contains("failed"), "{b}");
        assert!(
            set["BenchmarkC"]
                .error()
                .expect("error")
                .contains("skipped")
        );
        let err = read_str("BenchmarkA-8 100 10 ns/op\npanic: boom\nFAIL\tdemo\t0.1s\n")
            .expect_err("unnamed failure");
        assert!(err.contains("go.txt:3") && err.contains("FAIL"), "{err}");
    }

    #[test]
    fn a_result_line_that_does_not_read_exactly_is_an_error() {
        for bad in [
            "BenchmarkA-8 100 10 ns/op extra\n",
            "BenchmarkA-8 100 10 ns/op 5\n",
            "BenchmarkA-8 100\n",
            "BenchmarkA-8 100 ten ns/op\n",
            "BenchmarkA-8 12.5 ns/op\n",
            "BenchmarkA-8 100 NaN ns/op\n",
        ] {
            let err = read_str(bad).expect_err(bad);
            assert!(err.starts_with("go.txt:1: "), "{err}");
        }
        assert!(read_str("BenchmarkA\nBenchmarkA-8 100 10 ns/op\n").is_ok());
    }
}

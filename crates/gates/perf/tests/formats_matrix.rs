//! Every real-tool fixture under `fixtures/perf/` against every format: `auto` picks
//! the fixture's own format, and no other format's reader accepts it (so `auto` can
//! never read a file as the wrong format). A fixture left out of the table fails.

use safety_gate_perf::formats::{FORMATS, ReadOptions, parse};
use safety_gate_perf::{Format, Statistic};
use std::path::{Path, PathBuf};

/// Each fixture folder's result files and their format.
const FIXTURES: &[(&str, Format)] = &[
    ("asv/base.json", Format::Asv),
    ("asv/slow.json", Format::Asv),
    ("asv/run-base.txt", Format::Asv),
    ("asv/run-slow.txt", Format::Asv),
    ("benchmarkdotnet/base.json", Format::Benchmarkdotnet),
    ("benchmarkdotnet/slow.json", Format::Benchmarkdotnet),
    ("benchmarkjs/base.txt", Format::Benchmarkjs),
    ("benchmarkjs/slow.txt", Format::Benchmarkjs),
    ("benchmarkluau/base.txt", Format::Benchmarkluau),
    ("benchmarkluau/slow.txt", Format::Benchmarkluau),
    ("bmf/base.json", Format::Bmf),
    ("bmf/slow.json", Format::Bmf),
    ("callgrind/gungraun-base.json", Format::Callgrind),
    ("callgrind/gungraun-slow.json", Format::Callgrind),
    ("callgrind/gungraun-base.txt", Format::Callgrind),
    ("callgrind/gungraun-slow.txt", Format::Callgrind),
    ("callgrind/iai-base.txt", Format::Callgrind),
    ("callgrind/iai-slow.txt", Format::Callgrind),
    ("catch2/base.txt", Format::Catch2),
    ("catch2/slow.txt", Format::Catch2),
    ("criterion-text/base.txt", Format::CriterionText),
    ("criterion-text/slow.txt", Format::CriterionText),
    (
        "criterion/tree/sum/small/new/sample.json",
        Format::Criterion,
    ),
    (
        "criterion/tree/sum/small/main/sample.json",
        Format::Criterion,
    ),
    (
        "criterion/tree/sum/large/new/sample.json",
        Format::Criterion,
    ),
    (
        "criterion/tree/sum/large/main/sample.json",
        Format::Criterion,
    ),
    (
        "custom/custom_bigger_base.json",
        Format::CustomBiggerIsBetter,
    ),
    (
        "custom/custom_bigger_slow.json",
        Format::CustomBiggerIsBetter,
    ),
    (
        "custom/custom_smaller_base.json",
        Format::CustomSmallerIsBetter,
    ),
    (
        "custom/custom_smaller_slow.json",
        Format::CustomSmallerIsBetter,
    ),
    ("go-bench/base.txt", Format::GoBench),
    ("go-bench/slow.txt", Format::GoBench),
    ("google-benchmark/base.json", Format::GoogleBenchmark),
    ("google-benchmark/slow.json", Format::GoogleBenchmark),
    ("google-benchmark/error.json", Format::GoogleBenchmark),
    ("hyperfine/base.json", Format::Hyperfine),
    ("hyperfine/same.json", Format::Hyperfine),
    ("hyperfine/slow.json", Format::Hyperfine),
    ("jmh/base.json", Format::Jmh),
    ("jmh/slow.json", Format::Jmh),
    ("julia/base.json", Format::Julia),
    ("julia/slow.json", Format::Julia),
    ("libtest/bencher-base.txt", Format::Libtest),
    ("libtest/bencher-slow.txt", Format::Libtest),
    ("pyperf/base.json", Format::Pyperf),
    ("machines/pyperf-selma.json", Format::Pyperf),
    ("machines/pyperf-here.json", Format::Pyperf),
    ("machines/pytest-minibox.json", Format::PytestBenchmark),
    ("machines/pytest-here.json", Format::PytestBenchmark),
    ("pyperf/slow.json", Format::Pyperf),
    ("pytest-benchmark/base.json", Format::PytestBenchmark),
    ("pytest-benchmark/slow.json", Format::PytestBenchmark),
    ("vitest/base.json", Format::Vitest),
    ("vitest/slow.json", Format::Vitest),
];

/// Files in the fixture folders that are not results: the benchmarks' sources, the
/// criterion tree's other files, and a hand-written generic-json baseline.
fn is_result(rel: &str) -> bool {
    let source = [".rs", ".py", ".cjs", ".js", ".cpp", ".cc", ".go"]
        .iter()
        .any(|ext| rel.ends_with(ext));
    !(source
        || rel.ends_with("asv.conf.json")
        || rel.ends_with("benchmark.json")
        || rel.ends_with("estimates.json")
        || rel.starts_with("townlet-shaped/"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/perf")
}

fn read(rel: &str, format: Format) -> Result<Format, String> {
    let path = root().join(rel);
    let bytes = std::fs::read(&path).expect("fixture");
    let options = ReadOptions {
        metrics: &[],
        criterion_dir: "new",
        max_bytes: u64::MAX,
        statistic: Statistic::default(),
    };
    parse(Path::new(rel), bytes, format, options)
        .map(|(_, chosen)| chosen)
        .map_err(|e| e.to_string())
}

fn walk(dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(&path, found);
        } else {
            let rel = path.strip_prefix(root()).expect("under root");
            found.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn every_result_fixture_is_in_the_table() {
    let mut found = Vec::new();
    walk(&root(), &mut found);
    let missing: Vec<&String> = found
        .iter()
        .filter(|rel| is_result(rel) && !FIXTURES.iter().any(|(f, _)| f == rel))
        .collect();
    assert!(
        missing.is_empty(),
        "fixtures missing from FIXTURES: {missing:?}"
    );
}

#[test]
fn auto_reads_every_fixture_as_its_own_format() {
    for (rel, format) in FIXTURES {
        assert_eq!(read(rel, Format::Auto), Ok(*format), "{rel}");
        assert_eq!(read(rel, *format), Ok(*format), "{rel}");
    }
}

#[test]
fn no_other_format_reads_a_fixture() {
    for (rel, own) in FIXTURES {
        for (other, name) in FORMATS {
            // kv reads `name=<number>` pairs from any log by design; auto tries it last.
            if matches!(other, Format::Auto | Format::Kv) || other == own {
                continue;
            }
            let err = read(rel, *other).expect_err(&format!("{rel} read as {name}"));
            assert!(err.starts_with(rel), "{rel} as {name}: {err}");
        }
    }
}

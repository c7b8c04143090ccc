//! The format names: one enum value per adapter, the name used on the command line and
//! in config, and what each reads (shown by `--help` and in the docs).

use serde::Deserialize;

/// Input formats the perf gate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Format {
    /// Detect from content.
    #[default]
    Auto,
    /// Any JSON; metrics name the values by JSON pointer.
    GenericJson,
    /// `name=value` lines anywhere in a text log; other lines are ignored.
    Kv,
    /// A criterion `target/criterion` tree (or one `sample.json`).
    Criterion,
    /// criterion's terminal output (`time: [low estimate high]`).
    CriterionText,
    /// `cargo bench` (libtest) text, also criterion's `--output-format bencher`.
    Libtest,
    /// pytest-benchmark `--benchmark-json`.
    PytestBenchmark,
    /// hyperfine `--export-json`.
    Hyperfine,
    /// Google Benchmark `--benchmark_format=json`.
    GoogleBenchmark,
    /// pyperf JSON (`-o file.json`).
    Pyperf,
    /// `go test -bench` text output.
    GoBench,
    /// Catch2 v2/v3 benchmark console tables.
    Catch2,
    /// benchmark.js console lines (`NAME x 1,234 ops/sec ±0.5% (90 runs sampled)`).
    Benchmarkjs,
    /// JMH `-rf json` results.
    Jmh,
    /// BenchmarkDotNet JSON exporter (`*-report-full.json`, `*-report.json`).
    Benchmarkdotnet,
    /// Julia BenchmarkTools JSON (`BenchmarkTools.save`).
    Julia,
    /// airspeed velocity results JSON (`.asv/results/<machine>/<commit>-<env>.json`)
    /// or its `asv run` console table.
    Asv,
    /// Vitest `vitest bench --outputJson` results.
    Vitest,
    /// Instruction counts from iai and iai-callgrind/gungraun (text summaries, JSON).
    Callgrind,
    /// Bencher Metric Format JSON.
    Bmf,
    /// Luau's `bench.py` output (`SUCCESS: NAME : 1.23ms +/- 0.5% on luau`).
    Benchmarkluau,
    /// github-action-benchmark `customSmallerIsBetter` array.
    CustomSmallerIsBetter,
    /// github-action-benchmark `customBiggerIsBetter` array.
    CustomBiggerIsBetter,
}

/// Every format with its name, in the order `--help` lists them.
pub const FORMATS: &[(Format, &str)] = &[
    (Format::Auto, "auto"),
    (Format::GenericJson, "generic-json"),
    (Format::Kv, "kv"),
    (Format::Criterion, "criterion"),
    (Format::CriterionText, "criterion-text"),
    (Format::Libtest, "libtest"),
    (Format::PytestBenchmark, "pytest-benchmark"),
    (Format::Hyperfine, "hyperfine"),
    (Format::GoogleBenchmark, "google-benchmark"),
    (Format::Pyperf, "pyperf"),
    (Format::GoBench, "go-bench"),
    (Format::Catch2, "catch2"),
    (Format::Benchmarkjs, "benchmarkjs"),
    (Format::Jmh, "jmh"),
    (Format::Benchmarkdotnet, "benchmarkdotnet"),
    (Format::Julia, "julia"),
    (Format::Asv, "asv"),
    (Format::Vitest, "vitest"),
    (Format::Callgrind, "callgrind"),
    (Format::Bmf, "bmf"),
    (Format::Benchmarkluau, "benchmarkluau"),
    (Format::CustomSmallerIsBetter, "custom-smaller-is-better"),
    (Format::CustomBiggerIsBetter, "custom-bigger-is-better"),
];

/// What a format's files are: text, JSON, or either (told apart by the first character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Text,
    Json,
    Either,
}

impl Format {
    /// The name used in config and on the command line.
    pub fn as_str(self) -> &'static str {
        FORMATS
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("auto", |(_, name)| name)
    }

    /// Whether the format's files are text, JSON or either.
    pub(super) fn shape(self) -> Shape {
        match self {
            Format::Kv
            | Format::GoBench
            | Format::Libtest
            | Format::CriterionText
            | Format::Catch2
            | Format::Benchmarkjs
            | Format::Benchmarkluau => Shape::Text,
            Format::Callgrind | Format::Asv | Format::Auto => Shape::Either,
            _ => Shape::Json,
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FORMATS
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(f, _)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = FORMATS.iter().map(|(_, n)| *n).collect();
                format!(
                    "unknown format `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_through_serde_and_from_str() {
        for (format, name) in FORMATS {
            assert_eq!(name.parse::<Format>(), Ok(*format));
            let via_serde: Format =
                serde_json::from_value(serde_json::Value::String(name.to_string()))
                    .expect("serde name");
            assert_eq!(via_serde, *format, "{name}");
            assert_eq!(format.as_str(), *name);
        }
    }
}

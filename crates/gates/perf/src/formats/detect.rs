//! `--format auto`: which adapter a file's content calls for. Each format is known by
//! keys its tool always writes; a file matching none is an error, never a guess.

use safety_gate_core::InputError;
use serde_json::Value;
use std::path::Path;

use super::{Format, custom, go_bench, malformed};
use crate::config::MetricSpec;

/// The format of `text`, with the parsed JSON document for JSON formats (`Null` for
/// text formats).
pub(super) fn detect(
    path: &Path,
    text: &str,
    metrics: &[MetricSpec],
) -> Result<(Format, Value), InputError> {
    let looks_json = matches!(text.trim_start().chars().next(), Some('{' | '['));
    if !looks_json {
        if go_bench::looks_like(text) {
            return Ok((Format::GoBench, Value::Null));
        }
        if text.lines().any(|l| l.contains('=')) {
            return Ok((Format::Kv, Value::Null));
        }
        return Err(no_match(path));
    }
    let doc = safety_gate_core::inputs::parse_json(path, text)?;
    if let Some(format) = json_format(&doc) {
        return Ok((format, doc));
    }
    if custom::looks_like(&doc) {
        return match custom::direction_from_units(&doc) {
            Some(crate::Direction::Higher) => Ok((Format::CustomBiggerIsBetter, doc)),
            Some(crate::Direction::Lower) => Ok((Format::CustomSmallerIsBetter, doc)),
            None => Err(malformed(
                path,
                "looks like github-action-benchmark's custom format, but its units do not say \
                 whether smaller or bigger is better: use --format custom-smaller-is-better or \
                 custom-bigger-is-better",
            )),
        };
    }
    if !metrics.is_empty() {
        return Ok((Format::GenericJson, doc));
    }
    Err(no_match(path))
}

/// The JSON benchmark formats, recognised by the keys their tools always write.
fn json_format(doc: &Value) -> Option<Format> {
    let first = |key: &str| doc[key].as_array().and_then(|a| a.first());
    if let Some(result) = first("results") {
        if result.get("command").is_some() && result.get("times").is_some() {
            return Some(Format::Hyperfine);
        }
    }
    if doc.get("times").is_some() && doc.get("iters").is_some() {
        return Some(Format::Criterion);
    }
    let bench = first("benchmarks")?;
    if bench.get("stats").is_some() && bench.get("fullname").is_some() {
        Some(Format::PytestBenchmark)
    } else if bench.get("run_name").is_some() || bench.get("time_unit").is_some() {
        Some(Format::GoogleBenchmark)
    } else if bench.get("runs").is_some() {
        Some(Format::Pyperf)
    } else {
        None
    }
}

fn no_match(path: &Path) -> InputError {
    malformed(
        path,
        "matches no known benchmark format (criterion, pytest-benchmark, hyperfine, \
         google-benchmark, pyperf, go-bench, custom-*, kv; generic-json needs --metric): \
         name one with --format",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(text: &str) -> Result<Format, String> {
        detect(Path::new("f"), text, &[])
            .map(|(f, _)| f)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn recognises_each_format_by_its_keys() {
        let cases = [
            (
                r#"{"results": [{"command": "x", "times": [1]}]}"#,
                Format::Hyperfine,
            ),
            (
                r#"{"sampling_mode": "Linear", "iters": [1], "times": [2]}"#,
                Format::Criterion,
            ),
            (
                r#"{"benchmarks": [{"fullname": "t.py::a", "stats": {}}]}"#,
                Format::PytestBenchmark,
            ),
            (
                r#"{"context": {}, "benchmarks": [{"run_name": "BM"}]}"#,
                Format::GoogleBenchmark,
            ),
            (
                r#"{"version": "1.0", "benchmarks": [{"runs": []}]}"#,
                Format::Pyperf,
            ),
            (
                r#"[{"name": "a", "value": 1, "unit": "ms"}]"#,
                Format::CustomSmallerIsBetter,
            ),
            (
                r#"[{"name": "a", "value": 1, "unit": "ops/s"}]"#,
                Format::CustomBiggerIsBetter,
            ),
            ("BenchmarkSum-8   100   12.5 ns/op\n", Format::GoBench),
            ("log line\nt=1\n", Format::Kv),
        ];
        for (text, format) in cases {
            assert_eq!(detected(text), Ok(format), "{text}");
        }
    }

    #[test]
    fn unknown_content_is_an_error_naming_the_file() {
        for text in [
            r#"{"a": 1}"#,
            "just words\n",
            r#"[{"name": "a", "value": 1, "unit": "furlongs"}]"#,
        ] {
            let err = detected(text).expect_err(text);
            assert!(err.starts_with("f: "), "{err}");
        }
    }
}

//! `--format auto`: which adapter a file's content calls for. Each format is known by
//! what its tool always writes (keys of its JSON, the shape of its lines); a file that
//! matches no format, or more than one, is an error, never a guess. `kv` is the last
//! resort for text and needs a `name=<number>` pair; `generic-json` needs `--metric`.

use safety_gate_core::InputError;
use serde_json::Value;
use std::path::Path;

use super::json::malformed;
use super::read::looks_json;
use super::{
    FORMATS, Format, asv, benchmarkdotnet, benchmarkjs, benchmarkluau, bmf, callgrind, catch2,
    criterion, criterion_text, custom, go_bench, google_benchmark, hyperfine, jmh, julia, kv,
    libtest, pyperf, pytest_benchmark, vitest,
};
use crate::config::MetricSpec;

/// Recognises a text format.
type TextTest = fn(&str) -> bool;
/// Recognises a JSON format.
type JsonTest = fn(&Value) -> bool;

/// Text formats and how each is recognised.
const TEXT: &[(Format, TextTest)] = &[
    (Format::GoBench, go_bench::looks_like),
    (Format::Libtest, libtest::looks_like),
    (Format::CriterionText, criterion_text::looks_like),
    (Format::Catch2, catch2::looks_like),
    (Format::Benchmarkjs, benchmarkjs::looks_like),
    (Format::Benchmarkluau, benchmarkluau::looks_like),
    (Format::Callgrind, callgrind::looks_like_text),
    (Format::Asv, asv::looks_like_text),
];

/// JSON formats and how each is recognised.
const JSON: &[(Format, JsonTest)] = &[
    (Format::Hyperfine, hyperfine::looks_like),
    (Format::Criterion, criterion::looks_like),
    (Format::PytestBenchmark, pytest_benchmark::looks_like),
    (Format::GoogleBenchmark, google_benchmark::looks_like),
    (Format::Pyperf, pyperf::looks_like),
    (Format::Jmh, jmh::looks_like),
    (Format::Benchmarkdotnet, benchmarkdotnet::looks_like),
    (Format::Julia, julia::looks_like),
    (Format::Asv, asv::looks_like_json),
    (Format::Vitest, vitest::looks_like),
    (Format::Callgrind, callgrind::looks_like_json),
    (Format::Bmf, bmf::looks_like),
    (Format::CustomSmallerIsBetter, custom::looks_like),
];

/// The format of `text`. JSON is recognised from its outline (see
/// [`safety_gate_core::inputs::outline_json`]); the chosen reader then parses the file
/// once, exactly as when the format is named, rather than a whole document being built
/// only to be recognised.
pub(super) fn detect(
    path: &Path,
    text: &str,
    metrics: &[MetricSpec],
) -> Result<Format, InputError> {
    if !looks_json(text) {
        let found: Vec<Format> = TEXT
            .iter()
            .filter(|(_, looks)| looks(text))
            .map(|(f, _)| *f)
            .collect();
        return match found[..] {
            [one] => Ok(one),
            [] if kv::looks_like(text, metrics) => Ok(Format::Kv),
            [] => Err(no_match(path)),
            _ => Err(ambiguous(path, &found)),
        };
    }
    let doc = safety_gate_core::inputs::outline_json(path, text)?;
    let found: Vec<Format> = JSON
        .iter()
        .filter(|(_, looks)| looks(&doc))
        .map(|(f, _)| *f)
        .collect();
    let format = match found[..] {
        [Format::CustomSmallerIsBetter] => custom_direction(path, &doc)?,
        [one] => one,
        [] if !metrics.is_empty() => Format::GenericJson,
        [] => return Err(no_match(path)),
        _ => return Err(ambiguous(path, &found)),
    };
    Ok(format)
}

/// github-action-benchmark's custom arrays name the direction in the format, not in
/// the file: only units that decide direction alone (times, rates) may pick it.
fn custom_direction(path: &Path, doc: &Value) -> Result<Format, InputError> {
    match custom::direction_from_units(doc) {
        Some(crate::Direction::Higher) => Ok(Format::CustomBiggerIsBetter),
        Some(crate::Direction::Lower) => Ok(Format::CustomSmallerIsBetter),
        None => Err(malformed(
            path,
            "looks like github-action-benchmark's custom format, but its units do not all say \
             which way is better (only times and rates do; bytes, percentages and counts do \
             not): use --format custom-smaller-is-better or custom-bigger-is-better",
        )),
    }
}

fn names(formats: &[Format]) -> String {
    formats
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn ambiguous(path: &Path, found: &[Format]) -> InputError {
    malformed(
        path,
        format!(
            "looks like several benchmark formats at once ({}): name one with --format",
            names(found)
        ),
    )
}

fn no_match(path: &Path) -> InputError {
    let all: Vec<Format> = FORMATS
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| !matches!(f, Format::Auto | Format::GenericJson))
        .collect();
    malformed(
        path,
        format!(
            "matches no known benchmark format ({}; generic-json needs --metric): name one \
             with --format",
            names(&all)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(text: &str) -> Result<Format, String> {
        detect(Path::new("f"), text, &[]).map_err(|e| e.to_string())
    }

    #[test]
    fn unknown_content_is_an_error_listing_the_formats() {
        for text in [
            r#"{"a": 1}"#,
            "just words\n",
            "=====\nrules only == no pairs\n",
            r#"[{"name": "a", "value": 1, "unit": "furlongs"}]"#,
        ] {
            let err = detected(text).expect_err(text);
            assert!(err.starts_with("f: "), "{err}");
        }
        let err = detected("=====\n").expect_err("rules");
        assert!(
            err.contains("matches no known") && err.contains("catch2"),
            "{err}"
        );
    }

    #[test]
    fn custom_arrays_need_units_that_decide_direction() {
        let cases = [
            (
                r#"[{"name": "a", "value": 1, "unit": "ms"}]"#,
                Ok(Format::CustomSmallerIsBetter),
            ),
            (
                r#"[{"name": "a", "value": 1, "unit": "ops/s"}]"#,
                Ok(Format::CustomBiggerIsBetter),
            ),
            (
                r#"[{"name": "a", "value": 1, "unit": "req/s"}]"#,
                Ok(Format::CustomBiggerIsBetter),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(detected(text), want, "{text}");
        }
        for text in [
            r#"[{"name": "free", "value": 150, "unit": "MB"}]"#,
            r#"[{"name": "a", "value": 1, "unit": "ms"}, {"name": "b", "value": 1, "unit": "ops/s"}]"#,
            r#"[{"name": "a", "value": 1, "unit": "Percent"}]"#,
        ] {
            let err = detected(text).expect_err(text);
            assert!(err.contains("custom-bigger-is-better"), "{err}");
        }
    }

    #[test]
    fn kv_is_chosen_only_for_a_numeric_pair() {
        assert_eq!(detected("log line\nt=1\n"), Ok(Format::Kv));
        assert!(detected("role=viewer\n").is_err());
    }
}

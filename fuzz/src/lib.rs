//! The bodies of the fuzz targets, as plain functions over bytes.
//!
//! Each target in `fuzz_targets/` calls one of these, and the workspace test
//! `crates/cli/tests/it/fuzz_corpus.rs` includes this file to run the same functions over
//! the bad-input corpus and the seed corpora on stable Rust, so the targets cannot rot
//! where no nightly toolchain is available. A function panics only when a parser breaks
//! its contract: it must never panic, and an error must name the file it was read from.

use std::path::Path;

use safety_gate_core::{Check, GateReport, Mode, RunReport, Status, inputs, json_report, junit};
use safety_gate_perf::formats::ReadOptions;
use safety_gate_perf::{Format, MetricSpec};

/// The name the fuzzed bytes are read under; every error must mention it.
const INPUT: &str = "fuzz-input";

/// Every format the perf gate reads from a file.
const FORMATS: [Format; 11] = [
    Format::Auto,
    Format::GenericJson,
    Format::Kv,
    Format::Criterion,
    Format::PytestBenchmark,
    Format::Hyperfine,
    Format::GoogleBenchmark,
    Format::Pyperf,
    Format::GoBench,
    Format::CustomSmallerIsBetter,
    Format::CustomBiggerIsBetter,
];

/// Every benchmark format, with and without metrics: a result holds only finite
/// values; an error names the file.
pub fn perf_formats(data: &[u8]) {
    let metrics: Vec<MetricSpec> = ["t=/t", "u=/a/0:higher"]
        .iter()
        .map(|s| s.parse().expect("valid spec"))
        .collect();
    for format in FORMATS {
        for wanted in [&metrics[..], &[]] {
            let options = ReadOptions {
                metrics: wanted,
                criterion_dir: "new",
                max_bytes: u64::MAX,
            };
            let parsed =
                safety_gate_perf::formats::parse(Path::new(INPUT), data.to_vec(), format, options);
            match parsed {
                Ok((set, _)) => {
                    for (id, m) in set {
                        // A benchmark the tool reported as failed carries its error instead of values.
                        assert!(
                            !m.values().is_empty() || m.error().is_some(),
                            "{id}: no values"
                        );
                        assert!(
                            m.values().iter().all(|v| v.is_finite()),
                            "{id}: {:?}",
                            m.values()
                        );
                    }
                }
                Err(e) => assert!(e.to_string().contains(INPUT), "{e}"),
            }
        }
    }
}

/// The strict JSON parser accepts a subset of what `serde_json` accepts, and reads the
/// same value from it.
pub fn strict_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match inputs::parse_json(Path::new(INPUT), text) {
        Ok(strict) => {
            let loose: serde_json::Value =
                serde_json::from_str(text).expect("strict parse accepted what serde_json refuses");
            assert_eq!(strict, loose);
        }
        Err(e) => assert!(e.to_string().starts_with(INPUT), "{e}"),
    }
}

/// The streaming JUnit reader, on the bytes written to a file (it reads from a path):
/// an error names the file; a file read whole is read by the tally to the same
/// testcases, and its per-test figures add up.
pub fn junit_reader(data: &[u8]) {
    use safety_gate_characterization::junit::{Record, Tally, read_report};
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    std::io::Write::write_all(&mut file, data).expect("write");
    let path = file.path();
    let mut cases = 0u64;
    match read_report(path, |r| cases += u64::from(matches!(r, Record::Case(_)))) {
        Ok(()) => {
            let mut tally = Tally::new(&[], false);
            tally
                .add_file(path)
                .expect("the tally reads what the reader read");
            assert_eq!(tally.elements, cases);
            let c = tally.counts();
            let outcomes = c.passed + c.failed + c.errored + c.skipped + c.xfailed + c.xpassed;
            assert_eq!(c.tests, outcomes);
            assert!(c.tests <= cases && c.flaky <= c.passed);
        }
        Err(e) => assert!(e.to_string().contains(&path.display().to_string()), "{e}"),
    }
}

/// JSONL golden files, strict and lenient: an error names the file; lenient mode
/// accepts everything strict mode does.
pub fn jsonl(data: &[u8]) {
    let path = Path::new(INPUT);
    let Ok(text) = inputs::decode_text(path, data.to_vec()) else {
        return;
    };
    use safety_gate_characterization::golden::jsonl::parse_jsonl;
    let strict = parse_jsonl(path, &text, true);
    let lenient = parse_jsonl(path, &text, false);
    if let Err(e) = &strict {
        assert!(e.to_string().starts_with(INPUT), "{e}");
    }
    if let Ok(strict) = strict {
        assert_eq!(lenient.expect("lenient accepts what strict does"), strict);
    }
}

/// A schema's references: parsing then checking that every `$ref` stays inside the
/// document never panics, and a refusal names the file.
pub fn schema_refs(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(document) = inputs::parse_json(Path::new(INPUT), text) else {
        return;
    };
    if let Err(e) = safety_gate_snapshot::schema::check_local_refs(Path::new(INPUT), &document) {
        assert!(e.to_string().contains(INPUT), "{e}");
    }
}

/// Config text is decoded, deserialized, resolved and validated as `check` does; an
/// error names the file.
pub fn config(data: &[u8]) {
    let path = Path::new("fuzz.toml");
    let text = match inputs::decode_text(path, data.to_vec()) {
        Ok(text) => text,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
            return;
        }
    };
    if let Err(e) = safety_gate_engine::config::parse(path, &text) {
        assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
    }
}

/// Text taken from the bytes (decoded lossily, split on `|`) goes into gate names,
/// check ids, messages and evidence; the JUnit output must be well-formed XML 1.0 and
/// the JSON report valid JSON.
pub fn junit_writer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.split('|').collect();
    let part = |i: usize| parts.get(i % parts.len()).copied().unwrap_or_default();
    let mut gate = GateReport::new("perf", part(0), Mode::Enforce);
    let statuses = [
        Status::Pass,
        Status::Skip,
        Status::Warn,
        Status::Fail,
        Status::Error,
    ];
    for (i, status) in statuses.into_iter().enumerate() {
        gate.push(
            Check::new(part(3 * i + 1), status, part(3 * i + 2))
                .with_details([part(3 * i + 3).to_string()])
                .with_values(1.0, 1.5, 0.5),
        );
    }
    let report = RunReport { gates: vec![gate] };
    let xml = junit::to_junit(&report);
    if let Err(e) = well_formed(&xml) {
        panic!("{e}\n{}", String::from_utf8_lossy(&xml));
    }
    serde_json::from_str::<serde_json::Value>(&json_report::to_json(&report))
        .expect("the JSON report is JSON");
}

/// Reads a whole XML document, refusing characters XML 1.0 cannot carry.
fn well_formed(xml: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
    if let Some(c) = text.chars().find(|c| !xml10_char(*c)) {
        return Err(format!("U+{:04X} is not allowed in XML 1.0", c as u32));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth: i64 = 0;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            quick_xml::events::Event::Start(_) => depth += 1,
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    if depth == 0 {
        Ok(())
    } else {
        Err(format!("{depth} element(s) left open"))
    }
}

fn xml10_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

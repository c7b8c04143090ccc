//! JUnit ingest and JSONL alignment throughput. The 500,000-testcase measurement with
//! peak memory and peers (xmllint, Python's iterparse) lives in
//! `bench/characterization.sh`; these track the same code paths between changes.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use safety_gate_characterization::golden::jsonl::{diff_jsonl, parse_jsonl};
use safety_gate_characterization::golden::{DiffOptions, PointerGlob, PointerSet, ToleranceSet};
use safety_gate_characterization::junit::Tally;

/// A pytest-style report: 1% failures, 1% skips, 0.5% xfails, the rest passing.
fn junit(cases: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\"?><testsuites><testsuite name=\"pytest\">\n");
    for i in 0..cases {
        let head = format!(
            "<testcase classname=\"tests.test_module_{}.TestGroup{}\" name=\"test_case_{i}[p{}]\" time=\"0.001\"",
            i / 1000,
            i % 7,
            i % 13
        );
        let _ = match i % 200 {
            1 | 101 => writeln!(
                xml,
                "{head}><failure message=\"AssertionError: assert {i} == 0\">E   AssertionError</failure></testcase>"
            ),
            2 | 102 => writeln!(
                xml,
                "{head}><skipped type=\"pytest.skip\" message=\"not here\">skip</skipped></testcase>"
            ),
            3 => writeln!(
                xml,
                "{head}><skipped type=\"pytest.xfail\" message=\"bug\"/></testcase>"
            ),
            _ => writeln!(xml, "{head}/>"),
        };
    }
    xml.push_str("</testsuite></testsuites>\n");
    xml
}

/// A telemetry-like JSONL stream with a timestamp in every record.
fn events(records: usize, shift: u64, insert_at: Option<usize>) -> String {
    let mut out = String::new();
    for i in 0..records {
        if insert_at == Some(i) {
            let _ = writeln!(
                out,
                "{{\"ts\":{},\"tick\":{i},\"event\":\"alert\"}}",
                9000 + shift
            );
        }
        let _ = writeln!(
            out,
            "{{\"ts\":{},\"tick\":{i},\"event\":\"move\",\"agent\":\"a{}\",\"pos\":[{},{}]}}",
            1000 + i as u64 + shift,
            i % 17,
            i % 64,
            i / 64
        );
    }
    out
}

fn ingest(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("junit.xml");
    let cases = 50_000;
    let xml = junit(cases);
    std::fs::write(&path, &xml).expect("write");
    let mut group = c.benchmark_group("junit");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("ingest_50k_testcases", |b| {
        b.iter(|| {
            let mut tally = Tally::new(&[], false);
            tally.add_file(black_box(&path)).expect("valid report");
            black_box(tally.elements)
        })
    });
    group.finish();
}

fn jsonl(c: &mut Criterion) {
    let records = 10_000;
    let path = Path::new("bench.jsonl");
    let old = parse_jsonl(path, &events(records, 0, None), true).expect("valid");
    let new = parse_jsonl(path, &events(records, 0, Some(records / 2)), true).expect("valid");
    let shifted = parse_jsonl(path, &events(records, 500, Some(records / 2)), true).expect("valid");
    let tolerances = ToleranceSet::new(&[]);
    let none = PointerSet::new(std::iter::empty());
    let ts: [PointerGlob; 1] = ["/ts".parse().expect("glob")];
    let redact_ts = PointerSet::new(&ts);
    let mut group = c.benchmark_group("jsonl");
    group.throughput(Throughput::Elements(records as u64));
    group.bench_function("align_10k_records_one_insertion", |b| {
        let opts = DiffOptions {
            tolerances: &tolerances,
            ignore: &none,
        };
        b.iter(|| black_box(diff_jsonl(&old, &new, opts).1))
    });
    group.bench_function("align_10k_records_redacted_timestamps", |b| {
        let opts = DiffOptions {
            tolerances: &tolerances,
            ignore: &redact_ts,
        };
        b.iter(|| black_box(diff_jsonl(&old, &shifted, opts).1))
    });
    group.finish();
}

criterion_group!(benches, ingest, jsonl);
criterion_main!(benches);

//! The fuzz targets' bodies (fuzz/src/lib.rs), run on stable Rust over every committed
//! fixture and baseline, bad and good: no parser may panic or break its contract on
//! any of them. Fuzzing itself needs nightly (see docs/reliability.md); this keeps
//! the targets compiling and their oracles honest in every CI run.

#[path = "../../../../fuzz/src/lib.rs"]
#[allow(dead_code, missing_docs)]
mod harness;

use crate::common;

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_fixture_goes_through_every_fuzz_target() {
    let root = common::repo_root();
    let mut files = Vec::new();
    files_under(&root.join("fixtures"), &mut files);
    files_under(&root.join("baselines"), &mut files);
    files.sort();
    assert!(files.len() > 100, "only {} fixtures found", files.len());
    for file in &files {
        let bytes = std::fs::read(file).expect("read fixture");
        let name = file.display().to_string();
        let run = |target: fn(&[u8]), what: &str| {
            let outcome = std::panic::catch_unwind(|| target(&bytes));
            assert!(outcome.is_ok(), "fuzz target {what} broke on {name}");
        };
        run(harness::perf_formats, "perf_formats");
        run(harness::strict_json, "strict_json");
        run(harness::config, "config");
        run(harness::junit_writer, "junit_writer");
        run(harness::junit_reader, "junit_reader");
        run(harness::jsonl, "jsonl");
        run(harness::schema_refs, "schema_refs");
    }
}

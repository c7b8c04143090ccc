//! The `safety-gate.toml` that `init` writes for what it found: one commented table per
//! gate, producers where the command that makes the results is known, baselines under
//! `baselines/`.

use std::fmt::Write;
use std::path::Path;

use safety_gate_perf::Format;

use super::detect::Findings;

/// Where the producers of a pytest suite write.
pub const JUNIT_REPORT: &str = "reports/junit.xml";
/// Where pytest-benchmark writes, when the suite uses it.
pub const BENCHMARK_REPORT: &str = "reports/benchmark.json";

/// A config and the gates in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The file's text.
    pub text: String,
    /// `kind/name` of each gate, in file order.
    pub gates: Vec<String>,
}

/// TOML's basic string for `text`.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn path_text(path: &Path) -> String {
    quoted(&path.to_string_lossy().replace('\\', "/"))
}

fn argv_text(argv: &[String]) -> String {
    let words: Vec<String> = argv.iter().map(|w| quoted(w)).collect();
    format!("[{}]", words.join(", "))
}

/// A name from a file's stem, unique among `taken`.
fn unique(base: &str, taken: &mut Vec<String>) -> String {
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = if clean.trim_matches('-').is_empty() {
        "gate".to_string()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{clean}-{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("results");
    name.trim_end_matches(".json")
        .trim_end_matches(".schema")
        .to_string()
}

/// The config for `found`.
pub fn render(found: &Findings) -> Rendered {
    let mut out = String::new();
    let mut gates = Vec::new();
    let mut names = Vec::new();
    out.push_str(
        "# safety-gate: decides whether a change must be rolled back (exit 0 pass, 1 rollback,\n\
         # 2 cannot decide). Written by `safety-gate init`; every key is described in the\n\
         # README. Relative paths are relative to this file.\n\
         #\n\
         # `run` is the command that writes a gate's current results: `safety-gate check` runs\n\
         # it, then judges what it wrote (a result file it did not write is an error).\n\
         # `safety-gate check --no-run` judges the files as they are.\n\n\
         [reports]\n\
         junit = \"target/safety-gate/junit.xml\"\n\
         json = \"target/safety-gate/report.json\"\n",
    );
    if !found.pytest_tests.is_empty() {
        let mut argv = vec![
            found.python.clone(),
            "-m".to_string(),
            "pytest".to_string(),
            "-q".to_string(),
            format!("--junitxml={JUNIT_REPORT}"),
        ];
        if found.pytest_benchmark {
            argv.push(format!("--benchmark-json={BENCHMARK_REPORT}"));
        }
        let run = argv_text(&argv);
        let name = unique("tests", &mut names);
        let _ = write!(
            out,
            "\n# The pytest suite ({} test files), in strict mode: a failure, an error, a skip or a\n\
             # test missing from the expected list fails the gate.\n\
             [[characterization]]\n\
             name = {}\n\
             run = {run}\n\
             results = [{}]\n\
             expected = \"baselines/characterization/{name}-expected.txt\"\n",
            found.pytest_tests.len(),
            quoted(&name),
            quoted(JUNIT_REPORT),
        );
        gates.push(format!("characterization/{name}"));
        if found.pytest_benchmark {
            let name = unique("benchmarks", &mut names);
            let _ = write!(
                out,
                "\n# pytest-benchmark timings against the accepted baseline: slower by more than\n\
                 # the threshold (and significantly so, given the samples) rolls back. The same\n\
                 # command as above writes them: it runs once, alone, so nothing else disturbs\n\
                 # the timings.\n\
                 [[perf]]\n\
                 name = {}\n\
                 run = {run}\n\
                 current = {}\n\
                 baseline = \"baselines/perf/{name}.json\"\n\
                 format = \"pytest-benchmark\"\n\
                 threshold = \"5%\"\n",
                quoted(&name),
                quoted(BENCHMARK_REPORT),
            );
            gates.push(format!("perf/{name}"));
        }
    }
    for (path, format) in &found.benchmarks {
        if !found.pytest_tests.is_empty() && path == Path::new(BENCHMARK_REPORT) {
            continue;
        }
        let name = unique(&stem(path), &mut names);
        let example = match format {
            Format::Hyperfine => format!(
                "[\"hyperfine\", \"--export-json\", {}, \"your command\"]",
                path_text(path)
            ),
            Format::GoogleBenchmark => format!(
                "[\"./your_benchmark\", \"--benchmark_out={}\", \"--benchmark_out_format=json\"]",
                path.display()
            ),
            Format::PytestBenchmark => format!(
                "[\"python3\", \"-m\", \"pytest\", \"--benchmark-json={}\"]",
                path.display()
            ),
            _ => "[\"the command that writes it\"]".to_string(),
        };
        let _ = write!(
            out,
            "\n# {} results found at {}.\n\
             [[perf]]\n\
             name = {}\n\
             # run = {example}\n\
             current = {}\n\
             baseline = \"baselines/perf/{name}.json\"\n\
             format = {}\n\
             threshold = \"5%\"\n",
            format.as_str(),
            path.display(),
            quoted(&name),
            path_text(path),
            quoted(format.as_str()),
        );
        gates.push(format!("perf/{name}"));
    }
    if found.criterion {
        let name = unique("criterion", &mut names);
        let _ = write!(
            out,
            "\n# criterion results in target/criterion, against a copy of the tree kept as the\n\
             # baseline: create it with `cp -r target/criterion baselines/criterion` (baseline\n\
             # accept copies single files, not trees).\n\
             [[perf]]\n\
             name = {}\n\
             run = [\"cargo\", \"bench\"]\n\
             current = \"target/criterion\"\n\
             baseline = \"baselines/criterion\"\n\
             format = \"criterion\"\n\
             threshold = \"5%\"\n",
            quoted(&name),
        );
        gates.push(format!("perf/{name}"));
    }
    let own_junit = Path::new(JUNIT_REPORT);
    let reports: Vec<&Path> = found
        .junit
        .iter()
        .map(|p| p.as_path())
        .filter(|p| found.pytest_tests.is_empty() || *p != own_junit)
        .collect();
    if !reports.is_empty() {
        let name = unique("junit", &mut names);
        let list: Vec<String> = reports.iter().map(|p| path_text(p)).collect();
        let _ = write!(
            out,
            "\n# JUnit reports found in the project, merged and read in strict mode.\n\
             [[characterization]]\n\
             name = {}\n\
             # run = [\"the command that writes them\"]\n\
             results = [{}]\n\
             expected = \"baselines/characterization/{name}-expected.txt\"\n",
            quoted(&name),
            list.join(", "),
        );
        gates.push(format!("characterization/{name}"));
    }
    for schema in &found.schemas {
        let name = unique(&stem(schema), &mut names);
        let snapshots = match found.snapshot_dirs.as_slice() {
            [one] => format!("[{}]", path_text(&one.join("*.json"))),
            _ => "[]  # saved JSON files that must keep validating, e.g. [\"snapshots/*.json\"]"
                .to_string(),
        };
        let _ = write!(
            out,
            "\n# Saved snapshots must still validate against {}, and the schema must stay\n\
             # backward compatible with the earlier versions kept under baselines/.\n\
             [[snapshot]]\n\
             name = {}\n\
             schema = {}\n\
             snapshots = {snapshots}\n\
             previous_schemas = [\"baselines/snapshot/{name}/*.schema.json\"]\n\
             compatibility = \"backward\"\n\
             # roundtrip = [\"python3\", \"load.py\", \"{{snapshot}}\"]   # your loader, run on each snapshot\n",
            schema.display(),
            quoted(&name),
            path_text(schema),
        );
        gates.push(format!("snapshot/{name}"));
    }
    Rendered { text: out, gates }
}

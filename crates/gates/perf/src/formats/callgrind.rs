//! Instruction counts under callgrind: the summaries iai and iai-callgrind/gungraun
//! print, and iai-callgrind/gungraun's `summary.json` (`--save-summary=json`; one per
//! benchmark, or several in one JSON array). Counts are deterministic, so there are no
//! samples: any increase beyond the threshold is a regression, without statistics.
//! The id is the benchmark (`module::function id` for iai-callgrind); the instruction
//! count (`Ir`) keeps it, other events are `id:EVENT` under callgrind's event names
//! (`L1hits`, `LLhits`, `RamHits`, `TotalRW`, `EstimatedCycles`). All are costs,
//! better lower; rates (`L1HitRate`) are not read.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{at_line, insert, malformed, number, string};
use super::text;
use crate::model::{BenchSet, Direction, Measurement};

/// Text labels of iai (`L1 Accesses`) and iai-callgrind (`L1 Hits`) as event names.
const LABELS: &[(&str, &str)] = &[
    ("Instructions", "Ir"),
    ("L1 Accesses", "L1hits"),
    ("L1 Hits", "L1hits"),
    ("L2 Accesses", "LLhits"),
    ("LL Hits", "LLhits"),
    ("RAM Accesses", "RamHits"),
    ("RAM Hits", "RamHits"),
    ("Total read+write", "TotalRW"),
    ("Estimated Cycles", "EstimatedCycles"),
];

/// Adds benchmark `bench`'s count of `event`: the instruction count under the
/// benchmark's own id, other events as `bench:EVENT`.
fn insert_count(
    set: &mut BenchSet,
    bench: &str,
    event: &str,
    value: f64,
    location: Location,
) -> Result<(), InputError> {
    let (id, unit) = if event == "Ir" {
        (bench.to_string(), "instructions")
    } else {
        (format!("{bench}:{event}"), "count")
    };
    let path = location.file.clone();
    let m = Measurement::new(&id, vec![value], location)?
        .unit(unit)
        .direction(Direction::Lower);
    insert(&path, set, id, m)
}

/// Whether the text holds a benchmark name followed by an `Instructions:` line.
pub(super) fn looks_like_text(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    lines.windows(2).any(|w| {
        !w[0].starts_with(char::is_whitespace)
            && !w[0].trim().is_empty()
            && metric_line(w[1]).is_some_and(|(label, v)| label == "Instructions" && v.is_ok())
    })
}

/// `  Instructions:   5286|5286   (No change)`: the label and the new value.
fn metric_line(line: &str) -> Option<(&str, Result<f64, String>)> {
    if !line.starts_with(char::is_whitespace) {
        return None;
    }
    let (label, rest) = line.trim().split_once(':')?;
    let label = label.trim();
    LABELS.iter().find(|(l, _)| *l == label)?;
    let first = rest.split_whitespace().next().unwrap_or("");
    let new = first.split('|').next().unwrap_or("");
    Some((
        label,
        text::number(new).ok_or_else(|| format!("`{label}` is `{new}`, not a count")),
    ))
}

/// The benchmark of a summary's first line: `module::bench id:(args)` without the
/// `:(args)` part.
fn bench_name(line: &str) -> &str {
    let bytes = line.as_bytes();
    let cut = (0..bytes.len()).rev().find(|&i| {
        bytes[i] == b':' && bytes.get(i + 1) != Some(&b':') && (i == 0 || bytes[i - 1] != b':')
    });
    match cut {
        Some(i) if line[..i].contains(' ') || !line[..i].contains("::") => line[..i].trim(),
        _ => line.trim(),
    }
}

/// Reads every text summary.
pub(super) fn read_text(path: &Path, text_in: &str) -> Result<BenchSet, InputError> {
    let mut set = BenchSet::new();
    let mut bench: Option<&str> = None;
    for (index, line) in text_in.lines().enumerate() {
        let line_no = index as u64 + 1;
        if let Some((label, value)) = metric_line(line) {
            let name = bench.ok_or_else(|| {
                at_line(
                    path,
                    line_no,
                    format!("`{label}` before any benchmark name"),
                )
            })?;
            let value = value.map_err(|m| at_line(path, line_no, format!("`{name}`: {m}")))?;
            let event = LABELS
                .iter()
                .find(|(l, _)| *l == label)
                .map_or(label, |(_, e)| e);
            insert_count(&mut set, name, event, value, Location::line(path, line_no))?;
        } else if !line.trim().is_empty() && !line.starts_with(char::is_whitespace) {
            bench = Some(bench_name(line));
        }
    }
    if set.is_empty() {
        return Err(malformed(
            path,
            "no callgrind summary (`NAME` then `  Instructions: N`) found",
        ));
    }
    Ok(set)
}

fn is_summary(doc: &Value) -> bool {
    doc["profiles"].is_array() && doc.get("module_path").is_some()
}

/// Whether a document is an iai-callgrind/gungraun summary (or an array of them).
pub(super) fn looks_like_json(doc: &Value) -> bool {
    is_summary(doc)
        || doc
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(is_summary))
}

/// Reads one summary or an array of them.
pub(super) fn read_json(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let summaries = match doc.as_array() {
        Some(all) => all.iter().collect(),
        None => vec![doc],
    };
    let mut set = BenchSet::new();
    for (index, summary) in summaries.into_iter().enumerate() {
        let at = format!("summary {index}");
        let module = string(path, summary, "module_path", &at)?;
        let bench = match summary["id"].as_str() {
            Some(id) => format!("{module} {id}"),
            None => module.to_string(),
        };
        let profiles = summary["profiles"].as_array().ok_or_else(|| {
            malformed(
                path,
                format!("`{bench}` has no `profiles` (a summary older than iai-callgrind 0.14?)"),
            )
        })?;
        let callgrind = profiles
            .iter()
            .find(|p| p["tool"].as_str() == Some("Callgrind"))
            .ok_or_else(|| malformed(path, format!("`{bench}` has no Callgrind profile")))?;
        let metrics = callgrind["data"]["total"]["metrics"]
            .as_object()
            .ok_or_else(|| {
                malformed(
                    path,
                    format!("`{bench}`: Callgrind profile has no `data.total.metrics`"),
                )
            })?;
        for (event, metric) in metrics {
            if event.ends_with("Rate") {
                continue;
            }
            let value = number(path, &metric["values"]["new"], || {
                format!("`{bench}` {event} values.new")
            })?;
            insert_count(&mut set, &bench, event, value, Location::file(path))?;
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn iai_and_gungraun_text() {
        let iai = "iai_sum_small\n  Instructions:                5636\n  L1 Accesses:                 7812\n\n\
                   iai_fib_15\n  Instructions:               19964 (-0.120072%)\n  L2 Accesses:  3 (No change)\n";
        assert!(looks_like_text(iai));
        let set = read_text(Path::new("i.txt"), iai).expect("ok");
        assert_eq!(set["iai_sum_small"].values(), vec![5636.0]);
        assert_eq!(set["iai_sum_small:L1hits"].values(), vec![7812.0]);
        assert_eq!(set["iai_fib_15"].values(), vec![19964.0]);
        let gung = "gung::demo::bench_sum small:(1_000)\n  Instructions:    6842|5286     (+29.4362%) [+1.29436x]\n\
                    gung::demo::bench_x\n  Instructions:    10|N/A     (*********)\n";
        let set = read_text(Path::new("g.txt"), gung).expect("ok");
        assert_eq!(set["gung::demo::bench_sum small"].values(), vec![6842.0]);
        assert_eq!(set["gung::demo::bench_x"].values(), vec![10.0]);
        assert!(read_text(Path::new("g.txt"), "x\n  Instructions:  N/A|5\n").is_err());
    }

    #[test]
    fn summary_json_reads_counts_not_rates() {
        let doc = json!({"module_path": "gung::demo::bench_sum", "id": "large", "profiles": [
        {"tool": "Callgrind", "data": {"total": {"metrics": {
            "Ir": {"values": {"new": 125592, "old": 100286}},
            "L1HitRate": {"values": {"new": 99.9}},
            "D1mw": {"values": {"new": 0}},
        }}}}]});
        assert!(looks_like_json(&doc) && looks_like_json(&json!([doc.clone()])));
        let set = read_json(Path::new("s.json"), &doc).expect("ok");
        assert_eq!(set["gung::demo::bench_sum large"].values(), vec![125592.0]);
        assert!(!set.contains_key("gung::demo::bench_sum large:L1HitRate"));
        assert_eq!(
            set["gung::demo::bench_sum large:D1mw"].unit.as_deref(),
            Some("count")
        );
    }
}

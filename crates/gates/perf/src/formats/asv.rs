//! airspeed velocity (asv): the results JSON it keeps per commit and environment
//! (`.asv/results/<machine>/<commit>-<env>.json`, format 2: `result_columns` naming the
//! columns of each `results` row), and the table `asv run` prints.
//!
//! A benchmark's type comes from its name, as asv decides it: `time_`/`timeraw_`
//! (seconds) and `mem_`/`peakmem_` (bytes) are better lower; `track_` values state no
//! direction (the config's, lower by default). A parameterised benchmark gives one id
//! per combination, `name(100, 'x')`. With `--record-samples` the samples are read,
//! else the result. A `null` result (failed or skipped) is an error.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::path::Path;

use super::json::{at_line, insert, malformed, number, numbers, shown};
use super::text;
use crate::model::{BenchSet, Direction, Measurement};

/// Whether a document is an asv results file.
pub(super) fn looks_like_json(doc: &Value) -> bool {
    doc["results"].is_object() && doc.get("commit_hash").is_some() && doc.get("env_name").is_some()
}

/// The unit and direction asv's benchmark types imply, from the name's last part.
fn kind(name: &str) -> (Option<&'static str>, Option<Direction>) {
    let last = name.rsplit('.').next().unwrap_or(name);
    if last.starts_with("time_") || last.starts_with("timeraw_") {
        (Some("s"), Some(Direction::Lower))
    } else if last.starts_with("mem_") || last.starts_with("peakmem_") {
        (Some("B"), Some(Direction::Lower))
    } else {
        (None, None)
    }
}

/// Benchmark `id`'s values, with the unit and direction its type (from `name`) implies.
fn measurement(
    id: &str,
    name: &str,
    values: Vec<f64>,
    location: Location,
) -> Result<Measurement, InputError> {
    let (unit, direction) = kind(name);
    let mut m = Measurement::new(id, values, location)?;
    m.unit = unit.map(str::to_string);
    m.direction = direction;
    Ok(m)
}

/// Every combination of the parameter values, as asv spells it: `(100, 'x')`.
fn combinations(path: &Path, name: &str, params: &Value) -> Result<Vec<String>, InputError> {
    let lists = params.as_array().ok_or_else(|| {
        malformed(
            path,
            format!("`{name}` params is {}, not an array", shown(params)),
        )
    })?;
    let mut combos = vec![Vec::new()];
    for list in lists {
        let values = list
            .as_array()
            .ok_or_else(|| malformed(path, format!("`{name}` params holds {}", shown(list))))?;
        combos = combos
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.as_str().map_or_else(|| v.to_string(), str::to_string));
                    next
                })
            })
            .collect();
    }
    Ok(if lists.is_empty() {
        vec![String::new()]
    } else {
        combos
            .into_iter()
            .map(|c| format!("({})", c.join(", ")))
            .collect()
    })
}

/// Reads a results file.
pub(super) fn read_json(path: &Path, doc: &Value) -> Result<BenchSet, InputError> {
    let columns: Vec<&str> = doc["result_columns"]
        .as_array()
        .ok_or_else(|| {
            malformed(
                path,
                "asv results without `result_columns` (format 2) are not read",
            )
        })?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let column = |row: &'_ [Value], key: &str| -> Option<Value> {
        let i = columns.iter().position(|c| *c == key)?;
        row.get(i).cloned()
    };
    let results = doc["results"]
        .as_object()
        .ok_or_else(|| malformed(path, "`results` is not an object"))?;
    let mut set = BenchSet::new();
    for (name, row) in results {
        let row = row
            .as_array()
            .ok_or_else(|| malformed(path, format!("results `{name}` is not a row")))?;
        let result = column(row, "result").unwrap_or(Value::Null);
        let params = column(row, "params").unwrap_or(Value::Array(Vec::new()));
        let combos = combinations(path, name, &params)?;
        let results = match &result {
            Value::Array(values) if values.len() == combos.len() => values.clone(),
            Value::Array(values) => {
                return Err(malformed(
                    path,
                    format!(
                        "`{name}` has {} results for {} parameter combinations",
                        values.len(),
                        combos.len()
                    ),
                ));
            }
            Value::Null => vec![Value::Null; combos.len()],
            single => vec![single.clone()],
        };
        let samples = column(row, "samples").and_then(|s| s.as_array().cloned());
        for (i, (combo, result)) in combos.iter().zip(&results).enumerate() {
            let id = format!("{name}{combo}");
            let location = Location::file(path);
            if result.is_null() {
                let m = Measurement::failed(
                    format!("`{id}` has no result in asv (it failed or was skipped)"),
                    location,
                );
                insert(path, &mut set, id, m)?;
                continue;
            }
            let values = match samples.as_ref().and_then(|s| s.get(i)) {
                Some(s) if s.as_array().is_some_and(|a| !a.is_empty()) => {
                    numbers(path, s, || format!("`{id}` samples"))?
                }
                _ => vec![number(path, result, || format!("`{id}` result"))?],
            };
            let m = measurement(&id, name, values, location)?;
            insert(path, &mut set, id, m)?;
        }
    }
    Ok(set)
}

/// Whether the text holds `asv run` result lines.
pub(super) fn looks_like_text(text: &str) -> bool {
    text.lines()
        .any(|l| matches!(result_line(l), Some((_, v)) if value(v).is_some()))
}

/// `[ 60.00%] ··· bench.TimeSuite.time_x     725±100μs`: the name and what follows.
fn result_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('[')?;
    let (percent, rest) = rest.split_once("%]")?;
    text::number(percent.trim())?;
    let rest = rest
        .trim_start()
        .trim_start_matches(['·', '.'])
        .trim_start();
    let (name, result) = rest.split_once(char::is_whitespace)?;
    let result = result.trim();
    // Progress lines (`For demo commit`, `Building for`, `Running (...)`) name no
    // benchmark: benchmark names are dotted paths (`module.Class.time_x`).
    (name.contains('.') && !name.starts_with(['=', '(']) && !result.is_empty())
        .then_some((name, result))
}

/// A value as `asv run` prints it: `725±100μs`, `8.06k` (bytes), `42`; `None` for
/// anything else.
fn value(text_value: &str) -> Option<(f64, Option<&str>)> {
    let main = text_value.split('±').next()?;
    if let Some(v) = text::number(main) {
        // `725±100μs`: the unit follows the spread.
        let unit = text_value
            .split_once('±')
            .and_then(|(_, spread)| text::glued(spread))
            .map(|(_, unit)| unit);
        return Some((v, unit));
    }
    let (v, unit) = text::glued(main)?;
    Some((v, Some(unit)))
}

/// Converts a printed value to the benchmark type's unit (seconds, bytes).
fn scaled(name: &str, v: f64, unit: Option<&str>) -> Option<f64> {
    match (kind(name).0, unit) {
        (_, None) => Some(v),
        (Some("B"), Some(suffix)) => {
            let scale = match suffix {
                "k" => 1e3,
                "M" => 1e6,
                "G" => 1e9,
                "T" => 1e12,
                _ => return None,
            };
            Some(v * scale)
        }
        (Some("s"), Some(u)) => crate::units::parse(u)
            .filter(|(k, _)| *k == crate::units::Kind::Time)
            .map(|(_, s)| v * s),
        _ => None,
    }
}

/// Reads the table `asv run` prints.
pub(super) fn read_text(path: &Path, text_in: &str) -> Result<BenchSet, InputError> {
    let mut set = BenchSet::new();
    let lines: Vec<&str> = text_in.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line_no = i as u64 + 1;
        let Some((name, result)) = result_line(lines[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        let location = Location::line(path, line_no);
        match result {
            "ok" => i = table(path, &lines, i, name, &mut set)?,
            "failed" | "n/a" | "skipped" => {
                let m = Measurement::failed(format!("`{name}` {result} in `asv run`"), location);
                insert(path, &mut set, name.to_string(), m)?;
            }
            printed => {
                let v = value(printed)
                    .and_then(|(v, unit)| scaled(name, v, unit))
                    .ok_or_else(|| {
                        at_line(path, line_no, format!("`{name}`: cannot read `{printed}`"))
                    })?;
                let m = measurement(name, name, vec![v], location)?;
                insert(path, &mut set, name.to_string(), m)?;
            }
        }
    }
    if set.is_empty() {
        return Err(malformed(path, "no `asv run` result line found"));
    }
    Ok(set)
}

/// Reads a parameter table starting at `start` (its opening `====` rule); returns the
/// index after its closing rule.
fn table(
    path: &Path,
    lines: &[&str],
    start: usize,
    name: &str,
    set: &mut BenchSet,
) -> Result<usize, InputError> {
    let rule = |l: &str| {
        let body = match l
            .trim_start()
            .strip_prefix('[')
            .and_then(|r| r.split_once("%]"))
        {
            Some((_, rest)) => rest.trim_start().trim_start_matches(['·', '.']),
            None => l,
        }
        .trim();
        !body.is_empty() && body.chars().all(|c| c == '=' || c == ' ')
    };
    let open = (start..lines.len())
        .find(|&j| rule(lines[j]))
        .filter(|&j| j == start)
        .ok_or_else(|| {
            at_line(
                path,
                start as u64,
                format!("`{name}`: expected its parameter table"),
            )
        })?;
    let dashes = (open + 1..lines.len())
        .find(|&j| lines[j].trim().starts_with('-'))
        .ok_or_else(|| {
            at_line(
                path,
                open as u64 + 1,
                format!("`{name}`: table has no header rule"),
            )
        })?;
    let mut j = dashes + 1;
    while j < lines.len() && !rule(lines[j]) {
        let line_no = j as u64 + 1;
        let fields: Vec<&str> = lines[j].split_whitespace().collect();
        let Some((printed, params)) = fields.split_last() else {
            j += 1;
            continue;
        };
        let id = format!("{name}({})", params.join(", "));
        let location = Location::line(path, line_no);
        let m = match *printed {
            "failed" | "n/a" | "skipped" => {
                Measurement::failed(format!("`{id}` {printed} in `asv run`"), location)
            }
            _ => {
                let v = value(printed)
                    .and_then(|(v, unit)| scaled(name, v, unit))
                    .ok_or_else(|| {
                        at_line(path, line_no, format!("`{id}`: cannot read `{printed}`"))
                    })?;
                measurement(&id, name, vec![v], location)?
            }
        };
        insert(path, set, id, m)?;
        j += 1;
    }
    if j == lines.len() {
        return Err(at_line(
            path,
            j as u64,
            format!("`{name}`: parameter table is not closed"),
        ));
    }
    Ok(j + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_rows_by_column_with_params_and_samples() {
        let doc = json!({"commit_hash": "abc", "env_name": "e", "version": 2,
        "result_columns": ["result", "params", "version", "started_at", "duration", "stats_ci_99_a",
                           "stats_ci_99_b", "stats_q_25", "stats_q_75", "stats_number", "stats_repeat", "samples"],
        "results": {
            "b.T.time_x": [[0.5], [], "h", 1, 1.0, [0.4], [0.6], [0.45], [0.55], [1], [3], [[0.4, 0.5, 0.6]]],
            "b.time_p": [[1.0, null], [["1", "'a'"]], "h", 1, 1.0],
            "b.mem_list": [[8056], [], "h", 1, 1.0],
            "b.track_n": [[42], [], "h", 1, 1.0],
        }});
        assert!(looks_like_json(&doc));
        let set = read_json(Path::new("a.json"), &doc).expect("ok");
        assert_eq!(set["b.T.time_x"].values(), vec![0.4, 0.5, 0.6]);
        assert_eq!(set["b.time_p(1)"].values(), vec![1.0]);
        assert!(set["b.time_p('a')"].error().is_some());
        assert_eq!(set["b.mem_list"].unit.as_deref(), Some("B"));
        assert_eq!(set["b.track_n"].direction, None);
    }

    #[test]
    fn console_table_with_units_and_parameters() {
        let text = "[ 0.00%] · For demo commit abc:\n\
            [10.00%] ··· Running (bench.T.time_large--)...\n\
            [60.00%] ··· bench.T.time_large                           725±100μs\n\
            [80.00%] ··· bench.mem_list                                               8.06k\n\
            [85.00%] ··· bench.time_broken                                       failed\n\
            [90.00%] ··· bench.time_p                                            ok\n\
            [90.00%] ··· ======= ============\n                n                \n\
                         ------- ------------\n               100    3.26±0.5μs \n\
                          10000    379±20μs  \n             ======= ============\n\n\
            [100.00%] ··· bench.track_items                                               42\n";
        assert!(looks_like_text(text));
        let set = read_text(Path::new("a.txt"), text).expect("ok");
        assert!((set["bench.T.time_large"].values()[0] - 725e-6).abs() < 1e-12);
        assert!((set["bench.mem_list"].values()[0] - 8060.0).abs() < 1e-9);
        assert!((set["bench.time_p(10000)"].values()[0] - 379e-6).abs() < 1e-12);
        assert!(set["bench.time_broken"].error().is_some());
        assert_eq!(set["bench.track_items"].values(), vec![42.0]);
    }
}

//! Catch2 v2/v3 benchmark console tables (the default reporter with
//! `CATCH_CONFIG_ENABLE_BENCHMARKING`). After the `benchmark name  samples  iterations
//! estimated` header, each benchmark takes three lines: name, samples, iterations and
//! estimate; `mean  low mean  high mean`; `std dev ...`. The mean is read, a time
//! better lower. A name too long for its column wraps over several lines, which are
//! joined. A name used in two test cases is qualified as `name (test case)`. A
//! `FAILED:` line fails the file: Catch2 prints nothing for the benchmark that threw.

use safety_gate_core::{InputError, Location};
use std::path::Path;

use super::json::{at_line, insert, malformed};
use super::{qualify, text};
use crate::model::{BenchSet, Direction, Measurement};
use crate::units::{self, Kind};

/// Whether the text holds a Catch2 benchmark table with at least one benchmark.
pub(super) fn looks_like(text: &str) -> bool {
    text.lines().any(is_header) && parse(Path::new(""), text).is_ok_and(|r| !r.is_empty())
}

fn is_header(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("benchmark name") && line.contains("samples") && line.contains("iterations")
}

/// A benchmark as read: test case, name, line, mean and its unit.
type Row<'a> = (Option<String>, String, u64, f64, &'a str);

/// Reads every benchmark table.
pub(super) fn read(path: &Path, text: &str) -> Result<BenchSet, InputError> {
    let rows = parse(path, text)?;
    let ids = qualify::ids(
        rows.iter()
            .map(|(case, name, ..)| (case.as_deref(), name.as_str())),
    );
    let mut set = BenchSet::new();
    for (case, name, line, mean, unit) in &rows {
        let id = ids[&(case.as_deref(), name.as_str())].clone();
        let m = Measurement::new(&id, vec![*mean], Location::line(path, *line))?
            .unit(*unit)
            .direction(Direction::Lower);
        insert(path, &mut set, id, m)?;
    }
    if set.is_empty() {
        return Err(malformed(path, "no Catch2 benchmark table found"));
    }
    Ok(set)
}

fn parse<'a>(path: &Path, text: &'a str) -> Result<Vec<Row<'a>>, InputError> {
    let lines: Vec<&str> = text.lines().collect();
    let rule = |l: &str| l.trim_end().len() >= 20 && l.trim_end().chars().all(|c| c == '-');
    let mut rows = Vec::new();
    let mut case: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if rule(line) && i + 2 < lines.len() && rule(lines[i + 2]) {
            case = Some(lines[i + 1].trim().to_string());
            i += 3;
            continue;
        }
        if line.trim_end().ends_with("FAILED:") {
            return Err(at_line(
                path,
                i as u64 + 1,
                format!(
                    "Catch2 reports a failure{}: its benchmarks are not all measured",
                    case.as_ref()
                        .map(|c| format!(" in test case `{c}`"))
                        .unwrap_or_default()
                ),
            ));
        }
        if !is_header(line) {
            i += 1;
            continue;
        }
        // Two more header lines, then a rule, then the benchmarks.
        i += 1;
        while i < lines.len() && !rule(lines[i]) {
            i += 1;
        }
        i += 1;
        let mut name_parts: Vec<&str> = Vec::new();
        while i < lines.len() {
            let line = lines[i];
            let trimmed = line.trim();
            if rule(line) || trimmed.starts_with("===") || trimmed.starts_with("benchmark name") {
                break;
            }
            if trimmed.is_empty() {
                if !name_parts.is_empty() {
                    return Err(at_line(
                        path,
                        i as u64 + 1,
                        "a benchmark name without its results",
                    ));
                }
                i += 1;
                continue;
            }
            let Some(head) = estimate_line(trimmed) else {
                name_parts.push(trimmed);
                i += 1;
                continue;
            };
            name_parts.push(head);
            let name = name_parts.join(" ");
            name_parts.clear();
            let line_no = i as u64 + 1;
            let (mean, unit) = lines.get(i + 1).and_then(|l| mean_line(l)).ok_or_else(|| {
                at_line(
                    path,
                    line_no + 1,
                    format!("`{name}`: expected `mean  low mean  high mean`"),
                )
            })?;
            rows.push((case.clone(), name, line_no, mean, unit));
            i += 3;
        }
    }
    Ok(rows)
}

/// `name  100  208  7.1968 ms`: the name part, when the line ends in samples,
/// iterations and an estimated time.
fn estimate_line(line: &str) -> Option<&str> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let n = tokens.len();
    if n < 4 {
        return None;
    }
    tokens[n - 4].parse::<u64>().ok()?;
    tokens[n - 3].parse::<u64>().ok()?;
    text::number(tokens[n - 2])?;
    time_unit(tokens[n - 1])?;
    let cut = nth_token_start(line, n - 4)?;
    Some(line[..cut].trim())
}

/// Byte offset of the `n`th whitespace-separated token.
fn nth_token_start(line: &str, n: usize) -> Option<usize> {
    let mut count = 0;
    let mut in_token = false;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            in_token = false;
        } else if !in_token {
            if count == n {
                return Some(i);
            }
            count += 1;
            in_token = true;
        }
    }
    None
}

/// `344 ns  341 ns  349 ns`: the mean and its unit.
fn mean_line(line: &str) -> Option<(f64, &str)> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.len() != 6 {
        return None;
    }
    for pair in tokens.chunks(2) {
        text::number(pair[0])?;
        time_unit(pair[1])?;
    }
    Some((text::number(tokens[0])?, tokens[1]))
}

fn time_unit(unit: &str) -> Option<&str> {
    units::parse(unit)
        .filter(|(kind, _)| *kind == Kind::Time)
        .map(|_| unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: &str = "\
-------------------------------------------------------------------------------
Sum
-------------------------------------------------------------------------------
bench.cpp:15
...............................................................................

benchmark name                       samples       iterations    estimated
                                     mean          low mean      high mean
                                     std dev       low std dev   high std dev
-------------------------------------------------------------------------------
sum 1000                                       100            14     8.7934 ms 
                                        10.4651 us    1.81895 us    53.6691 us 
                                        85.9825 us    67.1076 ns    188.341 us 
                                                                               
sum of the first twenty thousand                                               
integers, a long name that wraps               100             1    13.9545 ms 
                                        78.3023 us    40.3224 us     266.84 us 
                                        374.662 us    2.56226 us     820.73 us 
                                                                               
-------------------------------------------------------------------------------
Other
-------------------------------------------------------------------------------
b.cpp:30
...............................................................................

benchmark name                       samples       iterations    estimated
                                     mean          low mean      high mean
                                     std dev       low std dev   high std dev
-------------------------------------------------------------------------------
sum 1000                                       100            14     8.7934 ms 
                                             1 ms          1 ms          1 ms 
                                             0 ns          0 ns          0 ns 

===============================================================================
test cases: 2 | 2 passed
";

    #[test]
    fn means_wrapped_names_and_test_cases() {
        assert!(looks_like(V2));
        let set = read(Path::new("c.txt"), V2).expect("ok");
        assert_eq!(
            set.keys().collect::<Vec<_>>(),
            [
                "sum 1000 (Other)",
                "sum 1000 (Sum)",
                "sum of the first twenty thousand integers, a long name that wraps"
            ]
        );
        assert_eq!(set["sum 1000 (Sum)"].values(), vec![10.4651]);
        assert_eq!(set["sum 1000 (Sum)"].unit.as_deref(), Some("us"));
        assert_eq!(set["sum 1000 (Other)"].unit.as_deref(), Some("ms"));
    }

    #[test]
    fn a_failure_or_a_broken_row_is_an_error() {
        let failed = V2.replace("bench.cpp:15\n", "bench.cpp:15\nbench.cpp:17: FAILED:\n");
        assert!(
            read(Path::new("c.txt"), &failed)
                .expect_err("failed")
                .to_string()
                .contains("`Sum`")
        );
        let broken = V2.replace("10.4651 us    1.81895 us", "10.4651 us    oops");
        assert!(read(Path::new("c.txt"), &broken).is_err());
    }
}

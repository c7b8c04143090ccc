//! criterion's terminal output: `NAME  time:   [low estimate high]`, the name on the
//! line before when it is too long for its column (or when progress lines such as
//! `Benchmarking NAME: Analyzing` were printed between). The middle estimate is read,
//! a time better lower; a `thrpt:` line after it gives `NAME:thrpt`, a rate better
//! higher. Each value keeps the unit printed beside it.

use safety_gate_core::{InputError, Location};
use std::path::Path;

use super::json::{at_line, insert, malformed};
use super::text;
use crate::model::{BenchSet, Direction, Measurement};
use crate::units::{self, Kind};

/// Whether the text holds a criterion `time:` line.
pub(super) fn looks_like(text: &str) -> bool {
    text.lines()
        .any(|l| matches!(estimate(l, "time:"), Some((_, Ok(_)))))
}

/// Reads every `time:` line (and the `thrpt:` line after it).
pub(super) fn read(path: &Path, text_in: &str) -> Result<BenchSet, InputError> {
    let lines: Vec<&str> = text_in.lines().collect();
    let mut set = BenchSet::new();
    let mut last: Option<String> = None;
    for (index, line) in lines.iter().enumerate() {
        let line_no = index as u64 + 1;
        for (key, suffix, kind) in [("time:", "", None), ("thrpt:", ":thrpt", Some(()))] {
            let Some((head, value)) = estimate(line, key) else {
                continue;
            };
            let (value, unit) = value.map_err(|m| at_line(path, line_no, m))?;
            let name = if kind.is_some() {
                last.clone().ok_or_else(|| {
                    at_line(path, line_no, "`thrpt:` without a `time:` line before it")
                })?
            } else if head.is_empty() {
                previous_name(&lines, index)
                    .ok_or_else(|| {
                        at_line(
                            path,
                            line_no,
                            "`time:` line with no benchmark name before it",
                        )
                    })?
                    .to_string()
            } else {
                head.to_string()
            };
            let wanted = if kind.is_some() {
                Direction::Higher
            } else {
                Direction::Lower
            };
            let ok_unit = match units::parse(unit) {
                Some((Kind::Time, _)) => wanted == Direction::Lower,
                Some((Kind::Rate(_), _)) => wanted == Direction::Higher,
                _ => false,
            };
            if !ok_unit {
                return Err(at_line(
                    path,
                    line_no,
                    format!(
                        "`{name}`: `{unit}` is not a {}",
                        if kind.is_some() { "rate" } else { "time" }
                    ),
                ));
            }
            let id = format!("{name}{suffix}");
            let m = Measurement::new(&id, vec![value], Location::line(path, line_no))?
                .unit(unit)
                .direction(wanted);
            insert(path, &mut set, id, m)?;
            if kind.is_none() {
                last = Some(name);
            }
        }
    }
    if set.is_empty() {
        return Err(malformed(
            path,
            "no criterion `time:   [low estimate high]` line found",
        ));
    }
    Ok(set)
}

/// The name printed before a `time:` line that has none: the nearest line above that
/// is not a progress line (`Benchmarking NAME...`) nor blank.
fn previous_name<'a>(lines: &[&'a str], index: usize) -> Option<&'a str> {
    lines[..index]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !l.starts_with("Benchmarking "))
}

/// A middle estimate and its unit, or why the line does not read.
type Parsed<'a> = Result<(f64, &'a str), String>;

/// `NAME   time:   [950.98 ns 1.1729 µs 1.4153 µs]`: the text before the key, and the
/// middle estimate with its unit.
fn estimate<'a>(line: &'a str, key: &str) -> Option<(&'a str, Parsed<'a>)> {
    let (head, rest) = line.split_once(key)?;
    let rest = rest.trim();
    let inner = rest.strip_prefix('[')?;
    if inner.contains('%') {
        // `change:` blocks repeat `time:` and `thrpt:` with relative changes.
        return None;
    }
    let parsed = (|| {
        let inner = inner.strip_suffix(']')?;
        let tokens: Vec<&str> = inner.split_whitespace().collect();
        if tokens.len() != 6 {
            return None;
        }
        for pair in tokens.chunks(2) {
            text::number(pair[0])?;
        }
        Some((text::number(tokens[2])?, tokens[3]))
    })();
    Some((
        head.trim(),
        parsed.ok_or_else(|| {
            format!(
                "expected `{key} [<low> <unit> <estimate> <unit> <high> <unit>]`, found `{}`",
                line.trim()
            )
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "Benchmarking sum/small: Analyzing
sum/small               time:   [950.98 ns 1.1729 µs 1.4153 µs]
                        change: [-2.1% +0.5% +3.4%] (p = 0.71 > 0.05)
                        change:
                        time:   [−1.6279% +27.328% +63.500%] (p = 0.07 > 0.05)
                        thrpt:  [−38.836% −21.473% +1.6548%]
Found 5 outliers among 20 measurements (25.00%)
sum/large               time:   [18.329 µs 19.850 µs 21.735 µs]
                        thrpt:  [920.16 Melem/s 1.0076 Gelem/s 1.0912 Gelem/s]
Benchmarking a rather long benchmark name that wraps: Analyzing
a rather long benchmark name that wraps
                        time:   [489.03 ns 553.04 ns 628.05 ns]
";

    #[test]
    fn middle_estimates_with_names_before_and_throughput() {
        assert!(looks_like(OUT));
        let set = read(Path::new("c.txt"), OUT).expect("ok");
        assert_eq!(set["sum/small"].values(), vec![1.1729]);
        assert_eq!(set["sum/small"].unit.as_deref(), Some("µs"));
        assert_eq!(set["sum/large:thrpt"].values(), vec![1.0076]);
        assert_eq!(set["sum/large:thrpt"].direction, Some(Direction::Higher));
        assert_eq!(
            set["a rather long benchmark name that wraps"].values(),
            vec![553.04]
        );
    }

    #[test]
    fn a_broken_estimate_is_an_error() {
        let err = read(Path::new("c.txt"), "x  time:   [1 ns 2 ns]\n").expect_err("short");
        assert!(err.to_string().starts_with("c.txt:1: "), "{err}");
        assert!(read(Path::new("c.txt"), "x  time:   [1 ns 2 furlongs 3 ns]\n").is_err());
    }
}

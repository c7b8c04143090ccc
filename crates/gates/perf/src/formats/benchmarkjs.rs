//! benchmark.js console lines, as `String(bench)` prints them:
//! `NAME x 1,431,759 ops/sec ±0.74% (93 runs sampled)`. Operations per second, better
//! higher; names may themselves contain ` x `, so a line is read from its end. Other
//! lines (`Fastest is ...`, logs) are passed over; a line ending in `runs sampled)`
//! that does not read exactly is an error.

use safety_gate_core::{InputError, Location};
use std::path::Path;

use super::json::{at_line, insert, malformed};
use super::text;
use crate::model::{BenchSet, Direction, Measurement};

/// Whether the text holds at least one benchmark.js result line.
pub(super) fn looks_like(text: &str) -> bool {
    text.lines().any(|l| matches!(line(l), Some(Ok(_))))
}

/// Reads every result line.
pub(super) fn read(path: &Path, text: &str) -> Result<BenchSet, InputError> {
    let mut set = BenchSet::new();
    for (index, raw) in text.lines().enumerate() {
        let line_no = index as u64 + 1;
        let Some(parsed) = line(raw) else { continue };
        let (name, value) = parsed.map_err(|message| at_line(path, line_no, message))?;
        let m = Measurement::new(name, vec![value], Location::line(path, line_no))?
            .unit("ops/s")
            .direction(Direction::Higher);
        insert(path, &mut set, name.to_string(), m)?;
    }
    if set.is_empty() {
        return Err(malformed(
            path,
            "no `NAME x N ops/sec ±P% (N runs sampled)` line found",
        ));
    }
    Ok(set)
}

/// The name and operations per second of a result line; `None` for other lines.
fn line(raw: &str) -> Option<Result<(&str, f64), String>> {
    let raw = raw.trim();
    let (head, runs) = raw.rsplit_once(" (")?;
    let runs = runs
        .strip_suffix(" runs sampled)")
        .or_else(|| runs.strip_suffix(" run sampled)"))?;
    let parsed = (|| {
        runs.parse::<u64>().ok()?;
        let mut tokens = head.rsplitn(4, ' ');
        let spread = tokens.next()?;
        let unit = tokens.next()?;
        let value = tokens.next()?;
        let name = tokens.next()?.strip_suffix(" x")?;
        let spread_ok = spread
            .strip_prefix('±')
            .and_then(|s| s.strip_suffix('%'))
            .and_then(text::number)
            .is_some();
        (spread_ok && unit == "ops/sec" && !name.trim().is_empty())
            .then_some(())
            .and_then(|()| text::number(value).map(|v| (name.trim(), v)))
    })();
    Some(parsed.ok_or_else(|| {
        format!("expected `NAME x <number> ops/sec ±<number>% (<n> runs sampled)`, found `{raw}`")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_with_x_and_separated_values() {
        let text = "fib(10) x 1,431,759 ops/sec ±0.74% (93 runs sampled)\n\
                    this x line should be ignored\n\
                    a x b x 81.61 ops/sec ±1.70% (69 runs sampled)\nFastest is fib(10)\n";
        let set = read(Path::new("b.txt"), text).expect("ok");
        assert_eq!(set["fib(10)"].values(), vec![1_431_759.0]);
        assert_eq!(set["a x b"].values(), vec![81.61]);
        assert_eq!(set["a x b"].direction, Some(Direction::Higher));
        assert!(looks_like(text) && !looks_like("this x line\n"));
    }

    #[test]
    fn a_result_line_that_does_not_read_is_an_error() {
        for bad in [
            "a x 1,5 ops/sec ±0.74% (93 runs sampled)\n",
            "a x 12 ops/min ±0.74% (93 runs sampled)\n",
            "a 12 ops/sec ±0.74% (93 runs sampled)\n",
        ] {
            let err = read(Path::new("b.txt"), bad).expect_err(bad).to_string();
            assert!(err.starts_with("b.txt:1: "), "{err}");
        }
    }
}

//! `cargo bench` (libtest) text: `test NAME ... bench:   1,234 ns/iter (+/- 56)`, also
//! what criterion prints with `--output-format bencher`. Values may hold `,` thousands
//! separators and decimals; the unit is what the tool printed (`ns/iter`, another
//! time, or a custom measurement's). A value is a cost per iteration, better lower,
//! unless its unit is a rate. `ignored` lines are passed over; a `FAILED` benchmark is
//! an error. Several targets may share one output: a name in two targets (known from
//! cargo's `Running` lines) is qualified as `name (target)`.

use safety_gate_core::{InputError, Location};
use std::collections::BTreeMap;
use std::path::Path;

use super::json::{at_line, malformed};
use super::{qualify, text};
use crate::model::{BenchSet, Direction, Measurement};
use crate::units;

/// What a `test` line says.
enum Outcome<'a> {
    Bench(f64, &'a str),
    Failed,
}

/// Whether the text holds at least one `test NAME ... bench:` line.
pub(super) fn looks_like(text: &str) -> bool {
    text.lines()
        .any(|l| matches!(line(l), Some(Ok((_, Outcome::Bench(..))))))
}

/// Reads every benchmark line.
pub(super) fn read(path: &Path, text: &str) -> Result<BenchSet, InputError> {
    let mut target = None;
    let mut entries = Vec::new();
    let mut seen: BTreeMap<(Option<&str>, &str), u64> = BTreeMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line_no = index as u64 + 1;
        if let Some(rest) = raw.trim_start().strip_prefix("Running ") {
            target = Some(rest.split(" (").next().unwrap_or(rest).trim());
            continue;
        }
        let Some(parsed) = line(raw) else { continue };
        let (name, outcome) = parsed.map_err(|message| at_line(path, line_no, message))?;
        if let Some(first) = seen.insert((target, name), line_no) {
            return Err(at_line(
                path,
                line_no,
                format!(
                    "benchmark `{name}` appears twice (lines {first} and {line_no}) with no \
                     cargo `Running` line between to tell the targets apart"
                ),
            ));
        }
        entries.push((target, name, line_no, outcome));
    }
    let ids = qualify::ids(entries.iter().map(|(t, n, ..)| (*t, *n)));
    let mut set = BenchSet::new();
    for (target, name, line_no, outcome) in entries {
        let id = ids[&(target, name)].clone();
        let location = Location::line(path, line_no);
        let m = match outcome {
            Outcome::Failed => Measurement::failed(
                format!("`{id}` FAILED in libtest (line {line_no})"),
                location,
            ),
            Outcome::Bench(value, unit) => Measurement::new(&id, vec![value], location)?
                .unit(unit)
                .direction(units::direction(unit).unwrap_or(Direction::Lower)),
        };
        set.insert(id, m);
    }
    if set.is_empty() {
        return Err(malformed(path, "no `test NAME ... bench:` line found"));
    }
    Ok(set)
}

/// A `test NAME ... RESULT` line: `None` for other lines and `ignored` tests, an
/// error for a bench line that does not read exactly.
fn line(raw: &str) -> Option<Result<(&str, Outcome<'_>), String>> {
    let rest = raw.trim().strip_prefix("test ")?;
    let (name, result) = rest.rsplit_once(" ... ")?;
    let name = name.trim();
    let result = result.trim();
    if result == "FAILED" {
        return Some(Ok((name, Outcome::Failed)));
    }
    let bench = result.strip_prefix("bench:")?;
    Some(
        bench_value(bench)
            .map(|(v, u)| (name, Outcome::Bench(v, u)))
            .map_err(|e| format!("`{name}`: {e}")),
    )
}

/// `1,234 ns/iter (+/- 56)`: the value and its unit.
fn bench_value(text_after: &str) -> Result<(f64, &str), String> {
    let fields: Vec<&str> = text_after.split_whitespace().collect();
    let ok = match fields[..] {
        [value, unit] => Some((value, unit)),
        [value, unit, "(+/-", spread] if spread.ends_with(')') => {
            text::number(spread.trim_end_matches(')')).map(|_| (value, unit))
        }
        _ => None,
    };
    let (value, unit) = ok.ok_or_else(|| {
        format!(
            "expected `<number> <unit> (+/- <number>)` after `bench:`, found `{}`",
            text_after.trim()
        )
    })?;
    let value = text::number(value).ok_or_else(|| format!("`{value}` is not a number"))?;
    Ok((value, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<BenchSet, String> {
        read(Path::new("b.txt"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_values_with_separators_decimals_and_units() {
        let text = "running 3 tests\ntest a ... bench:     1,234 ns/iter (+/- 56)\n\
                    test b::c ... bench:  18,794.12 ns/iter (+/- 440.25)\n\
                    test d ... ignored\ntest up ... bench: 1911 MS/s (+/- 420)\n\
                    test Create Realm ... bench:         329 ns/iter (+/- 4)\n";
        let set = read_str(text).expect("ok");
        assert_eq!(set["a"].values(), vec![1234.0]);
        assert_eq!(set["b::c"].values(), vec![18_794.12]);
        assert_eq!(set["Create Realm"].unit.as_deref(), Some("ns/iter"));
        assert_eq!(set["up"].direction, Some(Direction::Higher));
        assert!(!set.contains_key("d"));
        assert!(looks_like(text) && !looks_like("test a ... ok\n"));
    }

    #[test]
    fn failed_benchmarks_are_errors_and_bad_lines_are_refused() {
        let set = read_str("test a ... bench: 1 ns/iter (+/- 0)\ntest b ... FAILED\n").expect("ok");
        assert!(set["b"].error().expect("error").contains("`b`"));
        for bad in [
            "test a ... bench: 1,5 ns/iter (+/- 0)\n",
            "test a ... bench: 12 ns/iter (+/- 0) extra\n",
            "test a ... bench: ns/iter\n",
        ] {
            assert!(
                read_str(bad).expect_err(bad).starts_with("b.txt:1: "),
                "{bad}"
            );
        }
    }

    #[test]
    fn targets_qualify_a_shared_name_and_unknown_targets_refuse_it() {
        let two = "     Running benches/a.rs (target/release/deps/a-1)\ntest x ... bench: 1 ns/iter (+/- 0)\n\
                   test y ... bench: 3 ns/iter (+/- 0)\n\
                   Running benches/b.rs (target/release/deps/b-2)\ntest x ... bench: 2 ns/iter (+/- 0)\n";
        let set = read_str(two).expect("ok");
        assert_eq!(
            set.keys().collect::<Vec<_>>(),
            ["x (benches/a.rs)", "x (benches/b.rs)", "y"]
        );
        let err =
            read_str("test x ... bench: 1 ns/iter (+/- 0)\ntest x ... bench: 2 ns/iter (+/- 0)\n")
                .expect_err("twice");
        assert!(err.contains("appears twice"), "{err}");
    }
}

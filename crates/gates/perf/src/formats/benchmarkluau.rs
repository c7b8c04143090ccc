//! Luau's benchmark runner (`bench/bench.py`): one `SUCCESS: NAME : 15.041ms +/- 0.636%
//! on luau` line per benchmark (a time, better lower); the summary table after it
//! repeats the same values and is passed over. A `FAILED: NAME` line is an error.

use safety_gate_core::{InputError, Location};
use std::path::Path;

use super::json::{at_line, insert, malformed};
use super::text;
use crate::model::{BenchSet, Direction, Measurement};

/// Whether the text holds at least one `SUCCESS:` result line.
pub(super) fn looks_like(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("SUCCESS:") && matches!(line(l), Some(Ok(_))))
}

/// Reads every `SUCCESS:` and `FAILED:` line.
pub(super) fn read(path: &Path, text: &str) -> Result<BenchSet, InputError> {
    let mut set = BenchSet::new();
    for (index, raw) in text.lines().enumerate() {
        let line_no = index as u64 + 1;
        let location = Location::line(path, line_no);
        if let Some(rest) = raw.strip_prefix("FAILED:") {
            let name = rest.split(':').next().unwrap_or(rest).trim();
            let m = Measurement::failed(
                format!("`{name}` FAILED in the Luau benchmark run"),
                location,
            );
            insert(path, &mut set, name.to_string(), m)?;
            continue;
        }
        let Some(parsed) = line(raw) else { continue };
        let (name, value, unit) = parsed.map_err(|message| at_line(path, line_no, message))?;
        let m = Measurement::new(name, vec![value], location)?
            .unit(unit)
            .direction(Direction::Lower);
        insert(path, &mut set, name.to_string(), m)?;
    }
    if set.is_empty() {
        return Err(malformed(
            path,
            "no `SUCCESS: NAME : <time> +/- <n>%` line found",
        ));
    }
    Ok(set)
}

/// `SUCCESS: base64   :   15.041ms +/-  0.636% on luau`.
fn line(raw: &str) -> Option<Result<(&str, f64, &str), String>> {
    let rest = raw.strip_prefix("SUCCESS:")?;
    let parsed = (|| {
        let (name, result) = rest.rsplit_once(" : ")?;
        let value = result.split_whitespace().next()?;
        let (value, unit) = text::glued(value)?;
        crate::units::parse(unit)
            .filter(|(kind, _)| *kind == crate::units::Kind::Time)
            .map(|_| (name.trim(), value, unit))
    })();
    Some(parsed.ok_or_else(|| format!("expected `SUCCESS: NAME : <time> +/- <n>%`, found `{raw}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_success_lines_and_not_the_table() {
        let text = "SUCCESS: base64                                  :   15.041ms +/-  0.636% on luau\n\
                    SUCCESS: chess : 69.560ms +/- 0.212% on luau\nFAILED: life\n\n\
                    Test | Min | Average\nbase64 |   14.831ms  |   15.041ms\n";
        let set = read(Path::new("l.txt"), text).expect("ok");
        assert_eq!(set["base64"].values(), vec![15.041]);
        assert_eq!(set["chess"].unit.as_deref(), Some("ms"));
        assert!(set["life"].error().is_some());
        assert!(read(Path::new("l.txt"), "SUCCESS: a : fast\n").is_err());
    }
}

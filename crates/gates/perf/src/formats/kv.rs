//! `kv`: `name=value` pairs found anywhere in a text log, one or more per line; lines
//! without a numeric pair are ignored. A name seen on several lines yields samples.

use safety_gate_core::{InputError, Location};
use std::collections::btree_map::Entry;
use std::path::Path;

use super::finite;
use crate::config::MetricSpec;
use crate::model::{BenchSet, Measurement};

/// Reads `name=value` pairs. With metrics given, only those names are kept and each
/// must be present; otherwise every numeric pair is a metric.
pub(super) fn read(
    path: &Path,
    text: &str,
    metrics: &[MetricSpec],
) -> Result<BenchSet, InputError> {
    let mut set = BenchSet::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index as u64 + 1;
        for (name, value) in pairs(line) {
            let spec = metrics.iter().find(|m| m.name == name);
            if !metrics.is_empty() && spec.is_none() {
                continue;
            }
            let value = finite(path, Some(line_no), name, value)?;
            match set.entry(name.to_string()) {
                Entry::Occupied(slot) => slot.into_mut().push(name, value)?,
                Entry::Vacant(slot) => {
                    let m = Measurement::new(name, vec![value], Location::line(path, line_no))?;
                    slot.insert(match spec {
                        Some(spec) => m.direction(spec.direction),
                        None => m,
                    });
                }
            }
        }
    }
    if let Some(missing) = metrics.iter().find(|m| !set.contains_key(&m.name)) {
        return Err(InputError::malformed(
            path,
            None,
            None,
            format!("no `{}=<number>` line found", missing.name),
        ));
    }
    if set.is_empty() {
        return Err(InputError::malformed(
            path,
            None,
            None,
            "no `name=<number>` pair found",
        ));
    }
    Ok(set)
}

/// The `name=number` pairs on one line. Names are identifiers (letters, digits, `_`,
/// `.`, `-`, `/`, not starting with a digit); values end at whitespace, `,` or `;`.
fn pairs(line: &str) -> impl Iterator<Item = (&str, f64)> {
    line.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter_map(|token| {
            let (name, value) = token.split_once('=')?;
            let valid_name = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'));
            if !valid_name {
                return None;
            }
            let number: f64 = value.parse().ok()?;
            Some((name, number))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pairs_among_log_noise() {
        let log = "console_auth_disabled role=viewer message='x'\n{\"json\": 1}\n\
                   Traceback (most recent call last):\naverage_tick_seconds=0.001059\n";
        let set = read(Path::new("log.txt"), log, &[]).expect("ok");
        assert_eq!(set.keys().collect::<Vec<_>>(), ["average_tick_seconds"]);
        assert_eq!(set["average_tick_seconds"].values(), vec![0.001059]);
        assert_eq!(set["average_tick_seconds"].location.line, Some(4));
    }

    #[test]
    fn repeated_names_are_samples_and_named_metrics_must_exist() {
        let log = "t=1\nt=2 u=3\n";
        let set = read(Path::new("l"), log, &["t".parse().expect("spec")]).expect("ok");
        assert_eq!(set["t"].values(), vec![1.0, 2.0]);
        assert!(!set.contains_key("u"));
        let err = read(Path::new("l"), log, &["v".parse().expect("spec")]).expect_err("missing");
        assert!(err.to_string().contains("`v="), "{err}");
    }

    #[test]
    fn non_finite_and_empty_are_errors() {
        assert!(read(Path::new("l"), "t=NaN\n", &[]).is_err());
        assert!(read(Path::new("l"), "t=inf\n", &[]).is_err());
        assert!(read(Path::new("l"), "nothing here\n", &[]).is_err());
    }
}

//! `kv`: `name=value` pairs found anywhere in a text log, one or more per line; lines
//! without a numeric pair are ignored. A name seen on several lines yields samples.
//! A named metric's value must be exactly one number (`t=1,5` may be a decimal comma
//! or two values; `t=12ms` carries a unit kv cannot read): anything else is an error
//! naming line and column, never a guess. Without named metrics only exact numbers
//! are read, so a log's `date=2024-01-01` is not taken for a metric.

use safety_gate_core::{InputError, Location};
use std::collections::btree_map::Entry;
use std::path::Path;

use super::json::finite;
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
        for pair in pairs(line) {
            let Pair {
                name,
                column,
                value,
            } = pair;
            let spec = metrics.iter().find(|m| m.name == name);
            if !metrics.is_empty() && spec.is_none() {
                continue;
            }
            let value = match value {
                Value::Number(v) => finite(path, Some(line_no), name, v)?,
                // Without named metrics, only exact numbers are metrics: a log's
                // `date=2024-01-01` or `version=1.2.3` is not one.
                Value::Text | Value::Inexact(_) if spec.is_none() => continue,
                Value::Text => continue,
                Value::Inexact(raw) => {
                    return Err(InputError::malformed(
                        path,
                        Some(line_no),
                        Some(column),
                        format!(
                            "`{name}={raw}` is not exactly one number (a decimal comma, a list \
                             or a unit?): write `{name}=<number>`"
                        ),
                    ));
                }
            };
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

/// Whether the text holds a pair kv would read (a named metric's, when metrics are given).
pub(super) fn looks_like(text: &str, metrics: &[MetricSpec]) -> bool {
    text.lines().any(|line| {
        pairs(line).any(|p| match p.value {
            Value::Number(_) => metrics.is_empty() || metrics.iter().any(|m| m.name == p.name),
            Value::Inexact(_) => metrics.iter().any(|m| m.name == p.name),
            Value::Text => false,
        })
    })
}

/// What follows a name's `=`.
enum Value<'a> {
    Number(f64),
    /// Starts like a number but is not exactly one.
    Inexact(&'a str),
    /// Not a number at all (`role=viewer`): not a metric.
    Text,
}

struct Pair<'a> {
    name: &'a str,
    column: u64,
    value: Value<'a>,
}

/// The `name=value` pairs on one line. Names are identifiers (letters, digits, `_`,
/// `.`, `-`, `/`, not starting with a digit). A value ends at whitespace, `;`, or a `,`
/// that starts the next pair (`a=1,b=2`).
fn pairs(line: &str) -> impl Iterator<Item = Pair<'_>> {
    line.split(|c: char| c.is_whitespace() || c == ';')
        .flat_map(|token| split_pairs(line, token))
}

/// Splits `a=1,b=2` into its pairs; a `,` followed by anything but a new `name=` stays
/// in the value (so `t=1,5` reads as one inexact value).
fn split_pairs<'a>(line: &'a str, token: &'a str) -> Vec<Pair<'a>> {
    let base = token.as_ptr() as usize - line.as_ptr() as usize;
    let mut cuts = vec![0];
    for (i, c) in token.char_indices() {
        if c == ',' && starts_pair(&token[i + 1..]) {
            cuts.push(i + 1);
        }
    }
    cuts.push(token.len() + 1);
    cuts.windows(2)
        .filter_map(|w| {
            let piece = &token[w[0]..w[1] - 1];
            let (name, raw) = piece.split_once('=')?;
            if !valid_name(name) {
                return None;
            }
            let value = match raw.parse::<f64>() {
                Ok(v) => Value::Number(v),
                Err(_)
                    if raw.starts_with(|c: char| {
                        c.is_ascii_digit() || matches!(c, '-' | '+' | '.')
                    }) && raw.chars().any(|c| c.is_ascii_digit()) =>
                {
                    Value::Inexact(raw)
                }
                Err(_) => Value::Text,
            };
            Some(Pair {
                name,
                column: (base + w[0]) as u64 + 1,
                value,
            })
        })
        .collect()
}

fn starts_pair(rest: &str) -> bool {
    rest.split_once('=')
        .is_some_and(|(name, _)| valid_name(name))
}

fn valid_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'))
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
        let log = "t=1\nt=2 u=3\na=4,b=5\n";
        let set = read(Path::new("l"), log, &["t".parse().expect("spec")]).expect("ok");
        assert_eq!(set["t"].values(), vec![1.0, 2.0]);
        assert!(!set.contains_key("u"));
        let all = read(Path::new("l"), log, &[]).expect("ok");
        assert_eq!(all["a"].values(), vec![4.0]);
        assert_eq!(all["b"].values(), vec![5.0]);
        let err = read(Path::new("l"), log, &["v".parse().expect("spec")]).expect_err("missing");
        assert!(err.to_string().contains("`v="), "{err}");
    }

    #[test]
    fn inexact_values_are_errors_naming_line_and_column() {
        let t = ["t".parse().expect("spec")];
        for (log, at) in [
            ("x=2\nt=1,5\n", "l:2:1"),
            ("  t=12ms\n", "l:1:3"),
            ("a=1 t=1.2.3\n", "l:1:5"),
            ("t=1,000\n", "l:1:1"),
        ] {
            let err = read(Path::new("l"), log, &t).expect_err(log).to_string();
            assert!(err.starts_with(at), "{log}: {err}");
        }
        // Unnamed, an inexact value is no metric at all: never read as `1`.
        let set = read(Path::new("l"), "t=1,5 u=2\ndate=2024-01-01\n", &[]).expect("ok");
        assert_eq!(set.keys().collect::<Vec<_>>(), ["u"]);
    }

    #[test]
    fn non_finite_and_empty_are_errors() {
        assert!(read(Path::new("l"), "t=NaN\n", &[]).is_err());
        assert!(read(Path::new("l"), "t=inf\n", &[]).is_err());
        assert!(read(Path::new("l"), "t=1e999\n", &[]).is_err());
        assert!(read(Path::new("l"), "nothing here\n", &[]).is_err());
    }
}

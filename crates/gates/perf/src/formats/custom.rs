//! github-action-benchmark's `customSmallerIsBetter` / `customBiggerIsBetter`: an
//! array of `{name, value, unit}` (plus optional `range`, `extra`). A name repeated
//! gives samples. The format names the direction; a unit that decides the other one
//! alone (a time in a bigger-is-better file) is an error, not a silent flip.

use safety_gate_core::{InputError, Location};
use serde_json::Value;
use std::collections::btree_map::Entry;
use std::path::Path;

use super::json::{malformed, number, string};
use crate::model::{BenchSet, Direction, Measurement};
use crate::units;

/// Reads the array; `direction` comes from the format name.
pub(super) fn read(path: &Path, doc: &Value, direction: Direction) -> Result<BenchSet, InputError> {
    let items = doc
        .as_array()
        .ok_or_else(|| malformed(path, "the custom benchmark format is a JSON array"))?;
    let mut set = BenchSet::new();
    for item in items {
        let name = string(path, item, "name", "an entry")?;
        let unit = string(path, item, "unit", &format!("entry `{name}`"))?;
        let value = number(path, &item["value"], || format!("`{name}` value"))?;
        if let Some(stated) = units::direction(unit).filter(|d| *d != direction) {
            return Err(malformed(
                path,
                format!(
                    "`{name}` is in {unit}, which is {}, but the format says {}: use the \
                     other custom format",
                    stated.phrase(),
                    direction.phrase()
                ),
            ));
        }
        match set.entry(name.to_string()) {
            Entry::Vacant(slot) => {
                let m = Measurement::new(name, vec![value], Location::file(path))?;
                slot.insert(m.unit(unit).direction(direction));
            }
            Entry::Occupied(slot) if slot.get().unit.as_deref() != Some(unit) => {
                return Err(malformed(path, format!("`{name}` is given in two units")));
            }
            Entry::Occupied(slot) => slot.into_mut().push(name, value)?,
        }
    }
    Ok(set)
}

/// Whether a document is an array of `{name, value, unit}` objects.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc.as_array().is_some_and(|items| {
        !items.is_empty()
            && items.iter().all(|i| {
                i.get("name").is_some() && i.get("value").is_some() && i.get("unit").is_some()
            })
    })
}

/// The direction every unit in the array agrees on, when every unit decides one alone
/// (a time or a rate); `None` when any unit is ambiguous (bytes, percent, unknown) or
/// two units disagree.
pub(super) fn direction_from_units(doc: &Value) -> Option<Direction> {
    let mut found = None;
    for item in doc.as_array()? {
        let direction = units::direction(item["unit"].as_str()?)?;
        match found {
            None => found = Some(direction),
            Some(d) if d != direction => return None,
            Some(_) => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_repeats_as_samples() {
        let doc = serde_json::json!([
            {"name": "a", "value": 1.0, "unit": "ms"},
            {"name": "a", "value": 2.0, "unit": "ms"},
            {"name": "b", "value": 9.0, "unit": "ms", "range": "± 1"},
        ]);
        let set = read(Path::new("c.json"), &doc, Direction::Lower).expect("ok");
        assert_eq!(set["a"].values(), vec![1.0, 2.0]);
        assert_eq!(set["b"].direction, Some(Direction::Lower));
        let err = read(Path::new("c.json"), &doc, Direction::Higher).expect_err("ms is lower");
        assert!(err.to_string().contains("lower is better"), "{err}");
        let doc = serde_json::json!([{"name": "a", "value": "1", "unit": "ms"}]);
        assert!(read(Path::new("c.json"), &doc, Direction::Lower).is_err());
    }
}

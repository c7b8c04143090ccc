//! Snapshot versions: read from a JSON pointer, compared as dotted numbers.
//!
//! `"0.9.0"`, `"1.6"`, `"v2"` and the number `3` all parse; `1.6` equals `1.6.0`.
//! Anything else (pre-release tags, words, a missing field) is unparsable, which the
//! gate reports as a failure: a snapshot whose version cannot be read cannot be
//! proven loadable.

use serde_json::Value;
use std::cmp::Ordering;
use std::fmt;

/// A dotted numeric version.
#[derive(Debug, Clone, Eq)]
pub struct Version {
    parts: Vec<u64>,
    text: String,
}

impl Version {
    /// Parses `1`, `1.6`, `0.9.0`, with an optional leading `v`.
    pub fn parse(text: &str) -> Option<Version> {
        let trimmed = text.trim();
        let digits = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let parts: Option<Vec<u64>> = digits
            .split('.')
            .map(|p| {
                let numeric = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
                numeric.then(|| p.parse().ok()).flatten()
            })
            .collect();
        Some(Version {
            parts: parts?,
            text: trimmed.to_owned(),
        })
    }

    /// Reads the version at `pointer` in a snapshot: a string or a non-negative number.
    pub fn read(document: &Value, pointer: &str) -> Result<Version, String> {
        match document.pointer(pointer) {
            None => Err(format!("no version at {pointer}")),
            Some(Value::String(s)) => {
                Version::parse(s).ok_or_else(|| format!("unparsable version {s:?} at {pointer}"))
            }
            Some(Value::Number(n)) => {
                let text = n.to_string();
                Version::parse(&text)
                    .ok_or_else(|| format!("unparsable version {text} at {pointer}"))
            }
            Some(other) => Err(format!(
                "version at {pointer} is not a string or number: {other}"
            )),
        }
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Components with trailing zeros removed, so `1.6` and `1.6.0` compare equal.
    fn significant(&self) -> &[u64] {
        let end = self
            .parts
            .iter()
            .rposition(|p| *p != 0)
            .map_or(0, |i| i + 1);
        &self.parts[..end]
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.significant() == other.significant()
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.significant().cmp(other.significant())
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("parses")
    }

    #[test]
    fn dotted_numbers_compare_numerically() {
        assert!(v("0.10.0") > v("0.9.0"));
        assert!(v("1.6") < v("1.10"));
        assert_eq!(v("1.6"), v("1.6.0"));
        assert_eq!(v("v2"), v("2.0"));
        assert!(v("0.2.0") < v("0.9"));
    }

    #[test]
    fn unparsable_versions_are_refused() {
        for bad in ["", "1.", ".1", "1.2-rc1", "one", "1..2", "-1"] {
            assert!(Version::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn reads_strings_and_numbers_at_a_pointer() {
        let doc = json!({"schema_version": "0.9.0", "meta": {"v": 3}, "bad": true});
        assert_eq!(
            Version::read(&doc, "/schema_version").expect("ok").as_str(),
            "0.9.0"
        );
        assert_eq!(Version::read(&doc, "/meta/v").expect("ok"), v("3"));
        assert!(
            Version::read(&doc, "/missing")
                .expect_err("none")
                .contains("/missing")
        );
        assert!(Version::read(&doc, "/bad").is_err());
        assert!(Version::read(&json!({"v": 1.5e300}), "/v").is_err());
    }
}

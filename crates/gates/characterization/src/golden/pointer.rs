//! JSON pointers (RFC 6901) and globs over them.
//!
//! A pointer glob is matched against the whole pointer text: `*` matches within one
//! path segment (never across `/`), `**` matches any number of segments, `?` one
//! character, `[..]` a class and `{a,b}` alternatives. `/metrics/*_rate` matches
//! `/metrics/option_switch_rate`; `/runs/*/duration` matches every array element's
//! `duration`; `/**/timestamp` matches a `timestamp` key at any depth.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::CharacterizationError;

/// Appends one reference token to a pointer, escaping `~` and `/`.
pub fn push_token(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for ch in token.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            _ => out.push(ch),
        }
    }
    out
}

/// A validated pointer glob, as written in config or on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct PointerGlob(String);

impl PointerGlob {
    /// The glob text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PointerGlob {
    type Error = CharacterizationError;

    fn try_from(pattern: String) -> Result<Self, Self::Error> {
        compile(&pattern)?;
        Ok(PointerGlob(pattern))
    }
}

impl std::str::FromStr for PointerGlob {
    type Err = CharacterizationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PointerGlob::try_from(s.to_string())
    }
}

impl std::fmt::Display for PointerGlob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn compile(pattern: &str) -> Result<globset::Glob, CharacterizationError> {
    let err = |message: String| CharacterizationError::PointerGlob {
        pattern: pattern.to_string(),
        message,
    };
    if !pattern.is_empty() && !pattern.starts_with('/') {
        return Err(err("a JSON pointer starts with `/`".into()));
    }
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| err(e.kind().to_string()))
}

/// An ordered set of pointer globs; reports the first one that matches.
#[derive(Debug, Clone)]
pub struct PointerSet {
    set: GlobSet,
    len: usize,
}

impl PointerSet {
    /// Compiles the globs, in order.
    pub fn new<'a>(globs: impl IntoIterator<Item = &'a PointerGlob>) -> Self {
        let mut builder = GlobSetBuilder::new();
        let mut len = 0;
        for glob in globs {
            // Validated when the PointerGlob was made.
            if let Ok(g) = compile(glob.as_str()) {
                builder.add(g);
                len += 1;
            }
        }
        let set = builder.build().unwrap_or_else(|_| GlobSet::empty());
        PointerSet { set, len }
    }

    /// Whether the set holds no glob (lets callers skip building pointers).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Index of the first glob matching `pointer`.
    pub fn first_match(&self, pointer: &str) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        self.set.matches(pointer).into_iter().min()
    }

    /// Whether any glob matches `pointer`.
    pub fn is_match(&self, pointer: &str) -> bool {
        self.len != 0 && self.set.is_match(pointer)
    }
}

/// Whether any value of `value` (at `pointer`) is left once the `ignore` globs have
/// redacted theirs: a scalar or an empty array or object that no glob matches. When
/// none is left on either side, the diff would compare nothing and pass.
pub fn keeps_a_value(value: &serde_json::Value, pointer: &str, ignore: &PointerSet) -> bool {
    use serde_json::Value;
    if ignore.is_match(pointer) {
        return false;
    }
    if ignore.is_empty() {
        return true;
    }
    match value {
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .any(|(i, item)| keeps_a_value(item, &push_token(pointer, &i.to_string()), ignore)),
        Value::Object(map) if !map.is_empty() => map
            .iter()
            .any(|(key, item)| keeps_a_value(item, &push_token(pointer, key), ignore)),
        _ => true,
    }
}

impl schemars::JsonSchema for PointerGlob {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PointerGlob".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A JSON pointer glob (`/generated_at`, `/**/run_id`).",
            "examples": ["/generated_at"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(globs: &[&str]) -> PointerSet {
        let globs: Vec<PointerGlob> = globs.iter().map(|g| g.parse().expect("glob")).collect();
        PointerSet::new(&globs)
    }

    #[test]
    fn star_stays_within_a_segment() {
        let s = set(&["/metrics/*_rate"]);
        assert!(s.is_match("/metrics/option_switch_rate"));
        assert!(!s.is_match("/metrics/deep/x_rate"));
        assert!(!s.is_match("/other/x_rate"));
    }

    #[test]
    fn double_star_crosses_segments_and_first_match_wins() {
        let s = set(&["/a/b", "/**/b"]);
        assert_eq!(s.first_match("/a/b"), Some(0));
        assert_eq!(s.first_match("/x/y/b"), Some(1));
        assert_eq!(s.first_match("/b"), Some(1));
        assert_eq!(s.first_match("/a/c"), None);
    }

    #[test]
    fn backslash_escapes_glob_syntax_in_keys() {
        let s = set(&[r"/a\[0\]"]);
        assert!(s.is_match("/a[0]"));
        assert!(!s.is_match("/a0"));
    }

    #[test]
    fn a_value_is_kept_unless_every_leaf_is_redacted() {
        let doc = serde_json::json!({"a": 1, "b": {"c": "x", "d": [1, 2]}, "e": {}});
        assert!(keeps_a_value(&doc, "", &set(&[])));
        assert!(keeps_a_value(&doc, "", &set(&["/a", "/b/c"])));
        assert!(keeps_a_value(&doc, "", &set(&["/a", "/b", "/e/x"])));
        for everything in [
            &["/**"][..],
            &["/*"],
            &["/a", "/b", "/e"],
            &["/a", "/b/*", "/e"],
        ] {
            assert!(!keeps_a_value(&doc, "", &set(everything)), "{everything:?}");
        }
        // A glob redacts the members of a document, not a document that is one scalar.
        assert!(keeps_a_value(&serde_json::json!(5), "", &set(&["/**"])));
    }

    #[test]
    fn tokens_are_escaped() {
        assert_eq!(push_token("/a", "x/y~z"), "/a/x~1y~0z");
    }

    #[test]
    fn pointer_globs_must_start_with_a_slash() {
        assert!("metrics/*".parse::<PointerGlob>().is_err());
        assert!("/a/[".parse::<PointerGlob>().is_err());
    }
}

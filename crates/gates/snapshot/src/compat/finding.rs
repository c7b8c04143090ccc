//! What a schema comparison finds, and how each finding is judged per compatibility mode.
//!
//! Every change is described by what it does to the set of documents the schema
//! accepts. A change that makes the schema accept less *narrows* it: data written
//! under the old schema may now be rejected, which breaks `backward` compatibility
//! (new code reading old data). A change that makes it accept more *widens* it: data
//! written under the new schema may be rejected by the old one, which breaks
//! `forward` compatibility (old code reading new data). `full` is broken by both.

use serde::Serialize;

use crate::config::Compatibility;

/// Direction of a schema change in terms of the documents it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// The new schema accepts less: breaks `backward`.
    Narrows,
    /// The new schema accepts more: breaks `forward`.
    Widens,
    /// Some documents are newly accepted and others newly rejected: breaks both.
    Changes,
}

impl Effect {
    /// Lowercase name as used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Narrows => "narrows",
            Effect::Widens => "widens",
            Effect::Changes => "changes",
        }
    }
}

/// One classified change between two schemas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// JSON pointer of the changed keyword in the schema (`/properties/tick`); `$ref`s are
    /// followed, so the path is the one a reader of the document would walk.
    pub path: String,
    /// Stable rule name (see [`RULES`]).
    pub rule: &'static str,
    /// What the change does to the accepted documents.
    pub effect: Effect,
    /// One-line explanation naming the property or value involved.
    pub message: String,
}

impl Finding {
    /// Whether this finding breaks the given compatibility mode.
    pub fn breaks(&self, mode: Compatibility) -> bool {
        matches!(
            (mode, self.effect),
            (_, Effect::Changes)
                | (Compatibility::Full, _)
                | (Compatibility::Backward, Effect::Narrows)
                | (Compatibility::Forward, Effect::Widens)
        )
    }

    /// `breaking`/`compatible` under `mode`, followed by path, rule and message.
    pub fn describe(&self, mode: Compatibility) -> String {
        let verdict = if self.breaks(mode) {
            "breaking"
        } else {
            "compatible"
        };
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        format!("{verdict}: {path} [{}] {}", self.rule, self.message)
    }
}

/// Every rule the comparison can report, with a one-line explanation, so that
/// documentation and `--explain` read the same list.
pub const RULES: &[(&str, &str)] = &[
    ("type-narrowed", "a JSON type is no longer accepted"),
    ("type-widened", "a JSON type is newly accepted"),
    (
        "enum-values-removed",
        "enum/const values are no longer accepted",
    ),
    ("enum-values-added", "enum/const values are newly accepted"),
    (
        "enum-added",
        "an enum/const now restricts a value that was free",
    ),
    ("enum-removed", "an enum/const restriction was dropped"),
    (
        "bound-tightened",
        "a minimum/maximum/length/count bound was tightened or added",
    ),
    (
        "bound-loosened",
        "a minimum/maximum/length/count bound was loosened or dropped",
    ),
    (
        "constraint-added",
        "a pattern, format, multipleOf or uniqueItems was added",
    ),
    (
        "constraint-removed",
        "a pattern, format, multipleOf or uniqueItems was dropped",
    ),
    (
        "constraint-changed",
        "a pattern, format or multipleOf changed value",
    ),
    (
        "property-added-required",
        "a new property is required: old data lacks it",
    ),
    (
        "optional-made-required",
        "an optional property became required",
    ),
    ("required-removed", "a required property became optional"),
    (
        "property-added-open-model",
        "a constrained property was added where any value was allowed",
    ),
    (
        "property-added-closed-model",
        "a property was added to a closed model",
    ),
    (
        "property-removed-open-model",
        "a constrained property was dropped from an open model",
    ),
    (
        "property-removed-closed-model",
        "a property was dropped from a closed model",
    ),
    (
        "additional-properties-tightened",
        "undeclared properties are now restricted or forbidden",
    ),
    (
        "additional-properties-loosened",
        "undeclared properties are now allowed more freely",
    ),
    ("schema-forbidden", "a schema now rejects every value"),
    (
        "schema-allowed",
        "a schema that rejected every value now accepts some",
    ),
    (
        "structure-changed",
        "an allOf/anyOf/oneOf/not/tuple changed shape and cannot be matched item by item",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(effect: Effect) -> Finding {
        Finding {
            path: "/properties/tick".into(),
            rule: "optional-made-required",
            effect,
            message: "tick".into(),
        }
    }

    #[test]
    fn narrowing_breaks_backward_and_full_only() {
        let f = finding(Effect::Narrows);
        assert!(f.breaks(Compatibility::Backward));
        assert!(!f.breaks(Compatibility::Forward));
        assert!(f.breaks(Compatibility::Full));
        assert!(
            f.describe(Compatibility::Forward)
                .starts_with("compatible: /properties/tick")
        );
    }

    #[test]
    fn widening_breaks_forward_and_full_only() {
        let f = finding(Effect::Widens);
        assert!(!f.breaks(Compatibility::Backward));
        assert!(f.breaks(Compatibility::Forward));
        assert!(f.breaks(Compatibility::Full));
        assert!(finding(Effect::Changes).breaks(Compatibility::Backward));
    }

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }
}

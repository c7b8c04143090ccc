//! What a schema comparison finds, and how each finding is judged per compatibility mode.
//!
//! A comparison asks two questions: does the current schema accept every document the
//! previous one accepted (if not, the change *narrows* and breaks `backward`), and does
//! the previous schema accept every document the current one accepts (if not, it *widens*
//! and breaks `forward`). `full` is broken by both. A keyword the comparison does not
//! know, when it changed, leaves the question open: that finding is *undecided* and the
//! check cannot pass.

use serde::Serialize;
use serde_json::Value;

use crate::config::Compatibility;

/// Direction of a schema change in terms of the documents it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Effect {
    /// Some document the previous schema accepted is rejected now: breaks `backward`.
    Narrows,
    /// Some document the current schema accepts was rejected before: breaks `forward`.
    Widens,
    /// A keyword that is not compared changed: the effect is unknown, so no mode passes.
    Undecided,
}

impl Effect {
    /// Lowercase name as used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Narrows => "narrows",
            Effect::Widens => "widens",
            Effect::Undecided => "undecided",
        }
    }
}

/// One difference between the documents two schemas accept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// JSON pointer of the keyword that rejects the example, in the schema that rejects it
    /// (the current one for `narrows`, the previous one for `widens`); for an undecided
    /// keyword, where it sits.
    pub path: String,
    /// Stable rule name (see [`RULES`]).
    pub rule: &'static str,
    /// Which way the accepted documents changed.
    pub effect: Effect,
    /// One line naming the value and the constraint involved.
    pub message: String,
    /// A whole document accepted by one schema and rejected by the other, checked against
    /// both with the validator before it is shown; `None` when none could be built.
    pub example: Option<Value>,
}

impl Finding {
    /// Whether this finding breaks the given compatibility mode.
    pub fn breaks(&self, mode: Compatibility) -> bool {
        matches!(
            (mode, self.effect),
            (_, Effect::Undecided)
                | (Compatibility::Full, _)
                | (Compatibility::Backward, Effect::Narrows)
                | (Compatibility::Forward, Effect::Widens)
        )
    }

    /// Whether the comparison could not judge this change at all.
    pub fn undecided(&self) -> bool {
        self.effect == Effect::Undecided
    }

    /// `breaking`/`compatible`/`cannot decide` under `mode`, then path, rule, effect,
    /// message and the example with what it shows.
    pub fn describe(&self, mode: Compatibility) -> String {
        let verdict = if self.undecided() {
            "cannot decide"
        } else if self.breaks(mode) {
            "breaking"
        } else {
            "compatible"
        };
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        let evidence = match (&self.example, self.effect) {
            (Some(doc), Effect::Narrows) => {
                format!("; example {doc}: valid under the previous schema, invalid now")
            }
            (Some(doc), Effect::Widens) => {
                format!("; example {doc}: valid now, invalid under the previous schema")
            }
            (None, Effect::Undecided) | (Some(_), Effect::Undecided) => String::new(),
            (None, _) => "; no example could be built".to_owned(),
        };
        format!(
            "{verdict}: {path} [{}] {}: {}{evidence}",
            self.rule,
            self.effect.as_str(),
            self.message
        )
    }
}

/// Every rule a finding can carry, with a one-line explanation, so that documentation
/// and `--explain` read the same list.
pub const RULES: &[(&str, &str)] = &[
    (
        "type",
        "a JSON type (or integer-ness) is accepted by one schema only",
    ),
    ("enum", "an `enum` or `const` value set differs"),
    (
        "range",
        "`minimum`/`maximum`/exclusive bounds admit different numbers",
    ),
    ("multiple-of", "`multipleOf` admits different numbers"),
    (
        "length",
        "a length or count bound differs: string length, items, properties, contains",
    ),
    ("pattern", "a string `pattern` admits different strings"),
    ("format", "a string `format` admits different strings"),
    (
        "required",
        "a property is required by one schema only (`required`, `dependentRequired`, `dependencies`)",
    ),
    (
        "properties",
        "a property is allowed or constrained differently (`properties`, `patternProperties`, `additionalProperties`, `unevaluatedProperties`, `propertyNames`)",
    ),
    (
        "items",
        "array items are constrained differently (`items`, `prefixItems`, `additionalItems`, `unevaluatedItems`, `contains`, `uniqueItems`)",
    ),
    (
        "combinator",
        "`allOf`/`anyOf`/`oneOf`/`not`/`if`-`then`-`else`/`dependentSchemas` accept different documents",
    ),
    ("false-schema", "a subschema is `false` in one schema only"),
    (
        "unproven",
        "no proof that one schema accepts all the other accepts, and no counterexample was found: reported as breaking",
    ),
    (
        "keyword-not-compared",
        "a keyword the comparison does not know changed: cannot decide",
    ),
];

/// The rule for a finding whose example is rejected by `keyword`.
pub fn rule_for_keyword(keyword: &str) -> &'static str {
    match keyword {
        "type" => "type",
        "enum" | "const" => "enum",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => "range",
        "multipleOf" => "multiple-of",
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties"
        | "minContains" | "maxContains" => "length",
        "pattern" => "pattern",
        "format" => "format",
        "required" | "dependentRequired" => "required",
        "properties"
        | "patternProperties"
        | "additionalProperties"
        | "unevaluatedProperties"
        | "propertyNames" => "properties",
        "items" | "prefixItems" | "additionalItems" | "unevaluatedItems" | "contains"
        | "uniqueItems" => "items",
        "falseSchema" | "false" => "false-schema",
        _ => "combinator",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finding(effect: Effect) -> Finding {
        Finding {
            path: "/properties/tick/type".into(),
            rule: "type",
            effect,
            message: "\"x\" is not of type \"integer\"".into(),
            example: Some(json!({"tick": "x"})),
        }
    }

    #[test]
    fn narrowing_breaks_backward_and_full_only() {
        let f = finding(Effect::Narrows);
        assert!(f.breaks(Compatibility::Backward));
        assert!(!f.breaks(Compatibility::Forward));
        assert!(f.breaks(Compatibility::Full));
        let text = f.describe(Compatibility::Forward);
        assert!(
            text.starts_with("compatible: /properties/tick/type [type] narrows:"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "example {\"tick\":\"x\"}: valid under the previous schema, invalid now"
            ),
            "{text}"
        );
    }

    #[test]
    fn widening_breaks_forward_and_full_only() {
        let f = finding(Effect::Widens);
        assert!(!f.breaks(Compatibility::Backward));
        assert!(f.breaks(Compatibility::Forward));
        assert!(f.breaks(Compatibility::Full));
        assert!(
            f.describe(Compatibility::Full)
                .contains("valid now, invalid under")
        );
    }

    #[test]
    fn undecided_breaks_every_mode_and_says_so() {
        let mut f = finding(Effect::Undecided);
        f.example = None;
        for mode in [
            Compatibility::Backward,
            Compatibility::Forward,
            Compatibility::Full,
        ] {
            assert!(f.breaks(mode));
            assert!(f.describe(mode).starts_with("cannot decide: "));
        }
        let mut unproven = finding(Effect::Narrows);
        unproven.example = None;
        assert!(
            unproven
                .describe(Compatibility::Backward)
                .ends_with("no example could be built")
        );
    }

    #[test]
    fn rule_names_are_unique_kebab_case_and_keywords_map_to_them() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
        for keyword in crate::compat::vocabulary::KEYWORDS {
            let rule = rule_for_keyword(keyword.name);
            assert!(names.contains(&rule), "{} -> {rule}", keyword.name);
        }
    }
}

//! The keywords the comparison knows, per draft, and how each is compared. The table is
//! data: the documentation's keyword table is checked against it, and every keyword of a
//! schema that is not in it (for that schema's draft) is collected so that a change to it
//! is reported instead of ignored.

use jsonschema::Draft;
use serde_json::Value;

use crate::schema::escape_token;

/// Where a keyword's value holds subschemas, so the scan can walk into them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// No subschema (an assertion or an annotation).
    Nothing,
    /// One subschema.
    Schema,
    /// An array of subschemas (`items` may also be a single schema).
    List,
    /// An object whose values are subschemas (`dependencies` values may be name lists).
    Map,
}

/// One keyword of the table.
#[derive(Debug, Clone, Copy)]
pub struct Keyword {
    /// The keyword as written.
    pub name: &'static str,
    /// First draft that defines it.
    pub since: Draft,
    /// Last draft that defines it.
    pub until: Draft,
    /// Where its subschemas are.
    pub holds: Holds,
    /// How the comparison treats it (shown in the documentation).
    pub compared: &'static str,
}

const D4: Draft = Draft::Draft4;
const D6: Draft = Draft::Draft6;
const D7: Draft = Draft::Draft7;
const D2019: Draft = Draft::Draft201909;
const D2020: Draft = Draft::Draft202012;

const fn kw(
    name: &'static str,
    since: Draft,
    until: Draft,
    holds: Holds,
    compared: &'static str,
) -> Keyword {
    Keyword {
        name,
        since,
        until,
        holds,
        compared,
    }
}

const ANNOTATION: &str = "annotation: never changes what is accepted";
const SET: &str = "by the values accepted";

/// Every keyword the comparison knows.
#[rustfmt::skip]
pub const KEYWORDS: &[Keyword] = &[
    kw("$schema", D4, D2020, Holds::Nothing, "selects the draft of its document"),
    kw("id", D4, D4, Holds::Nothing, "base URI for `$ref` resolution"),
    kw("$id", D6, D2020, Holds::Nothing, "base URI for `$ref` resolution, also inside `$defs`"),
    kw("$ref", D4, D2020, Holds::Nothing, "followed; keywords beside it apply too from 2019-09, are ignored before"),
    kw("$anchor", D2019, D2020, Holds::Nothing, "target of `#name` references"),
    kw("$dynamicRef", D2020, D2020, Holds::Nothing, "followed to its `$dynamicAnchor` within the document"),
    kw("$dynamicAnchor", D2020, D2020, Holds::Nothing, "target of `$dynamicRef`"),
    kw("$recursiveRef", D2019, D2019, Holds::Nothing, "followed to its `$recursiveAnchor` within the document"),
    kw("$recursiveAnchor", D2019, D2019, Holds::Nothing, "target of `$recursiveRef`"),
    kw("$vocabulary", D2019, D2020, Holds::Nothing, "meta-schemas only"),
    kw("$defs", D2019, D2020, Holds::Map, "reached through `$ref`, compared where used"),
    kw("definitions", D4, D2020, Holds::Map, "reached through `$ref`, compared where used"),
    kw("$comment", D7, D2020, Holds::Nothing, ANNOTATION),
    kw("title", D4, D2020, Holds::Nothing, ANNOTATION),
    kw("description", D4, D2020, Holds::Nothing, ANNOTATION),
    kw("default", D4, D2020, Holds::Nothing, ANNOTATION),
    kw("examples", D6, D2020, Holds::Nothing, ANNOTATION),
    kw("readOnly", D7, D2020, Holds::Nothing, ANNOTATION),
    kw("writeOnly", D7, D2020, Holds::Nothing, ANNOTATION),
    kw("deprecated", D2019, D2020, Holds::Nothing, ANNOTATION),
    kw("contentMediaType", D7, D2020, Holds::Nothing, ANNOTATION),
    kw("contentEncoding", D7, D2020, Holds::Nothing, ANNOTATION),
    kw("contentSchema", D2019, D2020, Holds::Schema, ANNOTATION),
    kw("type", D4, D2020, Holds::Nothing, "set of JSON types; `integer` is the integral part of `number`"),
    kw("enum", D4, D2020, Holds::Nothing, "finite set of values, each checked against the other schema"),
    kw("const", D6, D2020, Holds::Nothing, "a one-value `enum`"),
    kw("multipleOf", D4, D2020, Holds::Nothing, "by divisibility: `10` -> `2` widens"),
    kw("minimum", D4, D2020, Holds::Nothing, "as one interval with the other bounds"),
    kw("maximum", D4, D2020, Holds::Nothing, "as one interval with the other bounds"),
    kw("exclusiveMinimum", D4, D2020, Holds::Nothing, "as one interval; draft 4's boolean form modifies `minimum`"),
    kw("exclusiveMaximum", D4, D2020, Holds::Nothing, "as one interval; draft 4's boolean form modifies `maximum`"),
    kw("minLength", D4, D2020, Holds::Nothing, "as a length interval"),
    kw("maxLength", D4, D2020, Holds::Nothing, "as a length interval"),
    kw("pattern", D4, D2020, Holds::Nothing, "equal patterns match; a different one is checked with generated strings"),
    kw("format", D4, D2020, Holds::Nothing, "asserted (as readers that validate formats do); a change is checked with sample values"),
    kw("items", D4, D2020, Holds::List, "position by position with the rest of the array (`items`/`additionalItems`)"),
    kw("prefixItems", D2020, D2020, Holds::List, "position by position, `items` as the rest"),
    kw("additionalItems", D4, D2019, Holds::Schema, "the rest after an array-form `items`; ignored without one"),
    kw("unevaluatedItems", D2019, D2020, Holds::Schema, "items no other keyword evaluated"),
    kw("contains", D6, D2020, Holds::Schema, SET),
    kw("minContains", D2019, D2020, Holds::Nothing, "with `contains`, as a count interval"),
    kw("maxContains", D2019, D2020, Holds::Nothing, "with `contains`, as a count interval"),
    kw("minItems", D4, D2020, Holds::Nothing, "as a length interval"),
    kw("maxItems", D4, D2020, Holds::Nothing, "as a length interval"),
    kw("uniqueItems", D4, D2020, Holds::Nothing, SET),
    kw("properties", D4, D2020, Holds::Map, "name by name, together with matching `patternProperties`"),
    kw("patternProperties", D4, D2020, Holds::Map, "for every name a pattern matches, declared or not"),
    kw("additionalProperties", D4, D2020, Holds::Schema, "for names no property or pattern covers"),
    kw("unevaluatedProperties", D2019, D2020, Holds::Schema, "for names no other keyword evaluated"),
    kw("propertyNames", D6, D2020, Holds::Schema, "as a string schema over every name"),
    kw("required", D4, D2020, Holds::Nothing, "every name, declared in `properties` or not"),
    kw("minProperties", D4, D2020, Holds::Nothing, "as a count interval"),
    kw("maxProperties", D4, D2020, Holds::Nothing, "as a count interval"),
    kw("dependencies", D4, D7, Holds::Map, "name lists as `dependentRequired`, schemas as `dependentSchemas`"),
    kw("dependentRequired", D2019, D2020, Holds::Nothing, "objects that have the name must have the others"),
    kw("dependentSchemas", D2019, D2020, Holds::Map, "applied to objects that have the name"),
    kw("allOf", D4, D2020, Holds::List, "intersection"),
    kw("anyOf", D4, D2020, Holds::List, "union: every old branch must be covered, in any order"),
    kw("oneOf", D4, D2020, Holds::List, "exactly one branch: a union where branches are disjoint"),
    kw("not", D4, D2020, Holds::Schema, "complement"),
    kw("if", D7, D2020, Holds::Schema, "(`if` and `then`) or (not `if` and `else`)"),
    kw("then", D7, D2020, Holds::Schema, "with `if`; ignored without it"),
    kw("else", D7, D2020, Holds::Schema, "with `if`; ignored without it"),
];

/// The table entry of `name` when `draft` defines it.
pub fn lookup(name: &str, draft: Draft) -> Option<&'static Keyword> {
    KEYWORDS
        .iter()
        .find(|k| k.name == name && k.since <= draft && draft <= k.until)
}

/// Whether `name` can reject a value under `draft`: a known keyword that is neither an
/// annotation nor an identifier or container.
pub fn constrains(name: &str, draft: Draft) -> bool {
    const INERT: [&str; 11] = [
        "$schema",
        "id",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
        "$vocabulary",
        "$defs",
        "definitions",
        "$comment",
        "$ref",
    ];
    lookup(name, draft).is_some_and(|k| k.compared != ANNOTATION && !INERT.contains(&name))
}

/// The draft a schema is read under: its `$schema`, else `fallback` (the `--draft`
/// option), else 2020-12.
pub fn detect_draft(schema: &Value, fallback: Option<Draft>) -> Result<Draft, String> {
    let Some(uri) = schema.get("$schema") else {
        return Ok(fallback.unwrap_or(Draft::Draft202012));
    };
    let text = uri.as_str().unwrap_or_default();
    let known = [
        ("draft-04", Draft::Draft4),
        ("draft-06", Draft::Draft6),
        ("draft-07", Draft::Draft7),
        ("2019-09", Draft::Draft201909),
        ("2020-12", Draft::Draft202012),
    ];
    known
        .iter()
        .find(|(marker, _)| text.contains(marker))
        .map(|(_, draft)| *draft)
        .ok_or_else(|| format!("$schema {uri} names no draft this tool knows"))
}

/// A keyword outside the table for its schema's draft, with where it sits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unknown {
    /// JSON pointer of the keyword.
    pub pointer: String,
    /// Its value, as canonical text.
    pub value: String,
}

/// Every keyword of `schema` that `draft` does not define, walking every subschema
/// position the table names.
pub fn unknown_keywords(schema: &Value, draft: Draft) -> Vec<Unknown> {
    let mut out = Vec::new();
    scan(schema, draft, String::new(), &mut out);
    out.sort();
    out
}

fn scan(schema: &Value, draft: Draft, pointer: String, out: &mut Vec<Unknown>) {
    let Value::Object(map) = schema else {
        return;
    };
    for (name, value) in map {
        let here = format!("{pointer}/{}", escape_token(name));
        let Some(keyword) = lookup(name, draft) else {
            out.push(Unknown {
                pointer: here,
                value: value.to_string(),
            });
            continue;
        };
        match (keyword.holds, value) {
            (Holds::Nothing, _) => {}
            (Holds::List, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    scan(item, draft, format!("{here}/{i}"), out);
                }
            }
            (Holds::Map, Value::Object(entries)) => {
                for (key, item) in entries {
                    scan(item, draft, format!("{here}/{}", escape_token(key)), out);
                }
            }
            (_, sub) => scan(sub, draft, here, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drafts_come_from_schema_or_the_fallback() {
        let d7 = json!({"$schema": "http://json-schema.org/draft-07/schema#"});
        assert_eq!(detect_draft(&d7, None), Ok(Draft::Draft7));
        assert_eq!(
            detect_draft(&json!({}), Some(Draft::Draft4)),
            Ok(Draft::Draft4)
        );
        assert_eq!(detect_draft(&json!({}), None), Ok(Draft::Draft202012));
        let custom = json!({"$schema": "https://example.com/my-meta"});
        assert!(detect_draft(&custom, None).unwrap_err().contains("my-meta"));
    }

    #[test]
    fn keywords_of_other_drafts_and_inventions_are_unknown() {
        let schema = json!({
            "x-kafka": 1,
            "properties": {"a": {"prefixItems": [], "dependentRequired": {}}},
            "items": [{"x-inner": true}],
            "dependencies": {"a": ["b"], "c": {"x-dep": 1}}
        });
        let found: Vec<String> = unknown_keywords(&schema, Draft::Draft7)
            .into_iter()
            .map(|u| u.pointer)
            .collect();
        assert_eq!(
            found,
            [
                "/dependencies/c/x-dep",
                "/items/0/x-inner",
                "/properties/a/dependentRequired",
                "/properties/a/prefixItems",
                "/x-kafka"
            ]
        );
        let modern = json!({"prefixItems": [{"type": "string"}], "dependentRequired": {}});
        assert!(unknown_keywords(&modern, Draft::Draft202012).is_empty());
        assert_eq!(unknown_keywords(&modern, Draft::Draft7).len(), 2);
    }

    #[test]
    fn the_documentation_table_lists_every_keyword_as_compared() {
        let docs = include_str!("../../../../../docs/snapshot.md");
        let section = docs
            .split("### Keywords")
            .nth(1)
            .and_then(|rest| rest.split("\n### ").next())
            .expect("a Keywords section");
        let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| `")).collect();
        assert_eq!(rows.len(), KEYWORDS.len(), "one row per keyword, no more");
        for keyword in KEYWORDS {
            let row = rows
                .iter()
                .find(|r| r.starts_with(&format!("| `{}` |", keyword.name)))
                .unwrap_or_else(|| panic!("{} missing from docs/snapshot.md", keyword.name));
            assert!(row.ends_with(&format!("| {} |", keyword.compared)), "{row}");
        }
    }

    #[test]
    fn every_keyword_is_listed_once_per_draft() {
        for draft in [D4, D6, D7, D2019, D2020] {
            let mut names: Vec<&str> = KEYWORDS
                .iter()
                .filter(|k| k.since <= draft && draft <= k.until)
                .map(|k| k.name)
                .collect();
            let total = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), total, "{draft:?}");
        }
    }
}

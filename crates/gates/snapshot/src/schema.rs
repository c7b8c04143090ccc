//! Loading a JSON Schema for validation, offline: every `$ref` must point inside the
//! schema file, and the validator is built with a retriever that refuses all fetches,
//! so a CI run never reaches the network because of a schema.

use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

use safety_gate_core::inputs::read_json;

use crate::error::SnapshotError;

/// One reason an instance does not satisfy the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the snapshot (`""` is the whole document).
    pub instance_pointer: String,
    /// JSON pointer of the failing keyword in the schema (e.g. `/required`).
    pub schema_pointer: String,
    /// The validator's message (e.g. `"tick" is a required property`).
    pub message: String,
    /// The validator could not finish the check (a `pattern` past the regex engine's
    /// backtracking limit): neither a violation nor a pass.
    pub undecided: bool,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let instance = if self.instance_pointer.is_empty() {
            "(root)"
        } else {
            &self.instance_pointer
        };
        write!(
            f,
            "at {instance} (schema {}): {}",
            self.schema_pointer, self.message
        )
    }
}

/// Reads a schema file of at most `max_bytes` and checks that it refers only to itself.
pub fn load_schema(path: &Path, max_bytes: u64) -> Result<Value, SnapshotError> {
    let document = read_json(path, max_bytes)?;
    check_local_refs(path, &document)?;
    Ok(document)
}

/// Refuses any `$ref`/`$dynamicRef` that leaves the document: only `#...` fragments
/// and references to an `$id` declared in the same document are allowed.
pub fn check_local_refs(path: &Path, document: &Value) -> Result<(), SnapshotError> {
    let mut ids = BTreeSet::new();
    collect_ids(document, &mut ids);
    let mut refs = Vec::new();
    collect_refs(document, String::new(), &mut refs);
    for (pointer, reference) in refs {
        let target = reference.split('#').next().unwrap_or_default();
        if target.is_empty() || ids.contains(target) {
            continue;
        }
        return Err(SnapshotError::RemoteRef {
            path: path.to_path_buf(),
            pointer,
            reference,
        });
    }
    Ok(())
}

fn collect_ids(value: &Value, ids: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(id)) = map.get("$id") {
                ids.insert(id.trim_end_matches('#').to_owned());
            }
            map.values().for_each(|v| collect_ids(v, ids));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}

fn collect_refs(value: &Value, pointer: String, refs: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = format!("{pointer}/{}", escape_token(key));
                match (key.as_str(), item) {
                    ("$ref" | "$dynamicRef", Value::String(r)) => refs.push((here, r.clone())),
                    _ => collect_refs(item, here, refs),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_refs(item, format!("{pointer}/{i}"), refs);
            }
        }
        _ => {}
    }
}

/// Encodes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Parses a draft name as written in config (`7`, `draft7`, `2020-12`...).
pub fn parse_draft(name: &str) -> Option<Draft> {
    match name
        .trim()
        .trim_start_matches("draft")
        .trim_start_matches('-')
    {
        "4" | "04" => Some(Draft::Draft4),
        "6" | "06" => Some(Draft::Draft6),
        "7" | "07" => Some(Draft::Draft7),
        "2019-09" => Some(Draft::Draft201909),
        "2020-12" => Some(Draft::Draft202012),
        _ => None,
    }
}

/// Refuses every retrieval: the meta-schemas are built in, and anything else would
/// mean reading from the network or the file system behind the user's back.
struct RefuseRetrieval;

impl Retrieve for RefuseRetrieval {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        Err(
            format!("refusing to fetch {uri}: only references within the schema file are resolved")
                .into(),
        )
    }
}

/// Builds a validator for `document` (read from `path`). The draft comes from
/// `draft` when given, else from `$schema`, else 2020-12.
pub fn compile(
    path: &Path,
    document: &Value,
    draft: Option<&str>,
) -> Result<Validator, SnapshotError> {
    let mut options = jsonschema::options().with_retriever(RefuseRetrieval);
    let mut chosen = None;
    if let Some(name) = draft {
        let draft = parse_draft(name).ok_or_else(|| SnapshotError::Config {
            message: format!("unknown draft {name:?}: expected 4, 6, 7, 2019-09 or 2020-12"),
        })?;
        options = options.with_draft(draft);
        chosen = Some(draft);
    }
    refuse_cycles(path, document, chosen)?;
    options
        .build(document)
        .map_err(|e| SnapshotError::InvalidSchema {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// Refuses a schema whose references apply a subschema to the same value without end
/// (`{"$ref": "#"}`, or `$defs` whose references and `allOf`/`anyOf`/`oneOf`/`not`/`if`
/// branches lead back to each other): validation under it is undefined, not a judgement. The
/// draft is `draft` when given, else the schema's own `$schema`.
pub fn refuse_cycles(
    path: &Path,
    document: &Value,
    draft: Option<Draft>,
) -> Result<(), SnapshotError> {
    let Ok(draft) = crate::compat::vocabulary::detect_draft(document, draft) else {
        // An unknown `$schema` is the validator's error to report.
        return Ok(());
    };
    match crate::cycles::in_place_cycle(document, draft) {
        None => Ok(()),
        Some(at) => Err(SnapshotError::InvalidSchema {
            path: path.to_path_buf(),
            message: format!(
                "the reference at {at} leads back to where it started without reading into \
                 the value: the schema applies itself to the same value forever, which JSON \
                 Schema leaves undefined, so no snapshot can be judged by it"
            ),
        }),
    }
}

/// Builds a validator for `document` under `draft` that asserts `format`, as the schema
/// comparison does when it checks an example against both schemas.
pub(crate) fn compile_asserting_formats(
    document: &Value,
    draft: Draft,
) -> Result<Validator, String> {
    jsonschema::options()
        .with_retriever(RefuseRetrieval)
        .with_draft(draft)
        .should_validate_formats(true)
        .build(document)
        .map_err(|e| e.to_string())
}

/// Every violation of `instance`, in the validator's order.
pub fn violations(validator: &Validator, instance: &Value) -> Vec<Violation> {
    validator
        .iter_errors(instance)
        .map(|e| Violation {
            instance_pointer: e.instance_path().to_string(),
            schema_pointer: e.schema_path().to_string(),
            message: e.to_string(),
            undecided: undecided(e.kind()),
        })
        .collect()
}

/// Whether an error says the validator could not finish a check rather than that the
/// instance fails it: a `pattern` whose match ran past the backtracking limit of the
/// regex engine (look-around and back-references), or a match the engine gave up on.
pub(crate) fn undecided(kind: &jsonschema::error::ValidationErrorKind) -> bool {
    use jsonschema::error::ValidationErrorKind as Kind;
    matches!(
        kind,
        Kind::BacktrackLimitExceeded { .. } | Kind::RegexEngineFailure { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compiled(schema: Value) -> Validator {
        compile(Path::new("s.json"), &schema, None).expect("compiles")
    }

    #[test]
    fn reports_instance_pointer_schema_pointer_and_message() {
        let v = compiled(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "required": ["tick"],
            "properties": {"q": {"type": "object", "properties": {"n": {"minimum": 0}}}}
        }));
        let found = violations(&v, &json!({"q": {"n": -1}}));
        assert_eq!(found.len(), 2, "{found:?}");
        let required = found
            .iter()
            .find(|f| f.schema_pointer == "/required")
            .expect("required");
        assert_eq!(required.instance_pointer, "");
        assert!(
            required.message.contains("\"tick\""),
            "{}",
            required.message
        );
        let minimum = found
            .iter()
            .find(|f| f.instance_pointer == "/q/n")
            .expect("minimum");
        assert_eq!(minimum.schema_pointer, "/properties/q/properties/n/minimum");
        assert!(violations(&v, &json!({"tick": 1, "q": {"n": 0}})).is_empty());
    }

    #[test]
    fn a_match_the_regex_engine_cannot_finish_is_undecided() {
        let v = compiled(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {"v": {"type": "string", "pattern": "^(a|a)*\\1?$"}}
        }));
        let found = violations(&v, &json!({"v": format!("{}!", "a".repeat(26))}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].undecided, "{found:?}");
        assert_eq!(found[0].schema_pointer, "/properties/v/pattern");
        let decided = violations(&v, &json!({"v": 1}));
        assert!(!decided[0].undecided, "{decided:?}");
    }

    #[test]
    fn draft7_and_local_refs_work() {
        let v = compiled(json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {"count": {"type": "integer"}},
            "properties": {"n": {"$ref": "#/definitions/count"}}
        }));
        assert!(violations(&v, &json!({"n": 3})).is_empty());
        let found = violations(&v, &json!({"n": "x"}));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].instance_pointer, "/n");
    }

    #[test]
    fn remote_refs_are_refused_before_any_fetch() {
        let schema = json!({"properties": {"a": {"$ref": "https://example.com/x.json#/a"}}});
        let err = check_local_refs(Path::new("s.json"), &schema).expect_err("remote");
        let text = err.to_string();
        assert!(text.contains("/properties/a/$ref"), "{text}");
        assert!(text.contains("https://example.com/x.json"), "{text}");
        assert!(text.contains("refused"), "{text}");
        // The validator itself refuses too, should the check above be bypassed.
        let err = compile(Path::new("s.json"), &schema, None).expect_err("refused");
        assert!(err.to_string().contains("s.json"), "{err}");
    }

    #[test]
    fn refs_to_ids_in_the_same_document_are_local() {
        let schema = json!({
            "$id": "https://townlet.ai/s.json",
            "$defs": {"n": {"type": "integer"}},
            "properties": {"a": {"$ref": "https://townlet.ai/s.json#/$defs/n"}}
        });
        assert!(check_local_refs(Path::new("s.json"), &schema).is_ok());
        let v = compiled(schema);
        assert_eq!(violations(&v, &json!({"a": "x"})).len(), 1);
    }

    #[test]
    fn drafts_parse() {
        assert_eq!(parse_draft("7"), Some(Draft::Draft7));
        assert_eq!(parse_draft("draft-07"), Some(Draft::Draft7));
        assert_eq!(parse_draft("8"), None);
        assert_eq!(parse_draft("2020-12"), Some(Draft::Draft202012));
        assert!(compile(Path::new("s.json"), &json!({}), Some("9")).is_err());
    }
}

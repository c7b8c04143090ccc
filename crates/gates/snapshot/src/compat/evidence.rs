//! Examples shown with a finding are checked, not trusted: each candidate document is
//! validated against both schemas with the `jsonschema` validator (formats asserted), and
//! only one that the accepting side takes and the rejecting side refuses is shown. The
//! refusal names the keyword and schema pointer the finding reports.

use jsonschema::{Draft, Validator};
use serde_json::Value;

use crate::schema::compile_asserting_formats;

/// One schema compiled for checking examples.
pub struct Judge {
    validator: Validator,
}

/// Why a document is rejected: the first error the validator reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// JSON pointer of the failing keyword in the schema.
    pub schema_path: String,
    /// The failing keyword (`type`, `required`, `false` for a false schema...).
    pub keyword: String,
    /// JSON pointer into the document.
    pub instance_path: String,
    /// The validator's message.
    pub message: String,
}

impl Judge {
    /// Compiles `schema` under `draft`.
    pub fn new(schema: &Value, draft: Draft) -> Result<Self, String> {
        Ok(Judge {
            validator: compile_asserting_formats(schema, draft)?,
        })
    }

    /// Whether `document` is valid.
    pub fn accepts(&self, document: &Value) -> bool {
        self.validator.is_valid(document)
    }

    /// Every reason `document` is invalid, in the validator's order. A check the
    /// validator could not finish (a `pattern` past the backtracking limit) is no
    /// reason: an example must be refused for certain to be shown.
    pub fn rejections(&self, document: &Value) -> Vec<Rejection> {
        self.validator
            .iter_errors(document)
            .filter(|error| !crate::schema::undecided(error.kind()))
            .map(|error| Self::describe(&error))
            .collect()
    }

    fn describe(error: &jsonschema::ValidationError<'_>) -> Rejection {
        let schema_path = error.schema_path().to_string();
        let last = schema_path.rsplit('/').next().unwrap_or_default();
        let keyword = match error.kind().keyword() {
            "falseSchema" => "false",
            "contains" if matches!(last, "minContains" | "maxContains") => last,
            other => other,
        }
        .to_owned();
        Rejection {
            keyword,
            instance_path: error.instance_path().to_string(),
            message: error.to_string(),
            schema_path,
        }
    }
}

/// Candidates that `accepting` takes and `rejecting` refuses, one per distinct reason
/// for refusal (the rejecting keyword's pointer), each shown with the candidate that has
/// the fewest other reasons; at most `limit`, the cleanest first.
pub fn counterexamples(
    candidates: impl IntoIterator<Item = Value>,
    accepting: &Judge,
    rejecting: &Judge,
    limit: usize,
) -> Vec<(Value, Rejection)> {
    let mut best: Vec<(usize, Value, Rejection)> = Vec::new();
    for doc in candidates {
        if !accepting.accepts(&doc) {
            continue;
        }
        let reasons = rejecting.rejections(&doc);
        for why in &reasons {
            match best
                .iter_mut()
                .find(|(_, _, w)| w.schema_path == why.schema_path)
            {
                Some(slot) if slot.0 <= reasons.len() => {}
                Some(slot) => *slot = (reasons.len(), doc.clone(), why.clone()),
                None => best.push((reasons.len(), doc.clone(), why.clone())),
            }
        }
    }
    best.sort_by_key(|(n, _, _)| *n);
    best.into_iter()
        .take(limit)
        .map(|(_, doc, why)| shrink(doc, why, accepting, rejecting))
        .collect()
}

/// Most removals tried while shrinking one example.
const SHRINK_STEPS: usize = 2_000;

/// `doc` with every property and array item removed that the example does not need:
/// it stays accepted by `accepting` and rejected by `rejecting` at the same keyword.
fn shrink(doc: Value, why: Rejection, accepting: &Judge, rejecting: &Judge) -> (Value, Rejection) {
    let (mut doc, mut why) = (doc, why);
    let mut steps = 0;
    let mut changed = true;
    while changed && steps < SHRINK_STEPS {
        changed = false;
        // Outermost first: a removed property takes its whole subtree with it, and the
        // pointers below it then name nothing and are skipped.
        for pointer in removable(&doc, String::new()) {
            let Some(smaller) = without(&doc, &pointer) else {
                continue;
            };
            steps += 1;
            if steps >= SHRINK_STEPS {
                break;
            }
            if !accepting.accepts(&smaller) {
                continue;
            }
            let same = rejecting
                .rejections(&smaller)
                .into_iter()
                .find(|r| r.schema_path == why.schema_path);
            if let Some(reason) = same {
                (doc, why) = (smaller, reason);
                changed = true;
            }
        }
    }
    (doc, why)
}

/// Pointers of every property and array item, outermost first, last items first.
fn removable(value: &Value, at: String) -> Vec<String> {
    let mut here = Vec::new();
    let mut deeper = Vec::new();
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let pointer = format!("{at}/{}", crate::schema::escape_token(key));
                deeper.extend(removable(item, pointer.clone()));
                here.push(pointer);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate().rev() {
                let pointer = format!("{at}/{i}");
                deeper.extend(removable(item, pointer.clone()));
                here.push(pointer);
            }
        }
        _ => {}
    }
    here.extend(deeper);
    here
}

/// A copy of `doc` without the member at `pointer`.
fn without(doc: &Value, pointer: &str) -> Option<Value> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let mut copy = doc.clone();
    match copy.pointer_mut(parent)? {
        Value::Object(map) => {
            map.remove(&last.replace("~1", "/").replace("~0", "~"))?;
        }
        Value::Array(items) => {
            let index: usize = last.parse().ok()?;
            (index < items.len()).then(|| items.remove(index))?;
        }
        _ => return None,
    }
    Some(copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rejections_name_keyword_and_pointers() {
        let judge = Judge::new(
            &json!({"properties": {"a": {"type": "integer"}}, "required": ["a"]}),
            Draft::Draft202012,
        )
        .expect("compiles");
        assert!(judge.accepts(&json!({"a": 1})));
        let why = judge.rejections(&json!({"a": "x"})).remove(0);
        assert_eq!(why.keyword, "type");
        assert_eq!(why.schema_path, "/properties/a/type");
        assert_eq!(why.instance_path, "/a");
        let why = judge.rejections(&json!({})).remove(0);
        assert_eq!(why.keyword, "required");
    }

    #[test]
    fn formats_are_asserted_and_false_schemas_named() {
        let judge = Judge::new(&json!({"format": "date"}), Draft::Draft202012).expect("ok");
        assert!(judge.accepts(&json!("2024-02-29")));
        assert!(!judge.accepts(&json!("yesterday")));
        let closed = Judge::new(&json!({"properties": {"a": false}}), Draft::Draft7).expect("ok");
        let why = closed.rejections(&json!({"a": 1})).remove(0);
        assert_eq!(why.keyword, "false", "{why:?}");
    }

    #[test]
    fn counterexamples_must_pass_one_side_and_fail_the_other() {
        let old = Judge::new(&json!({"type": "number"}), Draft::Draft7).expect("ok");
        let new = Judge::new(&json!({"type": "integer"}), Draft::Draft7).expect("ok");
        let found = counterexamples([json!("x"), json!(1), json!(1.5)], &old, &new, 3);
        let found: Vec<(Value, String)> = found.into_iter().map(|(v, r)| (v, r.keyword)).collect();
        assert_eq!(found, [(json!(1.5), "type".to_owned())]);
        assert!(counterexamples([json!(2)], &old, &new, 3).is_empty());
    }

    #[test]
    fn examples_are_shrunk_to_what_shows_the_difference() {
        let old = json!({"type": "object", "properties": {"a": {"type": "array"}, "b": {"type": "number"}}});
        let new = json!({"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer"}}, "b": {"type": "number"}}});
        let (o, n) = (
            Judge::new(&old, Draft::Draft7).expect("ok"),
            Judge::new(&new, Draft::Draft7).expect("ok"),
        );
        let noisy = json!({"a": [1, 2, "x", 3], "b": 4, "c": {"d": [5]}});
        let found = counterexamples([noisy], &o, &n, 1);
        assert_eq!(found[0].0, json!({"a": ["x"]}));
        assert_eq!(found[0].1.instance_path, "/a/0");
    }

    #[test]
    fn each_reason_is_shown_once_with_its_cleanest_example() {
        let old = json!({"properties": {"a": {"type": "string"}, "b": {"type": "string"}}});
        let new = json!({"properties": {"a": {"type": "string", "maxLength": 1}, "b": {"enum": ["x"]}}, "required": ["a"]});
        let (o, n) = (
            Judge::new(&old, Draft::Draft7).expect("ok"),
            Judge::new(&new, Draft::Draft7).expect("ok"),
        );
        let candidates = [
            json!({"b": "y"}),
            json!({"a": "x", "b": "y"}),
            json!({"a": "long"}),
        ];
        let found = counterexamples(candidates, &o, &n, 5);
        let shown: Vec<(&str, &Value)> = found
            .iter()
            .map(|(v, r)| (r.schema_path.as_str(), v))
            .collect();
        assert!(
            shown.contains(&("/properties/b/enum", &json!({"b": "y"}))),
            "{shown:?}"
        );
        assert!(
            shown.contains(&("/properties/a/maxLength", &json!({"a": "long"}))),
            "{shown:?}"
        );
        assert!(shown.contains(&("/required", &json!({}))), "{shown:?}");
    }
}

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

    /// The first reason `document` is invalid, or `None` when it is valid.
    pub fn rejection(&self, document: &Value) -> Option<Rejection> {
        let error = self.validator.iter_errors(document).next()?;
        let schema_path = error.schema_path().to_string();
        let last = schema_path.rsplit('/').next().unwrap_or_default();
        let keyword = match error.kind().keyword() {
            "falseSchema" => "false",
            "contains" if matches!(last, "minContains" | "maxContains") => last,
            other => other,
        }
        .to_owned();
        Some(Rejection {
            keyword,
            instance_path: error.instance_path().to_string(),
            message: error.to_string(),
            schema_path,
        })
    }
}

/// The first candidate that `accepting` takes and `rejecting` refuses, with the refusal.
pub fn first_counterexample(
    candidates: impl IntoIterator<Item = Value>,
    accepting: &Judge,
    rejecting: &Judge,
) -> Option<(Value, Rejection)> {
    candidates.into_iter().find_map(|doc| {
        if !accepting.accepts(&doc) {
            return None;
        }
        let why = rejecting.rejection(&doc)?;
        Some((doc, why))
    })
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
        let why = judge.rejection(&json!({"a": "x"})).expect("invalid");
        assert_eq!(why.keyword, "type");
        assert_eq!(why.schema_path, "/properties/a/type");
        assert_eq!(why.instance_path, "/a");
        let why = judge.rejection(&json!({})).expect("invalid");
        assert_eq!(why.keyword, "required");
    }

    #[test]
    fn formats_are_asserted_and_false_schemas_named() {
        let judge = Judge::new(&json!({"format": "date"}), Draft::Draft202012).expect("ok");
        assert!(judge.accepts(&json!("2024-02-29")));
        assert!(!judge.accepts(&json!("yesterday")));
        let closed = Judge::new(&json!({"properties": {"a": false}}), Draft::Draft7).expect("ok");
        let why = closed.rejection(&json!({"a": 1})).expect("invalid");
        assert_eq!(why.keyword, "false", "{why:?}");
    }

    #[test]
    fn counterexamples_must_pass_one_side_and_fail_the_other() {
        let old = Judge::new(&json!({"type": "number"}), Draft::Draft7).expect("ok");
        let new = Judge::new(&json!({"type": "integer"}), Draft::Draft7).expect("ok");
        let found = first_counterexample([json!("x"), json!(1), json!(1.5)], &old, &new);
        assert_eq!(
            found.map(|(v, r)| (v, r.keyword)),
            Some((json!(1.5), "type".into()))
        );
        assert!(first_counterexample([json!(2)], &old, &new).is_none());
    }
}

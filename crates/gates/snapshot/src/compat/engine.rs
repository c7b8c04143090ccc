//! The set comparison itself: both schemas are reduced to the canonical form of the
//! `jsonschema` crate (types split, `allOf` folded, unions as sets, bounds as ranges,
//! `$ref`s resolved per draft), which then answers whether one accepts every value the
//! other does. Formats are asserted, as a reader that validates them would.
//!
//! Its answers are three-valued: only `Yes` proves coverage. `Unknown` and the cases the
//! canonical form cannot model go to the structural prover, and failing that are
//! reported as breaking.

use jsonschema::Draft;
use jsonschema::canonical::{self, CanonicalSchema, CanonicalizationError, Containment};
use serde_json::Value;

/// Whether one schema accepts every value another accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Proven.
    Yes,
    /// Disproven: some value is accepted by the inner schema only.
    No,
    /// Neither, with why.
    Unknown(String),
}

/// One side reduced for set operations.
pub struct Canonical {
    schema: Result<CanonicalSchema, String>,
}

/// Why a schema could not be read for comparison at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl Canonical {
    /// Reduces `document` under `draft`. A `$ref` that resolves nowhere is an error: the
    /// validator would refuse the schema too.
    pub fn new(document: &Value, draft: Draft) -> Result<Self, Unreadable> {
        let result = canonical::options()
            .offline()
            .with_draft(draft)
            .should_validate_formats(true)
            .canonicalize(document);
        match result {
            Ok(schema) => Ok(Canonical { schema: Ok(schema) }),
            Err(CanonicalizationError::ReferenceResolution(e)) => Err(Unreadable(e.to_string())),
            Err(e) => Ok(Canonical {
                schema: Err(e.to_string()),
            }),
        }
    }

    /// Reduces the subschema at `pointer` of `document`, whose references resolve in
    /// place.
    pub fn at(document: &Value, draft: Draft, pointer: &str) -> Self {
        let schema = canonical::options()
            .offline()
            .with_draft(draft)
            .should_validate_formats(true)
            .prepare(document)
            .and_then(|prepared| prepared.canonicalize_at(pointer))
            .map_err(|e| e.to_string());
        Canonical { schema }
    }

    /// Whether `self` accepts every value `inner` accepts.
    pub fn covers(&self, inner: &Canonical) -> Answer {
        let (outer, inner) = match (&self.schema, &inner.schema) {
            (Ok(o), Ok(i)) => (o, i),
            (Err(e), _) | (_, Err(e)) => return Answer::Unknown(format!("not modelled: {e}")),
        };
        match outer.covers(inner) {
            Ok(Containment::Yes) => Answer::Yes,
            Ok(Containment::No) => Answer::No,
            Ok(_) => Answer::Unknown("the set comparison could not decide".into()),
            Err(e) => Answer::Unknown(format!("not comparable as sets: {e}")),
        }
    }

    /// The values `self` accepts and `other` rejects, as a schema, when expressible.
    pub fn minus(&self, other: &Canonical) -> Option<Value> {
        let (a, b) = (self.schema.as_ref().ok()?, other.schema.as_ref().ok()?);
        a.subtract(b).ok().map(|d| d.to_json_schema())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(old: Value, new: Value, draft: Draft) -> Answer {
        let old = Canonical::new(&old, draft).expect("readable");
        let new = Canonical::new(&new, draft).expect("readable");
        new.covers(&old)
    }

    #[test]
    fn ranges_divisibility_and_unions_are_sets() {
        let d = Draft::Draft202012;
        let yes = [
            (json!({"minimum": 5}), json!({"exclusiveMinimum": 4})),
            (json!({"multipleOf": 10}), json!({"multipleOf": 2})),
            (json!({"const": "hello"}), json!({"type": "string"})),
            (
                json!({"type": "string"}),
                json!({"oneOf": [{"type": "number"}, {"type": "string"}]}),
            ),
            (
                json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
                json!({"anyOf": [{"type": "null"}, {"type": "string"}]}),
            ),
        ];
        for (old, new) in yes {
            assert_eq!(
                answer(old.clone(), new.clone(), d),
                Answer::Yes,
                "{old} -> {new}"
            );
        }
        // Not provable either way by the set comparison: an example decides it later.
        let changed = answer(json!({"multipleOf": 10}), json!({"multipleOf": 11}), d);
        assert_ne!(changed, Answer::Yes);
    }

    #[test]
    fn draft4_boolean_exclusive_bounds() {
        let old = json!({"type": "number", "minimum": 5});
        let new = json!({"type": "number", "minimum": 5, "exclusiveMinimum": true});
        assert_eq!(answer(old.clone(), new.clone(), Draft::Draft4), Answer::No);
        assert_eq!(answer(new, old, Draft::Draft4), Answer::Yes);
    }

    #[test]
    fn dangling_refs_are_unreadable() {
        let broken = json!({"$ref": "#/$defs/missing"});
        assert!(Canonical::new(&broken, Draft::Draft202012).is_err());
    }

    #[test]
    fn differences_are_schemas() {
        let old = Canonical::new(&json!({"type": "string"}), Draft::Draft202012).expect("ok");
        let new = Canonical::new(
            &json!({"type": "string", "maxLength": 3}),
            Draft::Draft202012,
        )
        .expect("ok");
        let lost = old.minus(&new).expect("expressible");
        assert_eq!(lost["minLength"], json!(4), "{lost}");
    }
}

//! The walk over two schemas: follows local `$ref`s on both sides, compares object
//! models (properties, `required`, `additionalProperties`), array items and
//! combinators, and hands single keywords to `keywords.rs`.

use serde_json::{Map, Value};
use std::collections::HashSet;

use super::finding::{Effect, Finding};
use super::keywords::{
    Comparison, compare_bounds, compare_constraints, compare_enums, compare_types, finding,
};
use crate::schema::escape_token;

/// Keywords that describe but never restrict; a schema made only of these accepts anything.
const ANNOTATIONS: [&str; 12] = [
    "title",
    "description",
    "$comment",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$id",
    "$schema",
    "$defs",
    "definitions",
];

/// Most `$ref` hops followed from one node before giving up (a `$ref` cycle).
const MAX_REF_HOPS: usize = 64;

/// A `$ref` that could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefProblem {
    /// Which schema: `"previous"` or `"current"`.
    pub side: &'static str,
    /// JSON pointer of the walk where the `$ref` sits.
    pub path: String,
    /// The reference as written.
    pub reference: String,
}

/// Compares `old` with `new` and returns every classified change, in walk order.
pub fn compare(old: &Value, new: &Value) -> Result<Vec<Finding>, RefProblem> {
    let mut walk = Walk {
        old_root: old,
        new_root: new,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    walk.schema("", old, new)?;
    Ok(walk.out)
}

struct Walk<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    /// `$ref` pairs already compared: recursive schemas end here instead of looping.
    seen: HashSet<(Vec<String>, Vec<String>)>,
    out: Vec<Finding>,
}

impl Walk<'_> {
    fn schema(&mut self, path: &str, old: &Value, new: &Value) -> Result<(), RefProblem> {
        let (old, old_refs) = resolve(self.old_root, old, path, "previous")?;
        let (new, new_refs) = resolve(self.new_root, new, path, "current")?;
        if (!old_refs.is_empty() || !new_refs.is_empty()) && !self.seen.insert((old_refs, new_refs))
        {
            return Ok(());
        }
        match (accepts_nothing(&old), accepts_nothing(&new)) {
            (false, true) => {
                let message = "now rejects every value".to_owned();
                self.out
                    .push(finding(path, "schema-forbidden", Effect::Narrows, message));
                return Ok(());
            }
            (true, false) => {
                let message = "accepted no value before, accepts some now".to_owned();
                self.out
                    .push(finding(path, "schema-allowed", Effect::Widens, message));
                return Ok(());
            }
            (true, true) => return Ok(()),
            (false, false) => {}
        }
        let empty = Map::new();
        let old = old.as_object().unwrap_or(&empty);
        let new = new.as_object().unwrap_or(&empty);
        let keyword_rules: [Comparison; 4] = [
            compare_types,
            compare_enums,
            compare_bounds,
            compare_constraints,
        ];
        for rule in keyword_rules {
            rule(path, old, new, &mut self.out);
        }
        self.object(path, old, new)?;
        self.arrays(path, old, new)?;
        self.combinators(path, old, new)
    }

    /// Properties, `required` and the open/closed model.
    fn object(
        &mut self,
        path: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<(), RefProblem> {
        let empty = Map::new();
        let old_props = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_props = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let old_extra = additional(old);
        let new_extra = additional(new);
        let mut names: Vec<&String> = old_props.keys().chain(new_props.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let at = format!("{path}/properties/{}", escape_token(name));
            match (old_props.get(name), new_props.get(name)) {
                (Some(o), Some(n)) => self.schema(&at, o, n)?,
                (Some(o), None) => self.property_removed(&at, name, o, &new_extra)?,
                (None, Some(n)) => self.property_added(&at, name, &old_extra, n)?,
                (None, None) => {}
            }
        }
        self.required(path, old, new, old_props);
        self.additional_properties(path, &old_extra, &new_extra)
    }

    fn property_removed(
        &mut self,
        at: &str,
        name: &str,
        old: &Value,
        new_extra: &Value,
    ) -> Result<(), RefProblem> {
        match new_extra {
            Value::Bool(false) => {
                let message = format!(
                    "property {name:?} removed from a closed model: old data with it is now rejected"
                );
                self.out.push(finding(
                    at,
                    "property-removed-closed-model",
                    Effect::Narrows,
                    message,
                ));
            }
            Value::Bool(true) => {
                let (old, _) = resolve(self.old_root, old, at, "previous")?;
                if !accepts_anything(&old) {
                    let message = format!(
                        "property {name:?} removed from an open model: new data may hold any value there"
                    );
                    self.out.push(finding(
                        at,
                        "property-removed-open-model",
                        Effect::Widens,
                        message,
                    ));
                }
            }
            extra => self.schema(at, old, extra)?,
        }
        Ok(())
    }

    fn property_added(
        &mut self,
        at: &str,
        name: &str,
        old_extra: &Value,
        new: &Value,
    ) -> Result<(), RefProblem> {
        match old_extra {
            Value::Bool(false) => {
                let message = format!(
                    "property {name:?} added to a closed model: old readers reject data with it"
                );
                self.out.push(finding(
                    at,
                    "property-added-closed-model",
                    Effect::Widens,
                    message,
                ));
            }
            Value::Bool(true) => {
                let (new, _) = resolve(self.new_root, new, at, "current")?;
                if !accepts_anything(&new) {
                    let message = format!(
                        "property {name:?} added to an open model: old data may hold any value there"
                    );
                    self.out.push(finding(
                        at,
                        "property-added-open-model",
                        Effect::Narrows,
                        message,
                    ));
                }
            }
            extra => self.schema(at, extra, new)?,
        }
        Ok(())
    }

    fn required(
        &mut self,
        path: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        old_props: &Map<String, Value>,
    ) {
        let list = |m: &Map<String, Value>| -> Vec<String> {
            let items = m.get("required").and_then(Value::as_array);
            items
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let (before, after) = (list(old), list(new));
        let at = format!("{path}/required");
        for name in after.iter().filter(|n| !before.contains(n)) {
            if old_props.contains_key(name) {
                let message =
                    format!("optional property {name:?} is now required: old data may lack it");
                self.out.push(finding(
                    &at,
                    "optional-made-required",
                    Effect::Narrows,
                    message,
                ));
            } else {
                let message = format!("new property {name:?} is required: old data lacks it");
                self.out.push(finding(
                    &at,
                    "property-added-required",
                    Effect::Narrows,
                    message,
                ));
            }
        }
        for name in before.iter().filter(|n| !after.contains(n)) {
            let message = format!("property {name:?} is no longer required: new data may omit it");
            self.out
                .push(finding(&at, "required-removed", Effect::Widens, message));
        }
    }

    fn additional_properties(
        &mut self,
        path: &str,
        old: &Value,
        new: &Value,
    ) -> Result<(), RefProblem> {
        let at = format!("{path}/additionalProperties");
        let (old_open, new_open) = (accepts_anything(old), accepts_anything(new));
        match (old, new) {
            (Value::Bool(_), _) | (_, Value::Bool(_)) => {
                if old_open && !new_open {
                    let message = "undeclared properties are now restricted".to_owned();
                    self.out.push(finding(
                        &at,
                        "additional-properties-tightened",
                        Effect::Narrows,
                        message,
                    ));
                } else if !old_open && new_open {
                    let message = "undeclared properties are now allowed".to_owned();
                    self.out.push(finding(
                        &at,
                        "additional-properties-loosened",
                        Effect::Widens,
                        message,
                    ));
                } else if !old_open && !new_open {
                    self.schema(&at, old, new)?;
                }
            }
            _ => self.schema(&at, old, new)?,
        }
        Ok(())
    }

    /// `items` (schema or draft-7 tuple), `prefixItems`, `contains`.
    fn arrays(
        &mut self,
        path: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<(), RefProblem> {
        for keyword in [
            "items",
            "prefixItems",
            "additionalItems",
            "contains",
            "propertyNames",
        ] {
            let at = format!("{path}/{keyword}");
            match (old.get(keyword), new.get(keyword)) {
                (Some(Value::Array(o)), Some(Value::Array(n))) => self.list(&at, keyword, o, n)?,
                (Some(Value::Array(_)), _) | (_, Some(Value::Array(_))) => {
                    let message = format!("{keyword} changed between a tuple and a single schema");
                    self.out
                        .push(finding(&at, "structure-changed", Effect::Changes, message));
                }
                (None, None) => {}
                (o, n) => {
                    let open = Value::Bool(true);
                    self.schema(&at, o.unwrap_or(&open), n.unwrap_or(&open))?;
                }
            }
        }
        Ok(())
    }

    /// `allOf`, `anyOf`, `oneOf` item by item, and `not`, `if`/`then`/`else`.
    fn combinators(
        &mut self,
        path: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<(), RefProblem> {
        for keyword in ["allOf", "anyOf", "oneOf"] {
            let empty = Vec::new();
            let o = old.get(keyword).and_then(Value::as_array).unwrap_or(&empty);
            let n = new.get(keyword).and_then(Value::as_array).unwrap_or(&empty);
            self.list(&format!("{path}/{keyword}"), keyword, o, n)?;
        }
        for keyword in ["not", "if", "then", "else"] {
            let (o, n) = (old.get(keyword), new.get(keyword));
            if o != n {
                // A change under `not` or a condition flips or mixes directions; report it
                // once rather than pretend to know which way it goes.
                let message = format!("{keyword} changed");
                self.out.push(finding(
                    &format!("{path}/{keyword}"),
                    "structure-changed",
                    Effect::Changes,
                    message,
                ));
            }
        }
        Ok(())
    }

    /// Lists compared position by position when they have the same length.
    fn list(
        &mut self,
        at: &str,
        keyword: &str,
        old: &[Value],
        new: &[Value],
    ) -> Result<(), RefProblem> {
        if old.len() != new.len() {
            let message = format!("{keyword} has {} entries, had {}", new.len(), old.len());
            self.out
                .push(finding(at, "structure-changed", Effect::Changes, message));
            return Ok(());
        }
        for (i, (o, n)) in old.iter().zip(new).enumerate() {
            self.schema(&format!("{at}/{i}"), o, n)?;
        }
        Ok(())
    }
}

/// Follows `$ref` chains within `root`. Keywords next to a `$ref` (allowed since
/// 2019-09) are laid over the target, which reads them as one combined schema.
/// Returns the resolved node and the references followed.
fn resolve(
    root: &Value,
    node: &Value,
    path: &str,
    side: &'static str,
) -> Result<(Value, Vec<String>), RefProblem> {
    let mut current = node.clone();
    let mut refs = Vec::new();
    while let Some(reference) = current
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_owned)
    {
        let problem = || RefProblem {
            side,
            path: path.to_owned(),
            reference: reference.clone(),
        };
        if refs.len() >= MAX_REF_HOPS || refs.contains(&reference) {
            return Err(problem());
        }
        let target = lookup(root, &reference).ok_or_else(problem)?;
        let mut merged = target.clone();
        if let (Some(over), Value::Object(current_map)) = (merged.as_object_mut(), &current) {
            for (k, v) in current_map.iter().filter(|(k, _)| k.as_str() != "$ref") {
                over.insert(k.clone(), v.clone());
            }
        }
        refs.push(reference);
        current = merged;
    }
    Ok((current, refs))
}

/// The node a reference names: `#`, `#/json/pointer`, or `<$id>#/pointer` for an `$id`
/// declared at the root.
fn lookup<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if !target.is_empty() {
        let root_id = root.get("$id").and_then(Value::as_str).unwrap_or_default();
        if root_id.trim_end_matches('#') != target {
            return None;
        }
    }
    let pointer = percent_decode(fragment);
    root.pointer(&pointer)
}

/// Decodes `%XX` escapes in a URI fragment (JSON pointers in `$ref` are URI-encoded).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `additionalProperties`, else `unevaluatedProperties`, else `true` (an open model).
fn additional(node: &Map<String, Value>) -> Value {
    node.get("additionalProperties")
        .or_else(|| node.get("unevaluatedProperties"))
        .cloned()
        .unwrap_or(Value::Bool(true))
}

/// `true`, or an object of annotations only.
fn accepts_anything(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => map.keys().all(|k| ANNOTATIONS.contains(&k.as_str())),
        _ => false,
    }
}

/// `false`, or `{"not": {}}`.
fn accepts_nothing(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => !*b,
        Value::Object(map) => map.len() == 1 && map.get("not").is_some_and(accepts_anything),
        _ => false,
    }
}

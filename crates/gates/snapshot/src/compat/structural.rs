//! The structural prover, for what the set comparison leaves undecided: recursive
//! schemas, and objects whose `patternProperties` or `additionalProperties` schemas
//! decide which names are covered.
//!
//! It proves that the previous schema's node accepts no more than the current one's by
//! splitting the current node into its object keywords, its array keywords and the rest,
//! which apply together: each part must cover the previous node. Object keywords are
//! compared name by name (declared names, then each pattern, then the rest),
//! array keywords position by position with the rest of the array, and the rest with the
//! set comparison. A pair of nodes met again while being proven is assumed (recursive
//! schemas are compared as the fixed points they describe). It proves or gives up; it
//! never disproves, which is left to a validated example.

use jsonschema::Draft;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::engine::{Answer, Canonical};
use super::patterns::included;
use super::refs::{Index, reference_of};
use super::vocabulary::constrains;
use crate::schema::escape_token;

/// Keywords of the object part.
const OBJECT: [&str; 3] = ["properties", "patternProperties", "additionalProperties"];
/// Keywords of the array part.
const ARRAY: [&str; 3] = ["items", "prefixItems", "additionalItems"];
/// Keywords that read what the parts above evaluated: the node cannot be split.
const UNSPLITTABLE: [&str; 2] = ["unevaluatedProperties", "unevaluatedItems"];
/// Nesting explored before giving up.
const MAX_DEPTH: usize = 48;

/// Proves coverage between two documents' subschemas.
pub struct Prover<'a> {
    old: &'a Index<'a>,
    new: &'a Index<'a>,
    assumed: RefCell<HashSet<(String, String)>>,
}

type Proof = Result<(), String>;

impl<'a> Prover<'a> {
    /// A prover for `old` (the side that must be covered) and `new`.
    pub fn new(old: &'a Index<'a>, new: &'a Index<'a>) -> Self {
        Prover {
            old,
            new,
            assumed: RefCell::new(HashSet::new()),
        }
    }

    /// Whether `new`'s subschema at `new_ptr` accepts every value `old`'s at `old_ptr`
    /// accepts.
    pub fn covers(&self, old_ptr: &str, new_ptr: &str) -> Answer {
        match self.sub(Some(old_ptr), Some(new_ptr), 0) {
            Ok(()) => Answer::Yes,
            Err(why) => Answer::Unknown(why),
        }
    }

    /// `None` stands for an absent keyword: the schema `true`.
    fn sub(&self, old_ptr: Option<&str>, new_ptr: Option<&str>, depth: usize) -> Proof {
        if depth > MAX_DEPTH {
            return Err("nesting too deep to prove".into());
        }
        let Some(new_ptr) = new_ptr else {
            return Ok(());
        };
        let n = self
            .new
            .follow(new_ptr)
            .ok_or_else(|| format!("a reference at {new_ptr} does not resolve"))?;
        let n_node = self.new.root.pointer(&n).unwrap_or(&Value::Bool(true));
        if accepts_anything(n_node, self.new.draft) {
            return Ok(());
        }
        let Some(old_ptr) = old_ptr else {
            return Err(format!("{n} constrains values that were free before"));
        };
        let o = self
            .old
            .follow(old_ptr)
            .ok_or_else(|| format!("a reference at {old_ptr} does not resolve"))?;
        let o_node = self.old.root.pointer(&o).unwrap_or(&Value::Bool(true));
        if o_node == &Value::Bool(false) {
            return Ok(());
        }
        let pair = (o.clone(), n.clone());
        if !self.assumed.borrow_mut().insert(pair.clone()) {
            return Ok(());
        }
        let proof = self.pair(&o, o_node, &n, n_node, depth);
        if proof.is_err() {
            // A failed proof must not serve as an assumption for later questions.
            self.assumed.borrow_mut().remove(&pair);
        }
        proof
    }

    /// The current node split into parts that apply together, each proven against the
    /// previous node; failing that, one part of the previous node that suffices alone
    /// (an `allOf` entry), or every branch of its union.
    fn pair(&self, o: &str, o_node: &Value, n: &str, n_node: &Value, depth: usize) -> Proof {
        if self.same(o, n, &mut BTreeSet::new()) {
            return Ok(());
        }
        let direct = match (o_node, n_node) {
            (Value::Object(om), Value::Object(nm)) => self.split(o, om, n, nm, depth),
            _ => Err(format!("cannot prove that {n} accepts what {o} accepted")),
        };
        let Err(why) = direct else {
            return Ok(());
        };
        let Value::Object(om) = o_node else {
            return Err(why);
        };
        let parts = |key: &str| om.get(key).and_then(Value::as_array).map_or(0, Vec::len);
        for k in 0..parts("allOf") {
            if self
                .sub(Some(&format!("{o}/allOf/{k}")), Some(n), depth + 1)
                .is_ok()
            {
                return Ok(());
            }
        }
        for key in ["anyOf", "oneOf"] {
            let count = parts(key);
            if count > 0
                && (0..count).all(|k| {
                    self.sub(Some(&format!("{o}/{key}/{k}")), Some(n), depth + 1)
                        .is_ok()
                })
            {
                return Ok(());
            }
        }
        Err(why)
    }

    fn split(
        &self,
        o: &str,
        om: &Map<String, Value>,
        n: &str,
        nm: &Map<String, Value>,
        depth: usize,
    ) -> Proof {
        let (om, o_renamed) = plain(om, self.old.draft);
        let (nm, n_renamed) = plain(nm, self.new.draft);
        let (om, nm) = (&om, &nm);
        if UNSPLITTABLE
            .iter()
            .any(|k| om.contains_key(*k) || nm.contains_key(*k))
        {
            return Err(format!(
                "unevaluated keywords at {n} depend on the rest of the node"
            ));
        }
        let count = |key: &str| nm.get(key).and_then(Value::as_array).map_or(0, Vec::len);
        for k in 0..count("allOf") {
            self.sub(Some(o), Some(&format!("{n}/allOf/{k}")), depth + 1)?;
        }
        let branches = count("anyOf");
        if branches > 0 {
            let mut covered = Err(format!("no branch of {n}/anyOf covers {o}"));
            for k in 0..branches {
                if self
                    .sub(Some(o), Some(&format!("{n}/anyOf/{k}")), depth + 1)
                    .is_ok()
                {
                    covered = Ok(());
                    break;
                }
            }
            covered?;
        }
        self.rest(o, om, n, nm)?;
        if OBJECT.iter().any(|k| nm.contains_key(*k)) && admits(om, "object") {
            let old = Shape::of(o, om, &o_renamed);
            let new = Shape::of(n, nm, &n_renamed);
            self.object(&old, &new, depth)?;
        }
        if ARRAY.iter().any(|k| nm.contains_key(*k)) && admits(om, "array") {
            let old = tuple(o, om, self.old.draft, &o_renamed);
            let new = tuple(n, nm, self.new.draft, &n_renamed);
            self.array(old, new, depth)?;
        }
        Ok(())
    }

    /// Identical nodes whose references reach identical nodes.
    fn same(&self, o: &str, n: &str, seen: &mut BTreeSet<(String, String)>) -> bool {
        if self.old.draft != self.new.draft || !seen.insert((o.to_owned(), n.to_owned())) {
            return self.old.draft == self.new.draft;
        }
        let (Some(a), Some(b)) = (self.old.root.pointer(o), self.new.root.pointer(n)) else {
            return false;
        };
        if a != b {
            return false;
        }
        let mut refs = Vec::new();
        collect_refs(a, String::new(), &mut refs);
        refs.into_iter().all(|(at, _)| {
            let from_old = self.old.follow(&format!("{o}{at}"));
            let from_new = self.new.follow(&format!("{n}{at}"));
            match (from_old, from_new) {
                (Some(x), Some(y)) => self.same(&x, &y, seen),
                _ => false,
            }
        })
    }

    /// Everything but the object and array parts, through the set comparison.
    fn rest(&self, o: &str, om: &Map<String, Value>, n: &str, nm: &Map<String, Value>) -> Proof {
        let split = |m: &Map<String, Value>, also: &[&str]| -> Map<String, Value> {
            m.iter()
                .filter(|(k, _)| {
                    let k = k.as_str();
                    !OBJECT.contains(&k) && !ARRAY.contains(&k) && !also.contains(&k)
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        // The current node's `allOf` and `anyOf` are proven part by part in `split`.
        let (o_rest, mut n_rest) = (split(om, &[]), split(nm, &["allOf", "anyOf"]));
        // A pattern implied by the previous node's own pattern is proven on the automata.
        if let (Some(Value::String(inner)), Some(Value::String(outer))) =
            (o_rest.get("pattern"), n_rest.get("pattern"))
        {
            if included(inner, outer) {
                n_rest.remove("pattern");
            }
        }
        if !n_rest.keys().any(|k| constrains(k, self.new.draft)) {
            return Ok(());
        }
        let mut refs = Vec::new();
        collect_refs(&Value::Object(n_rest.clone()), String::new(), &mut refs);
        // Equal text means equal sets only when no reference inside can resolve differently.
        if o_rest == n_rest && self.old.draft == self.new.draft && refs.is_empty() {
            return Ok(());
        }
        let replaced = |root: &Value, at: &str, node: Map<String, Value>| {
            let mut copy = root.clone();
            if let Some(slot) = copy.pointer_mut(at) {
                *slot = Value::Object(node);
            }
            copy
        };
        let old_doc = replaced(self.old.root, o, o_rest);
        let new_doc = replaced(self.new.root, n, n_rest);
        let old_c = Canonical::at(&old_doc, self.old.draft, o);
        let new_c = Canonical::at(&new_doc, self.new.draft, n);
        match new_c.covers(&old_c) {
            Answer::Yes => Ok(()),
            Answer::No => Err(format!("{n} rejects values {o} accepted")),
            Answer::Unknown(why) => Err(format!("{}: {why}", shown(n))),
        }
    }

    fn object(&self, old: &Shape, new: &Shape, depth: usize) -> Proof {
        let names: BTreeSet<&String> = old.declared.keys().chain(new.declared.keys()).collect();
        for name in names {
            let so = old.for_name(name)?;
            let sn = new.for_name(name)?;
            self.conj(&so, &sn, depth)?;
        }
        for (pattern, np) in &new.patterns {
            match old.patterns.get(pattern) {
                Some(op) => self.sub(Some(op), Some(np), depth + 1)?,
                None => {
                    self.sub(old.additional.as_deref(), Some(np), depth + 1)?;
                    for op in old.patterns.values() {
                        self.sub(Some(op), Some(np), depth + 1)?;
                    }
                }
            }
        }
        for (pattern, op) in &old.patterns {
            if !new.patterns.contains_key(pattern) {
                self.sub(Some(op), new.additional.as_deref(), depth + 1)?;
            }
        }
        self.sub(
            old.additional.as_deref(),
            new.additional.as_deref(),
            depth + 1,
        )
    }

    /// Each schema of `new` must cover one schema of `old` (both lists apply together).
    fn conj(&self, old: &[String], new: &[String], depth: usize) -> Proof {
        for n in new {
            if old.is_empty() {
                self.sub(None, Some(n), depth + 1)?;
                continue;
            }
            let mut last = Ok(());
            for o in old {
                last = self.sub(Some(o), Some(n), depth + 1);
                if last.is_ok() {
                    break;
                }
            }
            last?;
        }
        Ok(())
    }

    fn array(&self, old: Tuple, new: Tuple, depth: usize) -> Proof {
        let ((o_tuple, o_rest), (n_tuple, n_rest)) = (old, new);
        for i in 0..o_tuple.len().max(n_tuple.len()) {
            let so = o_tuple.get(i).cloned().or_else(|| o_rest.clone());
            let sn = n_tuple.get(i).cloned().or_else(|| n_rest.clone());
            self.sub(so.as_deref(), sn.as_deref(), depth + 1)?;
            let closed = so
                .as_deref()
                .and_then(|p| self.old.root.pointer(p))
                .is_some_and(|v| v == &Value::Bool(false));
            if closed {
                return Ok(());
            }
        }
        self.sub(o_rest.as_deref(), n_rest.as_deref(), depth + 1)
    }
}

/// A pointer as shown in messages: `/` for the root.
fn shown(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// Keywords that evaluate in place, which `unevaluated*` would have to look through.
const IN_PLACE: [&str; 11] = [
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "dependentSchemas",
];

/// `node` with `unevaluatedProperties`/`unevaluatedItems` renamed to the keyword they
/// act as when nothing evaluates in place: `additionalProperties`, and the rest of the
/// array after the tuple (they are left alone otherwise, and the node is not split).
fn plain(node: &Map<String, Value>, draft: Draft) -> (Map<String, Value>, Renamed) {
    let mut out = node.clone();
    let mut renamed = Renamed::new();
    if IN_PLACE.iter().any(|k| node.contains_key(*k)) {
        return (out, renamed);
    }
    if !node.contains_key("additionalProperties") {
        if let Some(v) = out.remove("unevaluatedProperties") {
            out.insert("additionalProperties".into(), v);
            renamed.insert("additionalProperties", "unevaluatedProperties");
        }
    }
    if node.contains_key("contains") {
        return (out, renamed);
    }
    let rest = match node.get("items") {
        Some(Value::Array(_)) if !node.contains_key("additionalItems") => Some("additionalItems"),
        None if draft >= Draft::Draft202012 || !node.contains_key("prefixItems") => Some("items"),
        _ => None,
    };
    match rest {
        Some(key) => {
            if let Some(v) = out.remove("unevaluatedItems") {
                out.insert(key.into(), v);
                renamed.insert(key, "unevaluatedItems");
            }
        }
        None if node.get("items").is_some_and(|i| !i.is_array()) => {
            out.remove("unevaluatedItems");
        }
        None => {}
    }
    (out, renamed)
}

/// Keywords read under another name by [`plain`]: role to the key as written.
type Renamed = BTreeMap<&'static str, &'static str>;

/// The key a role is written under in the document.
fn written<'k>(renamed: &Renamed, role: &'k str) -> &'k str {
    renamed.get(role).copied().unwrap_or(role)
}

/// The object keywords of one node, by pointer.
struct Shape {
    declared: BTreeMap<String, String>,
    patterns: BTreeMap<String, String>,
    additional: Option<String>,
}

impl Shape {
    fn of(at: &str, node: &Map<String, Value>, renamed: &Renamed) -> Self {
        let map = |key: &str| -> BTreeMap<String, String> {
            node.get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, _)| (k.clone(), format!("{at}/{key}/{}", escape_token(k))))
                .collect()
        };
        Shape {
            declared: map("properties"),
            patterns: map("patternProperties"),
            additional: node
                .get("additionalProperties")
                .map(|_| format!("{at}/{}", written(renamed, "additionalProperties"))),
        }
    }

    /// The schemas that apply to `name`, all together.
    fn for_name(&self, name: &str) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = self.declared.get(name).cloned().into_iter().collect();
        for (pattern, at) in &self.patterns {
            let re = regex::Regex::new(pattern)
                .map_err(|_| format!("pattern {pattern:?} is not supported"))?;
            if re.is_match(name) {
                out.push(at.clone());
            }
        }
        if out.is_empty() {
            out.extend(self.additional.clone());
        }
        Ok(out)
    }
}

/// Tuple positions and the rest of the array, by pointer.
type Tuple = (Vec<String>, Option<String>);

/// Tuple positions and the rest of the array, per draft.
fn tuple(at: &str, node: &Map<String, Value>, draft: Draft, renamed: &Renamed) -> Tuple {
    let positions = |key: &str, len: usize| (0..len).map(|i| format!("{at}/{key}/{i}")).collect();
    match node.get("items") {
        Some(Value::Array(items)) => (
            positions("items", items.len()),
            node.get("additionalItems")
                .map(|_| format!("{at}/{}", written(renamed, "additionalItems"))),
        ),
        rest => {
            let prefix = match node.get("prefixItems") {
                Some(Value::Array(p)) if draft >= Draft::Draft202012 => {
                    positions("prefixItems", p.len())
                }
                _ => Vec::new(),
            };
            (
                prefix,
                rest.map(|_| format!("{at}/{}", written(renamed, "items"))),
            )
        }
    }
}

/// Whether a node can accept a value of JSON type `kind`, judged by `type` alone.
fn admits(node: &Map<String, Value>, kind: &str) -> bool {
    match node.get("type") {
        Some(Value::String(t)) => t == kind,
        Some(Value::Array(list)) => list.iter().any(|t| t == kind),
        _ => true,
    }
}

/// `true`, or a node with no keyword that can reject a value.
fn accepts_anything(node: &Value, draft: Draft) -> bool {
    match node {
        Value::Bool(b) => *b,
        Value::Object(map) => !map.keys().any(|k| constrains(k, draft) || k == "$ref"),
        _ => false,
    }
}

fn collect_refs(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some((r, _)) = reference_of(value) {
                out.push((pointer.clone(), r.to_owned()));
            }
            for (k, v) in map {
                if !matches!(k.as_str(), "enum" | "const" | "default" | "examples") {
                    collect_refs(v, format!("{pointer}/{}", escape_token(k)), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_refs(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn proves(old: Value, new: Value, draft: Draft) -> Answer {
        let (o, n) = (Index::new(&old, draft), Index::new(&new, draft));
        Prover::new(&o, &n).covers("", "")
    }

    #[test]
    fn names_covered_by_patterns_or_additional_schemas() {
        let d = Draft::Draft7;
        let old = json!({"properties": {"foo": {"type": "string"}}, "additionalProperties": false,
            "patternProperties": {"^S_": {"type": "string"}, "^I_": {"type": "integer"}}});
        let new = json!({"properties": {"foo": {"type": "string"}, "I_123": {"type": "number"}}, "additionalProperties": false,
            "patternProperties": {"^S_": {"type": "string"}, "^I_": {"type": "integer"}}});
        assert_eq!(proves(old, new, d), Answer::Yes);
        let old = json!({"properties": {"foo": {"type": "string"}}, "additionalProperties": {"type": "string"}});
        let new = json!({"properties": {"foo": {"type": "string"}, "bar": {"type": "string"}}, "additionalProperties": {"type": "string"}});
        assert_eq!(proves(old.clone(), new, d), Answer::Yes);
        let narrower = json!({"properties": {"foo": {"type": "string"}, "bar": {"type": "number"}}, "additionalProperties": {"type": "string"}});
        assert!(matches!(proves(old, narrower, d), Answer::Unknown(_)));
    }

    #[test]
    fn recursive_schemas_are_fixed_points() {
        let tree = |v: &str| json!({"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#"}}, "v": {"type": v}}});
        let d = Draft::Draft202012;
        assert_eq!(proves(tree("integer"), tree("number"), d), Answer::Yes);
        assert!(matches!(
            proves(tree("number"), tree("integer"), d),
            Answer::Unknown(_)
        ));
        assert_eq!(proves(tree("string"), tree("string"), d), Answer::Yes);
    }

    #[test]
    fn tuples_position_by_position() {
        let d = Draft::Draft7;
        let old = json!({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "number"}});
        let new = json!({"type": "array", "items": [{"type": "string"}, {"type": "number"}], "additionalItems": true});
        assert_eq!(proves(old, new, d), Answer::Yes);
    }
}

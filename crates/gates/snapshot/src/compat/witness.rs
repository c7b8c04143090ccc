//! Candidate documents for a schema: values near its bounds, strings from its patterns
//! and formats, arrays and objects filled position by position and property by property.
//! Candidates are guesses; the evidence step keeps only those the validator confirms.
//!
//! A subschema is handled as a conjunction of schema nodes (by pointer, so `$ref`s
//! resolve in their own base); `allOf` and `$ref` add nodes, `anyOf`/`oneOf`/`if` give
//! one conjunction per branch.

use serde_json::{Map, Value, json};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::refs::{Index, reference_of};
use super::regex_gen::matching;
use super::samples::{numbers, strings};
use crate::schema::escape_token;

/// Candidates kept per subschema.
const PER_NODE: usize = 96;
/// Values tried per property or array position.
const ROUNDS: usize = 24;
/// Nesting depth explored.
const DEPTH: usize = 6;
/// Subschema visits per generator, so wide and deep schemas stay cheap.
const BUDGET: u32 = 20_000;
/// Branch combinations explored per subschema.
const MAX_BRANCHES: usize = 12;

/// Builds candidate values for the subschemas of one document.
pub struct Witnesses<'a> {
    index: &'a Index<'a>,
    budget: Cell<u32>,
    regexes: RefCell<HashMap<String, Option<regex::Regex>>>,
    /// Candidates of each conjunction already built: shared subschemas are built once.
    memo: RefCell<HashMap<Conj, Vec<Value>>>,
}

type Conj = Vec<String>;

impl<'a> Witnesses<'a> {
    /// A generator over `index`'s document.
    pub fn new(index: &'a Index<'a>) -> Self {
        Witnesses {
            index,
            budget: Cell::new(BUDGET),
            regexes: RefCell::new(HashMap::new()),
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// Candidate values for the subschema at `pointer` (the whole document for `""`).
    pub fn at(&self, pointer: &str) -> Vec<Value> {
        self.conj(&[pointer.to_owned()], 0)
    }

    fn node(&self, pointer: &str) -> Option<&'a Value> {
        self.index.root.pointer(pointer)
    }

    fn conj(&self, parts: &[String], depth: usize) -> Vec<Value> {
        if let Some(done) = self.memo.borrow().get(parts) {
            return done.clone();
        }
        let spent = self.budget.get();
        if depth > DEPTH || spent == 0 {
            return Vec::new();
        }
        self.budget.set(spent - 1);
        let mut out: Vec<Value> = Vec::new();
        for branch in self.expand(parts.to_vec(), 0) {
            for value in self.flat(&branch, depth) {
                if !out.contains(&value) {
                    out.push(value);
                }
                if out.len() >= PER_NODE {
                    break;
                }
            }
        }
        self.memo.borrow_mut().insert(parts.to_vec(), out.clone());
        out
    }

    /// Expands `allOf`, references, `anyOf`, `oneOf` and `if`/`then`/`else` into
    /// conjunctions of plain nodes.
    fn expand(&self, parts: Conj, from: usize) -> Vec<Conj> {
        for i in from..parts.len() {
            let Some(node) = self.node(&parts[i]) else {
                continue;
            };
            let here = &parts[i];
            let with = |extra: Vec<String>| {
                let mut next = parts.clone();
                next.extend(extra);
                next
            };
            if let Some((reference, keyword)) = reference_of(node) {
                let target = match keyword {
                    "$ref" => self.index.resolve(here, reference),
                    "$dynamicRef" => self.index.resolve_dynamic(here, reference, false),
                    _ => self.index.resolve_dynamic(here, reference, true),
                };
                if let Some(target) = target.filter(|t| !parts.contains(t)) {
                    let mut next = parts.clone();
                    if self.index.draft < jsonschema::Draft::Draft201909 {
                        next[i] = target;
                        return self.expand(next, i);
                    }
                    next.push(target);
                    return self.expand(next, i + 1);
                }
            }
            if let Some(Value::Array(all)) = node.get("allOf") {
                let extra = (0..all.len())
                    .map(|k| format!("{here}/allOf/{k}"))
                    .collect();
                return self.expand(with(extra), i + 1);
            }
            let mut choices: Vec<Vec<String>> = Vec::new();
            for keyword in ["anyOf", "oneOf"] {
                if let Some(Value::Array(branches)) = node.get(keyword) {
                    choices.push(
                        (0..branches.len())
                            .map(|k| format!("{here}/{keyword}/{k}"))
                            .collect(),
                    );
                }
            }
            if node.get("if").is_some() {
                let then = node.get("then").map(|_| format!("{here}/then"));
                let els = node.get("else").map(|_| format!("{here}/else"));
                let mut with_if = vec![format!("{here}/if")];
                with_if.extend(then);
                choices.push(vec![with_if.join("\n"), els.unwrap_or_default()]);
            }
            if choices.is_empty() {
                continue;
            }
            let mut combos: Vec<Conj> = vec![Vec::new()];
            for options in choices {
                let mut next = Vec::new();
                for combo in &combos {
                    for option in &options {
                        let mut c = combo.clone();
                        c.extend(
                            option
                                .split('\n')
                                .filter(|s| !s.is_empty())
                                .map(String::from),
                        );
                        next.push(c);
                    }
                }
                combos = next;
                combos.truncate(MAX_BRANCHES);
            }
            let mut out = Vec::new();
            for combo in combos {
                out.extend(self.expand(with(combo), i + 1));
                if out.len() >= MAX_BRANCHES {
                    break;
                }
            }
            return out;
        }
        vec![parts]
    }

    /// Candidates for a conjunction of nodes without applicators left to expand.
    fn flat(&self, parts: &[String], depth: usize) -> Vec<Value> {
        let nodes: Vec<(&String, &Map<String, Value>)> = parts
            .iter()
            .filter_map(|p| match self.node(p) {
                Some(Value::Object(m)) => Some((p, m)),
                _ => None,
            })
            .collect();
        if parts
            .iter()
            .any(|p| matches!(self.node(p), Some(Value::Bool(false))))
        {
            return Vec::new();
        }
        let get = |k: &str| keyword(&nodes, k).into_iter().map(|(_, v)| v);
        let mut fixed: Option<Vec<Value>> = None;
        let lists = get("enum")
            .filter_map(|v| v.as_array().cloned())
            .chain(get("const").map(|v| vec![v.clone()]));
        for values in lists {
            fixed = Some(match fixed {
                None => values,
                Some(prev) => prev.into_iter().filter(|v| values.contains(v)).collect(),
            });
        }
        if let Some(values) = fixed {
            return values;
        }
        let mut types: Option<BTreeSet<&str>> = None;
        for t in get("type") {
            let named: BTreeSet<&str> = match t {
                Value::String(s) => [s.as_str()].into(),
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                _ => continue,
            };
            let named = widen_number(named);
            types = Some(match types {
                None => named,
                Some(prev) => prev.intersection(&named).copied().collect(),
            });
        }
        let types = types.unwrap_or_else(|| {
            [
                "object", "array", "string", "number", "integer", "boolean", "null",
            ]
            .into()
        });
        let mut out = Vec::new();
        for t in [
            "object", "array", "string", "integer", "number", "boolean", "null",
        ] {
            // `number` candidates include the integers, fractions among the first.
            if !types.contains(t) || (t == "integer" && types.contains("number")) {
                continue;
            }
            let values = match t {
                "object" => self.objects(&nodes, depth),
                "array" => self.arrays(&nodes, depth),
                "string" => strings(&nodes),
                "integer" => numbers(&nodes, true),
                "number" => numbers(&nodes, false),
                "boolean" => vec![json!(true), json!(false)],
                _ => vec![Value::Null],
            };
            out.extend(values);
        }
        out
    }

    fn regex(&self, pattern: &str) -> Option<regex::Regex> {
        self.regexes
            .borrow_mut()
            .entry(pattern.to_owned())
            .or_insert_with(|| regex::Regex::new(pattern).ok())
            .clone()
    }

    /// The conjunction that applies to property `name` across `nodes`.
    fn property_schema(&self, nodes: &[(&String, &Map<String, Value>)], name: &str) -> Conj {
        let mut conj = Vec::new();
        for (pointer, node) in nodes {
            let mut covered = false;
            if node.get("properties").and_then(|p| p.get(name)).is_some() {
                conj.push(format!("{pointer}/properties/{}", escape_token(name)));
                covered = true;
            }
            if let Some(Value::Object(patterns)) = node.get("patternProperties") {
                for pattern in patterns.keys() {
                    if self.regex(pattern).is_some_and(|re| re.is_match(name)) {
                        conj.push(format!(
                            "{pointer}/patternProperties/{}",
                            escape_token(pattern)
                        ));
                        covered = true;
                    }
                }
            }
            if !covered {
                for key in ["additionalProperties", "unevaluatedProperties"] {
                    if node.get(key).is_some() {
                        conj.push(format!("{pointer}/{key}"));
                        break;
                    }
                }
            }
        }
        conj
    }

    fn objects(&self, nodes: &[(&String, &Map<String, Value>)], depth: usize) -> Vec<Value> {
        let get = |k: &str| keyword(nodes, k).into_iter().map(|(_, v)| v);
        let mut required: BTreeSet<String> = get("required")
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        let mut declared: BTreeSet<String> = get("properties")
            .filter_map(Value::as_object)
            .flat_map(|m| m.keys().cloned())
            .collect();
        let mut pattern_names: Vec<String> = Vec::new();
        for patterns in get("patternProperties").filter_map(Value::as_object) {
            for pattern in patterns.keys() {
                pattern_names.extend(matching(pattern, 2));
            }
        }
        let dependencies = dependent_required(nodes);
        let min = get("minProperties")
            .filter_map(Value::as_u64)
            .max()
            .unwrap_or(0);
        let max = get("maxProperties").filter_map(Value::as_u64).min();
        // The value of each name, computed once.
        let mut cache: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut values = |name: &str| -> Vec<Value> {
            cache
                .entry(name.to_owned())
                .or_insert_with(|| {
                    let conj = self.property_schema(nodes, name);
                    if conj.is_empty() {
                        vec![json!("x"), json!(1), Value::Null]
                    } else {
                        self.conj(&conj, depth + 1)
                    }
                })
                .clone()
        };
        let close = |obj: &mut Map<String, Value>, values: &mut dyn FnMut(&str) -> Vec<Value>| {
            for _ in 0..4 {
                let present: Vec<String> = obj.keys().cloned().collect();
                for name in present {
                    for needed in dependencies.get(&name).into_iter().flatten() {
                        if !obj.contains_key(needed) {
                            let v = values(needed).into_iter().next().unwrap_or(Value::Null);
                            obj.insert(needed.clone(), v);
                        }
                    }
                }
            }
        };
        required.retain(|n| !n.is_empty() || declared.contains(n));
        let mut base = Map::new();
        for name in &required {
            let Some(v) = values(name).into_iter().next() else {
                return Vec::new();
            };
            base.insert(name.clone(), v);
        }
        close(&mut base, &mut values);
        let mut out = Vec::new();
        let optional: Vec<String> = declared.iter().cloned().collect();
        let push = |obj: Map<String, Value>, out: &mut Vec<Value>| {
            if out.len() >= PER_NODE {
                return;
            }
            let mut obj = obj;
            let mut filler = 0;
            while (obj.len() as u64) < min && filler < 64 {
                let name = optional
                    .iter()
                    .find(|n| !obj.contains_key(*n))
                    .cloned()
                    .unwrap_or_else(|| format!("p{filler}"));
                filler += 1;
                obj.insert(name, json!("x"));
            }
            if max.is_none_or(|m| obj.len() as u64 <= m) {
                let v = Value::Object(obj);
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        };
        push(base.clone(), &mut out);
        let mut all = base.clone();
        declared.extend(pattern_names.iter().cloned());
        let extra = ["extra", "zz_other"]
            .into_iter()
            .find(|n| !declared.contains(*n))
            .unwrap_or("x_extra_1")
            .to_owned();
        // Each name with each of its values, round by round, so every name's values are
        // tried before any name's later ones.
        let names: Vec<String> = declared.iter().cloned().chain([extra.clone()]).collect();
        let options: Vec<Vec<Value>> = names.iter().map(|n| values(n)).collect();
        for (name, candidates) in names.iter().zip(&options) {
            if let Some(first) = candidates.first().filter(|_| *name != extra) {
                all.insert(name.clone(), first.clone());
            }
        }
        let rounds = options.iter().map(Vec::len).max().unwrap_or(0).min(ROUNDS);
        // Every name at once with its value of the round: one document tries them all.
        for round in 0..rounds {
            let mut obj = base.clone();
            for (name, candidates) in names.iter().zip(&options) {
                if let Some(v) = candidates.get(round).or_else(|| candidates.first()) {
                    obj.insert(name.clone(), v.clone());
                }
            }
            close(&mut obj, &mut values);
            push(obj, &mut out);
        }
        for round in 0..rounds {
            if out.len() >= PER_NODE {
                break;
            }
            for (name, candidates) in names.iter().zip(&options) {
                let Some(v) = candidates.get(round) else {
                    continue;
                };
                if required.contains(name) && round == 0 {
                    continue;
                }
                let mut obj = base.clone();
                obj.insert(name.clone(), v.clone());
                close(&mut obj, &mut values);
                push(obj, &mut out);
            }
        }
        close(&mut all, &mut values);
        push(all, &mut out);
        out
    }

    fn arrays(&self, nodes: &[(&String, &Map<String, Value>)], depth: usize) -> Vec<Value> {
        let get = |k: &str| keyword(nodes, k).into_iter();
        let modern = self.index.draft >= jsonschema::Draft::Draft202012;
        let mut prefix: Vec<Conj> = Vec::new();
        let mut rest: Conj = Vec::new();
        for (pointer, node) in nodes {
            let (tuple_key, rest_key) = match node.get("items") {
                Some(Value::Array(_)) => ("items", "additionalItems"),
                _ if modern => ("prefixItems", "items"),
                _ => ("", "items"),
            };
            let tuple_len = node
                .get(tuple_key)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..tuple_len {
                if prefix.len() <= i {
                    prefix.push(rest.clone());
                }
                prefix[i].push(format!("{pointer}/{tuple_key}/{i}"));
            }
            let rest_schema = [rest_key, "unevaluatedItems"]
                .into_iter()
                .find(|k| node.get(*k).is_some());
            if let Some(key) = rest_schema {
                for slot in prefix.iter_mut().skip(tuple_len) {
                    slot.push(format!("{pointer}/{key}"));
                }
                rest.push(format!("{pointer}/{key}"));
            }
        }
        let min = get("minItems")
            .filter_map(|(_, v)| v.as_u64())
            .max()
            .unwrap_or(0);
        let max = get("maxItems").filter_map(|(_, v)| v.as_u64()).min();
        let unique = get("uniqueItems").any(|(_, v)| v == &Value::Bool(true));
        let contains: Vec<Value> = get("contains")
            .flat_map(|(p, _)| self.conj(&[format!("{p}/contains")], depth + 1))
            .take(2)
            .collect();
        let slot = |i: usize| -> Vec<Value> {
            let conj = prefix.get(i).unwrap_or(&rest);
            if conj.is_empty() {
                vec![json!("x"), json!(0)]
            } else {
                self.conj(conj, depth + 1)
            }
        };
        let cap = usize::try_from(min).unwrap_or(usize::MAX).min(64);
        let lengths = [
            cap,
            prefix.len().max(cap),
            prefix.len().max(cap) + 1,
            cap.max(1) + 1,
        ];
        let mut slots: Vec<Vec<Value>> = Vec::new();
        let mut out = Vec::new();
        for (round, len) in lengths.into_iter().enumerate() {
            if max.is_some_and(|m| len as u64 > m) && round > 0 {
                continue;
            }
            while slots.len() < len {
                slots.push(slot(slots.len()));
            }
            for pick in 0..3 {
                let mut items = Vec::with_capacity(len);
                for (i, options) in slots.iter().take(len).enumerate() {
                    if options.is_empty() {
                        break;
                    }
                    let k = if unique {
                        (pick + i) % options.len()
                    } else {
                        pick % options.len()
                    };
                    items.push(options[k].clone());
                }
                if items.len() == len {
                    let v = Value::Array(items);
                    if !out.contains(&v) {
                        out.push(v);
                    }
                }
            }
        }
        if let Some(first) = slots.first() {
            for v in first.iter().skip(1).take(ROUNDS) {
                let mut items: Vec<Value> = slots
                    .iter()
                    .take(cap.max(1))
                    .filter_map(|s| s.first().cloned())
                    .collect();
                if let Some(slot) = items.first_mut() {
                    *slot = v.clone();
                }
                out.push(Value::Array(items));
            }
        }
        for c in contains {
            out.push(Value::Array(vec![c]));
        }
        if let Some(first) = slots.first().and_then(|s| s.first()) {
            out.push(json!([first, first]));
        }
        out
    }
}

/// The values of `key` across `nodes`, with the pointer of each node.
pub(super) fn keyword<'v>(
    nodes: &[(&'v String, &'v Map<String, Value>)],
    key: &str,
) -> Vec<(&'v String, &'v Value)> {
    nodes
        .iter()
        .filter_map(|(p, m)| m.get(key).map(|v| (*p, v)))
        .collect()
}

/// `integer` and `number` as named: `number` includes the integers.
fn widen_number(mut named: BTreeSet<&str>) -> BTreeSet<&str> {
    if named.contains("number") {
        named.insert("integer");
    }
    named
}

fn dependent_required(nodes: &[(&String, &Map<String, Value>)]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, node) in nodes {
        for key in ["dependentRequired", "dependencies"] {
            for (name, needed) in node
                .get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Value::Array(list) = needed {
                    out.entry(name.clone())
                        .or_default()
                        .extend(list.iter().filter_map(|v| v.as_str().map(String::from)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compat::evidence::Judge;
    use jsonschema::Draft;

    fn valid_candidates(schema: Value, draft: Draft) -> Vec<Value> {
        let index = Index::new(&schema, draft);
        let judge = Judge::new(&schema, draft).expect("compiles");
        Witnesses::new(&index)
            .at("")
            .into_iter()
            .filter(|v| judge.accepts(v))
            .collect()
    }

    #[test]
    fn candidates_include_valid_documents_of_every_shape() {
        let cases = [
            json!({"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "integer", "minimum": 3}, "b": {"enum": ["x", "y"]}}, "additionalProperties": false}),
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": false, "minItems": 2}),
            json!({"type": "string", "pattern": "^[A-Z]{2}-\\d{3}$"}),
            json!({"type": "number", "exclusiveMinimum": 4, "maximum": 4.5}),
            json!({"anyOf": [{"type": "null"}, {"$ref": "#/$defs/p"}], "$defs": {"p": {"type": "object", "required": ["x"]}}}),
            json!({"oneOf": [{"const": 1}, {"type": "string", "format": "date"}]}),
            json!({"type": "object", "patternProperties": {"^I_": {"type": "integer"}}, "additionalProperties": false, "minProperties": 1}),
            json!({"type": "object", "dependentRequired": {"a": ["b"]}, "properties": {"a": {"const": 1}}, "required": ["a"]}),
            json!({"type": "integer", "multipleOf": 7, "minimum": 50}),
        ];
        for schema in cases {
            let found = valid_candidates(schema.clone(), Draft::Draft202012);
            assert!(!found.is_empty(), "no valid candidate for {schema}");
        }
    }

    #[test]
    fn draft4_and_draft7_forms_are_read() {
        let d4 = json!({"type": "number", "minimum": 5, "exclusiveMinimum": true, "maximum": 6});
        assert!(!valid_candidates(d4, Draft::Draft4).is_empty());
        let d7 = json!({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "integer"}, "minItems": 2});
        assert!(!valid_candidates(d7, Draft::Draft7).is_empty());
    }

    #[test]
    fn recursion_and_false_schemas_end() {
        let tree = json!({"$defs": {"n": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/n"}}}}}, "$ref": "#/$defs/n"});
        assert!(!valid_candidates(tree, Draft::Draft202012).is_empty());
        assert!(valid_candidates(json!(false), Draft::Draft202012).is_empty());
    }
}

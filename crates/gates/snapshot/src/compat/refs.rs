//! `$ref` resolution within one document, as validators do it: `$id` (also on subschemas
//! inside `$defs`, resolved against the enclosing base), `$anchor` and draft-6/7
//! `"$id": "#name"` anchors, JSON pointers (percent-decoded), `$dynamicRef` to the
//! outermost `$dynamicAnchor` of its name, and `$recursiveRef`.

use jsonschema::Draft;
use serde_json::Value;
use std::collections::BTreeMap;

use super::vocabulary::constrains;
use crate::schema::escape_token;

/// Base URI of a document without `$id`, so relative identifiers still resolve.
const DEFAULT_BASE: &str = "https://safety-gate.invalid/schema.json";

/// The identifiers and anchors of one schema document.
#[derive(Debug)]
pub struct Index<'a> {
    /// The document.
    pub root: &'a Value,
    /// Its draft.
    pub draft: Draft,
    /// Absolute resource URI (no fragment) to the pointer of the resource's root.
    resources: BTreeMap<String, String>,
    /// Pointer of each resource root to its absolute URI.
    bases: BTreeMap<String, String>,
    /// `uri#name` to the pointer of the anchored subschema.
    anchors: BTreeMap<String, String>,
    /// `$dynamicAnchor` names to the pointers declaring them, outermost first.
    dynamic: BTreeMap<String, Vec<String>>,
}

impl<'a> Index<'a> {
    /// Indexes `root`, read under `draft`.
    pub fn new(root: &'a Value, draft: Draft) -> Self {
        let mut index = Index {
            root,
            draft,
            resources: BTreeMap::new(),
            bases: BTreeMap::new(),
            anchors: BTreeMap::new(),
            dynamic: BTreeMap::new(),
        };
        index.walk(root, String::new(), DEFAULT_BASE.to_owned());
        index
    }

    fn walk(&mut self, node: &Value, pointer: String, base: String) {
        match node {
            Value::Object(map) => {
                let id_key = if self.draft == Draft::Draft4 {
                    "id"
                } else {
                    "$id"
                };
                let mut base = base;
                if let Some(id) = map.get(id_key).and_then(Value::as_str) {
                    let joined = join(&base, id);
                    let (uri, fragment) = split_fragment(&joined);
                    if !uri.is_empty() && !id.starts_with('#') {
                        base = uri.to_owned();
                        self.resources.insert(base.clone(), pointer.clone());
                        self.bases.insert(pointer.clone(), base.clone());
                    }
                    if !fragment.is_empty() && !fragment.starts_with('/') {
                        self.anchors
                            .insert(format!("{base}#{fragment}"), pointer.clone());
                    }
                }
                if pointer.is_empty() && !self.bases.contains_key("") {
                    self.resources.insert(base.clone(), String::new());
                    self.bases.insert(String::new(), base.clone());
                }
                for key in ["$anchor", "$dynamicAnchor"] {
                    if let Some(name) = map.get(key).and_then(Value::as_str) {
                        self.anchors
                            .insert(format!("{base}#{name}"), pointer.clone());
                        if key == "$dynamicAnchor" {
                            self.dynamic
                                .entry(name.to_owned())
                                .or_default()
                                .push(pointer.clone());
                        }
                    }
                }
                for (key, value) in map {
                    if matches!(key.as_str(), "enum" | "const" | "default" | "examples") {
                        continue;
                    }
                    let here = format!("{pointer}/{}", escape_token(key));
                    self.walk(value, here, base.clone());
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, format!("{pointer}/{i}"), base.clone());
                }
            }
            _ => {}
        }
    }

    /// The base URI in effect at `pointer`: the nearest enclosing resource's.
    fn base_at(&self, pointer: &str) -> &str {
        let mut prefix = pointer;
        loop {
            if let Some(base) = self.bases.get(prefix) {
                return base;
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return DEFAULT_BASE,
            }
        }
    }

    /// The pointer `reference`, written in the subschema at `from`, names; `None` when it
    /// names nothing in this document.
    pub fn resolve(&self, from: &str, reference: &str) -> Option<String> {
        let joined = join(self.base_at(from), reference);
        let (uri, fragment) = split_fragment(&joined);
        let resource = self.resources.get(uri)?;
        if fragment.is_empty() || fragment.starts_with('/') {
            let pointer = format!("{resource}{}", percent_decode(fragment));
            return self.root.pointer(&pointer).map(|_| pointer);
        }
        self.anchors.get(&format!("{uri}#{fragment}")).cloned()
    }

    /// The target of `$dynamicRef` (2020-12) or `$recursiveRef` (2019-09) at `from`:
    /// within one document the dynamic scope starts at the root, so the outermost anchor
    /// of the name wins when the statically resolved target is itself dynamic.
    pub fn resolve_dynamic(&self, from: &str, reference: &str, recursive: bool) -> Option<String> {
        let target = self.resolve(from, reference)?;
        let node = self.root.pointer(&target)?;
        if recursive {
            let anchored = |v: &Value| v.get("$recursiveAnchor") == Some(&Value::Bool(true));
            return Some(if anchored(node) && anchored(self.root) {
                String::new()
            } else {
                target
            });
        }
        let Some(name) = node.get("$dynamicAnchor").and_then(Value::as_str) else {
            return Some(target);
        };
        let outermost = self.dynamic.get(name).and_then(|all| {
            all.iter()
                .filter(|p| self.bases.contains_key(p.as_str()))
                .min_by_key(|p| p.len())
        });
        Some(outermost.cloned().unwrap_or(target))
    }

    /// Follows the reference keywords of the node at `pointer` (only when the node is
    /// nothing but a reference, or when `draft` ignores keywords beside `$ref`) and
    /// returns the pointer reached, or `None` for a reference that names nothing.
    pub fn follow(&self, pointer: &str) -> Option<String> {
        let mut current = pointer.to_owned();
        for _ in 0..64 {
            let node = self.root.pointer(&current)?;
            let Some((reference, keyword)) = reference_of(node) else {
                return Some(current);
            };
            let alone = node
                .as_object()
                .is_some_and(|m| m.keys().all(|k| k == keyword || !constrains(k, self.draft)));
            if !alone && self.draft >= Draft::Draft201909 {
                return Some(current);
            }
            current = match keyword {
                "$ref" => self.resolve(&current, reference)?,
                "$dynamicRef" => self.resolve_dynamic(&current, reference, false)?,
                _ => self.resolve_dynamic(&current, reference, true)?,
            };
        }
        None
    }
}

/// The reference a node makes, with its keyword.
pub fn reference_of(node: &Value) -> Option<(&str, &'static str)> {
    ["$ref", "$dynamicRef", "$recursiveRef"]
        .into_iter()
        .find_map(|k| node.get(k).and_then(Value::as_str).map(|r| (r, k)))
}

fn split_fragment(uri: &str) -> (&str, &str) {
    uri.split_once('#').unwrap_or((uri, ""))
}

/// Resolves `reference` against `base` (RFC 3986, enough for schema identifiers).
fn join(base: &str, reference: &str) -> String {
    let has_scheme = reference.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let (base_uri, _) = split_fragment(base);
    if has_scheme {
        return reference.to_owned();
    }
    if reference.starts_with('#') {
        return format!("{base_uri}{reference}");
    }
    let scheme_end = base_uri.find("://").map_or(0, |i| i + 3);
    if let Some(rest) = reference.strip_prefix("//") {
        let scheme = &base_uri[..scheme_end.saturating_sub(2)];
        return format!("{scheme}//{rest}");
    }
    if reference.starts_with('/') {
        let authority_end = base_uri[scheme_end..]
            .find('/')
            .map_or(base_uri.len(), |i| scheme_end + i);
        return format!("{}{reference}", &base_uri[..authority_end]);
    }
    let dir = base_uri.rfind('/').map_or("", |i| &base_uri[..=i]);
    normalize_dots(&format!("{dir}{reference}"))
}

fn normalize_dots(uri: &str) -> String {
    let (uri, fragment) = match uri.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (uri, None),
    };
    let scheme_end = uri.find("://").map_or(0, |i| i + 3);
    let (head, path) = uri.split_at(scheme_end);
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {}
            ".." if parts.len() > 1 => {
                parts.pop();
            }
            ".." => {}
            s => parts.push(s),
        }
        if i + 1 == segments.len() && matches!(*segment, "." | "..") {
            parts.push("");
        }
    }
    let joined = format!("{head}{}", parts.join("/"));
    match fragment {
        Some(f) => format!("{joined}#{f}"),
        None => joined,
    }
}

/// Decodes `%XX` escapes in a URI fragment (JSON pointers in `$ref` are URI-encoded).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_anchors_and_nested_ids_resolve() {
        let doc = json!({
            "$id": "https://townlet.ai/s.json",
            "$defs": {
                "a b": {"$anchor": "Pos", "type": "number"},
                "item": {"$id": "item.json", "$defs": {"n": {"type": "integer"}}, "$ref": "#/$defs/n"}
            },
            "properties": {
                "x": {"$ref": "#Pos"},
                "y": {"$ref": "item.json"},
                "z": {"$ref": "#/$defs/a%20b"},
                "w": {"$ref": "https://townlet.ai/item.json#/$defs/n"}
            }
        });
        let index = Index::new(&doc, Draft::Draft202012);
        assert_eq!(
            index.resolve("/properties/x", "#Pos").as_deref(),
            Some("/$defs/a b")
        );
        assert_eq!(
            index.resolve("/properties/y", "item.json").as_deref(),
            Some("/$defs/item")
        );
        assert_eq!(
            index.resolve("/properties/z", "#/$defs/a%20b").as_deref(),
            Some("/$defs/a b")
        );
        // Inside the nested resource, `#` names that resource.
        assert_eq!(
            index.resolve("/$defs/item", "#/$defs/n").as_deref(),
            Some("/$defs/item/$defs/n")
        );
        assert_eq!(
            index.follow("/properties/w").as_deref(),
            Some("/$defs/item/$defs/n")
        );
        assert_eq!(index.resolve("", "#/nowhere"), None);
        assert_eq!(index.resolve("", "other.json"), None);
    }

    #[test]
    fn draft7_plain_name_ids_and_ignored_siblings() {
        let doc = json!({
            "definitions": {"a": {"$id": "#A", "type": "string"}},
            "properties": {"p": {"$ref": "#A", "maxLength": 1}}
        });
        let index = Index::new(&doc, Draft::Draft7);
        assert_eq!(
            index.follow("/properties/p").as_deref(),
            Some("/definitions/a")
        );
        let index = Index::new(&doc, Draft::Draft202012);
        assert_eq!(
            index.follow("/properties/p").as_deref(),
            Some("/properties/p")
        );
    }

    #[test]
    fn dynamic_refs_reach_the_outermost_anchor() {
        let doc = json!({
            "$dynamicAnchor": "node",
            "$defs": {"tree": {"$id": "tree.json", "$dynamicAnchor": "node", "properties": {"kids": {"$dynamicRef": "#node"}}}},
            "$ref": "tree.json"
        });
        let index = Index::new(&doc, Draft::Draft202012);
        assert_eq!(
            index
                .resolve_dynamic("/$defs/tree/properties/kids", "#node", false)
                .as_deref(),
            Some("")
        );
    }

    #[test]
    fn uris_join_like_rfc3986() {
        assert_eq!(join("https://a/b/c.json", "d.json"), "https://a/b/d.json");
        assert_eq!(join("https://a/b/c.json", "../d.json"), "https://a/d.json");
        assert_eq!(join("https://a/b/c.json", "/x"), "https://a/x");
        assert_eq!(join("https://a/b/c.json", "#f"), "https://a/b/c.json#f");
        assert_eq!(join("https://a/b/c.json", "urn:x"), "urn:x");
        assert_eq!(percent_decode("/a%7Eb%25"), "/a~b%");
    }
}

//! Leaf values for candidate documents: numbers at and near each bound and multiple,
//! strings from each `pattern` (with text around an unanchored match) and `format`, cut
//! to the length bounds. Only values the node itself takes are produced.

use serde_json::{Map, Number, Value};

use super::regex_gen::matching;
use super::witness::keyword;

fn number(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return Some(Value::from(x as i64));
    }
    Number::from_f64(x).map(Value::Number)
}

/// Numbers near each bound, multiples, and (unless `integer`) fractions.
pub fn numbers(nodes: &[(&String, &Map<String, Value>)], integer: bool) -> Vec<Value> {
    let mut lo = f64::NEG_INFINITY;
    let mut hi = f64::INFINITY;
    let mut multiples = Vec::new();
    for (_, node) in nodes {
        let f = |k: &str| node.get(k).and_then(Value::as_f64);
        let boolean = |k: &str| node.get(k) == Some(&Value::Bool(true));
        if let Some(m) = f("minimum") {
            lo = lo.max(if boolean("exclusiveMinimum") {
                m + 0.5
            } else {
                m
            });
        }
        if let Some(m) = f("exclusiveMinimum") {
            lo = lo.max(m + 0.5);
        }
        if let Some(m) = f("maximum") {
            hi = hi.min(if boolean("exclusiveMaximum") {
                m - 0.5
            } else {
                m
            });
        }
        if let Some(m) = f("exclusiveMaximum") {
            hi = hi.min(m - 0.5);
        }
        multiples.extend(f("multipleOf").filter(|m| *m > 0.0));
    }
    let mut raw = vec![
        0.0, 1.0, -1.0, 2.0, 10.0, 0.5, 1.5, -0.5, 100.0, -100.0, 3.0,
    ];
    for bound in [lo, hi] {
        if bound.is_finite() {
            raw.extend([
                bound,
                bound.floor(),
                bound.ceil(),
                bound + 1.0,
                bound - 1.0,
                bound + 0.25,
                bound - 0.25,
            ]);
        }
    }
    if lo.is_finite() && hi.is_finite() {
        raw.push((lo + hi) / 2.0);
    }
    for m in &multiples {
        let start = if lo.is_finite() { (lo / m).ceil() } else { 0.0 };
        raw.extend([start * m, (start + 1.0) * m, m / 2.0, m + 1.0, *m * 3.0]);
        if hi.is_finite() {
            raw.push((hi / m).floor() * m);
        }
    }
    let mut out: Vec<Value> = Vec::new();
    for x in raw {
        if integer && x.fract() != 0.0 {
            continue;
        }
        // Only values the node itself takes: the example must be valid on one side.
        if x < lo || x > hi {
            continue;
        }
        if let Some(v) = number(x).filter(|v| !out.contains(v)) {
            out.push(v);
        }
    }
    out
}

/// Strings from the patterns and formats, padded or cut to the length bounds.
pub fn strings(nodes: &[(&String, &Map<String, Value>)]) -> Vec<Value> {
    let get = |k: &str| keyword(nodes, k).into_iter().map(|(_, v)| v);
    let min = get("minLength")
        .filter_map(Value::as_u64)
        .max()
        .unwrap_or(0);
    let max = get("maxLength").filter_map(Value::as_u64).min();
    let min = usize::try_from(min).unwrap_or(usize::MAX).min(256);
    let mut raw: Vec<String> = Vec::new();
    for pattern in get("pattern").filter_map(Value::as_str) {
        for s in matching(pattern, 4) {
            // An unanchored pattern matches anywhere: text around the match still matches.
            if !pattern.starts_with('^') {
                raw.push(format!("x{s}"));
            }
            if !pattern.ends_with('$') {
                raw.push(format!("{s}x"));
            }
            raw.push(s);
        }
    }
    for format in get("format").filter_map(Value::as_str) {
        raw.extend(format_samples(format).iter().map(|s| (*s).to_owned()));
    }
    raw.extend(["x", "", "hello", "aaaa"].map(String::from));
    raw.push("a".repeat(min));
    let max = max.and_then(|m| usize::try_from(m).ok());
    if let Some(m) = max.filter(|m| *m <= 256) {
        raw.push("a".repeat(m));
    }
    let mut out: Vec<Value> = Vec::new();
    for mut s in raw {
        while s.chars().count() < min {
            s.push('a');
        }
        // Only strings the node itself takes: the example must be valid on one side.
        if max.is_some_and(|m| s.chars().count() > m) {
            continue;
        }
        let v = Value::String(s);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Sample values of common formats, valid first.
fn format_samples(format: &str) -> &'static [&'static str] {
    match format {
        "date" => &["2024-02-29", "2024-01-01T00:00:00Z"],
        "date-time" => &["2024-01-01T00:00:00Z", "2024-02-29"],
        "time" => &["12:00:00Z"],
        "duration" => &["P1D"],
        "email" | "idn-email" => &["a@example.com"],
        "hostname" | "idn-hostname" => &["example.com"],
        "ipv4" => &["192.0.2.1", "::1"],
        "ipv6" => &["::1", "192.0.2.1"],
        "uri" | "iri" => &["https://example.com/a", "a/b"],
        "uri-reference" | "iri-reference" => &["a/b"],
        "uuid" => &["123e4567-e89b-42d3-a456-426614174000"],
        "json-pointer" => &["/a/0"],
        "relative-json-pointer" => &["0/a"],
        "regex" => &["^a+$"],
        _ => &[],
    }
}

//! Where a value sits in JSON text, by its path (`runs[0].results[3]`): errors found
//! after parsing (a result without a rule) still name the line and column.

use std::fmt;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// An object member.
    Key(&'a str),
    /// An array element.
    Index(usize),
}

/// A path into a JSON document, shown as `runs[0].results[3]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath<'a>(pub Vec<Step<'a>>);

impl<'a> JsonPath<'a> {
    /// The path one step further.
    pub fn with(&self, step: Step<'a>) -> JsonPath<'a> {
        let mut steps = self.0.clone();
        steps.push(step);
        JsonPath(steps)
    }

    /// 1-based line and column of the value at this path in `text`, which must be
    /// valid JSON; `None` when the path is not there.
    pub fn locate(&self, text: &str) -> Option<(u64, u64)> {
        let bytes = text.as_bytes();
        let mut at = skip_ws(bytes, 0);
        for step in &self.0 {
            at = match (*step, bytes.get(at)?) {
                (Step::Key(key), b'{') => member(text, at, key)?,
                (Step::Index(index), b'[') => element(bytes, at, index)?,
                _ => return None,
            };
        }
        Some(safety_gate_core::inputs::line_column(bytes, at))
    }
}

impl fmt::Display for JsonPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(key) if i == 0 => write!(f, "{key}")?,
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The offset just past the string starting at `at` (a `"`).
fn skip_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match bytes.get(at)? {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
}

/// The offset just past the value starting at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

/// The offset of the value of member `key` in the object at `at`.
fn member(text: &str, at: usize, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, at + 1);
    while bytes.get(i)? == &b'"' {
        let end = skip_string(bytes, i)?;
        let name: String = serde_json::from_str(&text[i..end]).ok()?;
        let colon = skip_ws(bytes, end);
        let value = skip_ws(bytes, colon + 1);
        if name == key {
            return Some(value);
        }
        let after = skip_ws(bytes, skip_value(bytes, value)?);
        if bytes.get(after)? != &b',' {
            return None;
        }
        i = skip_ws(bytes, after + 1);
    }
    None
}

/// The offset of element `index` of the array at `at`.
fn element(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
    let mut i = skip_ws(bytes, at + 1);
    if bytes.get(i)? == &b']' {
        return None;
    }
    for _ in 0..index {
        let after = skip_ws(bytes, skip_value(bytes, i)?);
        if bytes.get(after)? != &b',' {
            return None;
        }
        i = skip_ws(bytes, after + 1);
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\"a\": \"x,]}\\\"\", \"results\": [1, {\"b\": [2]}]},\n    {\"results\": [\n      {\"ru\\u006ce\": 3}\n    ]}\n  ]\n}";

    fn path(steps: &[Step<'static>]) -> JsonPath<'static> {
        JsonPath(steps.to_vec())
    }

    #[test]
    fn finds_values_past_strings_and_nesting() {
        use Step::{Index, Key};
        assert_eq!(path(&[Key("version")]).locate(TEXT), Some((2, 14)));
        assert_eq!(path(&[Key("runs"), Index(0)]).locate(TEXT), Some((4, 5)));
        let second = path(&[Key("runs"), Index(0), Key("results"), Index(1)]);
        assert_eq!(second.locate(TEXT), Some((4, 36)));
        let escaped = path(&[Key("runs"), Index(1), Key("results"), Index(0), Key("rule")]);
        assert_eq!(escaped.locate(TEXT), Some((6, 21)));
        assert_eq!(escaped.to_string(), "runs[1].results[0].rule");
    }

    #[test]
    fn absent_paths_are_none() {
        use Step::{Index, Key};
        assert_eq!(path(&[Key("nope")]).locate(TEXT), None);
        assert_eq!(path(&[Key("runs"), Index(2)]).locate(TEXT), None);
        assert_eq!(path(&[Key("version"), Index(0)]).locate(TEXT), None);
        assert_eq!(path(&[Index(0)]).locate("[]"), None);
        assert_eq!(path(&[Key("a")]).locate("{\"a\"  :  [ ] }"), Some((1, 10)));
    }
}

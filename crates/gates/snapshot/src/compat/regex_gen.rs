//! Strings that match a `pattern`, built from its syntax tree, so a changed pattern or a
//! `patternProperties` name can be shown with a real example. Patterns the parser does
//! not take (look-around, back-references) give no strings; the comparison then says no
//! example could be built.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Longest string built; longer repetitions are cut to their minimum.
const MAX_LEN: usize = 64;

/// Up to `count` distinct strings matching `pattern`, the shortest first.
pub fn matching(pattern: &str, count: usize) -> Vec<String> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(true)
        .build()
        .parse(pattern)
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for seed in 0..count * 3 {
        let mut text = String::new();
        if build(&hir, seed, &mut text) && text.len() <= MAX_LEN && !out.contains(&text) {
            out.push(text);
        }
        if out.len() >= count {
            break;
        }
    }
    out
}

/// Appends one match of `hir` to `out`; `seed` picks among alternatives, classes and
/// repetition counts. Returns false when the tree cannot be matched by a string.
fn build(hir: &Hir, seed: usize, out: &mut String) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(class) => match pick(class, seed) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        },
        HirKind::Repetition(rep) => {
            let extra = u32::try_from(seed % 3).unwrap_or(0);
            let times = match rep.max {
                Some(max) => rep.min.saturating_add(extra).min(max),
                None => rep.min.saturating_add(extra),
            };
            let times = usize::try_from(times).unwrap_or(MAX_LEN).min(MAX_LEN);
            (0..times).all(|i| build(&rep.sub, seed / 3 + i, out))
        }
        HirKind::Capture(cap) => build(&cap.sub, seed, out),
        HirKind::Concat(parts) => parts.iter().all(|p| build(p, seed, out)),
        HirKind::Alternation(branches) => {
            let n = branches.len().max(1);
            build(&branches[seed % n], seed / n, out)
        }
    }
}

/// A character of `class`: readable ASCII letters and digits first.
fn pick(class: &Class, seed: usize) -> Option<char> {
    let chars: Vec<char> = match class {
        Class::Unicode(u) => u
            .ranges()
            .iter()
            .flat_map(|r| {
                let start = r.start();
                let second = char::from_u32(u32::from(start) + 1).filter(|c| *c <= r.end());
                std::iter::once(start).chain(second)
            })
            .collect(),
        Class::Bytes(b) => b
            .ranges()
            .iter()
            .filter(|r| r.start().is_ascii())
            .map(|r| char::from(r.start()))
            .collect(),
    };
    let mut readable: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if readable.is_empty() {
        readable = chars.into_iter().filter(|c| !c.is_control()).collect();
    }
    if readable.is_empty() {
        return None;
    }
    Some(readable[seed % readable.len()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn generated_strings_match_their_pattern() {
        for pattern in [
            "^[a-z]{3,5}$",
            "^(red|green|blue)$",
            "uuid",
            r"^\d{4}-\d{2}-\d{2}$",
            "^S_",
            "^[A-Z][a-z]*( [A-Z][a-z]*)*$",
            "^x?y+$",
        ] {
            let found = matching(pattern, 4);
            assert!(!found.is_empty(), "{pattern}");
            let re = Regex::new(pattern).expect("valid");
            for s in &found {
                assert!(re.is_match(s), "{pattern} -> {s:?}");
            }
        }
        assert!(matching("^(red|green|blue)$", 3).len() >= 2);
    }

    #[test]
    fn unsupported_syntax_gives_nothing() {
        assert!(matching("^(?=a)b", 3).is_empty());
        assert!(matching("(a)\\1", 3).is_empty());
        assert!(matching("[^\\s\\S]", 3).is_empty());
    }
}

//! Text bound for a terminal or a plain log, where a name from an input must stay one
//! line of characters that are shown: a test name holding `\r`, a newline or an escape
//! sequence could otherwise move the cursor, recolour or erase the report's own lines
//! (`FAIL` rewritten as `PASS`), or start a line that looks like the verdict.

use std::borrow::Cow;

/// `text` with every character a terminal acts on instead of showing escaped the way
/// Rust escapes it (`\n`, `\r`, `\t`, `\u{1b}`): control characters (C0, DEL, C1) and
/// the bidirectional controls that reorder what follows them. Other text is returned
/// as it is.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_terminal(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether a terminal would act on `c` rather than show it.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn controls_are_shown_escaped_and_names_left_alone() {
        assert_eq!(one_line("test_ok[π-1]"), "test_ok[π-1]");
        assert!(matches!(one_line("plain"), Cow::Borrowed(_)));
        assert_eq!(
            one_line("x\r\x1b[2Kverdict: PASS\n"),
            "x\\r\\u{1b}[2Kverdict: PASS\\n"
        );
        assert_eq!(one_line("a\tb\u{202E}c\u{85}"), "a\\tb\\u{202e}c\\u{85}");
    }

    proptest! {
        #[test]
        fn nothing_a_terminal_acts_on_is_left(text in any::<String>()) {
            let shown = one_line(&text);
            prop_assert!(!shown.chars().any(acts_on_terminal), "{shown:?}");
            if !text.chars().any(acts_on_terminal) {
                prop_assert_eq!(shown.as_ref(), text.as_str());
            }
        }
    }
}

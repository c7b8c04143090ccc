//! Text bound for GitHub, escaped in one place. Names from inputs (benchmark ids, test
//! names, messages, file paths, units, gate names) reach GitHub only through these
//! functions, one per place GitHub reads:
//!
//! - [`data`] and [`property`]: workflow commands (`::error title=...::message`), by
//!   GitHub's own rules, so no input ends a command or starts another;
//! - [`log`]: any other text in the runner's log (stdout and stderr under GitHub). The
//!   runner reads every line (ended by `\n`, `\r` or `\r\n`) that starts with `::` after
//!   leading whitespace, or holds `##[` anywhere, as a command: a `\r` is shown as `\r`,
//!   and such a line gets a zero-width space that keeps it text (`:\u{200B}:`,
//!   `#\u{200B}#[`);
//! - [`markdown`], [`code_span`], [`cell_code_span`] and [`fenced`]: the step summary and the pull-request
//!   comment, where a name must stay text: no table cell ended, no link, image, HTML
//!   or emphasis started, no code fence closed;
//! - [`step_output`]: a `$GITHUB_OUTPUT` entry, in the heredoc form with a delimiter the
//!   value does not hold when the value has a line break.

use std::fmt::Write;

/// Escapes a workflow command's data (the message): GitHub's `escapeData`.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (title, file): GitHub's
/// `escapeProperty`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Marks text for the runner's log so that no line of it is read as a workflow
/// command: every `\r` not followed by `\n` is shown as `\r` (the runner and a
/// terminal both take it for a line break), a line that starts with `::` after leading
/// whitespace gets a zero-width space between the colons, and every `##[` one between
/// the hashes. Lines that are not commands are left as they are.
pub fn log(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\\r");
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.replace("##[", "#\u{200B}#[");
        // Whitespace as the runner trims it, and the invisible characters some
        // viewers drop, so nothing in front can hide a command.
        let body = line.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}')
        });
        if body.starts_with("::") {
            let indent = &line[..line.len() - body.len()];
            let _ = write!(out, "{indent}:\u{200B}{}", &body[1..]);
        } else {
            out.push_str(&line);
        }
    }
    out
}

/// Inline Markdown that shows `text` as it is, on one line: line breaks become spaces;
/// the characters that open emphasis, code, links, images, math or a table cell
/// boundary (`\` `` ` `` `*` `_` `~` `[` `]` `|` `$`) are escaped with a backslash; `<`,
/// `>` and `&` become entities, so no HTML starts; and an `@` is followed by a
/// zero-width space, so a name never mentions (and notifies) a GitHub user or team.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{200B}"),
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '|' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown code span showing `text` literally on one line, outside a table: the
/// backtick run that delimits it is longer than any inside, padded with spaces when the
/// text starts or ends with a backtick (CommonMark's rule).
pub fn code_span(text: &str) -> String {
    let text = one_line(text);
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A code span (see [`code_span`]) inside a table cell: GitHub splits a row at every
/// `|` that is not escaped, even inside code, and drops the backslash of `\|` before
/// it reads the cell, so each pipe is escaped and the span shows it as it is.
pub fn cell_code_span(text: &str) -> String {
    code_span(text).replace('|', "\\|")
}

/// A fenced code block of `lines`, indented by `indent`, with a fence longer than any
/// backtick run inside, so no line closes it; each line is kept on one line.
pub fn fenced(indent: &str, info: &str, lines: &[String]) -> String {
    let lines: Vec<String> = lines.iter().map(|l| one_line(l)).collect();
    let longest = lines.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{indent}{fence}{info}\n");
    for line in &lines {
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = writeln!(out, "{indent}{fence}");
    out
}

/// One `$GITHUB_OUTPUT` entry: `name=value`, or, when the value holds a line break, the
/// `name<<DELIMITER` form with a delimiter (grown from `delimiter`) that the value does
/// not contain, so no line of the value ends it.
pub fn step_output(name: &str, value: &str, delimiter: &str) -> String {
    if value.contains(['\n', '\r']) {
        let mut delim = delimiter.to_string();
        while value.contains(&delim) {
            delim.push('_');
        }
        format!("{name}<<{delim}\n{value}\n{delim}\n")
    } else {
        format!("{name}={value}\n")
    }
}

/// An item of a comma-separated step output (`failed-gates`): `%` and `,` escaped as
/// in a workflow command property, so a name holding a comma stays one item.
pub fn list_item(text: &str) -> String {
    text.replace('%', "%25").replace(',', "%2C")
}

/// `text` with every line break (`\r\n`, `\r`, `\n`, and the Unicode line and paragraph
/// separators) made a space.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ")
        .replace(['\r', '\n', '\u{2028}', '\u{2029}', '\u{85}'], " ")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_escaped_as_githubs_toolkit_does() {
        assert_eq!(data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn log_lines_never_start_a_command() {
        assert_eq!(
            log("ok\n::stop-commands::x"),
            "ok\n:\u{200B}:stop-commands::x"
        );
        assert_eq!(log("  \t::error::x"), "  \t:\u{200B}:error::x");
        assert_eq!(log("a ##[error]b"), "a #\u{200B}#[error]b");
        assert_eq!(log("a\r::warning::b"), "a\\r::warning::b");
        assert_eq!(log("a\r\n::x::"), "a\n:\u{200B}:x::");
        assert_eq!(log("plain: text, 5%"), "plain: text, 5%");
    }

    #[test]
    fn markdown_keeps_names_as_text() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(markdown("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(markdown("@org/team *b*"), "@\u{200B}org/team \\*b\\*");
        assert_eq!(markdown("a\nb"), "a b");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
        assert_eq!(cell_code_span("a|b\\|c"), "`a\\|b\\\\|c`");
        let block = fenced("  ", "text", &["```".into(), "x".into()]);
        assert_eq!(block, "  ````text\n  ```\n  x\n  ````\n");
    }

    #[test]
    fn step_outputs_keep_their_values_whole() {
        assert_eq!(step_output("v", "pass", "EOF"), "v=pass\n");
        assert_eq!(step_output("v", "a\nEOF", "EOF"), "v<<EOF_\na\nEOF\nEOF_\n");
        assert_eq!(list_item("a,b%"), "a%2Cb%25");
    }
}

//! Well-formedness rules of XML 1.0 that quick-xml leaves to its caller: names,
//! attribute lists (separation, `<` and bare `&` in values, references), character
//! references to characters XML forbids, `]]>` in text, comments, processing
//! instructions named `xml`, the declaration's version and encoding.
//!
//! A JUnit report that breaks any of these is not XML, and a reader that guessed
//! its meaning could judge a different document than the producer wrote.

/// Refuses the control characters XML 1.0 forbids (all below U+0020 except tab,
/// newline and carriage return), which quick-xml passes through; with `ascii_only`
/// (a declared encoding other than UTF-8) also any byte above 0x7F.
pub(super) fn check_bytes(raw: &[u8], ascii_only: bool) -> Result<(), String> {
    let bad = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || (ascii_only && b > 0x7F);
    match raw.iter().find(|b| bad(**b)) {
        Some(b) if *b > 0x7F => Err(format!(
            "byte 0x{b:02X} is not ASCII, and the declared encoding is not UTF-8 (only UTF-8, or the ASCII subset of another encoding, is read)"
        )),
        Some(b) => Err(format!(
            "control character U+{b:04X} is not allowed in XML 1.0"
        )),
        None => Ok(()),
    }
}

/// A character reference must name a character XML 1.0 allows.
pub(super) fn check_char(c: char) -> Result<(), String> {
    let ok = matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}';
    if ok {
        Ok(())
    } else {
        Err(format!(
            "character reference to U+{:04X}, which XML 1.0 does not allow",
            u32::from(c)
        ))
    }
}

/// An element, attribute or processing-instruction name must be an XML `Name`.
pub(super) fn check_name(raw: &[u8]) -> Result<(), String> {
    if raw.is_empty() {
        return Err("a `<` that starts no name (write `&lt;` in text)".into());
    }
    let text = std::str::from_utf8(raw).map_err(|_| "a name is not valid UTF-8".to_string())?;
    let mut chars = text.chars();
    let valid = match chars.next() {
        Some(first) => name_start(first) && chars.all(name_char),
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!("`{text}` is not a valid XML name"))
    }
}

fn name_start(c: char) -> bool {
    matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn name_char(c: char) -> bool {
    name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Checks the attribute list of a start tag (the bytes after the element name):
/// whitespace before each attribute, `name = "value"` with matching quotes, and
/// values without `<` whose `&` each start a reference to a predefined entity or
/// to an allowed character.
pub(super) fn check_attributes(raw: &[u8]) -> Result<(), String> {
    let mut i = 0;
    loop {
        let before = i;
        while i < raw.len() && is_space(raw[i]) {
            i += 1;
        }
        if i == raw.len() {
            return Ok(());
        }
        if i == before {
            return Err("attributes must be separated by whitespace".into());
        }
        let start = i;
        while i < raw.len() && !is_space(raw[i]) && raw[i] != b'=' {
            i += 1;
        }
        check_name(&raw[start..i])?;
        let name = String::from_utf8_lossy(&raw[start..i]).into_owned();
        while i < raw.len() && is_space(raw[i]) {
            i += 1;
        }
        if raw.get(i) != Some(&b'=') {
            return Err(format!("attribute `{name}` has no value"));
        }
        i += 1;
        while i < raw.len() && is_space(raw[i]) {
            i += 1;
        }
        let quote = match raw.get(i) {
            Some(q @ (b'"' | b'\'')) => *q,
            _ => return Err(format!("the value of attribute `{name}` is not quoted")),
        };
        i += 1;
        let Some(len) = raw[i..].iter().position(|b| *b == quote) else {
            return Err(format!("the value of attribute `{name}` is not closed"));
        };
        check_value(&raw[i..i + len]).map_err(|e| format!("attribute `{name}`: {e}"))?;
        i += len + 1;
    }
}

/// An attribute value: no `<`, and every `&` starts a complete reference.
fn check_value(value: &[u8]) -> Result<(), String> {
    if value.contains(&b'<') {
        return Err("a literal `<` is not allowed in an attribute value (write `&lt;`)".into());
    }
    let mut rest = value;
    while let Some(at) = rest.iter().position(|b| *b == b'&') {
        let after = &rest[at + 1..];
        let Some(end) = after.iter().position(|b| *b == b';') else {
            return Err("a bare `&` is not allowed (write `&amp;`)".into());
        };
        check_reference(&after[..end])?;
        rest = &after[end + 1..];
    }
    Ok(())
}

/// The text between `&` and `;`: a predefined entity or a character reference.
fn check_reference(name: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(name);
    if let Some(number) = text.strip_prefix('#') {
        let code = match number.strip_prefix('x') {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                number.parse().ok()
            }
            _ => None,
        };
        let c = code
            .and_then(char::from_u32)
            .ok_or_else(|| format!("`&{text};` is not a valid character reference"))?;
        return check_char(c);
    }
    match text.as_ref() {
        "lt" | "gt" | "amp" | "apos" | "quot" => Ok(()),
        _ => Err(format!("undefined entity `&{text};`")),
    }
}

/// Character data may not hold `]]>` (it ends a CDATA section only).
pub(super) fn check_text(raw: &[u8]) -> Result<(), String> {
    if raw.windows(3).any(|w| w == b"]]>") {
        return Err("`]]>` is not allowed in text outside a CDATA section".into());
    }
    Ok(())
}

/// A comment may not end in `-` (`--->`); quick-xml checks `--` inside it.
pub(super) fn check_comment(raw: &[u8]) -> Result<(), String> {
    if raw.last() == Some(&b'-') {
        return Err("a comment may not end with `--->`".into());
    }
    Ok(())
}

/// A processing instruction's target is a name, and not `xml` in any case (that is
/// the declaration, which may only open the document).
pub(super) fn check_pi(raw: &[u8]) -> Result<(), String> {
    let end = raw.iter().position(|b| is_space(*b)).unwrap_or(raw.len());
    let target = &raw[..end];
    if target.eq_ignore_ascii_case(b"xml") {
        return Err("an XML declaration may only appear at the very start of the file".into());
    }
    check_name(target)
}

/// Checks a declaration's `version` (1.x) and `encoding`, and says whether the
/// encoding is one whose bytes are read as ASCII only (anything but UTF-8).
pub(super) fn check_declaration(
    version: Option<&[u8]>,
    encoding: Option<&[u8]>,
) -> Result<bool, String> {
    let version = version.ok_or("the XML declaration has no version")?;
    let ok = version.len() > 2
        && version.starts_with(b"1.")
        && version[2..].iter().all(u8::is_ascii_digit);
    if !ok {
        return Err(format!(
            "XML version `{}` is not 1.x",
            String::from_utf8_lossy(version)
        ));
    }
    let Some(encoding) = encoding else {
        return Ok(false);
    };
    let name = String::from_utf8_lossy(encoding).to_ascii_lowercase();
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !valid {
        return Err(format!("`{name}` is not an encoding name"));
    }
    match name.as_str() {
        "utf-8" | "utf8" => Ok(false),
        n if n.starts_with("utf-16")
            || n.starts_with("utf-32")
            || n.starts_with("ucs")
            || n.contains("ebcdic") =>
        {
            Err(format!(
                "the file declares encoding `{name}`, but it is read as UTF-8; re-encode it as UTF-8"
            ))
        }
        _ => Ok(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_xml_production() {
        for good in ["testcase", "a:b", "_x", "é-1.2", "x\u{B7}"] {
            assert!(check_name(good.as_bytes()).is_ok(), "{good}");
        }
        for bad in ["", "1bad", "-x", ".x", "a b", "a<b"] {
            assert!(check_name(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn attribute_lists_are_checked_whole() {
        let ok = [
            r#" name="a" classname='b'"#,
            "\n\tname = \"a&lt;&#65;&#x42;&amp;\"",
            "",
            "  ",
        ];
        for raw in ok {
            assert!(check_attributes(raw.as_bytes()).is_ok(), "{raw}");
        }
        let bad = [
            (r#" name="x<y""#, "literal `<`"),
            (r#" a="1"b="2""#, "separated by whitespace"),
            (r#" t="a&b""#, "bare `&`"),
            (r#" t="&nbsp;""#, "undefined entity"),
            (r#" t="&#0;""#, "does not allow"),
            (r#" t="&#1;""#, "does not allow"),
            (r#" t="&#xD800;""#, "not a valid character reference"),
            (r#" t="&#x;""#, "not a valid character reference"),
            (" flag", "has no value"),
            (" a=b", "not quoted"),
            (r#" a="b"#, "not closed"),
            (r#" 1a="b""#, "not a valid XML name"),
        ];
        for (raw, want) in bad {
            let err = check_attributes(raw.as_bytes()).expect_err(raw);
            assert!(err.contains(want), "{raw}: {err}");
        }
    }

    #[test]
    fn text_comments_pis_and_declarations() {
        assert!(check_text(b"a > b").is_ok());
        assert!(check_text(b"a ]]> b").is_err());
        assert!(check_comment(b" ok ").is_ok());
        assert!(check_comment(b" bad -").is_err());
        assert!(check_pi(b"xml-stylesheet href='a'").is_ok());
        assert!(check_pi(b"XML version='1.0'").is_err());
        assert!(check_pi(b"1x").is_err());
        assert_eq!(check_declaration(Some(b"1.0"), None), Ok(false));
        assert_eq!(check_declaration(Some(b"1.0"), Some(b"UTF-8")), Ok(false));
        assert_eq!(
            check_declaration(Some(b"1.0"), Some(b"ISO-8859-1")),
            Ok(true)
        );
        assert!(check_declaration(None, None).is_err());
        assert!(check_declaration(Some(b"9"), None).is_err());
        assert!(check_declaration(Some(b"1.0"), Some(b"UTF-16")).is_err());
        assert!(check_declaration(Some(b"1.0"), Some(b"8bit")).is_err());
        assert!(check_char('\u{1}').is_err() && check_char('\u{FFFE}').is_err());
        assert!(check_char('a').is_ok() && check_char('\u{10FFFF}').is_ok());
        assert!(check_bytes(b"ok\t\n", false).is_ok());
        assert!(check_bytes(b"\x01", false).is_err());
        assert!(check_bytes("é".as_bytes(), false).is_ok());
        assert!(check_bytes("é".as_bytes(), true).is_err());
    }
}

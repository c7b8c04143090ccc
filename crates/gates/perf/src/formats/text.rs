//! Helpers for text formats: numbers as tools print them (`1,431,759`, `18,794.12`),
//! and values followed by a unit.

/// A number as benchmark tools print it: digits with optional `,` thousands separators
/// (groups of exactly three), an optional fraction and exponent. `1,5` is refused: it
/// may be a decimal comma or two numbers.
pub(super) fn number(token: &str) -> Option<f64> {
    let (sign, unsigned) = match token.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", token.strip_prefix('+').unwrap_or(token)),
    };
    let int_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(unsigned.len());
    let (int, rest) = unsigned.split_at(int_end);
    if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let (fraction, exponent) = rest.split_at(rest.find(['e', 'E']).unwrap_or(rest.len()));
    let fraction_ok = fraction.is_empty()
        || fraction.starts_with('.') && fraction[1..].chars().all(|c| c.is_ascii_digit());
    let digits = int.len() + fraction.len().saturating_sub(1);
    if !fraction_ok || digits == 0 {
        return None;
    }
    if !exponent.is_empty() {
        let power = exponent[1..]
            .strip_prefix(['-', '+'])
            .unwrap_or(&exponent[1..]);
        if power.is_empty() || !power.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let plain: String = int.chars().filter(|c| *c != ',').collect();
    format!("{sign}{plain}{fraction}{exponent}")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A value glued to its unit (`15.041ms`, `1.2µs`): the number and the unit.
pub(super) fn glued(token: &str) -> Option<(f64, &str)> {
    let split = token
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+')))
        .map(|(i, _)| i)?;
    let (value, unit) = token.split_at(split);
    Some((number(value)?, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_tools_print_them() {
        assert_eq!(number("1,431,759"), Some(1_431_759.0));
        assert_eq!(number("18,794.12"), Some(18_794.12));
        assert_eq!(number("148.70"), Some(148.7));
        assert_eq!(number("2.1e+02"), Some(210.0));
        assert_eq!(number("-0"), Some(0.0));
        assert_eq!(number(".5"), Some(0.5));
        for bad in [
            "1,5", "1,50", "12,3456", ",123", "1.2.3", "abc", "", "-", "NaN", "inf", "1e999",
            "1.5,2",
        ] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }

    #[test]
    fn glued_units() {
        assert_eq!(glued("15.041ms"), Some((15.041, "ms")));
        assert_eq!(glued("1.2µs"), Some((1.2, "µs")));
        assert_eq!(glued("12"), None);
    }
}

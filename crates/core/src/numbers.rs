//! Numbers as checks and reports show them.

/// A value with enough digits to see a change, without float noise: `1.25`,
/// `1.367107`, `3`.
pub fn number(v: f64) -> String {
    let text = format!("{v:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

/// A fraction as a percentage with two decimals, signed when `signed`: `+8.00%`.
pub fn percent(fraction: f64, signed: bool) -> String {
    if signed {
        format!("{:+.2}%", fraction * 100.0)
    } else {
        format!("{:.2}%", fraction * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_float_noise() {
        assert_eq!(number(1.25), "1.25");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(1.367_107_2), "1.367107");
        assert_eq!(percent(0.08, true), "+8.00%");
        assert_eq!(percent(0.05, false), "5.00%");
    }
}

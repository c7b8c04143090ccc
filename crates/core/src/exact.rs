//! JSON numbers by their exact decimal value, never through a double.
//!
//! A double cannot tell `9007199254740993` from `9007199254740992.0`, nor
//! `18446744073709551616` from `18446744073709551617`. A [`Decimal`] is the number's
//! text normalised (sign, significant digits, power of ten), so two numbers are equal
//! exactly when their values are: `1000`, `1000.0` and `1e3` are one value, and
//! `9007199254740993` is not `9007199254740992.0`. Tolerances are checked exactly too,
//! with big integers, so `abs:0.5` does not accept a difference of 1 that a double
//! would round away.

use num_bigint::BigInt;
use serde_json::Number;
use std::fmt;

/// Largest power-of-ten spread (digits plus exponent gap) a tolerance check works
/// with; beyond it the numbers are too far apart in scale to be within any tolerance
/// a double can state, and the check says "not within" rather than build a huge integer.
const MAX_SPREAD: i64 = 4_000;

/// Largest exponent magnitude read; JSON allows any, but no double comes near.
const MAX_EXPONENT: i64 = 1 << 40;

/// An exact decimal number: `(-1)^negative × digits × 10^exponent`, with no leading
/// or trailing zero in `digits` (zero has no digits and is never negative).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal {
    negative: bool,
    digits: String,
    exponent: i64,
}

impl Decimal {
    /// Reads a number in JSON syntax (`-12.50e+3`); `None` for anything else or an
    /// exponent beyond ±2^40.
    pub fn parse(text: &str) -> Option<Self> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, "0"),
        };
        let exponent_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if exponent_digits.is_empty() || !exponent_digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let exponent: i64 = exponent
            .parse()
            .ok()
            .filter(|e: &i64| e.abs() <= MAX_EXPONENT)?;
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (mantissa.contains('.') && frac.is_empty())
        {
            return None;
        }
        let all = format!("{int}{frac}");
        let significant = all.trim_start_matches('0');
        let digits = significant.trim_end_matches('0');
        let trailing = (significant.len() - digits.len()) as i64;
        if digits.is_empty() {
            return Some(Decimal::zero());
        }
        Some(Decimal {
            negative,
            digits: digits.to_string(),
            exponent: exponent - frac.len() as i64 + trailing,
        })
    }

    /// The exact value of a parsed JSON number (its text, with `arbitrary_precision`).
    /// A number whose text this type cannot hold (never one read by
    /// [`crate::strict_json`]) is taken through its double.
    pub fn of(number: &Number) -> Self {
        Decimal::parse(&number.to_string())
            .or_else(|| number.as_f64().and_then(Decimal::from_f64))
            .unwrap_or_else(Decimal::zero)
    }

    /// The exact value of the shortest decimal that reads back as `x` (what a person
    /// who typed `1e-9` meant); `None` for NaN and infinities.
    pub fn from_f64(x: f64) -> Option<Self> {
        x.is_finite()
            .then(|| Decimal::parse(&format!("{x:e}")))
            .flatten()
    }

    fn zero() -> Self {
        Decimal {
            negative: false,
            digits: String::new(),
            exponent: 0,
        }
    }

    /// The nearest double.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The absolute value.
    pub fn abs(&self) -> Self {
        Decimal {
            negative: false,
            ..self.clone()
        }
    }

    /// Whether `|self - other| <= bound × scale`, computed exactly (`scale` is 1 when
    /// absent). Numbers too far apart in scale to compute (a spread of over 4,000
    /// digits) are not within the bound.
    pub fn within(&self, other: &Decimal, bound: &Decimal, scale: Option<&Decimal>) -> bool {
        let one = Decimal::parse("1").unwrap_or_else(Decimal::zero);
        let scale = scale.unwrap_or(&one);
        let bound_exponent = bound.exponent + scale.exponent;
        let bound_digits = bound.digits.len() + scale.digits.len();
        let parts = [
            (self.exponent, self.digits.len()),
            (other.exponent, other.digits.len()),
            (bound_exponent, bound_digits),
        ];
        let base = parts.iter().map(|p| p.0).min().unwrap_or(0);
        let spread = parts
            .iter()
            .map(|(e, d)| e - base + *d as i64)
            .max()
            .unwrap_or(0);
        if spread > MAX_SPREAD {
            return false;
        }
        let gap = (self.scaled(base) - other.scaled(base)).magnitude().clone();
        let limit = bound.scaled(base - scale.exponent) * scale.integer();
        BigInt::from(gap) <= limit
    }

    /// `digits × 10^(exponent - base)` with the sign, for `base <= exponent`.
    fn scaled(&self, base: i64) -> BigInt {
        let shift = u32::try_from(self.exponent - base).unwrap_or(0);
        self.integer() * BigInt::from(10u8).pow(shift)
    }

    /// The signed digits as an integer.
    fn integer(&self) -> BigInt {
        let magnitude: BigInt = self.digits.parse().unwrap_or_default();
        if self.negative { -magnitude } else { magnitude }
    }
}

impl fmt::Display for Decimal {
    /// The number in ECMAScript `Number.prototype.toString` layout (RFC 8785), applied
    /// to the exact digits: `4.5`, `0.002`, `1e+30`, `1e-27`, `100`. For a number
    /// whose digits are the shortest that read back as its double (what serializers
    /// write), this is exactly RFC 8785's text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let digits = self.digits.as_str();
        let k = digits.len() as i64;
        // The value is 0.DIGITS × 10^n.
        let n = self.exponent + k;
        if k <= n && n <= 21 {
            f.write_str(digits)?;
            (k..n).try_for_each(|_| f.write_str("0"))
        } else if 0 < n && n <= 21 {
            let (int, frac) = digits.split_at(n as usize);
            write!(f, "{int}.{frac}")
        } else if -6 < n && n <= 0 {
            f.write_str("0.")?;
            (n..0).try_for_each(|_| f.write_str("0"))?;
            f.write_str(digits)
        } else {
            let (first, rest) = digits.split_at(1);
            f.write_str(first)?;
            if !rest.is_empty() {
                write!(f, ".{rest}")?;
            }
            let e = n - 1;
            write!(f, "e{}{}", if e >= 0 { '+' } else { '-' }, e.abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::parse(text).unwrap_or_else(|| panic!("{text} parses"))
    }

    #[test]
    fn equal_values_are_equal_whatever_the_spelling() {
        for (a, b) in [
            ("1000", "1000.0"),
            ("1000", "1e3"),
            ("1000", "10.00E+2"),
            ("0", "-0"),
            ("0", "0.000e-7"),
            ("-1.5", "-15e-1"),
            ("0.1", "1E-1"),
        ] {
            assert_eq!(d(a), d(b), "{a} {b}");
        }
    }

    #[test]
    fn values_a_double_confuses_stay_apart() {
        for (a, b) in [
            ("18446744073709551616", "18446744073709551617"),
            ("9007199254740993", "9007199254740992.0"),
            ("9007199254740993.0", "9007199254740992"),
            ("0.1", "0.1000000000000000000001"),
            ("1e-400", "0"),
            ("333333333.33333329", "333333333.3333333"),
        ] {
            assert_ne!(d(a), d(b), "{a} {b}");
        }
    }

    #[test]
    fn non_numbers_and_absurd_exponents_are_refused() {
        for bad in [
            "",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "0x10",
            "1_000",
            "NaN",
            "Infinity",
            "+1",
            "1e99999999999999",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn display_is_the_ecmascript_layout_of_the_exact_digits() {
        for (text, shown) in [
            ("4.50", "4.5"),
            ("1E30", "1e+30"),
            ("2e-3", "0.002"),
            ("0.000000000000000000000000001", "1e-27"),
            ("100", "100"),
            ("1e20", "100000000000000000000"),
            ("1e21", "1e+21"),
            ("-0.0", "0"),
            ("1.5e-7", "1.5e-7"),
            ("0.000001", "0.000001"),
            ("18446744073709551617", "18446744073709551617"),
            ("123456789012345678901234", "1.23456789012345678901234e+23"),
            ("9007199254740993.0", "9007199254740993"),
        ] {
            assert_eq!(d(text).to_string(), shown, "{text}");
        }
        // Serializers' shortest forms come back unchanged.
        for x in [
            0.1,
            333333333.3333333,
            5e-324,
            1.7976931348623157e308,
            -123.456,
        ] {
            let shortest = Decimal::from_f64(x).expect("finite");
            assert_eq!(shortest.to_f64(), x);
        }
    }

    #[test]
    fn tolerances_are_checked_exactly() {
        let half = d("0.5");
        // A double sees no gap between these; the exact gap is 1.
        assert!(!d("9007199254740993").within(&d("9007199254740992.0"), &half, None));
        assert!(d("9007199254740993").within(&d("9007199254740992.0"), &d("1"), None));
        assert!(d("1.0").within(&d("1.5"), &half, None));
        assert!(!d("1.0").within(&d("1.5000000000000000000001"), &half, None));
        // Relative: |a - b| <= 0.01 × 101.
        assert!(d("100").within(&d("101"), &d("0.01"), Some(&d("101"))));
        assert!(!d("100").within(&d("102.02"), &d("0.01"), Some(&d("102.02"))));
        assert!(d("-3").within(&d("-3.25"), &half, None));
        // Too far apart in scale to compute: never within.
        assert!(!d("1e-3000").within(&d("1e3000"), &d("1e300"), None));
    }
}

//! Units: which kind of quantity a unit measures, the factor between two units of one
//! kind (ns, us, ms, s are all times; `ops/ms` and `ops/s` are both rates of operations),
//! and the only directions a unit decides by itself: a time is better lower, a rate
//! (anything per second) better higher. Bytes, counts and unknown units decide nothing.

use crate::model::Direction;

/// The kind of quantity a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Time per operation.
    Time,
    /// Work per unit of time; the label names what is counted (`ops`, `B`, `elem`).
    Rate(&'static str),
    /// Memory (per operation, or a size).
    Bytes,
    /// A count (allocations, instructions, cycles).
    Count,
}

impl Kind {
    fn name(self) -> String {
        match self {
            Kind::Time => "time".to_string(),
            Kind::Rate(of) => format!("rate of {of}"),
            Kind::Bytes => "memory".to_string(),
            Kind::Count => "count".to_string(),
        }
    }

    /// The direction this kind decides alone: times lower, rates higher, others none.
    pub(crate) fn direction(self) -> Option<Direction> {
        match self {
            Kind::Time => Some(Direction::Lower),
            Kind::Rate(_) => Some(Direction::Higher),
            Kind::Bytes | Kind::Count => None,
        }
    }

    /// Whether zero is a value this kind can really take (no allocations, no bytes),
    /// rather than a sign that nothing was measured (zero time).
    pub(crate) fn zero_is_real(self) -> bool {
        matches!(self, Kind::Bytes | Kind::Count)
    }
}

/// A time unit's size in seconds.
fn time(unit: &str) -> Option<f64> {
    let scale = match unit {
        "fs" => 1e-15,
        "ps" => 1e-12,
        "ns" | "nsec" | "nanosecond" | "nanoseconds" => 1e-9,
        "us" | "µs" | "μs" | "usec" | "microsecond" | "microseconds" => 1e-6,
        "ms" | "msec" | "millisecond" | "milliseconds" => 1e-3,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "min" | "minute" | "minutes" => 60.0,
        _ => return None,
    };
    Some(scale)
}

/// A decimal (`k`, `M`, `G`) or binary (`Ki`, `Mi`, `Gi`) prefix and the rest.
fn prefixed(unit: &str) -> (f64, &str) {
    for (prefix, scale) in [
        ("Kilo", 1e3),
        ("Mega", 1e6),
        ("Giga", 1e9),
        ("kilo", 1e3),
        ("mega", 1e6),
        ("giga", 1e9),
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("K", 1e3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
    ] {
        if let Some(rest) = unit.strip_prefix(prefix) {
            if !rest.is_empty() {
                return (scale, rest);
            }
        }
    }
    (1.0, unit)
}

/// What a rate counts, normalised so that synonyms compare (`ops/s` and `iter/sec`).
fn counted(what: &str) -> &'static str {
    let (_, base) = prefixed(what);
    match base {
        "B" | "byte" | "bytes" => "B",
        // Bits are not bytes: `Mb/s` is an eighth of `MB/s`.
        "b" | "bit" | "bits" => "bits",
        "ops" | "op" | "iter" | "iters" | "iteration" | "iterations" | "calls" => "ops",
        "req" | "reqs" | "request" | "requests" => "requests",
        "elem" | "elems" | "element" | "elements" => "elements",
        "S" | "samples" => "samples",
        _ => "units",
    }
}

/// A known unit's kind and its size in the kind's base unit (seconds, bytes, counted
/// things per second).
pub(crate) fn parse(unit: &str) -> Option<(Kind, f64)> {
    let unit = unit.trim();
    // Per operation or iteration: the quantity before the slash says what it is.
    for per_op in ["/op", "/iter", "/iteration", "/call"] {
        if let Some(quantity) = unit.strip_suffix(per_op) {
            return parse(quantity);
        }
    }
    if let Some(scale) = time(unit) {
        return Some((Kind::Time, scale));
    }
    if let Some((what, per)) = unit.rsplit_once('/') {
        let per_seconds = time(per)?;
        let (scale, _) = prefixed(what);
        return Some((Kind::Rate(counted(what)), scale / per_seconds));
    }
    let (scale, base) = prefixed(unit);
    match base {
        "B" | "byte" | "bytes" | "Byte" | "Bytes" => Some((Kind::Bytes, scale)),
        "allocs" | "allocations" | "count" | "integer" | "instructions" | "Ir" | "cycles" => {
            Some((Kind::Count, scale))
        }
        _ => None,
    }
}

/// A time unit's size in seconds (`ns/op` and `ms` alike); `None` for other units.
pub(crate) fn seconds(unit: &str) -> Option<f64> {
    match parse(unit)? {
        (Kind::Time, scale) => Some(scale),
        _ => None,
    }
}

/// The direction a unit decides alone, if it is unambiguous (a time or a rate).
pub(crate) fn direction(unit: &str) -> Option<Direction> {
    parse(unit).and_then(|(kind, _)| kind.direction())
}

/// Whether a zero in this unit can be a real measurement (bytes, counts). Unknown
/// units and no unit cannot tell, so they say no.
pub(crate) fn zero_is_real(unit: Option<&str>) -> bool {
    unit.and_then(parse)
        .is_some_and(|(kind, _)| kind.zero_is_real())
}

/// The factor that converts a current value in `current` units into `baseline` units,
/// or why the two cannot be compared. A unit on one side only is refused: equal
/// units cannot be assumed.
pub(crate) fn factor(baseline: Option<&str>, current: Option<&str>) -> Result<f64, String> {
    let (b, c) = match (baseline, current) {
        (None, None) => return Ok(1.0),
        (Some(b), Some(c)) => (b, c),
        (Some(b), None) => {
            return Err(format!(
                "baseline is in `{b}` but current states no unit: refusing to assume they match"
            ));
        }
        (None, Some(c)) => {
            return Err(format!(
                "current is in `{c}` but the baseline states no unit: refusing to assume they match"
            ));
        }
    };
    if b == c {
        return Ok(1.0);
    }
    match (parse(b), parse(c)) {
        (Some((kb, sb)), Some((kc, sc))) if kb == kc => Ok(sc / sb),
        (Some((kb, _)), Some((kc, _))) => Err(format!(
            "baseline is in {b} ({}) but current is in {c} ({}): refusing to compare",
            kb.name(),
            kc.name()
        )),
        _ => Err(format!(
            "baseline is in `{b}` but current is in `{c}`: cannot convert between them"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_times_and_rates_and_refuses_kind_mismatch() {
        assert_eq!(factor(Some("ms"), Some("ms")), Ok(1.0));
        assert!((factor(Some("ms"), Some("us")).expect("time") - 1e-3).abs() < 1e-15);
        assert!((factor(Some("s"), Some("ns/op")).expect("time") - 1e-9).abs() < 1e-21);
        assert!((factor(Some("ops/s"), Some("ops/ms")).expect("rate") - 1e3).abs() < 1e-9);
        assert!((factor(Some("ops/sec"), Some("iter/s")).expect("rate") - 1.0).abs() < 1e-12);
        assert!((factor(Some("B/s"), Some("MB/s")).expect("rate") - 1e6).abs() < 1e-6);
        assert!(factor(Some("ops/s"), Some("MB/s")).is_err());
        assert!(factor(Some("MB/s"), Some("Mb/s")).is_err());
        assert!(factor(Some("kB/s"), Some("Mbit/s")).is_err());
        assert!((factor(Some("kb/s"), Some("Mb/s")).expect("bits") - 1e3).abs() < 1e-9);
        let err = factor(Some("ns"), Some("ops/s")).expect_err("time vs throughput");
        assert!(err.contains("time") && err.contains("rate"), "{err}");
        assert!(factor(Some("widgets"), Some("gadgets")).is_err());
    }

    #[test]
    fn a_unit_on_one_side_only_is_refused() {
        assert_eq!(factor(None, None), Ok(1.0));
        assert!(factor(None, Some("s")).is_err());
        assert!(factor(Some("ops/s"), None).is_err());
    }

    #[test]
    fn only_times_and_rates_decide_direction() {
        for unit in ["ns", "ns/op", "µs/iter", "s/op", "ms", "seconds"] {
            assert_eq!(direction(unit), Some(Direction::Lower), "{unit}");
        }
        for unit in [
            "ops/s", "op/s", "req/s", "MB/s", "MS/s", "ops/sec", "iter/sec", "Kelem/s", "ops/ms",
        ] {
            assert_eq!(direction(unit), Some(Direction::Higher), "{unit}");
        }
        for unit in [
            "MB",
            "Megabytes",
            "B/op",
            "bytes",
            "allocs/op",
            "Percent",
            "%",
            "cycles/iter",
            "auxMetricUnits",
            "",
        ] {
            assert_eq!(direction(unit), None, "{unit}");
        }
    }

    #[test]
    fn zero_is_real_for_counts_and_bytes_only() {
        assert!(zero_is_real(Some("B/op")) && zero_is_real(Some("allocs/op")));
        assert!(!zero_is_real(Some("ns/op")) && !zero_is_real(None));
        assert!(!zero_is_real(Some("furlongs")));
    }
}

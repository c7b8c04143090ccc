//! Units: which kind of quantity a unit measures, and the factor to convert between
//! units of one kind (ns, us, ms, s are all times).

use crate::model::Direction;

/// The kind of quantity a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Time per operation.
    Time,
    /// Work per unit of time.
    Throughput,
    /// Memory per operation.
    Bytes,
    /// A count per operation (allocations).
    Count,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Time => "time",
            Kind::Throughput => "throughput",
            Kind::Bytes => "memory",
            Kind::Count => "count",
        }
    }

    /// The direction a unit of this kind implies when nothing else says.
    pub(crate) fn direction(self) -> Direction {
        match self {
            Kind::Throughput => Direction::Higher,
            _ => Direction::Lower,
        }
    }
}

/// A known unit's kind and its size in the kind's base unit (seconds, bytes, ...).
pub(crate) fn parse(unit: &str) -> Option<(Kind, f64)> {
    let per_op = unit
        .trim()
        .trim_end_matches("/op")
        .trim_end_matches("/iter");
    let found = match per_op {
        "ns" | "nsec" | "nanoseconds" => (Kind::Time, 1e-9),
        "us" | "µs" | "μs" | "usec" | "microseconds" => (Kind::Time, 1e-6),
        "ms" | "msec" | "milliseconds" => (Kind::Time, 1e-3),
        "s" | "sec" | "second" | "seconds" => (Kind::Time, 1.0),
        "B" | "byte" | "bytes" => (Kind::Bytes, 1.0),
        "KB" | "kB" | "KiB" => (Kind::Bytes, 1024.0),
        "MB" | "MiB" => (Kind::Bytes, 1024.0 * 1024.0),
        "allocs" | "count" | "integer" => (Kind::Count, 1.0),
        "ops/s" | "op/s" | "ops/sec" | "iter/s" | "iter/sec" | "B/s" => (Kind::Throughput, 1.0),
        "KB/s" | "kB/s" => (Kind::Throughput, 1e3),
        "MB/s" => (Kind::Throughput, 1e6),
        "GB/s" => (Kind::Throughput, 1e9),
        _ => return None,
    };
    Some(found)
}

/// The factor that converts a current value in `current` units into `baseline` units,
/// or why the two cannot be compared.
pub(crate) fn factor(baseline: Option<&str>, current: Option<&str>) -> Result<f64, String> {
    let (Some(b), Some(c)) = (baseline, current) else {
        return Ok(1.0);
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
    fn converts_times_and_refuses_kind_mismatch() {
        assert_eq!(factor(Some("ms"), Some("ms")), Ok(1.0));
        assert!((factor(Some("ms"), Some("us")).expect("time") - 1e-3).abs() < 1e-15);
        assert!((factor(Some("s"), Some("ns/op")).expect("time") - 1e-9).abs() < 1e-21);
        assert_eq!(factor(None, Some("s")), Ok(1.0));
        let err = factor(Some("ns"), Some("ops/s")).expect_err("time vs throughput");
        assert!(err.contains("time") && err.contains("throughput"), "{err}");
        assert!(factor(Some("widgets"), Some("gadgets")).is_err());
    }

    #[test]
    fn throughput_implies_higher_is_better() {
        assert_eq!(
            parse("MB/s").map(|(k, _)| k.direction()),
            Some(Direction::Higher)
        );
        assert_eq!(
            parse("ns/op").map(|(k, _)| k.direction()),
            Some(Direction::Lower)
        );
    }
}

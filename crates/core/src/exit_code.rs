//! The exit codes, in one place: 0 pass, 1 rollback, 2 cannot decide. Only the binary
//! exits; the reports quote the code a verdict stands for.

use crate::status::Verdict;

/// Every gate passed and every input was read.
pub const PASS: u8 = 0;
/// An enforcing gate failed: roll the change back.
pub const ROLLBACK: u8 = 1;
/// The run could not decide: missing or malformed input, bad config, unwritable report.
pub const ERROR: u8 = 2;

/// The exit code for a run verdict.
pub fn for_verdict(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Pass => PASS,
        Verdict::Rollback => ROLLBACK,
        Verdict::Error => ERROR,
    }
}

/// Text for `--help`.
pub const HELP: &str = "\
Exit codes:
  0  pass: every enforcing gate passed and every input was read
  1  rollback: an enforcing gate failed (errors elsewhere are still reported)
  2  cannot decide: missing, empty or malformed input, bad config, or a report that could not be written";

#[cfg(test)]
mod tests {
    use super::*;

    /// The verdict rules are property-tested in this crate; this pins the mapping
    /// from verdict to exit code, and keeps 1 and 2 distinct from a pass.
    #[test]
    fn every_verdict_has_its_code() {
        assert_eq!(for_verdict(Verdict::Pass), 0);
        assert_eq!(for_verdict(Verdict::Rollback), 1);
        assert_eq!(for_verdict(Verdict::Error), 2);
    }
}

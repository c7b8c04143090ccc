//! Status of one check, mode of a gate, and the verdicts derived from them.

use serde::{Deserialize, Serialize};

/// Outcome of a single check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// The check held.
    Pass,
    /// Nothing was compared (for example a new benchmark with no baseline yet).
    Skip,
    /// Reported for attention; never triggers a rollback by itself.
    Warn,
    /// The check was violated.
    Fail,
    /// The check could not be evaluated: input missing, unreadable or malformed.
    Error,
}

impl Status {
    /// Lowercase name as used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Skip => "skip",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }
}

/// What a check, or a whole gate report, stands for in a verdict.
///
/// A gate must compare something to pass: at least one *evidence* check (a benchmark,
/// a test run, a golden pair, a snapshot) that passed, warned or failed. Bookkeeping
/// checks report on the run itself (where baselines were read from, waivers, settings a
/// change loosened, outputs that could not be written): they fail or error a gate like
/// any check, but never count as having compared anything. A gate report whose role is
/// bookkeeping (the waivers, trust and outputs reports) needs no evidence of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Role {
    /// Compared measurements or records.
    #[default]
    Evidence,
    /// Reports on the run, its settings or its outputs.
    Bookkeeping,
}

impl Role {
    /// Whether this is [`Role::Evidence`] (the default, left out of reports).
    pub fn is_evidence(&self) -> bool {
        *self == Role::Evidence
    }
}

/// How a gate's failures count towards the run verdict.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A failing check triggers a rollback.
    #[default]
    Enforce,
    /// Failing checks are reported as warnings and never fail the run.
    Warn,
    /// The gate is not run.
    Off,
}

impl Mode {
    /// Lowercase name as used in reports and config.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
            Mode::Off => "off",
        }
    }
}

/// Verdict of one gate instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum GateVerdict {
    /// Every check passed or was skipped.
    Pass,
    /// Something deserves attention but nothing enforced failed.
    Warn,
    /// An enforced check failed.
    Rollback,
    /// An input could not be read or understood, and nothing enforced failed.
    Error,
    /// The gate is switched off.
    Off,
}

impl GateVerdict {
    /// Lowercase name as used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            GateVerdict::Pass => "pass",
            GateVerdict::Warn => "warn",
            GateVerdict::Rollback => "rollback",
            GateVerdict::Error => "error",
            GateVerdict::Off => "off",
        }
    }
}

/// Verdict of a whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing enforced failed and every input was read.
    Pass,
    /// An enforcing gate failed: roll the change back.
    Rollback,
    /// The run could not decide: an input or the config could not be read.
    Error,
}

impl Verdict {
    /// Lowercase name as used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Rollback => "rollback",
            Verdict::Error => "error",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

//! Waivers (`baselines/waivers.toml`): accepted failures, each with a check-id glob, a
//! reason and an expiry date. A waived failure is reported as a warning carrying its
//! reason; an expired waiver fails the run until it is renewed or removed; a waiver
//! that matches no check is reported, so stale entries do not pile up. Input errors
//! cannot be waived: a run must not pass on input it could not read.

use globset::Glob;
use safety_gate_core::config::parse_toml;
use safety_gate_core::inputs::read_text;
use safety_gate_core::{Check, ConfigError, GateReport, Loosening, Looser, RunReport, Status};
use serde::Deserialize;
use std::path::Path;

use time::Date;
use time::macros::format_description;

/// Largest waivers file read.
const MAX_WAIVERS_BYTES: u64 = 1 << 20;

/// The waivers file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverFile {
    /// `[[waiver]]` tables.
    #[serde(default)]
    pub waiver: Vec<Waiver>,
}

/// One accepted failure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Glob over `kind/name/check-id` (`perf/tick/*`, `perf/*/tick_ms`).
    #[serde(deserialize_with = "glob_text")]
    pub check: String,
    /// Why the failure is accepted (shown with every waived check).
    pub reason: String,
    /// Last day the waiver holds, `YYYY-MM-DD` (a string or a TOML date).
    #[serde(deserialize_with = "date_value")]
    pub expires: toml::Value,
}

/// A `check` that is a valid glob; refused where it is written otherwise, so the error
/// names the file, line and column.
fn glob_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    Glob::new(&text).map_err(|e| {
        serde::de::Error::custom(format!("`check` {text:?} is not a valid glob: {e}"))
    })?;
    Ok(text)
}

/// An `expires` that is a calendar date (`"2026-12-31"` or `2026-12-31`); refused where
/// it is written otherwise (a day the month does not have, a time of day), so the error
/// names the file, line and column.
fn date_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<toml::Value, D::Error> {
    let value = toml::Value::deserialize(d)?;
    let date = match &value {
        toml::Value::String(s) => parse_date(s),
        toml::Value::Datetime(t) => parse_date(&t.to_string()),
        _ => None,
    };
    match date {
        Some(_) => Ok(value),
        None => Err(serde::de::Error::custom(format!(
            "`expires` must be a date written YYYY-MM-DD, not {value}"
        ))),
    }
}

/// Loads a waivers file; syntax errors and unknown keys name the file and line.
pub fn load(path: &Path) -> Result<WaiverFile, ConfigError> {
    let text = read_text(path, MAX_WAIVERS_BYTES)?;
    parse(path, &text)
}

/// Parses waivers text read from `path` (a file, or a file at a git ref).
pub fn parse(path: &Path, text: &str) -> Result<WaiverFile, ConfigError> {
    parse_toml(path, text)
}

impl Waiver {
    /// The last day the waiver holds, when `expires` is a date.
    pub fn expiry(&self) -> Option<Date> {
        match &self.expires {
            toml::Value::String(s) => parse_date(s),
            toml::Value::Datetime(d) => parse_date(&d.to_string()),
            _ => None,
        }
    }
}

/// The waivers of `now` that waive more than `was` (a trusted ref's file): a glob
/// `was` does not have, or one that holds longer (or whose end cannot be read).
pub fn loosenings(was: &WaiverFile, now: &WaiverFile) -> Vec<Loosening> {
    let mut l = Looser::new();
    for waiver in &now.waiver {
        let setting = format!("waiver {}", waiver.check);
        let until = |w: &Waiver| {
            w.expiry()
                .map_or_else(|| "an unreadable date".to_string(), |d| d.to_string())
        };
        match was.waiver.iter().find(|w| w.check == waiver.check) {
            None => l.push(
                format!("{setting} added"),
                "none",
                format!("until {}", until(waiver)),
            ),
            Some(old) => match (old.expiry(), waiver.expiry()) {
                (Some(before), Some(after)) if after <= before => {}
                _ => l.push(format!("{setting} extended"), until(old), until(waiver)),
            },
        }
    }
    l.into_vec()
}

/// Which gates a run covers: all configured ones, or those `--gate` selected.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every configured gate ran.
    Full,
    /// Only the gates with these labels (`kind/name`) ran.
    Selected(&'a [String]),
}

/// Applies the waivers to `report` as of `today` and returns the `waivers` gate that
/// reports on each waiver, or `None` when there is nothing to report (no waivers, or
/// only waivers for gates outside a `--gate` selection).
///
/// A waiver that matches no check is reported as unused, except in a run narrowed with
/// `--gate` when the gate part of its glob (`kind/name`) names none of the gates that
/// ran: those checks were not run, so the waiver may well be in use.
pub fn apply(
    report: &mut RunReport,
    file: &WaiverFile,
    source: &str,
    today: Date,
    scope: Scope<'_>,
) -> Option<GateReport> {
    let mut gate = GateReport::bookkeeping("waivers", source);
    for waiver in &file.waiver {
        let check = apply_one(report, waiver, today);
        let unused = check.status == Status::Warn;
        if unused && !names_a_gate_in(&waiver.check, scope) {
            continue;
        }
        gate.push(check.bookkeeping());
    }
    (!gate.checks.is_empty()).then_some(gate)
}

/// Whether the gate part of a waiver glob (its first two `/`-separated parts) can name
/// a gate of the run. A gate part that spans segments (`**`) cannot be told apart and
/// counts as naming none in a narrowed run.
fn names_a_gate_in(pattern: &str, scope: Scope<'_>) -> bool {
    let Scope::Selected(labels) = scope else {
        return true;
    };
    let gate_part: Vec<&str> = pattern.splitn(3, '/').take(2).collect();
    let gate_part = gate_part.join("/");
    if gate_part.contains("**") {
        return false;
    }
    Glob::new(&gate_part).is_ok_and(|glob| {
        let matcher = glob.compile_matcher();
        labels.iter().any(|label| matcher.is_match(label))
    })
}

fn apply_one(report: &mut RunReport, waiver: &Waiver, today: Date) -> Check {
    let id = waiver.check.clone();
    let Some(expires) = waiver.expiry() else {
        return Check::error(
            id,
            format!(
                "`expires` of waiver `{}` is not a YYYY-MM-DD date",
                waiver.check
            ),
        );
    };
    let matcher = match Glob::new(&waiver.check) {
        Ok(g) => g.compile_matcher(),
        Err(e) => {
            return Check::error(
                id,
                format!("waiver `{}` is not a valid glob: {e}", waiver.check),
            );
        }
    };
    let mut matched = 0;
    let mut waived = Vec::new();
    for gate in &mut report.gates {
        let label = gate.label();
        for check in &mut gate.checks {
            if !matcher.is_match(format!("{label}/{}", check.id)) {
                continue;
            }
            matched += 1;
            if check.status == Status::Fail && expires >= today {
                check.status = Status::Warn;
                check.message = format!(
                    "waived until {expires} ({}): {}",
                    waiver.reason, check.message
                );
                waived.push(format!("{label}/{}", check.id));
            }
        }
    }
    if expires < today {
        Check::fail(
            id,
            format!(
                "waiver expired on {expires} ({}); fix the failure, renew the waiver or remove it",
                waiver.reason
            ),
        )
    } else if matched == 0 {
        Check::warn(
            id,
            format!("waiver matches no check; remove it ({})", waiver.reason),
        )
    } else if waived.is_empty() {
        Check::pass(
            id,
            format!("nothing to waive: {matched} matching checks do not fail"),
        )
    } else {
        Check::pass(
            id,
            format!(
                "waived {} failing checks until {expires}: {}",
                waived.len(),
                waiver.reason
            ),
        )
        .with_details(waived)
    }
}

/// A calendar date written `YYYY-MM-DD`; `None` for anything else, including days a
/// month does not have (`2026-02-31`).
fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::{GateVerdict, Mode, Verdict};

    fn report() -> RunReport {
        let mut tick = GateReport::new("perf", "tick", Mode::Enforce);
        tick.push(Check::fail("tick_ms", "regressed"));
        tick.push(Check::pass("ticks_per_s", "ok"));
        let mut log = GateReport::new("perf", "log", Mode::Enforce);
        log.push(Check::error("current", "failed to read x"));
        RunReport {
            gates: vec![tick, log],
        }
    }

    fn waivers(text: &str) -> WaiverFile {
        toml::from_str(text).expect("waivers")
    }

    const TODAY: Date = time::macros::date!(2026 - 11 - 27);

    #[test]
    fn waived_failure_becomes_a_warning_with_its_reason() {
        let mut r = report();
        let file = waivers(
            "[[waiver]]\ncheck = \"perf/tick/*\"\nreason = \"known, fix in #12\"\nexpires = 2026-11-27\n",
        );
        let gate = apply(&mut r, &file, "w.toml", TODAY, Scope::Full).expect("gate");
        let check = &r.gates[0].checks[0];
        assert_eq!(check.status, Status::Warn);
        assert!(
            check.message.contains("known, fix in #12"),
            "{}",
            check.message
        );
        assert_eq!(r.gates[0].verdict(), GateVerdict::Warn);
        assert_eq!(gate.checks[0].status, Status::Pass);
    }

    #[test]
    fn expired_waiver_fails_and_waives_nothing() {
        let mut r = report();
        let file = waivers(
            "[[waiver]]\ncheck = \"perf/tick/tick_ms\"\nreason = \"r\"\nexpires = \"2026-11-26\"\n",
        );
        let gate = apply(&mut r, &file, "w.toml", TODAY, Scope::Full).expect("gate");
        assert_eq!(r.gates[0].checks[0].status, Status::Fail);
        assert_eq!(gate.checks[0].status, Status::Fail);
        assert!(gate.checks[0].message.contains("expired on 2026-11-26"));
        r.gates.push(gate);
        assert_eq!(r.verdict(), Verdict::Rollback);
    }

    #[test]
    fn unmatched_waiver_is_reported_and_errors_stay_errors() {
        let mut r = report();
        let file = waivers(
            "[[waiver]]\ncheck = \"perf/gone/*\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n\
             [[waiver]]\ncheck = \"perf/log/*\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n",
        );
        let gate = apply(&mut r, &file, "w.toml", TODAY, Scope::Full).expect("gate");
        assert_eq!(gate.checks[0].status, Status::Warn);
        assert!(gate.checks[0].message.contains("matches no check"));
        assert_eq!(r.gates[1].checks[0].status, Status::Error);
    }

    #[test]
    fn a_narrowed_run_reports_unused_waivers_only_for_the_gates_it_ran() {
        let file = waivers(
            "[[waiver]]\ncheck = \"perf/gone/*\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n\
             [[waiver]]\ncheck = \"perf/tick/old\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n\
             [[waiver]]\ncheck = \"**/old\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n\
             [[waiver]]\ncheck = \"perf/*/tick_ms\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n",
        );
        let mut r = report();
        r.gates.truncate(1);
        let ran = ["perf/tick".to_string()];
        let gate = apply(&mut r, &file, "w", TODAY, Scope::Selected(&ran)).expect("gate");
        let ids: Vec<&str> = gate.checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["perf/tick/old", "perf/*/tick_ms"]);
        assert!(gate.checks[0].message.contains("matches no check"));
        let gate = apply(&mut report(), &file, "w", TODAY, Scope::Full).expect("gate");
        assert_eq!(
            gate.checks.len(),
            4,
            "a full run reports every unused waiver"
        );

        // Nothing left to report is no gate at all, not a gate that compared nothing.
        let only_other = waivers(
            "[[waiver]]\ncheck = \"snapshot/s/*\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n",
        );
        assert!(
            apply(
                &mut report(),
                &only_other,
                "w",
                TODAY,
                Scope::Selected(&ran)
            )
            .is_none()
        );
        assert!(apply(&mut report(), &waivers(""), "w", TODAY, Scope::Full).is_none());
    }

    #[test]
    fn waivers_added_or_held_longer_are_loosenings() {
        let was = waivers(
            "[[waiver]]\ncheck = \"perf/tick/*\"\nreason = \"r\"\nexpires = \"2026-12-01\"\n",
        );
        let now = waivers(
            "[[waiver]]\ncheck = \"perf/tick/*\"\nreason = \"r\"\nexpires = \"2099-01-01\"\n\
             [[waiver]]\ncheck = \"*\"\nreason = \"r\"\nexpires = 2099-01-01\n",
        );
        let found: Vec<String> = loosenings(&was, &now)
            .into_iter()
            .map(|l| format!("{}: {} -> {}", l.setting, l.was, l.now))
            .collect();
        assert_eq!(
            found,
            [
                "waiver perf/tick/* extended: 2026-12-01 -> 2099-01-01",
                "waiver * added: none -> until 2099-01-01",
            ]
        );
        assert!(
            loosenings(&now, &was).is_empty(),
            "removing or shortening tightens"
        );
    }

    #[test]
    fn bad_dates_and_keys_are_errors() {
        // Refused where they are written: the error names the file, line and column.
        for (line, expires) in [
            ("\"soon\"", "\"soon\""),
            ("\"2026-02-31\"", "\"2026-02-31\""),
            ("\"2026-13-01\"", "\"2026-13-01\""),
            ("2026-11-27T10:00:00", "2026-11-27T10:00:00"),
            ("20261127", "20261127"),
        ] {
            let text = format!(
                "[[waiver]]\ncheck = \"*\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n\
                 [[waiver]]\ncheck = \"*\"\nreason = \"r\"\nexpires = {line}\n"
            );
            let err = parse(Path::new("w.toml"), &text)
                .expect_err(expires)
                .to_string();
            assert!(err.starts_with("w.toml:8:11:"), "{expires}: {err}");
            assert!(err.contains("YYYY-MM-DD"), "{expires}: {err}");
        }
        let err = parse(
            Path::new("w.toml"),
            "[[waiver]]\ncheck = \"perf/[tick\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n",
        )
        .expect_err("bad glob")
        .to_string();
        assert!(err.starts_with("w.toml:2:9:"), "{err}");
        assert!(err.contains("not a valid glob"), "{err}");
        assert_eq!(
            parse_date(" 2028-02-29 "),
            Some(time::macros::date!(2028 - 02 - 29))
        );
        assert_eq!(parse_date("2027-02-29"), None);
        assert!(toml::from_str::<WaiverFile>("[[waiver]]\ncheck = \"*\"\nreason = \"r\"\nexpires = \"2030-01-01\"\nowner = \"x\"\n").is_err());
    }
}

//! Delivering a run's outputs so that every one of them says the verdict the exit code
//! carries, decided once every output has been attempted.
//!
//! An output that cannot be written is folded into the run report as an error of the
//! bookkeeping gate `outputs` (a pass nobody can see is not a pass; a rollback stays a
//! rollback), and every output written afterwards renders that report. The order makes
//! that hold for every failure but the rarest:
//!
//! 1. every file is opened first: a temporary file beside each report (JUnit, JSON,
//!    HTML, pull-request comment, rollback report), the device or pipe a report is
//!    written through, and the runner's files that are appended to (step summary, step
//!    outputs). A folder, a missing permission, a pipe nobody reads are found here,
//!    before anything is said;
//! 2. reports written through a device or pipe go next: what is written there cannot
//!    be taken back, and a failure there (a full device) shows only when written;
//! 3. then stdout (the human report, then the annotations), whose failure also shows
//!    only when written: a closed pipe (`| head`) is not a failure and ends stdout
//!    quietly, like ripgrep (the exit code still carries the verdict, so a rollback
//!    never exits 0); any other error is;
//! 4. then the reports that are files, renamed into place, and the runner's files,
//!    appended to, all from the report that holds every failure so far. A write that
//!    fails here (a disk filling up between open and write, or a page that cannot be
//!    laid out) is folded in too, and the report files are written again.
//!
//! So the only outputs that can disagree with the exit code are a device, stdout or an
//! append already written when a later write failed.

use safety_gate_core::RunReport;
use safety_gate_core::atomic::{self, Prepared};
use safety_gate_report::files::{FailedOutput, with_failed_outputs};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::{Stdout, write_stdout};

/// How an output reaches its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Written whole beside the target and renamed over it (or written through a
    /// device or pipe).
    Replace,
    /// Appended to a file shared with other steps (the runner's summary and outputs).
    Append,
}

/// What an output says, given the report and the outputs that failed so far, or why it
/// cannot be said (a page that cannot be laid out), naming the file.
type Render<'a> = Box<dyn Fn(&RunReport, &[FailedOutput]) -> Result<Vec<u8>, String> + 'a>;

/// One output of a run besides stdout.
pub struct Output<'a> {
    /// Its check id in the `outputs` gate when it fails (`junit`, `step-summary`...).
    pub what: &'static str,
    /// The file.
    pub path: PathBuf,
    /// How it is written.
    pub kind: Kind,
    /// Its text.
    pub render: Render<'a>,
}

impl<'a> Output<'a> {
    /// An output written by [`Kind::Replace`].
    pub fn replace(
        what: &'static str,
        path: &Path,
        render: impl Fn(&RunReport, &[FailedOutput]) -> Vec<u8> + 'a,
    ) -> Self {
        Output::try_replace(what, path, move |r, f| Ok(render(r, f)))
    }

    /// An output written by [`Kind::Replace`] whose rendering can fail: the failure is
    /// folded in like a write that failed.
    pub fn try_replace(
        what: &'static str,
        path: &Path,
        render: impl Fn(&RunReport, &[FailedOutput]) -> Result<Vec<u8>, String> + 'a,
    ) -> Self {
        Output {
            what,
            path: path.to_path_buf(),
            kind: Kind::Replace,
            render: Box::new(render),
        }
    }

    /// An output written by [`Kind::Append`].
    pub fn append(
        what: &'static str,
        path: &Path,
        render: impl Fn(&RunReport, &[FailedOutput]) -> Vec<u8> + 'a,
    ) -> Self {
        Output {
            kind: Kind::Append,
            ..Output::replace(what, path, render)
        }
    }
}

/// The report every output said, and the outputs that could not be written.
#[derive(Debug)]
pub struct Delivered {
    /// The run report with the `outputs` gate when something failed.
    pub report: RunReport,
    /// What could not be written, in the order it failed.
    pub failed: Vec<FailedOutput>,
}

/// Whether `path` was not named by a failure (so far).
pub fn written(failed: &[FailedOutput], path: &Path) -> bool {
    !failed.iter().any(|f| f.path.as_deref() == Some(path))
}

/// Where one report stands.
enum Slot {
    /// Opened, nothing written.
    Open(Prepared),
    /// A file written from an earlier report: written again when the report changes.
    File,
    /// Written through a device or pipe, or failed: never written again.
    Done,
}

/// Writes every output and stdout in the order the module header gives.
pub fn deliver(
    base: &RunReport,
    outputs: Vec<Output<'_>>,
    stdout: impl Fn(&RunReport) -> String,
) -> Delivered {
    let mut failed = Vec::new();
    let mut reports = Vec::new();
    let mut appended = Vec::new();
    for output in &outputs {
        match output.kind {
            Kind::Replace => match atomic::prepare(&output.path) {
                Ok(prepared) => reports.push((output, Slot::Open(prepared))),
                Err(e) => failed.push(failure(output, e.to_string())),
            },
            Kind::Append => match open_append(&output.path) {
                Ok(file) => appended.push((output, file)),
                Err(e) => failed.push(failure(output, e)),
            },
        }
    }
    let mut report = with_failed_outputs(base, &failed);
    for (output, slot) in reports.iter_mut() {
        if matches!(slot, Slot::Open(p) if p.writes_through()) {
            let Slot::Open(prepared) = std::mem::replace(slot, Slot::Done) else {
                continue;
            };
            let written = (output.render)(&report, &failed)
                .and_then(|text| prepared.commit(&text).map_err(|e| e.to_string()));
            if let Err(e) = written {
                failed.push(failure(output, e));
                report = with_failed_outputs(base, &failed);
            }
        }
    }
    if let Stdout::Failed(e) = write_stdout(&stdout(&report)) {
        failed.push(FailedOutput {
            what: "stdout".to_string(),
            path: None,
            message: format!("failed to write to stdout: {e}"),
        });
        report = with_failed_outputs(base, &failed);
    }
    report = write_files(base, &mut reports, &mut failed, report);
    for (output, mut file) in appended {
        let appended = (output.render)(&report, &failed).and_then(|text| {
            file.write_all(&text)
                .and_then(|()| file.flush())
                .map_err(|e| format!("failed to append to {}: {e}", output.path.display()))
        });
        if let Err(message) = appended {
            failed.push(failure(output, message));
            report = with_failed_outputs(base, &failed);
            report = write_files(base, &mut reports, &mut failed, report);
        }
    }
    Delivered { report, failed }
}

/// Writes every report file that is open or was written from an earlier report, from
/// `report`; when one fails, folds it in and writes them again, until a pass adds no
/// failure. A device or pipe already written through is not written again.
fn write_files(
    base: &RunReport,
    reports: &mut [(&Output<'_>, Slot)],
    failed: &mut Vec<FailedOutput>,
    mut report: RunReport,
) -> RunReport {
    loop {
        let before = failed.len();
        for (output, slot) in reports.iter_mut() {
            let opened = match std::mem::replace(slot, Slot::Done) {
                Slot::Open(prepared) => Ok(prepared),
                Slot::File => atomic::prepare(&output.path),
                Slot::Done => continue,
            };
            let written = (output.render)(&report, failed).and_then(|text| {
                opened
                    .and_then(|p| p.commit(&text))
                    .map_err(|e| e.to_string())
            });
            match written {
                Ok(()) => *slot = Slot::File,
                Err(e) => failed.push(failure(output, e)),
            }
        }
        if failed.len() == before {
            return report;
        }
        report = with_failed_outputs(base, failed);
    }
}

fn failure(output: &Output<'_>, message: String) -> FailedOutput {
    FailedOutput {
        what: output.what.to_string(),
        path: Some(output.path.clone()),
        message,
    }
}

/// Opens one of the runner's files to append to. These are shared by every step of a
/// job and meant to be appended to, so they are not replaced atomically.
fn open_append(path: &Path) -> Result<File, String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("failed to append to {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use safety_gate_core::{Check, GateReport, Mode, Verdict};

    fn passing() -> RunReport {
        let mut gate = GateReport::new("perf", "tick", Mode::Enforce);
        gate.push(Check::pass("tick_ms", "within threshold"));
        RunReport { gates: vec![gate] }
    }

    /// A page that cannot be laid out is an output that failed: it leaves its target as
    /// it was, and the outputs written after it say why and the verdict it makes.
    #[test]
    fn an_output_that_cannot_be_rendered_is_folded_in_like_a_failed_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (page, json) = (dir.path().join("r.html"), dir.path().join("r.json"));
        std::fs::write(&page, "the previous page").expect("write");
        let outputs = vec![
            Output::try_replace("html", &page, |_, _| {
                Err("failed to write r.html: failed to lay out the HTML page".to_string())
            }),
            Output::replace("report-json", &json, |r, failed| {
                format!("{} {}", r.verdict().as_str(), failed.len()).into_bytes()
            }),
        ];
        let delivered = deliver(&passing(), outputs, |_| String::new());
        assert_eq!(delivered.report.verdict(), Verdict::Error);
        assert_eq!(
            delivered
                .failed
                .iter()
                .map(|f| (f.what.as_str(), f.message.as_str()))
                .collect::<Vec<_>>(),
            [(
                "html",
                "failed to write r.html: failed to lay out the HTML page"
            )]
        );
        assert_eq!(
            std::fs::read_to_string(&page).expect("read"),
            "the previous page"
        );
        assert_eq!(std::fs::read_to_string(&json).expect("read"), "error 1");
        let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(leftovers, 2, "no temporary file is left behind");
    }
}

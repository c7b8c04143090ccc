//! Writing the JUnit and JSON reports to their paths.

use safety_gate_core::{RunReport, WriteError, atomic, json_report, junit};
use std::path::PathBuf;

/// Where reports go, after flags override config.
#[derive(Debug, Default, Clone)]
pub struct ReportPaths {
    /// JUnit XML.
    pub junit: Option<PathBuf>,
    /// Machine report.
    pub json: Option<PathBuf>,
}

/// The paths of `paths` whose report was written: those named by a failure are left
/// out, so nothing downstream (step outputs) names a file that is not there.
pub fn written(paths: &ReportPaths, failures: &[WriteError]) -> ReportPaths {
    let kept = |path: &Option<PathBuf>| {
        path.clone()
            .filter(|p| !failures.iter().any(|e| &e.path == p))
    };
    ReportPaths {
        junit: kept(&paths.junit),
        json: kept(&paths.json),
    }
}

/// Writes every requested report atomically; returns every failure.
pub fn write_all(report: &RunReport, paths: &ReportPaths) -> Vec<WriteError> {
    let mut errors = Vec::new();
    if let Some(path) = &paths.junit {
        if let Err(e) = junit::write_junit(report, path) {
            errors.push(e);
        }
    }
    if let Some(path) = &paths.json {
        if let Err(e) = atomic::write_atomic(path, json_report::to_json(report).as_bytes()) {
            errors.push(e);
        }
    }
    errors
}

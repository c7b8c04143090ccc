//! The HTML report of a run: the verdict, the gate table, each triggering gate's
//! rollback procedure, every check that needs attention with its evidence drawn, and the
//! other checks folded away.

use safety_gate_core::{
    GateReport, GateVerdict, RollbackPlan, RunReport, Status, Verdict, exit_code,
};
use serde::Serialize;
use std::collections::BTreeMap;

use super::checks::{CheckView, view};
use super::templates::{self, HtmlError};
use crate::attention::needing_attention;
use crate::rollback::Meta;

/// Checks shown with their evidence; the rest are counted (a page of thousands of
/// charts helps no one, and the JSON report lists them all).
pub const MAX_CHECKS_SHOWN: usize = 300;

/// Passing and skipped checks listed in the folded table.
pub const MAX_OTHERS_LISTED: usize = 2_000;

#[derive(Serialize)]
struct Page<'a> {
    verdict: &'static str,
    verdict_word: String,
    exit_code: u8,
    headline: String,
    meta: Option<&'a MetaView>,
    tool: &'a str,
    gates: Vec<GateRow>,
    rollbacks: Vec<RollbackRow>,
    sections: Vec<Section>,
    omitted: usize,
    passing: Vec<OtherRow>,
}

#[derive(Serialize)]
struct MetaView {
    time: String,
    commit: Option<String>,
    command: String,
}

#[derive(Serialize)]
struct GateRow {
    label: String,
    anchor: Option<String>,
    mode: &'static str,
    verdict: &'static str,
    fail: usize,
    error: usize,
    warn: usize,
    skip: usize,
    pass: usize,
}

#[derive(Serialize)]
struct RollbackRow {
    label: String,
    risk: &'static str,
    time: String,
    url: Option<String>,
    path: Option<String>,
    text: Option<String>,
}

#[derive(Serialize)]
struct Section {
    label: String,
    anchor: String,
    checks: Vec<CheckView>,
}

#[derive(Serialize)]
struct OtherRow {
    gate: String,
    id: String,
    status: &'static str,
    message: String,
}

/// The page for `report`; `plans` maps a gate's label to its rollback plan, `meta` says
/// when and how the run was made.
pub fn render(
    report: &RunReport,
    plans: &BTreeMap<String, RollbackPlan>,
    meta: &Meta,
) -> Result<String, HtmlError> {
    let verdict = report.verdict();
    let mut sections: Vec<Section> = Vec::new();
    let problems = needing_attention(report);
    for (i, (gate, check, attention)) in problems.iter().take(MAX_CHECKS_SHOWN).enumerate() {
        let label = gate.label();
        if sections.last().is_none_or(|s| s.label != label) {
            sections.push(Section {
                anchor: format!("gate-{}", sections.len() + 1),
                label,
                checks: Vec::new(),
            });
        }
        let shown = view(check, *attention, format!("check-{}", i + 1))?;
        if let Some(section) = sections.last_mut() {
            section.checks.push(shown);
        }
    }
    let anchor_of = |g: &GateReport| {
        sections
            .iter()
            .find(|s| s.label == g.label())
            .map(|s| s.anchor.clone())
    };
    let gates = report
        .gates
        .iter()
        .map(|g| GateRow {
            label: g.label(),
            anchor: anchor_of(g),
            mode: g.mode.as_str(),
            verdict: g.verdict().as_str(),
            fail: g.count(Status::Fail),
            error: g.count(Status::Error),
            warn: g.count(Status::Warn),
            skip: g.count(Status::Skip),
            pass: g.count(Status::Pass),
        })
        .collect();
    let rollbacks = report
        .gates
        .iter()
        .filter(|g| g.verdict() == GateVerdict::Rollback)
        .map(|g| rollback_row(g, plans.get(&g.label())))
        .collect();
    let passing = report
        .gates
        .iter()
        .flat_map(|g| g.checks.iter().map(move |c| (g, c)))
        .filter(|(_, c)| matches!(c.effective_status(), Status::Pass | Status::Skip))
        .take(MAX_OTHERS_LISTED)
        .map(|(g, c)| OtherRow {
            gate: g.label(),
            id: c.id.clone(),
            status: c.effective_status().as_str(),
            message: c.message.clone(),
        })
        .collect();
    let meta_view = MetaView {
        time: meta.time.clone(),
        commit: meta.commit.clone(),
        command: meta.command.clone(),
    };
    let page = Page {
        verdict: verdict.as_str(),
        verdict_word: verdict.as_str().to_uppercase(),
        exit_code: exit_code::for_verdict(verdict),
        headline: headline(report, verdict),
        meta: Some(&meta_view),
        tool: &meta.tool,
        gates,
        rollbacks,
        omitted: problems.len().saturating_sub(MAX_CHECKS_SHOWN),
        sections,
        passing,
    };
    templates::render("report.html", page)
}

/// One sentence under the verdict.
fn headline(report: &RunReport, verdict: Verdict) -> String {
    let labels = |wanted: GateVerdict| {
        report
            .gates
            .iter()
            .filter(|g| g.verdict() == wanted)
            .map(GateReport::label)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match verdict {
        Verdict::Rollback => format!(
            "Roll back: enforcing gates failed: {}.",
            labels(GateVerdict::Rollback)
        ),
        Verdict::Error => {
            let undecided = labels(GateVerdict::Error);
            if undecided.is_empty() {
                "Cannot decide: no gate ran.".to_string()
            } else {
                format!("Cannot decide: {undecided} could not be evaluated.")
            }
        }
        Verdict::Pass => format!("Every gate passed ({} gates).", report.gates.len()),
    }
}

fn rollback_row(gate: &GateReport, plan: Option<&RollbackPlan>) -> RollbackRow {
    let plan = plan.cloned().unwrap_or_default();
    let procedure = plan.procedure.as_deref().map(str::trim);
    let (url, path, text) = match procedure {
        Some(p) if plan.procedure_is_link() && p.contains("://") => {
            (Some(p.to_string()), None, None)
        }
        Some(p) if plan.procedure_is_link() => (None, Some(p.to_string()), None),
        Some(p) => (None, None, Some(p.to_string())),
        None => (
            None,
            None,
            Some(
                "No procedure configured: revert the change that introduced the regression \
                 and redeploy the previous release."
                    .to_string(),
            ),
        ),
    };
    RollbackRow {
        label: gate.label(),
        risk: plan.risk.map_or("not set", |r| r.as_str()),
        time: plan
            .time_to_rollback
            .unwrap_or_else(|| "not set".to_string()),
        url,
        path,
        text,
    }
}

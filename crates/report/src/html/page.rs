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
    notes: Vec<NoteRow>,
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

/// A line about a gate as a whole (what its comparisons can detect).
#[derive(Serialize)]
struct NoteRow {
    gate: String,
    text: String,
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
        let shown = view(check, *attention, format!("check-{}", i + 1));
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
    let notes = report
        .gates
        .iter()
        .flat_map(|g| {
            g.notes.iter().map(|n| NoteRow {
                gate: g.label(),
                text: n.clone(),
            })
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
        notes,
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
        // Only a web address becomes a link: any other scheme (`javascript://...`,
        // `file://...`) is shown as text like a path.
        Some(p) if plan.procedure_is_link() && is_web_address(p) => {
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

/// Whether `procedure` is an `http` or `https` address.
fn is_web_address(procedure: &str) -> bool {
    let lower = procedure.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::marks;
    use safety_gate_core::evidence::{
        ChangeEvidence, Evidence, SampleEvidence, SchemaChange, SchemaEvidence, TrendEvidence,
        TrendPoint, ValueChange,
    };
    use safety_gate_core::{Check, Direction, Mode, Risk};

    fn meta() -> Meta {
        Meta {
            time: "2026-11-27T01:02:03Z".into(),
            commit: Some("0123abc".into()),
            command: "safety-gate check --config <demo>.toml".into(),
            tool: "safety-gate 0.1.0".into(),
        }
    }

    fn samples() -> Evidence {
        Evidence::Samples(SampleEvidence {
            statistic: "median".into(),
            baseline: vec![1.0, 1.02, 0.98, 1.01, 0.99, 4.0],
            current: vec![1.1, 1.12, 1.08, 1.11, 1.09],
            baseline_left_out: vec![5],
            current_left_out: Vec::new(),
        })
    }

    fn trend() -> Evidence {
        Evidence::Trend(TrendEvidence {
            better: Some(Direction::Lower),
            points: (0..8)
                .map(|i| TrendPoint {
                    time: format!("2026-11-{:02}T02:00:00Z", i + 1),
                    commit: None,
                    value: 1.25 * 1.01_f64.powi(i),
                    failed: i == 7,
                })
                .collect(),
            fit_start: 1.25,
            fit_end: 1.34,
        })
    }

    /// A run with a failing sampled benchmark, a drifting series, a golden change, a
    /// breaking schema change, an undecided check and a pass.
    fn report() -> RunReport {
        let mut perf = GateReport::new("perf", "tick", Mode::Enforce);
        perf.push(
            Check::fail("tick_<ms>", "regressed: median 1.0 -> 1.1")
                .with_values(1.0, 1.1, 0.1)
                .with_threshold(0.05)
                .with_statistics(0.001, [0.08, 0.12])
                .with_unit("ms")
                .with_direction(Direction::Lower)
                .with_evidence(samples()),
        );
        perf.push(Check::pass("ticks_per_s", "within threshold"));
        perf.notes
            .push("min detectable change (90% power): at most 2.1% <under every threshold>".into());
        let mut drift = GateReport::new("drift", "nightly.jsonl", Mode::Enforce);
        let mut drifting = Check::fail("perf/tick/tick_ms", "drifted: +7.20%")
            .with_values(1.25, 1.34, 0.072)
            .with_threshold(0.05)
            .with_unit("ms")
            .with_details(["values, oldest first: ...".to_string()])
            .with_evidence(trend());
        drifting.p_value = Some(0.0004);
        drift.push(drifting);
        let mut golden = GateReport::new("characterization", "demo", Mode::Warn);
        golden.push(
            Check::fail("golden:metrics.json", "1 difference")
                .with_details(["changed /a: 0 -> 2".to_string()])
                .with_evidence(Evidence::Changes(ChangeEvidence {
                    changes: vec![ValueChange {
                        at: "/a".into(),
                        change: "changed".into(),
                        old: Some("0".into()),
                        new: Some("<b>2</b>".into()),
                    }],
                    total: 3,
                })),
        );
        let mut snapshot = GateReport::new("snapshot", "api", Mode::Enforce);
        snapshot.push(
            Check::fail("compat:v1.json", "1 breaking change").with_evidence(Evidence::Schema(
                SchemaEvidence {
                    changes: vec![
                        SchemaChange {
                            pointer: "/properties/a/enum".into(),
                            rule: "enum".into(),
                            verdict: "compatible".into(),
                            message: "widens".into(),
                            example: None,
                        },
                        SchemaChange {
                            pointer: "/required".into(),
                            rule: "required".into(),
                            verdict: "breaking".into(),
                            message: "\"tick\" is a required property".into(),
                            example: Some("{\"v\":1}".into()),
                        },
                    ],
                },
            )),
        );
        snapshot.push(Check::error("schema", "failed to read s.json: not found"));
        RunReport {
            gates: vec![perf, drift, golden, snapshot],
        }
    }

    fn plans() -> BTreeMap<String, RollbackPlan> {
        BTreeMap::from([(
            "perf/tick".to_string(),
            RollbackPlan {
                procedure: Some("docs/ROLLBACK.md#tick".into()),
                risk: Some(Risk::High),
                time_to_rollback: Some("15 minutes".into()),
            },
        )])
    }

    /// The page with each chart's SVG replaced by the count of its marks, and the
    /// stylesheet left out: the structure, not the drawing's coordinates.
    fn normalised(html: &str) -> String {
        let svg = regex::Regex::new(r"(?s)<svg .*?</svg>").expect("regex");
        let style = regex::Regex::new(r"(?s)<style>.*?</style>").expect("regex");
        let html = style.replace(html, "<style>…</style>");
        svg.replace_all(&html, |c: &regex::Captures<'_>| {
            let (filled, hollow, polygons) = marks(&c[0]);
            format!("<svg filled={filled} hollow={hollow} polygons={polygons}/>")
        })
        .into_owned()
    }

    #[test]
    fn every_failing_benchmark_and_drifting_series_is_drawn() {
        let html = render(&report(), &plans(), &meta()).expect("rendered");
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert_eq!(html.matches("<figure class=\"chart\"").count(), 2);
        assert_eq!(html.matches("data-kind=\"samples\"").count(), 1);
        assert_eq!(html.matches("data-kind=\"trend\"").count(), 1);
        // Marks: five kept current and five kept baseline samples, one hollow outlier
        // and one estimate; eight nights, one ringed.
        let charts: Vec<(usize, usize, usize)> = html
            .split("<svg ")
            .skip(1)
            .map(|rest| {
                marks(&format!(
                    "<svg {}",
                    rest.split("</svg>").next().unwrap_or("")
                ))
            })
            .collect();
        assert_eq!(charts, vec![(10, 1, 1), (8, 1, 0)]);
        assert!(html.contains("data-marks=\"samples=10 left-out=1 estimate=1\""));
        assert!(html.contains("data-marks=\"nights=8 failing=1\""));
        insta::assert_snapshot!(normalised(&html));
    }

    #[test]
    fn the_page_is_self_contained_and_escapes_what_it_shows() {
        let html = render(&report(), &plans(), &meta()).expect("rendered");
        for outside in [
            "<script",
            "<link",
            "src=\"http",
            "href=\"http",
            "@import",
            "url(",
        ] {
            assert!(!html.contains(outside), "{outside}");
        }
        assert!(html.contains("tick_&lt;ms&gt;"));
        assert!(
            html.contains("&lt;b&gt;2&lt;&#x2f;b&gt;"),
            "a value is text, not markup"
        );
        assert!(!html.contains("<b>2</b>"));
        assert!(html.contains("<code>docs&#x2f;ROLLBACK.md#tick</code>"));
        // The breaking change leads its table.
        let breaking = html
            .find("<td class=\"value\">&#x2f;required</td>")
            .expect("breaking row");
        let compatible = html
            .find("&#x2f;properties&#x2f;a&#x2f;enum")
            .expect("compatible row");
        assert!(breaking < compatible);
    }

    #[test]
    fn a_gates_notes_are_shown_under_the_gate_table() {
        let html = render(&report(), &plans(), &meta()).expect("rendered");
        let notes = html.find("<ul class=\"gate-notes\">").expect("notes");
        assert!(notes > html.find("<table class=\"gates\">").expect("gate table"));
        assert!(
            html[notes..].starts_with(
                "<ul class=\"gate-notes\">\n<li><b>perf&#x2f;tick</b>: min detectable change \
                 (90% power): at most 2.1% &lt;under every threshold&gt;</li>\n</ul>"
            ),
            "{}",
            &html[notes..]
        );
        let mut quiet = report();
        quiet.gates[0].notes.clear();
        let html = render(&quiet, &plans(), &meta()).expect("rendered");
        assert!(!html.contains("gate-notes\">"), "no notes, no list");
    }

    #[test]
    fn evidence_too_wide_to_draw_says_so_and_the_page_still_renders() {
        let mut gate = GateReport::new("perf", "wide", Mode::Enforce);
        gate.push(
            Check::fail("x", "slower")
                .with_details(["samples: ...".to_string()])
                .with_evidence(Evidence::Samples(SampleEvidence {
                    statistic: "median".into(),
                    baseline: vec![f64::MIN, 1.0],
                    current: vec![f64::MAX],
                    baseline_left_out: Vec::new(),
                    current_left_out: Vec::new(),
                })),
        );
        let html =
            render(&RunReport { gates: vec![gate] }, &BTreeMap::new(), &meta()).expect("rendered");
        assert!(!html.contains("<figure"), "{html}");
        assert!(
            html.contains("<p class=\"meta chart-missing\">No chart: the values from"),
            "{html}"
        );
        // The evidence as text is shown, not folded away behind the missing chart.
        assert!(html.contains("<pre>samples: ...\n</pre>"), "{html}");
        assert!(!html.contains("The same evidence as text"), "{html}");
    }

    #[test]
    fn many_problems_are_counted_beyond_the_cap() {
        let mut gate = GateReport::new("perf", "many", Mode::Enforce);
        for i in 0..MAX_CHECKS_SHOWN + 5 {
            gate.push(Check::fail(format!("b{i}"), "slower").with_values(1.0, 2.0, 1.0));
        }
        let html =
            render(&RunReport { gates: vec![gate] }, &BTreeMap::new(), &meta()).expect("rendered");
        assert_eq!(html.matches("<article").count(), MAX_CHECKS_SHOWN);
        assert!(html.contains("5 more checks need attention"), "cap note");
    }
}

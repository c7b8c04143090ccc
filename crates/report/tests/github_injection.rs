//! No name from an input can command GitHub. Hostile text (workflow-command openers,
//! line breaks of every kind, escapes, Markdown and HTML, mentions, output delimiters)
//! in every name a report carries is rendered into each GitHub-facing output, and each
//! is read back as GitHub reads it:
//!
//! - the runner's log (the human report under `--github`, stderr): no line is a
//!   workflow command, read as the runner does (lines end at `\n`, `\r` or `\r\n`; a
//!   command is a line starting with `::` after whitespace, or holding `##[`);
//! - annotations: one command per line, `error` or `warning`, whose title, file and
//!   message read back as written;
//! - step outputs: read as the runner reads `$GITHUB_OUTPUT`, exactly the five outputs,
//!   with their values whole;
//! - the step summary and pull-request comment (with rollback plans and the Mermaid
//!   charts of drifting series) and `history show --markdown`, parsed as CommonMark
//!   with GitHub's tables: no HTML, link, image or math, no emphasis but ours, every
//!   table row with its own number of cells, every name shown as text.

use proptest::prelude::*;
use proptest::test_runner::Config;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use safety_gate_core::check::Occurrence;
use safety_gate_core::evidence::{Evidence, TrendEvidence};
use safety_gate_core::{
    Check, GateReport, GateVerdict, Location, Mode, RollbackPlan, RunReport, Status,
};
use safety_gate_report::github::{StepOutputs, annotations, relative};
use safety_gate_report::{github_text, history, human, pr_comment, rollback, summary};
use std::collections::BTreeMap;
use std::path::Path;

mod common;

fn config() -> Config {
    common::config(256, 0x9174_b0b5)
}

/// Pieces of text that mean something to GitHub, its runner or Markdown.
const PIECES: &[&str] = &[
    "::",
    "##[",
    "\n",
    "\r",
    "\r\n",
    "::stop-commands::",
    "::error::",
    "::set-output name=x::",
    "##[add-mask]",
    "::add-mask::",
    "%",
    "%0A",
    "%25",
    ",",
    ":",
    "]",
    "[",
    " ",
    "\t",
    "\u{b}",
    "\u{c}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{a0}",
    "\u{3000}",
    "\u{feff}",
    "\u{200b}",
    "`",
    "```",
    "\n```\n",
    "~~~",
    "|",
    "<",
    ">",
    "&",
    "&lt;",
    "*",
    "**",
    "_",
    "~~",
    "$",
    "$$",
    "@",
    "@org/team",
    "\\",
    "!",
    "(",
    ")",
    "<script>",
    "<!--",
    "](https://e.invalid)",
    "![x](y)",
    "EOF",
    "<<",
    "=",
    "ghadelimiter_",
    "verdict=pass",
    "- ",
    "# ",
    "> ",
    "1. ",
];

/// A string made of those pieces and arbitrary characters.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z]{1,4}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

/// A name: hostile, but never empty (a gate or check always has one).
fn name() -> impl Strategy<Value = String> {
    hostile().prop_map(|s| if s.is_empty() { "n".to_string() } else { s })
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![Just(Status::Fail), Just(Status::Error), Just(Status::Warn)]
}

/// A report whose every name, message, detail, unit, note, path and night is hostile;
/// some gates are drift gates whose checks carry a trend to chart.
fn report() -> impl Strategy<Value = RunReport> {
    let check = (
        name(),
        status(),
        hostile(),
        prop::collection::vec(hostile(), 0..3),
        hostile(),
        prop::option::of(hostile()),
        prop::collection::vec((hostile(), hostile()), 0..3),
    );
    let gate = (
        name(),
        prop::collection::vec(hostile(), 0..2),
        prop::collection::vec(check, 1..4),
        prop::option::of(hostile()),
    );
    prop::collection::vec(gate, 1..3).prop_map(|gates| RunReport {
        gates: gates
            .into_iter()
            .map(|(gate_name, notes, checks, drift_nights)| {
                let kind = if drift_nights.is_some() {
                    "drift"
                } else {
                    "perf"
                };
                let mut g = GateReport::new(kind, gate_name, Mode::Enforce);
                g.notes = notes;
                for (i, (id, status, message, details, file, unit, found)) in
                    checks.into_iter().enumerate()
                {
                    let occurrences = found.into_iter().map(|(file, message)| Occurrence {
                        location: Location::line(format!("{file}y"), 3),
                        message,
                    });
                    let mut c = Check::new(format!("{id}{i}"), status, message)
                        .with_values(1.0, 2.0, 1.0)
                        .with_details(details)
                        .with_location(Location::line(format!("{file}x"), 3))
                        .with_occurrences(occurrences);
                    c.unit = unit;
                    if let Some(time) = &drift_nights {
                        c = c.with_evidence(Evidence::Trend(TrendEvidence {
                            better: None,
                            points: common::nights(time, &[1.0, 1.1, 1.2, 1.3]),
                            fit_start: 1.0,
                            fit_end: 1.3,
                        }));
                    }
                    g.push(c);
                }
                g
            })
            .collect(),
    })
}

/// The lines of text as the runner splits them: at `\n`, `\r` or `\r\n`.
fn runner_lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(str::to_string)
        .collect()
}

/// Whether the runner could read this line as a workflow command, taken broadly: the
/// `::` form after any leading whitespace, or the older `##[` form anywhere.
fn could_be_a_command(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

/// A `::name props::data` line as the runner's `TryParseV2` reads it.
struct Command {
    name: String,
    properties: BTreeMap<String, String>,
    data: String,
}

/// Undoes `%XX` escapes in one pass, as the runner does.
fn unescape(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for (token, escaped) in pairs {
            if let Some(after) = rest.strip_prefix(escaped) {
                out.push_str(token);
                rest = after;
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

const DATA: &[(&str, &str)] = &[("\r", "%0D"), ("\n", "%0A"), ("%", "%25")];
const PROPERTY: &[(&str, &str)] = &[
    ("\r", "%0D"),
    ("\n", "%0A"),
    (":", "%3A"),
    (",", "%2C"),
    ("%", "%25"),
];

fn parse_v2(line: &str) -> Option<Command> {
    let message = line.trim_start().strip_prefix("::")?;
    let end = message.find("::")?;
    let (info, data) = (&message[..end], &message[end + 2..]);
    let (name, props) = info.split_once(' ').unwrap_or((info, ""));
    let mut properties = BTreeMap::new();
    for prop in props.trim().split(',').filter(|p| !p.is_empty()) {
        let (k, v) = prop.split_once('=')?;
        properties.insert(k.to_string(), unescape(v, PROPERTY));
    }
    Some(Command {
        name: name.to_string(),
        properties,
        data: unescape(data, DATA),
    })
}

/// `$GITHUB_OUTPUT` read as the runner reads it: `NAME=VALUE`, or `NAME<<DELIMITER`
/// up to a line equal to the delimiter.
fn parse_outputs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.split('\n');
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let eq = line.find('=');
        let heredoc = line.find("<<");
        match (eq, heredoc) {
            (Some(e), h) if h.is_none_or(|h| e < h) => {
                out.push((line[..e].to_string(), line[e + 1..].to_string()));
            }
            (_, Some(h)) => {
                let (name, delim) = (&line[..h], &line[h + 2..]);
                let mut value = Vec::new();
                for l in lines.by_ref() {
                    if l == delim {
                        break;
                    }
                    value.push(l);
                }
                out.push((name.to_string(), value.join("\n")));
            }
            _ => panic!("not an output line: {line:?}"),
        }
    }
    out
}

/// Text compared as GitHub shows it: without zero-width spaces, every run of
/// whitespace (line breaks included) one space, trimmed.
fn shown(text: &str) -> String {
    text.replace('\u{200b}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses Markdown as GitHub does (tables, strikethrough, math) and checks its shape:
/// returns the text it shows, or why it is not only text.
fn markdown_text(markdown: &str, strong_expected: usize) -> Result<String, String> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_MATH;
    let mut text = String::new();
    let (mut strong, mut cells, mut row_cells) = (0, None, 0);
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => return Err(format!("HTML {h:?}")),
            Event::InlineMath(m) | Event::DisplayMath(m) => return Err(format!("math {m:?}")),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => return Err("a link".into()),
            Event::Start(Tag::Emphasis | Tag::Strikethrough) => return Err("emphasis".into()),
            Event::Start(Tag::Strong) => strong += 1,
            Event::Start(Tag::TableHead | Tag::TableRow) => row_cells = 0,
            Event::Start(Tag::TableCell) => row_cells += 1,
            Event::End(TagEnd::TableHead) => cells = Some(row_cells),
            Event::End(TagEnd::TableRow) if Some(row_cells) != cells => {
                return Err(format!("a row of {row_cells} cells, not {cells:?}"));
            }
            Event::End(TagEnd::Table) => cells = None,
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    if strong != strong_expected {
        return Err(format!("{strong} bold spans, not {strong_expected}"));
    }
    Ok(shown(&text))
}

proptest! {
    #![proptest_config(config())]

    /// Whatever text is marked for the runner's log, no line of it is a command.
    #[test]
    fn no_log_line_is_a_command(text in hostile()) {
        for line in runner_lines(&github_text::log(&text)) {
            prop_assert!(!could_be_a_command(&line), "{line:?} from {text:?}");
        }
    }

    /// The human report under `--github`: no line is a command; annotations: one
    /// `error` or `warning` command per line, whose title, file and message read back.
    #[test]
    fn stdout_under_github_holds_only_our_commands(report in report()) {
        let human = github_text::log(&human::render(&report, human::Style { color: false }, false));
        for line in runner_lines(&human) {
            prop_assert!(!could_be_a_command(&line), "{line:?}");
        }
        let notes = annotations(&report, None);
        for line in &notes.lines {
            prop_assert_eq!(runner_lines(line).len(), 1, "{:?}", line);
            let command = parse_v2(line);
            prop_assert!(command.is_some(), "{line:?}");
            let command = command.expect("parsed");
            prop_assert!(command.name == "error" || command.name == "warning", "{line:?}");
            let title = &command.properties["title"];
            let file = command.properties.get("file").cloned();
            // Gates may share a name: some check with this title has this file and message.
            let found = report
                .gates
                .iter()
                .flat_map(|g| g.checks.iter().map(move |c| (g, c)))
                .filter(|(g, c)| *title == safety_gate_report::github::title(g, c))
                .any(|(_, c)| {
                    let at = |l: &Location| Some(relative(&l.file, None));
                    if c.occurrences.is_empty() {
                        c.location.as_ref().and_then(at) == file
                            && command.data.starts_with(&c.message)
                    } else {
                        // A check about several places is annotated on each.
                        c.occurrences
                            .iter()
                            .any(|o| at(&o.location) == file && command.data == o.message)
                    }
                });
            prop_assert!(found, "{line:?} reads back as no check");
            prop_assert_eq!(command.properties.get("line").map(String::as_str), Some("3"));
        }
    }

    /// `$GITHUB_OUTPUT` reads back as exactly the five outputs, values whole, one item
    /// per failed gate.
    #[test]
    fn step_outputs_read_back_whole(
        report in report(),
        junit in hostile(),
        delimiter in prop::sample::select(&["EOF", "ghadelimiter_1", "x"][..]),
    ) {
        let outputs = StepOutputs::of(&report, Some(Path::new(&junit)), None, None);
        let read = parse_outputs(&outputs.render(delimiter));
        let names: Vec<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
        prop_assert_eq!(
            names,
            ["verdict", "rollback", "failed-gates", "junit-path", "report-path", "html-path"]
        );
        prop_assert_eq!(&read[3].1, &junit);
        let gates: Vec<String> = read[2]
            .1
            .split(',')
            .filter(|g| !g.is_empty())
            .map(|g| unescape(g, &[(",", "%2C"), ("%", "%25")]))
            .collect();
        prop_assert_eq!(gates, outputs.failed_gates);
    }

    /// The step summary and the pull-request comment show every name as text: no HTML,
    /// link, image, math or emphasis, bold only where the summary puts it, every table
    /// row whole; with every gate's rollback plan hostile too, as a link or as text.
    #[test]
    fn markdown_shows_names_as_text(
        report in report(),
        procedure in hostile(),
        link in any::<bool>(),
        time in prop::option::of(hostile()),
    ) {
        let notes = annotations(&report, None);
        let checks: usize = report.gates.iter().map(|g| g.checks.len()).sum();
        let fails = report.gates.iter().flat_map(|g| &g.checks).filter(|c| c.status == Status::Fail).count();
        let gate_notes: usize = report.gates.iter().map(|g| g.notes.len()).sum();
        let procedure = if link {
            format!("{}#x", procedure.replace(char::is_whitespace, ""))
        } else {
            format!("{procedure} x")
        };
        let plan = RollbackPlan {
            procedure: Some(procedure),
            risk: None,
            time_to_rollback: time,
        };
        prop_assert_eq!(plan.procedure_is_link(), link);
        let shown_plan: Vec<String> = [plan.procedure.as_deref(), plan.time_to_rollback.as_deref()]
            .into_iter()
            .flatten()
            .map(shown)
            .filter(|t| !t.is_empty())
            .collect();
        let triggered = report.gates.iter().any(|g| g.verdict() == GateVerdict::Rollback);
        let plans = report.gates.iter().map(|g| (g.label(), plan.clone())).collect();
        for markdown in [
            summary::render(&report, &notes, None, &plans),
            pr_comment::render(&report, None, &plans),
        ] {
            let text = markdown_text(&markdown, fails + checks + gate_notes);
            prop_assert!(text.is_ok(), "{:?}\n{}", text, markdown);
            let text = text.expect("text");
            for gate in &report.gates {
                prop_assert!(text.contains(&shown(&gate.label())), "{:?} not in {text:?}", gate.label());
                for check in &gate.checks {
                    prop_assert!(text.contains(&shown(&check.id)), "{:?}", check.id);
                    prop_assert!(text.contains(&shown(&check.message)), "{:?}", check.message);
                    for detail in &check.details {
                        prop_assert!(text.contains(&shown(detail)), "{:?}", detail);
                    }
                }
            }
            // The rollback table shows the plan whole, a pipe in it included.
            for part in shown_plan.iter().filter(|_| triggered) {
                prop_assert!(text.contains(part.as_str()), "{:?} not in {text:?}", part);
            }
        }
    }

    /// The rollback report (posted as an issue or incident) shows every name, message,
    /// path and detail of what triggered it as text; only the config's own procedure is
    /// Markdown, so none is configured here.
    #[test]
    fn rollback_report_shows_names_as_text(
        report in report(),
        command in hostile(),
        time in prop::option::of(hostile()),
    ) {
        let plan = RollbackPlan { procedure: None, risk: None, time_to_rollback: time };
        let plans = report.gates.iter().map(|g| (g.label(), plan.clone())).collect();
        let meta = rollback::Meta {
            time: "2026-12-03T00:00:00Z".into(),
            commit: None,
            command: command.clone(),
            tool: "safety-gate".into(),
        };
        let markdown = rollback::render(&report, &plans, &meta);
        let triggered: Vec<&GateReport> = report
            .gates
            .iter()
            .filter(|g| g.verdict() == GateVerdict::Rollback)
            .collect();
        let failing = |g: &GateReport| -> Vec<Check> {
            g.checks.iter().filter(|c| c.effective_status() == Status::Fail).cloned().collect()
        };
        // Five facts in bold, then one bold id per failing check of a triggering gate.
        let strong = 5 + triggered.iter().map(|g| failing(g).len()).sum::<usize>();
        let text = markdown_text(&markdown, strong);
        prop_assert!(text.is_ok(), "{:?}\n{}", text, markdown);
        let text = text.expect("text");
        prop_assert!(text.contains(&shown(&command)), "{:?} not in {text:?}", command);
        for gate in triggered {
            prop_assert!(text.contains(&shown(&gate.label())), "{:?}", gate.label());
            for check in failing(gate) {
                prop_assert!(text.contains(&shown(&check.id)), "{:?}", check.id);
                prop_assert!(text.contains(&shown(&check.message)), "{:?}", check.message);
                for detail in check.details.iter().take(40) {
                    prop_assert!(text.contains(&shown(detail)), "{:?}", detail);
                }
            }
        }
    }

    /// `history show --markdown` (appended to the nightly step summary) shows every
    /// series name and unit as text, whatever the history file holds.
    #[test]
    fn history_markdown_shows_names_as_text(
        series in prop::collection::vec((name(), prop::option::of(hostile()), hostile()), 1..4),
    ) {
        let trends = common::trends(&series);
        let markdown = history::render_markdown(&trends);
        let drifting = trends.series.iter().filter(|t| t.drift.as_ref().is_some_and(|d| d.drifted)).count();
        let text = markdown_text(&markdown, drifting);
        prop_assert!(text.is_ok(), "{:?}\n{}", text, markdown);
        let text = text.expect("text");
        for (id, unit, _) in &series {
            prop_assert!(text.contains(&shown(id)), "{:?} not in {text:?}", id);
            if let Some(unit) = unit {
                prop_assert!(text.contains(&shown(unit)), "{:?} not in {text:?}", unit);
            }
        }
    }
}

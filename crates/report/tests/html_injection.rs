//! Property tests: whatever names, messages, values, units, times, paths and rollback
//! plans a run holds, the HTML report and the trend page show them as text. Each page is
//! read back with a WHATWG HTML tokenizer (what a browser does first): only the
//! elements and attributes the templates write, no event handler, no link but an
//! in-page anchor or a web address, one article per check that needs attention (or per
//! series) carrying its own name, and every hostile text shown whole.
//!
//! The run holds a gate of every kind: perf (samples drawn), drift (a trend drawn),
//! characterization (changed values), snapshot (schema changes), findings (new findings
//! at their lines), and the bookkeeping gates trust, waivers and outputs.

use html5gum::{DefaultEmitter, Token, Tokenizer};
use proptest::prelude::*;
use safety_gate_core::check::Occurrence;
use safety_gate_core::evidence::{
    ChangeEvidence, Evidence, SampleEvidence, SchemaChange, SchemaEvidence, TrendEvidence,
    ValueChange,
};
use safety_gate_core::{
    Check, Direction, GateReport, Location, Mode, RollbackPlan, RunReport, Status,
};
use safety_gate_report::attention::needing_attention;
use safety_gate_report::html;
use safety_gate_report::rollback::Meta;
use std::collections::{BTreeMap, BTreeSet};

mod common;

fn config() -> proptest::test_runner::Config {
    common::config(128, 0x4854_4d4c)
}

/// Pieces of text that mean something to HTML, SVG, CSS, URLs or templates.
const PIECES: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "`",
    "/",
    "=",
    "<script>alert(1)</script>",
    "</style>",
    "</title>",
    "</pre>",
    "</textarea>",
    "</svg>",
    "<svg onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "\" onmouseover=\"alert(1)",
    "' autofocus onfocus='x",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&lt;b&gt;",
    "&#x3c;",
    "javascript://%0aalert(1)",
    "url(http://e.invalid)",
    "@import",
    "{{ 7*7 }}",
    "{% raw %}",
    "{#",
    "#}",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "\u{200b}",
];

/// A string made of those pieces and arbitrary characters (never NUL, which HTML
/// shows as U+FFFD).
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(PIECES).prop_map(str::to_string),
        any::<char>()
            .prop_filter("not NUL", |c| *c != '\0')
            .prop_map(String::from),
        "[a-z]{1,3}",
    ];
    prop::collection::vec(piece, 1..5).prop_map(|parts| parts.concat())
}

/// A name that is not blank: an id or a gate name always shows something.
fn name() -> impl Strategy<Value = String> {
    hostile().prop_map(|s| format!("n{s}"))
}

/// Every text a run may hold, drawn once and spread over the gates of [`run`].
#[derive(Debug, Clone)]
struct Texts {
    gates: Vec<String>,
    ids: Vec<String>,
    messages: Vec<String>,
    details: Vec<String>,
    notes: Vec<String>,
    unit: String,
    file: String,
    time: String,
    values: Vec<String>,
    plan: (String, String),
    command: String,
}

fn texts() -> impl Strategy<Value = Texts> {
    (
        prop::collection::vec(name(), 8),
        prop::collection::vec(name(), 10),
        prop::collection::vec(hostile(), 10),
        prop::collection::vec(hostile(), 4),
        prop::collection::vec(hostile(), 2),
        (hostile(), hostile(), hostile()),
        prop::collection::vec(hostile(), 8),
        (hostile(), hostile(), hostile()),
    )
        .prop_map(
            |(gates, ids, messages, details, notes, (unit, file, time), values, rest)| Texts {
                gates,
                ids,
                messages,
                details,
                notes,
                unit,
                file,
                time,
                values,
                plan: (rest.0, rest.1),
                command: rest.2,
            },
        )
}

/// A run with a gate of every kind, every text from `t`, `status` for the checks that
/// need attention.
fn run(t: &Texts, status: Status) -> RunReport {
    let check = |i: usize| Check::new(t.ids[i].clone(), status, t.messages[i].clone());
    let mut perf = GateReport::new("perf", t.gates[0].clone(), Mode::Enforce);
    perf.notes = t.notes.clone();
    perf.push(
        check(0)
            .with_values(1.0, 1.1, 0.1)
            .with_threshold(0.05)
            .with_statistics(0.001, [0.08, 0.12])
            .with_unit(t.unit.clone())
            .with_direction(Direction::Lower)
            .with_details(t.details.clone())
            .with_evidence(Evidence::Samples(SampleEvidence {
                statistic: t.values[0].clone(),
                baseline: vec![1.0, 1.02, 0.98, 1.01, 4.0],
                current: vec![1.1, 1.12, 1.08],
                baseline_left_out: vec![4],
                current_left_out: Vec::new(),
            })),
    );
    perf.push(Check::pass(t.ids[1].clone(), t.messages[1].clone()));
    let mut series = GateReport::new("drift", t.gates[1].clone(), Mode::Enforce);
    series.push(
        check(2)
            .with_values(1.0, 1.3, 0.3)
            .with_threshold(0.05)
            .with_unit(t.unit.clone())
            .with_evidence(Evidence::Trend(TrendEvidence {
                better: Some(Direction::Lower),
                points: common::nights(&t.time, &[1.0, 1.1, 1.2, 1.3]),
                fit_start: 1.0,
                fit_end: 1.3,
            })),
    );
    let mut golden = GateReport::new("characterization", t.gates[2].clone(), Mode::Warn);
    golden.push(check(3).with_evidence(Evidence::Changes(ChangeEvidence {
        changes: vec![ValueChange {
            at: t.values[1].clone(),
            change: "changed".into(),
            old: Some(t.values[2].clone()),
            new: Some(t.values[3].clone()),
        }],
        total: 2,
    })));
    let mut snapshot = GateReport::new("snapshot", t.gates[3].clone(), Mode::Enforce);
    snapshot.push(check(4).with_evidence(Evidence::Schema(SchemaEvidence {
        changes: vec![SchemaChange {
            pointer: t.values[4].clone(),
            rule: t.values[5].clone(),
            verdict: "breaking".into(),
            message: t.values[6].clone(),
            example: Some(t.values[7].clone()),
        }],
    })));
    let mut findings = GateReport::new("findings", t.gates[4].clone(), Mode::Enforce);
    let at = Location::line(t.file.clone(), 3);
    findings.push(
        check(5)
            .with_location(at.clone())
            .with_details(t.details.iter().map(|d| format!("new: {d}")))
            .with_occurrences([Occurrence {
                location: at,
                message: t.messages[5].clone(),
            }]),
    );
    findings.push(check(6).with_details(t.details.iter().map(|d| format!("{d}: 2"))));
    let mut trust = GateReport::bookkeeping("trust", t.gates[5].clone());
    trust.push(check(7).bookkeeping());
    let mut waivers = GateReport::bookkeeping("waivers", t.gates[6].clone());
    waivers.push(check(8).bookkeeping());
    let mut outputs = GateReport::bookkeeping("outputs", t.gates[7].clone());
    outputs.push(Check::error(t.ids[9].clone(), t.messages[9].clone()).bookkeeping());
    RunReport {
        gates: vec![
            perf, series, golden, snapshot, findings, trust, waivers, outputs,
        ],
    }
}

/// Elements the templates and the SVG charts write.
const ELEMENTS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "p",
    "b",
    "code",
    "pre",
    "a",
    "span",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "section",
    "article",
    "details",
    "summary",
    "figure",
    "figcaption",
    "svg",
    "g",
    "rect",
    "circle",
    "line",
    "polyline",
    "polygon",
    "path",
    "text",
];

/// Attributes the templates and the SVG charts write.
const ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "class",
    "id",
    "href",
    "style",
    "data-gate",
    "data-check",
    "data-status",
    "data-kind",
    "data-marks",
    "width",
    "height",
    "viewbox",
    "xmlns",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "points",
    "d",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "opacity",
    "fill-opacity",
    "stroke-opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dy",
    "dominant-baseline",
    "transform",
    "role",
    "aria-label",
];

/// Text compared as a reader sees it: without zero-width spaces and byte-order marks,
/// every run of whitespace one space, trimmed.
fn shown(text: &str) -> String {
    text.replace(['\u{200b}', '\u{feff}'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a page holds as a browser tokenizes it.
struct Read {
    text: String,
    articles: Vec<String>,
}

/// Tokenizes `page` and checks its shape; returns its text and each article's
/// `data-check`, or why the page is not only our markup.
fn read(page: &str) -> Result<Read, String> {
    let elements: BTreeSet<&str> = ELEMENTS.iter().copied().collect();
    let attributes: BTreeSet<&str> = ATTRIBUTES.iter().copied().collect();
    let swatch = regex::Regex::new(r"^[a-z-]+: #[0-9a-f]{6}$").expect("regex");
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let (mut text, mut articles, mut in_style) = (String::new(), Vec::new(), false);
    for token in Tokenizer::new_with_emitter(page, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_string();
                if !elements.contains(name.as_str()) {
                    return Err(format!("an element <{name}>"));
                }
                in_style = name == "style";
                for (key, value) in &tag.attributes {
                    let key = String::from_utf8_lossy(key).to_lowercase();
                    let value = String::from_utf8_lossy(value).to_string();
                    if !attributes.contains(key.as_str()) {
                        return Err(format!("an attribute {key}={value:?} on <{name}>"));
                    }
                    let web = value.starts_with("https://") || value.starts_with("http://");
                    if key == "href" && !(value.starts_with('#') || web) {
                        return Err(format!("a link to {value:?}"));
                    }
                    if key == "style" && !swatch.is_match(&value) {
                        return Err(format!("a style {value:?}"));
                    }
                    if key == "data-check" && name == "article" {
                        articles.push(value);
                    }
                }
            }
            Token::EndTag(_) => in_style = false,
            Token::String(s) if !in_style => {
                text.push_str(&String::from_utf8_lossy(&s));
                text.push(' ');
            }
            Token::Comment(c) => return Err(format!("a comment {c:?}")),
            // A control character or noncharacter from an input is shown as it is.
            Token::Error(e)
                if matches!(
                    *e,
                    html5gum::Error::ControlCharacterInInputStream
                        | html5gum::Error::NoncharacterInInputStream
                ) => {}
            Token::Error(e) => return Err(format!("a parse error {e:?}")),
            _ => {}
        }
    }
    Ok(Read {
        text: shown(&text),
        articles,
    })
}

fn meta(command: &str) -> Meta {
    Meta {
        time: "2026-11-27T01:02:03Z".into(),
        commit: Some("0123abc".into()),
        command: command.to_string(),
        tool: "safety-gate 0.1.0".into(),
    }
}

proptest! {
    #![proptest_config(config())]

    /// The HTML report of a run with hostile texts in every gate kind is our markup
    /// only, an article per check that needs attention in order, every text shown.
    #[test]
    fn the_html_report_shows_every_text_as_text(
        t in texts(),
        status in prop::sample::select(&[Status::Fail, Status::Error, Status::Warn][..]),
        link in any::<bool>(),
    ) {
        let report = run(&t, status);
        let procedure = if link {
            format!("{}#x", t.plan.0.replace(char::is_whitespace, ""))
        } else {
            format!("{} x", t.plan.0)
        };
        let plan = RollbackPlan {
            procedure: Some(procedure.clone()),
            risk: None,
            time_to_rollback: Some(t.plan.1.clone()),
        };
        let plans = report.gates.iter().map(|g| (g.label(), plan.clone())).collect();
        let page = html::render(&report, &plans, &meta(&t.command));
        prop_assert!(page.is_ok(), "{:?}", page.err());
        let page = page.expect("rendered");
        let read = read(&page);
        prop_assert!(read.is_ok(), "{:?}\n{}", read.as_ref().err(), page);
        let read = read.expect("read");
        let wanted: Vec<String> = needing_attention(&report)
            .iter()
            .map(|(_, c, _)| c.id.replace("\r\n", "\n").replace('\r', "\n"))
            .collect();
        prop_assert_eq!(&read.articles, &wanted);
        let mut shown_texts: Vec<&String> = t.gates.iter().chain(&t.ids).collect();
        shown_texts.extend(t.messages.iter().chain(&t.details).chain(&t.notes).chain(&t.values));
        shown_texts.extend([&t.unit, &t.file, &t.command]);
        if status == Status::Fail {
            shown_texts.extend([&procedure, &t.plan.1]);
        }
        for text in shown_texts {
            let text = shown(text);
            prop_assert!(read.text.contains(&text), "{:?} not shown in {:?}", text, read.text);
        }
    }

    /// The trend page of a history with hostile series names, units and times.
    #[test]
    fn the_trend_page_shows_every_text_as_text(
        series in prop::collection::vec((name(), prop::option::of(hostile()), hostile()), 1..4),
    ) {
        let trends = common::trends(&series);
        let page = html::history_page(&trends, "safety-gate 0.1.0");
        prop_assert!(page.is_ok(), "{:?}", page.err());
        let page = page.expect("rendered");
        let read = read(&page);
        prop_assert!(read.is_ok(), "{:?}\n{}", read.as_ref().err(), page);
        let read = read.expect("read");
        // HTML reads a line break `\r\n` or `\r` as `\n`, in attributes too.
        let ids: Vec<String> = series
            .iter()
            .map(|(id, _, _)| id.replace("\r\n", "\n").replace('\r', "\n"))
            .collect();
        prop_assert_eq!(&read.articles, &ids);
        for (id, unit, _) in &series {
            prop_assert!(read.text.contains(&shown(id)), "{:?} not shown", id);
            if let Some(unit) = unit {
                prop_assert!(read.text.contains(&shown(unit)), "{:?} not shown", unit);
            }
        }
        let svg = html::history_svg(&trends);
        prop_assert!(svg.is_ok(), "{:?}", svg.err());
        // The SVG file: our elements and attributes only.
        let svg = self::read(&svg.expect("drawn"));
        prop_assert!(svg.is_ok(), "{:?}", svg.err());
    }
}

/// The page names what it is about: a check's name, message and evidence, a gate's
/// note, the plan of a gate that must be rolled back; and none of them as markup.
#[test]
fn a_script_in_every_name_stays_text() {
    let script = "<script>alert(1)</script>";
    let t = Texts {
        gates: vec![script.to_string(); 8],
        ids: vec![script.to_string(); 10],
        messages: vec![script.to_string(); 10],
        details: vec![script.to_string()],
        notes: vec![script.to_string()],
        unit: script.to_string(),
        file: script.to_string(),
        time: script.to_string(),
        values: vec![script.to_string(); 8],
        plan: ("javascript://%0aalert(1)".to_string(), script.to_string()),
        command: script.to_string(),
    };
    let report = run(&t, Status::Fail);
    let plan = RollbackPlan {
        procedure: Some(t.plan.0.clone()),
        risk: None,
        time_to_rollback: Some(t.plan.1.clone()),
    };
    let plans: BTreeMap<String, RollbackPlan> = report
        .gates
        .iter()
        .map(|g| (g.label(), plan.clone()))
        .collect();
    let page = html::render(&report, &plans, &meta(script)).expect("rendered");
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(!page.contains("href=\"javascript"), "{page}");
    assert!(
        page.contains("<code>javascript:&#x2f;&#x2f;%0aalert(1)</code>"),
        "a scheme other than http(s) is shown, not linked"
    );
    let read = read(&page).expect("only our markup");
    assert_eq!(read.articles.len(), 9, "every check but the pass");
}

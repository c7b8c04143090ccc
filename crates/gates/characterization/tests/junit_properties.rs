//! Property tests of the JUnit reader and rules, with a fixed seed (override the case
//! count with `PROPTEST_CASES`):
//! - adding a failing testcase, or a bare `<failure>`/`<error>`, anywhere in a report
//!   (at any depth: in suites, testcases, wrappers, other outcome elements) makes the
//!   gate roll back in strict and lenient mode: a failure is never lost;
//! - per-test counts add up, and whitespace or comments between elements change nothing;
//! - whatever xmllint refuses as not well-formed, the reader refuses too (a
//!   differential test on mutated reports).

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::path::Path;

use safety_gate_characterization::junit::{Record, Tally, read_report};
use safety_gate_characterization::{CharacterizationConfig, Reruns};
use safety_gate_core::{GateVerdict, RunContext};

fn config() -> Config {
    Config {
        cases: 192,
        rng_seed: RngSeed::Fixed(0x7e57_a11e),
        failure_persistence: None,
        ..Config::default()
    }
}

/// One element of a generated report.
#[derive(Debug, Clone)]
enum Node {
    Suite(Vec<Node>),
    Case {
        name: u8,
        child: Option<&'static str>,
        status: Option<&'static str>,
        inner: Vec<Node>,
    },
    /// `<properties>`, `<system-out>` or an element no producer defines.
    Wrapper(&'static str, Vec<Node>),
    Rerun(&'static str),
}

fn node() -> impl Strategy<Value = Node> {
    let case = (
        0u8..12,
        prop::option::of(prop::sample::select(vec![
            "<failure message=\"Failed\">boom</failure>",
            "<error message=\"e\"/>",
            "<skipped/>",
            "<skipped type=\"pytest.xfail\"/>",
            "<failure message=\"[XPASS(strict)] x\"/>",
        ])),
        prop::option::of(prop::sample::select(vec![
            "status=\"notrun\"",
            "result=\"completed\"",
            "status=\"fail\"",
        ])),
    )
        .prop_map(|(name, child, status)| Node::Case {
            name,
            child,
            status,
            inner: Vec::new(),
        });
    let leaf = prop_oneof![
        4 => case,
        1 => prop::sample::select(vec!["flakyFailure", "rerunError"]).prop_map(Node::Rerun),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Node::Suite),
            (
                prop::sample::select(vec!["properties", "system-out", "group"]),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(tag, kids)| Node::Wrapper(tag, kids)),
            (0u8..12, prop::collection::vec(inner, 0..3)).prop_map(|(name, inner)| Node::Case {
                name,
                child: None,
                status: None,
                inner,
            }),
        ]
    })
}

fn write_node(n: &Node, out: &mut String) {
    match n {
        Node::Suite(kids) => {
            out.push_str("<testsuite name=\"s\">");
            kids.iter().for_each(|k| write_node(k, out));
            out.push_str("</testsuite>");
        }
        Node::Case {
            name,
            child,
            status,
            inner,
        } => {
            out.push_str(&format!("<testcase classname=\"c\" name=\"t{name}\""));
            if let Some(s) = status {
                out.push(' ');
                out.push_str(s);
            }
            out.push('>');
            out.push_str(child.unwrap_or(""));
            inner.iter().for_each(|k| write_node(k, out));
            out.push_str("</testcase>");
        }
        Node::Wrapper(tag, kids) => {
            out.push_str(&format!("<{tag}>"));
            kids.iter().for_each(|k| write_node(k, out));
            out.push_str(&format!("</{tag}>"));
        }
        Node::Rerun(tag) => out.push_str(&format!("<{tag} message=\"m\"/>")),
    }
}

fn report(kids: &[Node]) -> String {
    let mut out = String::from("<?xml version=\"1.0\"?>\n<testsuites>");
    kids.iter().for_each(|k| write_node(k, &mut out));
    out.push_str("</testsuites>\n");
    out
}

/// Byte offsets just after every start tag (not `<?`, `</`, `/>`): places an element
/// can be inserted, at every depth inside the root.
fn insertion_points(xml: &str) -> Vec<usize> {
    let bytes = xml.as_bytes();
    let mut points = Vec::new();
    let mut i = 0;
    while let Some(open) = xml[i..].find('<') {
        let start = i + open;
        let Some(close) = xml[start..].find('>') else {
            break;
        };
        let end = start + close;
        let tag = &bytes[start + 1..end];
        if !tag.starts_with(b"?") && !tag.starts_with(b"/") && !tag.ends_with(b"/") {
            points.push(end + 1);
        }
        i = end + 1;
    }
    points
}

fn verdict(dir: &Path, xml: &str, strict: bool, reruns: Reruns) -> GateVerdict {
    let path = dir.join("r.xml");
    std::fs::write(&path, xml).expect("write");
    let config = CharacterizationConfig {
        name: "p".into(),
        mode: Default::default(),
        strict,
        rules: Default::default(),
        reruns,
        results: vec![path.display().to_string()],
        expected: None,
        write_expected: None,
        golden: Vec::new(),
        rollback: Default::default(),
        run: None,
    };
    safety_gate_characterization::run(&config, &RunContext::default()).verdict()
}

const INSERTS: [&str; 4] = [
    "<testcase classname=\"inserted\" name=\"new\"><failure message=\"inserted\"/></testcase>",
    "<testcase classname=\"inserted\" name=\"new\"><error/></testcase>",
    "<failure message=\"inserted\"/>",
    "<error>inserted</error>",
];

/// Whether the generated names repeat within one suite (reruns, where the last
/// attempt decides by design).
fn has_repeats(xml: &str) -> bool {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.xml");
    std::fs::write(&path, xml).expect("write");
    let mut tally = Tally::new(&[], false);
    tally.add_file(&path).expect("generated reports are valid");
    tally.elements != tally.counts().tests
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_failure_added_anywhere_rolls_back(kids in prop::collection::vec(node(), 0..5), at in any::<prop::sample::Index>(), what in 0..INSERTS.len()) {
        let xml = report(&kids);
        let points = insertion_points(&xml);
        let point = points[at.index(points.len())];
        let failing = format!("{}{}{}", &xml[..point], INSERTS[what], &xml[point..]);
        let dir = tempfile::tempdir().expect("tempdir");
        // Any failed attempt fails: holds for every report.
        for strict in [true, false] {
            prop_assert_eq!(verdict(dir.path(), &failing, strict, Reruns::AnyFailure), GateVerdict::Rollback, "{}", failing);
        }
        // The last attempt decides: holds wherever no test is rerun.
        if !has_repeats(&failing) {
            for strict in [true, false] {
                prop_assert_eq!(verdict(dir.path(), &failing, strict, Reruns::Last), GateVerdict::Rollback, "{}", failing);
            }
        }
    }

    #[test]
    fn counts_add_up_and_layout_changes_nothing(kids in prop::collection::vec(node(), 0..5)) {
        let xml = report(&kids);
        let spaced = xml.replace("><", ">\n  <!-- c -->\n<");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut seen = Vec::new();
        for text in [&xml, &spaced] {
            let path = dir.path().join("r.xml");
            std::fs::write(&path, text).expect("write");
            let mut tally = Tally::new(&[], false);
            tally.add_file(&path).expect("valid");
            let c = *tally.counts();
            prop_assert_eq!(c.tests, c.passed + c.failed + c.errored + c.skipped + c.xfailed + c.xpassed);
            prop_assert!(c.tests <= tally.elements && c.flaky <= c.passed);
            seen.push((c, tally.elements));
        }
        prop_assert_eq!(seen[0], seen[1]);
    }

    #[test]
    fn what_xmllint_refuses_the_reader_refuses(
        kids in prop::collection::vec(node(), 1..4),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..MUTATIONS.len() + 2, any::<prop::sample::Index>()), 1..3),
    ) {
        let mut xml = report(&kids).into_bytes();
        for (at, what, len) in edits {
            let pos = at.index(xml.len() + 1);
            match what {
                w if w < MUTATIONS.len() => {
                    xml.splice(pos..pos, MUTATIONS[w].bytes());
                }
                w if w == MUTATIONS.len() => {
                    let end = (pos + len.index(8)).min(xml.len());
                    xml.drain(pos..end);
                }
                _ => {
                    let end = (pos + len.index(16)).min(xml.len());
                    let copy = xml[pos..end].to_vec();
                    xml.splice(pos..pos, copy);
                }
            }
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.xml");
        std::fs::write(&path, &xml).expect("write");
        let lint = std::process::Command::new("xmllint")
            .args(["--noout", "--nonet"])
            .arg(&path)
            .output()
            .expect("xmllint must be installed (Debian package libxml2-utils)");
        let ours = read_report(&path, |_: Record| {});
        if !lint.status.success() {
            prop_assert!(ours.is_err(), "xmllint refuses, the reader accepts:\n{}\n{}", String::from_utf8_lossy(&xml), String::from_utf8_lossy(&lint.stderr));
        }
    }
}

/// Snippets a mutation inserts: markup characters out of place, declarations,
/// references, control characters, comment and CDATA delimiters.
const MUTATIONS: [&str; 22] = [
    "<",
    "&",
    ">",
    "]]>",
    "\"",
    "'",
    "=",
    " ",
    "x",
    "<?xml version=\"1.0\"?>",
    "<!--",
    "-->",
    "--",
    "</a>",
    "<b>",
    "<b/>",
    "\u{1}",
    "&#1;",
    "&#x41;",
    "&foo;",
    "<![CDATA[",
    "text",
];

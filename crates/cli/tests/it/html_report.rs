//! The HTML report end to end: the regressed demo with ten recorded nights draws a
//! chart for every failing benchmark and every drifting series, each with as many marks
//! as the JSON report has samples and nights; `[reports] html` writes it too; a path
//! that cannot be written is exit 2 (`outputs.rs` holds it to every other output); an
//! ad-hoc run's page shows its gate's notes and command.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};
use serde_json::Value;

/// Text as the templates escape it inside an attribute.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

/// The article of one check in the page.
fn article<'a>(html: &'a str, gate: &str, check: &str) -> &'a str {
    let start = format!(
        "data-gate=\"{}\" data-check=\"{}\"",
        escaped(gate),
        escaped(check)
    );
    let at = html
        .find(&start)
        .unwrap_or_else(|| panic!("no article for {gate} {check}"));
    let rest = &html[at..];
    &rest[..rest.find("</article>").expect("closed")]
}

/// Filled and hollow circles of the article's chart.
fn circles(article: &str) -> (usize, usize) {
    let svg = &article[article.find("<svg").expect("svg")..article.find("</svg>").expect("end")];
    let all: Vec<&str> = svg.split("<circle").skip(1).collect();
    let hollow = all
        .iter()
        .filter(|c| c.split('>').next().unwrap_or("").contains("fill=\"none\""))
        .count();
    (all.len() - hollow, hollow)
}

#[test]
fn regressed_demo_draws_every_failing_benchmark_and_drifting_series() {
    let sandbox = Sandbox::demo();
    sandbox.write(
        "nightly.jsonl",
        &sandbox.read("fixtures/demo/history/nightly.jsonl"),
    );
    let out = sandbox.run(&[
        "check",
        "--config",
        "fixtures/demo/regressed.toml",
        "--history",
        "nightly.jsonl",
        "--html",
        "out/report.html",
        "--report-json",
        "out/report.json",
    ]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let html = sandbox.read("out/report.html");
    let json: Value = serde_json::from_str(&sandbox.read("out/report.json")).expect("json");
    let mut expected = 0;
    let (mut failing_perf, mut drifting) = (0, 0);
    for gate in json["gates"].as_array().expect("gates") {
        let kind = gate["gate"].as_str().expect("kind");
        let label = format!("{kind}/{}", gate["name"].as_str().expect("name"));
        for check in gate["checks"].as_array().expect("checks") {
            if check["status"] != "fail" || !matches!(kind, "perf" | "drift") {
                continue;
            }
            expected += 1;
            let id = check["id"].as_str().expect("id");
            let article = article(&html, &label, id);
            let evidence = &check["evidence"];
            let len = |key: &str| evidence[key].as_array().map_or(0, Vec::len);
            if kind == "perf" {
                failing_perf += 1;
                assert_eq!(evidence["kind"], "samples", "{check}");
                assert!(article.contains("data-kind=\"samples\""), "{article}");
                let left_out = len("baseline_left_out") + len("current_left_out");
                let kept = len("baseline") + len("current") - left_out;
                assert_eq!(circles(article), (kept, left_out), "{id}");
            } else {
                drifting += 1;
                assert_eq!(evidence["kind"], "trend", "{check}");
                assert!(article.contains("data-kind=\"trend\""), "{article}");
                let points = evidence["points"].as_array().expect("points");
                let failed = points.iter().filter(|p| p["failed"] == true).count();
                assert_eq!(circles(article), (points.len(), failed), "{id}");
            }
        }
    }
    assert_eq!(
        (failing_perf, drifting),
        (3, 3),
        "the demo's failures and drifts"
    );
    assert_eq!(html.matches("<figure class=\"chart\"").count(), expected);
    // Tonight's regressed tick time failed its own gate: its trend rings that night.
    assert!(
        circles(article(&html, "drift/nightly.jsonl", "perf/tick/tick_ms")).1 >= 1,
        "failing night"
    );
    // Golden changes and schema changes are tabled with their values and rules.
    assert!(html.contains("<td class=\"value\">&#x2f;metrics&#x2f;thresholds&#x2f;starvation&#x2f;max_incidents</td><td>changed</td><td class=\"value\">0</td><td class=\"value\">2</td>"), "golden change");
    assert!(html.contains("<tr class=\"breaking\"><td class=\"value\">&#x2f;required</td><td>required</td><td>breaking</td>"), "schema change");
    assert!(
        html.contains("<td>perf&#x2f;tick</td><td>high</td><td>15 minutes</td>"),
        "rollback plan"
    );
}

#[test]
fn the_config_names_the_html_report_and_a_bad_path_is_an_error() {
    let sandbox = Sandbox::demo();
    let config = sandbox.read("safety-gate.toml");
    assert!(config.contains("[reports]"), "{config}");
    let config = config.replacen("[reports]\n", "[reports]\nhtml = \"target/gate.html\"\n", 1);
    sandbox.write("safety-gate.toml", &config);
    let out = sandbox.run(&["check"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let html = sandbox.read("target/gate.html");
    assert!(html.contains("safety-gate: PASS (exit 0)"), "{html}");

    let out = sandbox.run(&["check", "--html", "safety-gate.toml/x.html"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        shown(&out).contains("safety-gate.toml/x.html"),
        "{}",
        shown(&out)
    );
}

/// What the nightly workflow appends to its step summary: a real table and a chart per
/// series; and the page and SVG it keeps as artifacts.
#[test]
fn history_show_writes_markdown_a_page_and_one_svg() {
    let sandbox = Sandbox::demo();
    let out = sandbox.run(&[
        "history",
        "show",
        "fixtures/demo/history/nightly.jsonl",
        "--markdown",
        "--html",
        "out/history.html",
        "--svg",
        "out/history.svg",
    ]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let markdown = String::from_utf8_lossy(&out.stdout);
    assert!(
        markdown.contains(
            "| Series | First | Latest | Change | Runs | Drift |\n|---|---:|---:|---:|---:|---|\n"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("| perf/tick/tick\\_ms | 1.25 | 1.367107 | +9.37% | 10 | **drifting**"),
        "{markdown}"
    );
    assert_eq!(
        markdown.matches("```mermaid\nxychart-beta\n").count(),
        3,
        "{markdown}"
    );
    let page = sandbox.read("out/history.html");
    assert_eq!(
        page.matches("<figure class=\"chart\" data-kind=\"trend\"")
            .count(),
        3
    );
    assert!(page.contains("3 of 3 series drifting"), "{page}");
    let svg = sandbox.read("out/history.svg");
    assert!(svg.starts_with("<svg"), "{svg}");
    assert_eq!(
        svg.matches("<circle").count(),
        30,
        "ten nights of three series"
    );
}

/// With --github and a history, the step summary charts each drifting series and gives
/// the triggering gates' rollback procedures.
#[test]
fn the_step_summary_charts_drifting_series_and_rollback_plans() {
    let sandbox = Sandbox::demo();
    sandbox.write(
        "nightly.jsonl",
        &sandbox.read("fixtures/demo/history/nightly.jsonl"),
    );
    sandbox.write("summary.md", "");
    let out = sandbox
        .cmd()
        .env("GITHUB_STEP_SUMMARY", sandbox.path().join("summary.md"))
        .args([
            "check",
            "--github",
            "--config",
            "fixtures/demo/regressed.toml",
            "--history",
            "nightly.jsonl",
        ])
        .output()
        .expect("runs");
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let summary = sandbox.read("summary.md");
    assert_eq!(
        summary.matches("```mermaid\nxychart-beta\n").count(),
        3,
        "{summary}"
    );
    assert!(
        summary.contains("title \"perf/tick/tick_ms: drifting\""),
        "{summary}"
    );
    assert!(
        summary.contains("| perf/tick | high | 15 minutes | `docs/ROLLBACK.md#tick-regression` |"),
        "{summary}"
    );
}

/// An ad-hoc run writes the page too: a sampled benchmark's chart, the gate's note on
/// the smallest change it can detect, and the command that reproduces the run.
#[test]
fn an_ad_hoc_page_shows_the_gates_notes_and_its_command() {
    let sandbox = Sandbox::empty();
    let fixtures = sandbox::repo_root().join("fixtures/perf/hyperfine");
    for name in ["base.json", "slow.json"] {
        let text = std::fs::read_to_string(fixtures.join(name)).expect("fixture");
        sandbox.write(name, &text);
    }
    let out = sandbox.run(&[
        "perf",
        "--format",
        "hyperfine",
        "--baseline",
        "base.json",
        "--current",
        "slow.json",
        "--html",
        "page.html",
    ]);
    assert_eq!(code(&out), 1, "{}", shown(&out));
    let html = sandbox.read("page.html");
    assert!(html.contains("safety-gate: ROLLBACK (exit 1)"), "{html}");
    assert_eq!(
        html.matches("<figure class=\"chart\" data-kind=\"samples\"")
            .count(),
        1
    );
    // The note the human report prints under the gate's line.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let note = stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("min detectable change"))
        .expect("a detection note");
    assert!(
        html.contains(&format!(
            "<li><b>perf&#x2f;perf</b>: {}</li>",
            escaped(note)
        )),
        "{note}: {html}"
    );
    assert!(
        html.contains(
            "Reproduce with <code>safety-gate perf --format hyperfine --baseline base.json \
             --current slow.json --html page.html</code>"
        ),
        "{html}"
    );
}

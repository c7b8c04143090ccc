//! The perf decision through the binary on inputs built to break it: sides the outlier
//! rule could empty, changes too large to represent, samples too few for a test.

use crate::common;

use common::{check, run};
use std::path::Path;

/// Writes `{"t": [values]}` and returns its path.
fn samples(dir: &Path, name: &str, values: &[f64]) -> String {
    let path = dir.join(name);
    let doc = serde_json::json!({ "t": values });
    std::fs::write(&path, doc.to_string()).expect("write");
    path.to_string_lossy().into_owned()
}

fn perf(baseline: &str, current: &str, extra: &[&str]) -> common::Outcome {
    let mut args = vec![
        "perf",
        "--format",
        "generic-json",
        "--metric",
        "t=/t",
        "--baseline",
        baseline,
        "--current",
        current,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_noisy_side_the_outlier_rule_could_empty_still_fails_a_fifty_percent_slowdown() {
    // 30 tight baseline rounds; 10 current rounds at +50% in two clusters, so the two
    // middle values sit far from the pooled (baseline-dominated) scale. Cutting by the
    // fences alone left the current side empty: NaN, "within threshold", exit 0; median
    // and min panicked.
    let dir = tempfile::tempdir().expect("tempdir");
    let base: Vec<f64> = (0..30).map(|i| 1.0 + f64::from(i) * 1e-4).collect();
    let cur: Vec<f64> = (0..10)
        .map(|i| if i < 5 { 1.45 } else { 1.55 } + f64::from(i) * 1e-4)
        .collect();
    let b = samples(dir.path(), "b.json", &base);
    let c = samples(dir.path(), "c.json", &cur);
    for statistic in ["mean", "median", "min"] {
        for mode in [&[][..], &["--conservative"][..]] {
            let mut extra = vec!["--statistic", statistic];
            extra.extend_from_slice(mode);
            let out = perf(&b, &c, &extra);
            assert_eq!(
                out.code, 1,
                "{statistic} {mode:?}: {}{}",
                out.stdout, out.stderr
            );
            let json = out.json.expect("report");
            let t = check(&json, "t");
            assert_eq!(t["status"], "fail", "{statistic}: {t}");
            let change = t["change"].as_f64().expect("finite change");
            assert!(change > 0.4 && change < 0.6, "{statistic}: {change}");
        }
    }
}

#[test]
fn a_rank_test_that_can_never_fail_cannot_decide_and_names_the_samples_it_needs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = samples(dir.path(), "b.json", &[1.0, 1.001]);
    let c = samples(dir.path(), "c.json", &[9.9, 9.91]);
    for mode in [&[][..], &["--conservative"][..]] {
        let mut extra = vec!["--statistic", "median"];
        extra.extend_from_slice(mode);
        let out = perf(&b, &c, &extra);
        assert_eq!(out.code, 2, "{mode:?}: {}", out.stdout);
        let json = out.json.expect("report");
        let t = check(&json, "t");
        assert_eq!(t["status"], "error");
        let message = t["message"].as_str().expect("message");
        assert!(message.contains("needs at least"), "{message}");
    }
}

#[test]
fn a_change_too_large_to_represent_cannot_decide() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = samples(dir.path(), "b.json", &[1e-300, 1.1e-300, 1.2e-300]);
    let c = samples(dir.path(), "c.json", &[1e300, 1.1e300, 1.2e300]);
    for statistic in ["mean", "median", "min"] {
        let out = perf(&b, &c, &["--statistic", statistic]);
        assert_eq!(out.code, 2, "{statistic}: {}", out.stdout);
        let message = check(out.json.as_ref().expect("report"), "t")["message"].to_string();
        assert!(message.contains("not a finite number"), "{message}");
    }
}

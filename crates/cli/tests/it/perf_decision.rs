//! The perf decision through the binary on inputs built to break it: sides the outlier
//! rule could empty, changes too large to represent, samples too few for a test.

use crate::common;

use common::{check, run};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
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

/// A pair of real files: `pyperf`'s own test data (measured on a laptop named selma)
/// against a pyperf run here, and `pytest-benchmark`'s own test data (host minibox)
/// against a pytest-benchmark run here. See fixtures/README.md.
const MACHINES: [(&str, &str); 2] = [
    (
        "fixtures/perf/machines/pyperf-selma.json",
        "fixtures/perf/machines/pyperf-here.json",
    ),
    (
        "fixtures/perf/machines/pytest-minibox.json",
        "fixtures/perf/machines/pytest-here.json",
    ),
];

/// Runs the gate on one pair with `--machine-mismatch policy`.
fn machines(baseline: &str, current: &str, policy: &str) -> common::Outcome {
    let args = ["perf", "--baseline", baseline, "--current", current];
    run(&[&args[..], &["--machine-mismatch", policy]].concat())
}

/// The `machine` check of a run, if any.
fn machine_check(out: &common::Outcome) -> Option<serde_json::Value> {
    let json = out.json.as_ref().expect("report");
    common::checks(json)
        .into_iter()
        .map(|(_, c)| c)
        .find(|c| c["id"] == "machine")
}

#[test]
fn results_from_another_machine_warn_by_default_and_error_when_asked() {
    for (baseline, current) in MACHINES {
        let out = run(&["perf", "--baseline", baseline, "--current", current]);
        let machine = machine_check(&out).expect("a machine check");
        assert_eq!(machine["status"], "warn", "{machine:#}");
        let message = machine["message"].as_str().expect("message");
        assert!(message.contains("different machines"), "{message}");
        assert_eq!(out.code, 0, "{}", out.stdout);

        let out = machines(baseline, current, "error");
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert_eq!(
            machine_check(&out).expect("a machine check")["status"],
            "error"
        );

        assert!(machine_check(&machines(baseline, current, "ignore")).is_none());
    }
    // The CPU decides when both sides name one; the pytest pair names no CPU on the old
    // side, so the hosts do.
    let said = |(baseline, current): (&str, &str)| {
        machine_check(&machines(baseline, current, "warn")).expect("a machine check")["message"]
            .to_string()
    };
    assert!(said(MACHINES[0]).contains("i7-3520M"));
    assert!(said(MACHINES[1]).contains("host `minibox` against `vm`"));
}

#[test]
fn results_from_the_same_machine_and_the_config_key() {
    let here = MACHINES[0].1;
    // An unchanged copy (the same file on both sides is refused as comparing nothing).
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("pyperf-here-again.json");
    std::fs::copy(common::repo_root().join(here), &copy).expect("copy");
    let out = machines(here, copy.to_str().expect("utf-8"), "error");
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(machine_check(&out).is_none(), "{}", out.stdout);

    let root = common::repo_root();
    let config = dir.path().join("safety-gate.toml");
    std::fs::write(
        &config,
        format!(
            "[[perf]]\nname = \"py\"\nbaseline = \"{}\"\ncurrent = \"{}\"\nmachine_mismatch = \"error\"\n",
            root.join(MACHINES[0].0).display(),
            root.join(here).display()
        ),
    )
    .expect("write");
    let out = run(&["check", "--config", config.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert_eq!(
        machine_check(&out).expect("a machine check")["status"],
        "error"
    );
}

#[test]
fn every_sampled_check_reports_what_it_can_detect_and_it_falls_as_samples_grow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut last = f64::INFINITY;
    for n in [3, 5, 10, 30, 100] {
        // The same spread (about 5%) at every size.
        let values: Vec<f64> = (0..n)
            .map(|i| 1.0 + 0.05 * (f64::from(i) * 2.39).sin())
            .collect();
        let b = samples(dir.path(), &format!("b{n}.json"), &values);
        let c = samples(dir.path(), &format!("c{n}.json"), &values);
        let out = perf(&b, &c, &[]);
        let json = out.json.expect("report");
        let mdc = check(&json, "t")["min_detectable_change"]
            .as_f64()
            .expect("every sampled check carries it");
        assert!(mdc < last, "{n} samples: {mdc} >= {last}");
        last = mdc;
        // The gate's line says so too, in the human report.
        assert!(
            out.stdout.contains("min detectable change"),
            "{}",
            out.stdout
        );
    }
    // A single value on a side is not a sampled comparison.
    let b = samples(dir.path(), "one.json", &[1.0]);
    let c = samples(dir.path(), "one-again.json", &[1.0]);
    let out = perf(&b, &c, &[]);
    assert!(check(out.json.as_ref().expect("report"), "t")["min_detectable_change"].is_null());
}

/// A few of the decision's metamorphic properties (crates/gates/perf/tests/
/// decision_properties.rs holds the rest) through the binary and its exit code.
fn few() -> Config {
    Config {
        cases: 12,
        rng_seed: RngSeed::Fixed(0x9e7f_0002),
        failure_persistence: None,
        ..Config::default()
    }
}

fn statistic() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("mean"), Just("median"), Just("min")]
}

/// Samples with a spread of `sd` (log scale) around 1.
fn noisy(n: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<f64>> {
    (0.005f64..0.2, prop::collection::vec(-2.0f64..2.0, n))
        .prop_map(|(sd, z)| z.into_iter().map(|z| (sd * z).exp()).collect())
}

proptest! {
    #![proptest_config(few())]

    #[test]
    fn through_the_binary_a_worse_current_sample_never_turns_a_rollback_into_a_pass(
        statistic in statistic(),
        conservative in any::<bool>(),
        base in noisy(4..=10),
        cur in noisy(4..=10),
        pick in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let slow: Vec<f64> = cur.iter().map(|v| v * 1.5).collect();
        let mut extra = vec!["--statistic", statistic];
        if conservative {
            extra.push("--conservative");
        }
        let b = samples(dir.path(), "b.json", &base);
        let c = samples(dir.path(), "c.json", &slow);
        let before = perf(&b, &c, &extra);
        if before.code != 1 {
            return Ok(());
        }
        let mut worse = slow.clone();
        let i = pick.index(worse.len());
        worse[i] *= 3.0;
        let w = samples(dir.path(), "w.json", &worse);
        let after = perf(&b, &w, &extra);
        let json = after.json.as_ref().expect("report");
        let status = check(json, "t")["status"].as_str().unwrap_or_default().to_string();
        prop_assert_ne!(status.as_str(), "pass", "{}\n{}", before.stdout, after.stdout);
        // Only a warning (a worse sample that widens the spread more than it moves the
        // estimate) may let the run through; never a pass.
        if after.code == 0 {
            prop_assert_eq!(status.as_str(), "warn", "{}", after.stdout);
        }
    }

    #[test]
    fn through_the_binary_every_sample_twice_the_threshold_worse_never_exits_0(
        statistic in statistic(),
        conservative in any::<bool>(),
        base in noisy(2..=10),
        gaps in prop::collection::vec(0.001f64..0.5, 2..=10),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let edge = base.iter().copied().fold(0.0, f64::max) * 1.1;
        let cur: Vec<f64> = gaps.iter().map(|g| edge * (1.0 + g)).collect();
        let mut extra = vec!["--statistic", statistic];
        if conservative {
            extra.push("--conservative");
        }
        let b = samples(dir.path(), "b.json", &base);
        let c = samples(dir.path(), "c.json", &cur);
        let out = perf(&b, &c, &extra);
        prop_assert!(out.code == 1 || out.code == 2, "exit {}: {}", out.code, out.stdout);
    }

    #[test]
    fn through_the_binary_swapping_a_rollback_passes(
        statistic in statistic(),
        base in noisy(4..=10),
        cur in noisy(4..=10),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let slow: Vec<f64> = cur.iter().map(|v| v * 1.5).collect();
        let b = samples(dir.path(), "b.json", &base);
        let c = samples(dir.path(), "c.json", &slow);
        let forward = perf(&b, &c, &["--statistic", statistic]);
        if forward.code != 1 {
            return Ok(());
        }
        let back = perf(&c, &b, &["--statistic", statistic]);
        prop_assert_eq!(back.code, 0, "{}\n{}", forward.stdout, back.stdout);
        let change = check(back.json.as_ref().expect("report"), "t")["change"].as_f64().expect("change");
        prop_assert!(change < 0.0, "{change}");
    }
}

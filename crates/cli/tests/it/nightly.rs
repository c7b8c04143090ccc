//! The nightly path end to end: each night `check --history` records the numbers and
//! `baseline accept` moves the baseline, so every night's step stays under the 5%
//! threshold. A 1%-a-night creep still fails the drift check within ten nights; ten
//! nights of up-and-down noise do not. `history show` prints the trend.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

/// Writes the demo's current tick results at `factor` times the baseline's tick time.
fn write_night(sandbox: &Sandbox, factor: f64) {
    let ms = 1.25 * factor;
    let tps = 800.0 / factor;
    sandbox.write(
        "fixtures/demo/perf/tick.json",
        &format!(
            "{{\"tick_performance\": {{\"average_tick_seconds\": {}, \"average_tick_ms\": {ms}, \
             \"throughput_ticks_per_second\": {tps}}}}}\n",
            ms / 1000.0
        ),
    );
}

/// Runs ten nights with the given tick-time factors; returns each night's exit code.
fn nights(sandbox: &Sandbox, factors: &[f64]) -> Vec<i32> {
    let mut codes = Vec::new();
    for factor in factors {
        write_night(sandbox, *factor);
        let out = sandbox.run(&["check", "--gate", "tick", "--history", "nightly.jsonl"]);
        let night = code(&out);
        assert!(night != 2, "{}", shown(&out));
        codes.push(night);
        // Re-accepting the baseline each night is what lets a creep slip past the gate.
        let out = sandbox.run(&["baseline", "accept", "--gate", "tick"]);
        assert_eq!(code(&out), 0, "{}", shown(&out));
    }
    codes
}

#[test]
fn one_percent_a_night_fails_the_drift_check_within_ten_nights() {
    let sandbox = Sandbox::demo();
    let factors: Vec<f64> = (0..10).map(|i| 1.01_f64.powi(i)).collect();
    let codes = nights(&sandbox, &factors);
    assert_eq!(
        codes[..4],
        [0, 0, 0, 0],
        "no drift is judged before five nights"
    );
    assert_eq!(codes[9], 1, "{codes:?}");
    let first = codes.iter().position(|c| *c == 1).expect("a failing night");
    assert!(first < 10, "{codes:?}");

    let history = sandbox.read("nightly.jsonl");
    assert_eq!(history.lines().count(), 10);

    let last: serde_json::Value =
        serde_json::from_str(history.lines().last().expect("line")).expect("json");
    let point = last["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "perf/tick/tick_ms")
        .expect("tick_ms");
    assert!((point["value"].as_f64().expect("value") - 1.25 * factors[9]).abs() < 1e-9);
    assert_eq!(point["better"], "lower");
    assert!(last["time"].as_str().expect("time").ends_with('Z'));

    // The failure is the drift gate's: each night's own step passed.
    let out = sandbox.run(&["check", "--gate", "tick", "--history", "nightly.jsonl"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let gate_line = stdout
        .lines()
        .find(|l| l.starts_with("perf/tick "))
        .expect("gate line");
    assert_eq!(
        gate_line.split_whitespace().collect::<Vec<_>>(),
        ["perf/tick", "enforce", "pass", "2", "pass"]
    );
    assert!(
        stdout.contains("FAIL  drift/nightly.jsonl perf/tick/tick_ms: drifted"),
        "{stdout}"
    );

    let out = sandbox.run(&["history", "show", "nightly.jsonl"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("perf/tick/tick_ms"))
        .expect("tick_ms line");
    assert!(line.contains('▁') && line.contains('█'), "{line}");
    assert!(line.contains("FAIL"), "{line}");
}

#[test]
fn ten_nights_of_noise_pass() {
    let sandbox = Sandbox::demo();
    let factors: Vec<f64> = [
        0.0, 0.02, -0.01, 0.015, -0.02, 0.01, -0.015, 0.02, -0.01, 0.015,
    ]
    .iter()
    .map(|d| 1.0 + d)
    .collect();
    // Up to ±2% around a flat level: each night's step stays under the gate's 5%.
    let codes = nights(&sandbox, &factors);
    assert_eq!(codes, vec![0; 10]);
    let out = sandbox.run(&["history", "show", "nightly.jsonl"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("FAIL"), "{text}");
    assert!(text.contains(": ok"), "{text}");
}

#[test]
fn malformed_history_cannot_decide() {
    let sandbox = Sandbox::demo();
    sandbox.write("nightly.jsonl", "{\"time\": 1}\n");
    let out = sandbox.run(&["check", "--history", "nightly.jsonl"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nightly.jsonl:1:"),
        "{}",
        shown(&out)
    );
}

#[test]
fn a_window_too_short_to_judge_is_refused() {
    let sandbox = Sandbox::demo();
    let out = sandbox.run(&["check", "--history", "h.jsonl", "--drift-window", "3"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--drift-window 3 is too short"));
}

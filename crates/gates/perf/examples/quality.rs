//! Prints the perf gate's decision quality on simulated benchmarks (log-normal noise,
//! seeded), as the Markdown tables of docs/perf.md: per-benchmark false alarms over
//! noise levels and sample counts, detection at the design and quiet cells, and whole
//! runs of a 50-benchmark suite, beside the previous rule and a plain threshold.
//!
//! `cargo run --release -p safety-gate-perf --example quality -- [DRAWS] [STATISTIC] [OUTLIERS]`
//! (runs of the suite: DRAWS / 10; OUTLIERS adds the 5%-outlier rows).
#![allow(clippy::print_stdout)]

use safety_gate_perf::quality::{Noise, Rates, Rule, single, suite};
use safety_gate_perf::{FamilyKind, Statistic};

/// The seed of every row.
const SEED: u64 = 42;

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

fn row(label: &str, r: &Rates) {
    println!(
        "| {label} | {} | {} | {} | {} | {} |",
        pct(r.fail),
        pct(r.warn),
        pct(r.error),
        pct(r.previous),
        pct(r.plain)
    );
}

fn header(first: &str) {
    println!(
        "| {first} | fails | warns | cannot decide | previous rule fails | plain 5% threshold fails |"
    );
    println!("|---|---|---|---|---|---|");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let draws: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let statistic: Statistic = args.get(2).and_then(|a| a.parse().ok()).unwrap_or_default();
    let with_outliers = args.get(3).is_some_and(|a| a == "outliers");
    let mut rule = Rule::shipped();
    rule.statistic = statistic;
    let runs = draws / 10;
    println!(
        "Threshold 5%, statistic {}, alpha {}, false-alarm rate {}, seed {SEED}; {draws} draws \
         per cell, {runs} runs per suite row.\n",
        statistic.as_str(),
        rule.alpha,
        rule.false_alarm_rate
    );

    println!("**False alarms per benchmark** (true change 0%, one benchmark alone)\n");
    header("CV, samples per side");
    for cv in [0.02, 0.05, 0.10, 0.20] {
        for n in [3, 5, 10, 30] {
            let r = single(Noise::clean(cv, n), 0.0, rule, draws, SEED);
            row(&format!("{:.0}%, {n}", cv * 100.0), &r);
        }
    }

    println!("\n**Detection per benchmark** (one benchmark alone)\n");
    println!(
        "| cell | fails | warns | cannot decide | previous rule fails | plain 5% threshold fails | min detectable change (mean) |"
    );
    println!("|---|---|---|---|---|---|---|");
    let cells = [
        ("design: CV 5%, 10 samples, +10%", 0.05, 10, 0.10),
        ("quiet: CV 2%, 30 samples, +6%", 0.02, 30, 0.06),
        ("quiet: CV 2%, 30 samples, +3%", 0.02, 30, 0.03),
    ];
    for (label, cv, n, change) in cells {
        let r = single(Noise::clean(cv, n), change, rule, draws, SEED);
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} |",
            pct(r.fail),
            pct(r.warn),
            pct(r.error),
            pct(r.previous),
            pct(r.plain),
            pct(r.min_detectable_change)
        );
    }
    if with_outliers {
        for change in [0.0, 0.10] {
            let noise = Noise {
                outlier_rate: 0.05,
                outlier_factor: 1.5,
                ..Noise::clean(0.05, 10)
            };
            let r = single(noise, change, rule, draws, SEED);
            row(
                &format!(
                    "CV 5%, 10 samples, 5% of samples 1.5x, {:+.0}%",
                    change * 100.0
                ),
                &r,
            );
        }
    }

    println!("\n**Whole runs of a suite of 50 benchmarks** (CV 5%, 10 samples per side)\n");
    println!(
        "| suite | family | share of runs | fails | warns | cannot decide | previous rule fails | plain 5% threshold fails |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let noise = Noise::clean(0.05, 10);
    for family in [FamilyKind::Gate, FamilyKind::Benchmark] {
        rule.family = family;
        let s = suite(noise, 50, 0.0, rule, runs, SEED);
        suite_row("50 unchanged", family, "any benchmark", &s.any);
        for change in [0.15, 0.10] {
            let s = suite(noise, 50, change, rule, runs, SEED);
            let label = format!("one {:+.0}%, 49 unchanged", change * 100.0);
            suite_row(&label, family, "the changed one", &s.changed);
        }
        // The figure each check reports, against what the rule then detects there.
        let mdc = suite(noise, 50, 0.0, rule, runs.min(200), SEED)
            .changed
            .min_detectable_change;
        let s = suite(noise, 50, mdc, rule, runs, SEED);
        let label = format!(
            "one at its reported min detectable change ({:+.1}%)",
            mdc * 100.0
        );
        suite_row(&label, family, "the changed one", &s.changed);
    }
}

fn suite_row(label: &str, family: FamilyKind, counted: &str, r: &Rates) {
    println!(
        "| {label} | {} | {counted} | {} | {} | {} | {} | {} |",
        family.as_str(),
        pct(r.fail),
        pct(r.warn),
        pct(r.error),
        pct(r.previous),
        pct(r.plain)
    );
}

//! Prints the perf gate's false-alarm and detection rates on simulated benchmarks.
//!
//! `cargo run --release -p safety-gate-perf --example quality -- [DRAWS] [ALPHA] [STATISTIC]`
#![allow(clippy::print_stdout)]

use safety_gate_perf::Statistic;
use safety_gate_perf::quality::{Rule, Scenario, simulate};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let draws: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let alpha: f64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(safety_gate_perf::DEFAULT_ALPHA);
    let statistic: Statistic = args.get(3).and_then(|a| a.parse().ok()).unwrap_or_default();
    let rule = Rule {
        threshold: 0.05,
        alpha,
        statistic,
        conservative: false,
    };
    println!(
        "log-normal noise CV 5%, 10 samples per side, threshold 5%, alpha {alpha}, statistic {}, {draws} draws",
        statistic.as_str()
    );
    println!(
        "| true change | outliers (1.5x) | gate fails | gate warns | plain mean-vs-mean 5% fails |"
    );
    println!("|---|---|---|---|---|");
    for outlier_rate in [0.0, 0.05] {
        for true_change in [0.0, 0.10] {
            let scenario = Scenario::targets(true_change, outlier_rate);
            let r = simulate(scenario, rule, draws, 42);
            println!(
                "| {:+.0}% | {:.0}% | {:.3}% | {:.3}% | {:.3}% |",
                true_change * 100.0,
                outlier_rate * 100.0,
                r.fail * 100.0,
                r.warn * 100.0,
                r.plain_fail * 100.0
            );
        }
    }
}

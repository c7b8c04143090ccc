//! The perf gate end to end (read, match, compare) on 10,000 benchmarks x 100 samples
//! per side, written as pyperf JSON; goal: at most 0.3 s per run.
//!
//! `cargo bench -p safety-gate-perf --bench gate`
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use safety_gate_perf::{Format, PerfConfig, Statistic};
use std::fmt::Write as _;
use std::path::Path;

const BENCHMARKS: usize = 10_000;
const SAMPLES: usize = 100;

/// A pyperf suite with seeded log-normal-ish noise; every tenth benchmark is 10%
/// slower when `slow`.
fn write_suite(path: &Path, seed: u64, slow: bool) {
    let mut state = seed;
    let mut uniform = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text =
        String::from(r#"{"version": "1.0", "metadata": {"unit": "second"}, "benchmarks": ["#);
    for i in 0..BENCHMARKS {
        let factor = if slow && i % 10 == 0 { 1.1 } else { 1.0 };
        let _ = write!(
            text,
            r#"{}{{"metadata": {{"name": "bench_{i:05}"}}, "runs": [{{"values": ["#,
            if i > 0 { "," } else { "" }
        );
        for s in 0..SAMPLES {
            // Sum of uniforms: cheap, smooth noise of about 5%.
            let noise = 1.0 + 0.1 * (uniform() + uniform() + uniform() - 1.5);
            let _ = write!(
                text,
                "{}{:e}",
                if s > 0 { "," } else { "" },
                1e-3 * factor * noise
            );
        }
        text.push_str("]}]}");
    }
    text.push_str("]}");
    std::fs::write(path, text).expect("write suite");
}

fn gate(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (base, cur) = (dir.path().join("base.json"), dir.path().join("cur.json"));
    write_suite(&base, 1, false);
    write_suite(&cur, 2, true);
    let mut group = c.benchmark_group("gate");
    group.sample_size(10);
    for statistic in [Statistic::Mean, Statistic::Median] {
        let mut config = PerfConfig::new("bench", base.clone(), vec![cur.clone()]);
        config.format = Format::Pyperf;
        config.statistic = statistic;
        group.bench_function(format!("10k_x_100_{}", statistic.as_str()), |b| {
            b.iter(|| {
                let report =
                    safety_gate_perf::run(&config, &safety_gate_core::RunContext::default());
                assert_eq!(report.checks.len(), BENCHMARKS);
                report
            })
        });
    }
    group.finish();
}

criterion_group!(benches, gate);
criterion_main!(benches);

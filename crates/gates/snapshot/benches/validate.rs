//! Validation throughput: ~100 KB telemetry-like snapshots against a schema with
//! nested objects, bounds, enums and `$ref`s. The comparison with Python's jsonschema
//! on the same files lives in `bench/snapshot_validate.sh`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use std::path::Path;

use safety_gate_snapshot::schema::{compile, violations};

/// A snapshot of roughly `agents * 400` bytes.
fn snapshot(seed: u64, agents: u64) -> Value {
    let agents: serde_json::Map<String, Value> = (0..agents)
        .map(|i| {
            let v = seed.wrapping_mul(31).wrapping_add(i);
            let job = ["grocer", "barista", "cook"][(v % 3) as usize];
            let agent = json!({
                "job_id": job,
                "wallet": (v % 1000) as f64 / 7.0,
                "on_shift": v % 2 == 0,
                "needs": {"hunger": (v % 10) as f64 / 10.0, "energy": 0.5, "hygiene": 0.25},
                "position": [v % 64, (v / 64) % 64],
                "inventory": {"meals": v % 4, "raw_ingredients": v % 5},
                "history": [v, v + 1, v + 2, v + 3]
            });
            (format!("agent_{i}"), agent)
        })
        .collect();
    json!({"schema_version": "1.6", "tick": seed, "agents": agents})
}

fn schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["schema_version", "tick", "agents"],
        "$defs": {
            "unit": {"type": "number", "minimum": 0, "maximum": 1},
            "agent": {
                "type": "object",
                "required": ["job_id", "wallet", "needs", "position"],
                "additionalProperties": false,
                "properties": {
                    "job_id": {"enum": ["grocer", "barista", "cook"]},
                    "wallet": {"type": "number", "minimum": 0},
                    "on_shift": {"type": "boolean"},
                    "needs": {"type": "object", "additionalProperties": {"$ref": "#/$defs/unit"}},
                    "position": {"type": "array", "items": {"type": "integer", "minimum": 0}, "maxItems": 2},
                    "inventory": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                    "history": {"type": "array", "items": {"type": "integer"}}
                }
            }
        },
        "properties": {
            "schema_version": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)*$"},
            "tick": {"type": "integer", "minimum": 0},
            "agents": {"type": "object", "additionalProperties": {"$ref": "#/$defs/agent"}}
        }
    })
}

fn bench_validate(c: &mut Criterion) {
    let schema = schema();
    let validator =
        compile(Path::new("bench.schema.json"), &schema, None).expect("schema compiles");
    let docs: Vec<Value> = (0..100).map(|s| snapshot(s, 300)).collect();
    let bytes: usize = docs.iter().map(|d| d.to_string().len()).sum();
    assert!(
        docs.iter().all(|d| violations(&validator, d).is_empty()),
        "bench data must be valid"
    );
    let mut group = c.benchmark_group("snapshot");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("validate_100_snapshots", |b| {
        b.iter(|| {
            for doc in &docs {
                black_box(violations(&validator, black_box(doc)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_validate);
criterion_main!(benches);

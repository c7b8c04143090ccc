#!/usr/bin/env python3
"""Snapshot validation throughput: safety-gate against Python's jsonschema on the same
files, in the same run.

Writes N telemetry-like snapshots of about 100 KB each (1% of them invalid) and one
draft 2020-12 schema with $refs, enums, bounds, patterns and closed objects; then times
`safety-gate snapshot --schema S --snapshots 'DIR/*.json'` and a Python process that
validates the same files with jsonschema's Draft202012Validator (built once, reused).
Both times are whole processes: start-up, reading, JSON parsing and validation. Both
must find the same number of invalid files.

Usage: snapshot_validate.py BINARY [N] [RUNS]
       snapshot_validate.py --peer SCHEMA DIR   (the Python side, run as a subprocess)
"""
import glob
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema_version", "tick", "agents"],
    "$defs": {
        "unit": {"type": "number", "minimum": 0, "maximum": 1},
        "agent": {
            "type": "object",
            "required": ["job_id", "wallet", "needs", "position"],
            "additionalProperties": False,
            "properties": {
                "job_id": {"enum": ["grocer", "barista", "cook"]},
                "wallet": {"type": "number", "minimum": 0},
                "on_shift": {"type": "boolean"},
                "needs": {"type": "object", "additionalProperties": {"$ref": "#/$defs/unit"}},
                "position": {"type": "array", "items": {"type": "integer", "minimum": 0}, "maxItems": 2},
                "inventory": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                "history": {"type": "array", "items": {"type": "integer"}},
            },
        },
    },
    "properties": {
        "schema_version": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)*$"},
        "tick": {"type": "integer", "minimum": 0},
        "agents": {"type": "object", "additionalProperties": {"$ref": "#/$defs/agent"}},
    },
}

AGENTS_PER_SNAPSHOT = 255  # about 100 KB per file


def snapshot(rng, seed, invalid):
    agents = {}
    for i in range(AGENTS_PER_SNAPSHOT):
        agents[f"agent_{i}"] = {
            "job_id": rng.choice(["grocer", "barista", "cook"]),
            "wallet": round(rng.random() * 100, 6),
            "on_shift": rng.random() < 0.5,
            "needs": {k: round(rng.random(), 6) for k in ("hunger", "energy", "hygiene", "social")},
            "position": [rng.randrange(64), rng.randrange(64)],
            "inventory": {"meals": rng.randrange(5), "raw_ingredients": rng.randrange(6)},
            "history": [rng.randrange(100000) for _ in range(6)],
        }
    if invalid:
        agents["agent_7"]["needs"]["hunger"] = 1.5
    return {"schema_version": "1.6", "tick": seed, "agents": agents}


def generate(folder, n):
    rng = random.Random(20261127)
    with open(os.path.join(folder, "schema.json"), "w") as f:
        json.dump(SCHEMA, f, indent=2)
    snaps = os.path.join(folder, "snapshots")
    os.mkdir(snaps)
    total = 0
    for i in range(n):
        path = os.path.join(snaps, f"snapshot-{i:04}.json")
        with open(path, "w") as f:
            json.dump(snapshot(rng, i, invalid=(i % 100 == 42)), f, indent=1)
        total += os.path.getsize(path)
    return total


def peer(schema_path, folder):
    from jsonschema import Draft202012Validator

    with open(schema_path) as f:
        validator = Draft202012Validator(json.load(f))
    invalid = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path) as f:
            doc = json.load(f)
        if next(validator.iter_errors(doc), None) is not None:
            invalid += 1
    print(invalid)


def timed(argv):
    start = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - start, out


def main():
    if sys.argv[1] == "--peer":
        peer(sys.argv[2], sys.argv[3])
        return
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with tempfile.TemporaryDirectory() as folder:
        total = generate(folder, n)
        schema = os.path.join(folder, "schema.json")
        snaps = os.path.join(folder, "snapshots")
        report = os.path.join(folder, "report.json")
        rust_times, python_times = [], []
        for _ in range(runs):
            seconds, out = timed([binary, "snapshot", "--schema", schema, "--snapshots",
                                  os.path.join(snaps, "*.json"), "--quiet", "--report-json", report])
            if out.returncode not in (0, 1):
                sys.exit(f"safety-gate failed ({out.returncode}): {out.stdout}{out.stderr}")
            rust_times.append(seconds)
            seconds, out = timed([sys.executable, __file__, "--peer", schema, snaps])
            if out.returncode != 0:
                sys.exit(f"python peer failed: {out.stderr}")
            python_times.append(seconds)
            python_invalid = int(out.stdout)
        with open(report) as f:
            checks = json.load(f)["gates"][0]["checks"]
        rust_invalid = sum(1 for c in checks if c["status"] == "fail")
        if rust_invalid != python_invalid or rust_invalid != len(range(42, n, 100)):
            sys.exit(f"disagreement: safety-gate found {rust_invalid} invalid, jsonschema {python_invalid}")
        rust, python = statistics.median(rust_times), statistics.median(python_times)
        print(f"{n} snapshots, {total / n / 1024:.0f} KiB each ({total / 2**20:.0f} MiB), "
              f"{rust_invalid} invalid found by both; median of {runs} runs")
        print(f"safety-gate (Rust jsonschema): {rust:.2f} s  ({total / 2**20 / rust:.0f} MiB/s)")
        print(f"python3 jsonschema {version()}: {python:.2f} s  ({total / 2**20 / python:.1f} MiB/s)")
        print(f"ratio: safety-gate is {python / rust:.1f}x faster")


def version():
    from importlib.metadata import version as v

    return v("jsonschema")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Times the perf gate against `pyperf compare_to` on the same data.

Writes a baseline and a current pyperf JSON suite of N benchmarks x S values (seeded,
log-normal noise CV 5%, every tenth benchmark 10% slower in current), then runs, each
REPEAT times, keeping the fastest:

  safety-gate perf --baseline b.json --current c.json --format pyperf --quiet
  python3 -m pyperf compare_to b.json c.json

and prints both wall times and their ratio. Needs `pip install pyperf` and a release build
(`cargo build --release`). Usage: bench/perf_vs_pyperf.py [N] [S] [REPEAT]
"""
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "safety-gate")


def suite(n, s, rng, slow):
    sigma = math.sqrt(math.log(1 + 0.05 ** 2))
    benchmarks = []
    for i in range(n):
        factor = 1.1 if slow and i % 10 == 0 else 1.0
        values = [1e-3 * factor * math.exp(rng.gauss(0, sigma)) for _ in range(s)]
        benchmarks.append({
            "metadata": {"name": f"bench_{i:05d}"},
            "runs": [{"metadata": {"date": "2026-01-01 00:00:00", "duration": 1.0},
                      "values": values}],
        })
    return {"version": "1.0", "metadata": {"unit": "second", "loops": 1},
            "benchmarks": benchmarks}


def best_time(argv, repeat, ok_codes):
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=3600)
        elapsed = time.perf_counter() - start
        if done.returncode not in ok_codes:
            sys.exit(f"{argv[0]} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
        best = min(best, elapsed)
    return best


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    s = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    if not os.access(BIN, os.X_OK):
        sys.exit(f"{BIN} not found: run `cargo build --release` first")
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        base, cur = os.path.join(tmp, "b.json"), os.path.join(tmp, "c.json")
        for path, slow in ((base, False), (cur, True)):
            with open(path, "w") as f:
                json.dump(suite(n, s, rng, slow), f)
        gate = best_time([BIN, "perf", "--baseline", base, "--current", cur, "--format", "pyperf",
                          "--quiet", "--color", "never"], repeat, {0, 1})
        peer = best_time([sys.executable, "-m", "pyperf", "compare_to", base, cur], repeat, {0})
    print(f"{n} benchmarks x {s} values, best of {repeat}")
    print(f"safety-gate perf:  {gate:8.3f} s")
    print(f"pyperf compare_to: {peer:8.3f} s")
    print(f"ratio: safety-gate is {peer / gate:.1f}x faster")


if __name__ == "__main__":
    main()

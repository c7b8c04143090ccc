#!/usr/bin/env bash
# Wall time of the demo's whole `safety-gate check` with its snapshot loaders run one
# after another (--jobs 1) and side by side (the default: one per core), next to the
# cost of the loaders alone (one loader run, measured in the same run, times the number
# of loader runs, spread over the cores): the target is the parallel check near that.
# Needs hyperfine (Debian package hyperfine) and a release build.
# Usage: bench/check-parallel.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
cargo build --release --locked --quiet -p safety-gate
bin=target/release/safety-gate
cores=$(nproc)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The demo runs its loader once per saved snapshot and once as a hash command.
loader_runs=$(( $(ls baselines/snapshot/telemetry/*.json | wc -l) + 1 ))
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out" --style none \
  -n "check --jobs 1" "$bin check --quiet --jobs 1" \
  -n "check (jobs = $cores cores)" "$bin check --quiet" \
  -n "one loader run" "python3 fixtures/snapshot/loader.py --resave baselines/snapshot/telemetry/telemetry_1.1.0.json" \
  >/dev/null 2>&1
python3 - "$out" "$loader_runs" "$cores" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
loader_runs, cores = int(sys.argv[2]), int(sys.argv[3])
serial = next(r for n, r in results.items() if n.startswith("check --jobs 1"))
parallel = next(r for n, r in results.items() if n.startswith("check (jobs"))
loader = results["one loader run"]["median"]
waves = -(-loader_runs // cores)
target = loader * waves
for name, r in results.items():
    print(f"{name:<28} median {r['median']*1000:7.1f} ms  mean {r['mean']*1000:7.1f} ms  ±{r['stddev']*1000:5.1f}")
print(f"loaders alone: {loader_runs} runs x {loader*1000:.1f} ms over {cores} cores = {target*1000:.1f} ms")
print(f"parallel check / serial check: {parallel['median']/serial['median']:.2f}x; "
      f"parallel check / loaders spread over the cores: {parallel['median']/target:.2f}x")
PY

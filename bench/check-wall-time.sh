#!/usr/bin/env bash
# Wall time of `safety-gate check` on the bundled demo, as a pre-push hook pays it,
# next to `git status` (what any hook on this repository already costs) measured in the
# same run. Needs hyperfine (Debian package hyperfine) and a release build.
# Usage: bench/check-wall-time.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${2:-50}
cargo build --release --locked --quiet -p safety-gate
bin=target/release/safety-gate
out=$(mktemp)
trap 'rm -f "$out"' EXIT
hyperfine -N -i --warmup 5 --runs "$runs" --export-json "$out" --style none \
  -n "safety-gate check (demo)" "$bin check --quiet" \
  -n "safety-gate check --config fixtures/demo/regressed.toml" "$bin check --quiet --config fixtures/demo/regressed.toml" \
  -n "git status" "git status --porcelain" >/dev/null 2>&1
python3 - "$out" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
peer = results["git status"]
for name, r in results.items():
    print(f"{name:<58} mean {r['mean']*1000:7.2f} ms  ±{r['stddev']*1000:5.2f}  "
          f"median {r['median']*1000:7.2f} ms  = {r['mean']/peer['mean']:5.2f}x git status")
PY

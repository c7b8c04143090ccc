#!/usr/bin/env bash
# Perf gate on townlet's real baseline files: a hand-written JSON baseline read by JSON
# pointer, and raw benchmark stdout read by the kv reader despite the log noise.
set -euo pipefail
cd "$(dirname "$0")/../.."
townlet=../shared/townlet
if [ ! -d "$townlet" ]; then
  echo "perf acceptance: $townlet not found, skipped"
  exit 0
fi
bin=target/debug/safety-gate
[ -x "$bin" ] || cargo build --quiet --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Current files 6% and 4% slower than the real baseline.
python3 - "$townlet/performance/performance.json" "$work" <<'PY'
import json, sys
base = json.load(open(sys.argv[1]))
for factor in (1.06, 1.04):
    doc = json.loads(json.dumps(base))
    perf = doc["tick_performance"]
    perf["average_tick_ms"] *= factor
    perf["throughput_ticks_per_second"] /= factor
    json.dump(doc, open(f"{sys.argv[2]}/current-{factor}.json", "w"))
PY

expect() {
  local want=$1; shift
  set +e
  "$bin" "$@" --color never --report-json "$work/report.json" >"$work/out.txt" 2>&1
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    echo "perf acceptance: expected exit $want, got $got for: $*"
    cat "$work/out.txt"
    exit 1
  fi
}

metrics=(--metric tick_ms=/tick_performance/average_tick_ms
         --metric ticks_per_s=/tick_performance/throughput_ticks_per_second:higher)
expect 1 perf --baseline "$townlet/performance/performance.json" --current "$work/current-1.06.json" "${metrics[@]}"
expect 0 perf --baseline "$townlet/performance/performance.json" --current "$work/current-1.04.json" "${metrics[@]}"

# The kv reader finds the one average_tick_seconds line among logs, JSON and a traceback.
cp "$townlet/performance/tick_benchmark.txt" "$work/tick_benchmark.txt"
expect 0 perf --format kv --baseline "$townlet/performance/tick_benchmark.txt" \
  --current "$work/tick_benchmark.txt" --metric average_tick_seconds
python3 - "$work/report.json" <<'PY'
import json, sys
check = json.load(open(sys.argv[1]))["gates"][0]["checks"][0]
assert check["id"] == "average_tick_seconds" and check["baseline"] == 0.001059, check
PY
echo "perf acceptance: townlet baseline 6% slower exits 1, 4% exits 0; kv found average_tick_seconds=0.001059"


# A Google Benchmark file measured on another machine (github-action-benchmark's test data:
# host Corgi.local, 4 CPUs at 2700 MHz) against one measured here: the gate says the sides' machines differ.
elsewhere=../shared/corpora/perf/files/github-action-benchmark/googlecpp/googlecpp_output.json
if [ -f "$elsewhere" ]; then
  expect 2 perf --format google-benchmark --missing skip --machine-mismatch error \
    --baseline "$elsewhere" --current fixtures/perf/google-benchmark/base.json
  grep -q "different machines (cpu \`2700 MHz" "$work/out.txt" || {
    echo "perf acceptance: no machine mismatch reported"; cat "$work/out.txt"; exit 1; }
  echo "perf acceptance: a Google Benchmark baseline from another machine is named as such"
fi

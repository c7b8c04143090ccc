#!/usr/bin/env bash
# Peak memory (maximum resident set size, from GNU time -v) of safety-gate on 1 GB
# inputs, next to a streaming peer run on the same file in the same run:
#   JSONL golden diff   vs  python3 reading the file line by line with json.loads
#   JUnit XML (2 shapes) vs xmllint --stream --noout
#   perf kv log          vs  grep -c on the same file
# Inputs are generated in /tmp and deleted on exit. Needs GNU time (Debian: `time`),
# xmllint (libxml2-utils) and python3. SIZE_MB changes the input size (default 1000).
# Usage: bench/peak-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-1000}
work=$(mktemp -d /tmp/safety-gate-peak.XXXXXX)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p safety-gate
bin=$PWD/target/release/safety-gate
gates=$("$bin" gates | awk '{print $1}')

# peak LABEL CMD...: runs CMD under GNU time; prints "LABEL peak_kib exit seconds".
peak() {
  local label=$1
  shift
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
  local kib code secs
  kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  code=$(awk -F': ' '/Exit status/ {print $2}' "$work/time.txt")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  printf '%s %s %s %s\n' "$label" "$kib" "$code" "$secs"
}

# report NAME FILE OURS PEER: one line with both peaks, their ratio and the input size.
report() {
  local name=$1 file=$2 ours=$3 peer=$4
  local bytes
  bytes=$(stat -c %s "$file")
  awk -v n="$name" -v b="$bytes" -v o="$ours" -v p="$peer" 'BEGIN {
    split(o, a, " "); split(p, q, " ");
    printf "%-28s input %6.0f MB | safety-gate %7.1f MiB (exit %s, %s) | %-16s %7.1f MiB (%s) | ratio %5.2fx | %.3f of input\n",
      n, b / 1e6, a[2] / 1024, a[3], a[4], q[1], q[2] / 1024, q[4], a[2] / q[2], a[2] * 1024 / b
  }'
}

gen() { python3 bench/gen_inputs.py "$@"; }

echo "peak memory, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, inputs of ${SIZE_MB} MB"

if grep -qx characterization <<<"$gates"; then
  gen jsonl "$SIZE_MB" "$work/baseline.jsonl"
  cp "$work/baseline.jsonl" "$work/current.jsonl"
  ours=$(peak safety-gate "$bin" characterization --baseline "$work/baseline.jsonl" \
    --current "$work/current.jsonl" --color never --quiet)
  peer=$(peak python3-json \
    python3 -c 'import json,sys
for line in open(sys.argv[1]): json.loads(line)' "$work/current.jsonl")
  report "jsonl golden (identical)" "$work/current.jsonl" "$ours" "$peer"
  rm -f "$work"/*.jsonl

  for shape in junit-many-tests junit-big-output; do
    gen "$shape" "$SIZE_MB" "$work/junit.xml"
    ours=$(peak safety-gate "$bin" characterization --results "$work/junit.xml" --color never --quiet)
    peer=$(peak xmllint-stream xmllint --stream --noout "$work/junit.xml")
    report "$shape" "$work/junit.xml" "$ours" "$peer"
    rm -f "$work/junit.xml"
  done
else
  echo "jsonl / junit: skipped, this build has no characterization gate"
fi

gen kv "$SIZE_MB" "$work/current.log"
printf 'average_tick_seconds=0.001\n' >"$work/baseline.log"
ours=$(peak safety-gate "$bin" perf --format kv --baseline "$work/baseline.log" \
  --current "$work/current.log" --metric average_tick_seconds --color never --quiet)
peer=$(peak grep-count grep -c average_tick_seconds "$work/current.log")
report "perf kv log" "$work/current.log" "$ours" "$peer"

#!/usr/bin/env bash
# Characterization gate on townlet's real golden files: the stability metrics against a
# copy with one nested value changed (exactly that pointer reported; a tolerance covering
# it passes), and the telemetry JSONL with log lines mixed in (strict: exit 2 naming the
# line; lenient: log lines skipped, one inserted event reported as one insertion).
set -euo pipefail
cd "$(dirname "$0")/../.."
townlet=../shared/townlet
if [ ! -f "$townlet/stability/metrics.json" ] || [ ! -f "$townlet/telemetry/events.jsonl" ]; then
  echo "characterization acceptance: $townlet not found, skipped"
  exit 0
fi
bin=target/debug/safety-gate
[ -x "$bin" ] || cargo build --quiet --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
metrics="$townlet/stability/metrics.json"
events="$townlet/telemetry/events.jsonl"

python3 - "$metrics" "$events" "$work" <<'PY'
import json, sys
metrics, events, work = sys.argv[1:]
doc = json.load(open(metrics))
doc["metrics"]["thresholds"]["starvation"]["hunger_threshold"] = 0.051
json.dump(doc, open(f"{work}/metrics.json", "w"), indent=2)
lines = open(events).read().splitlines(keepends=True)
first_json = next(i for i, l in enumerate(lines) if l.startswith("{"))
lines.insert(first_json + 1, json.dumps({"event": "inserted_by_acceptance", "tick": -1}) + "\n")
open(f"{work}/events.jsonl", "w").writelines(lines)
PY

expect() {
  local want=$1; shift
  set +e
  "$bin" characterization "$@" --color never --report-json "$work/report.json" >"$work/out.txt" 2>&1
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    echo "characterization acceptance: expected exit $want, got $got for: $*"
    cat "$work/out.txt"
    exit 1
  fi
}

report_details() {
  python3 - "$work/report.json" <<'PY'
import json, sys
check = json.load(open(sys.argv[1]))["gates"][0]["checks"][0]
print("\n".join(check.get("details", [])))
PY
}

expect 1 --baseline "$metrics" --current "$work/metrics.json"
details=$(report_details)
want="changed /metrics/thresholds/starvation/hunger_threshold: 0.05 -> 0.051"
if [ "$details" != "$want" ]; then
  echo "characterization acceptance: expected exactly '$want', got:"
  echo "$details"
  exit 1
fi
expect 0 --baseline "$metrics" --current "$work/metrics.json" \
  --tolerance '/metrics/thresholds/**=abs:0.01'

# An unchanged copy (one file on both sides is refused: it compares nothing).
cp "$events" "$work/events-unchanged.jsonl"
expect 2 --baseline "$events" --current "$work/events-unchanged.jsonl"
grep -q "events.jsonl:1:1" "$work/out.txt" || { echo "strict JSONL error does not name line 1"; cat "$work/out.txt"; exit 1; }
expect 0 --baseline "$events" --current "$work/events-unchanged.jsonl" --lenient
expect 1 --baseline "$events" --current "$work/events.jsonl" --lenient
python3 - "$work/report.json" <<'PY'
import json, sys
check = json.load(open(sys.argv[1]))["gates"][0]["checks"][0]
details = check["details"]
assert len(details) == 2 and "added record" in details[0] and "inserted_by_acceptance" in details[0], details
assert details[1].startswith("jsonl: ") and " 1 inserted, 0 deleted" in details[1], details
PY
echo "characterization acceptance: townlet metrics drift names exactly its pointer, tolerance passes it; events.jsonl strict exit 2, lenient skips log lines, one insertion reported once"

#!/usr/bin/env bash
# Snapshot gate on townlet's real files: the two old telemetry snapshots lack `tick`, so
# the current schema rejects them (exit 1, the report names `tick`) and the minimal
# schema with `tick` made optional accepts them (exit 0). Also compares the two schemas
# in both compatibility directions and checks golden hashes of the world snapshots.
set -euo pipefail
cd "$(dirname "$0")/../.."
townlet=../shared/townlet
if [ ! -d "$townlet" ]; then
  echo "snapshot acceptance: $townlet not found, skipped"
  exit 0
fi
bin=target/debug/safety-gate
[ -x "$bin" ] || cargo build --quiet --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expect() {
  local want=$1; shift
  set +e
  "$bin" "$@" --color never --report-json "$work/report.json" >"$work/out.txt" 2>&1
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    echo "snapshot acceptance: expected exit $want, got $got for: $*"
    cat "$work/out.txt"
    exit 1
  fi
}

snapshots="$townlet/telemetry_snapshots/*.json"
expect 1 snapshot --schema "$townlet/schemas/telemetry_snapshot.schema.json" --snapshots "$snapshots" \
  --version-pointer /schema_version
grep -q '"tick" is a required property' "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
python3 - "$work/report.json" <<'PY'
import json, sys
checks = json.load(open(sys.argv[1]))["gates"][0]["checks"]
failed = [c for c in checks if c["id"].startswith("schema:")]
assert len(failed) == 2 and all(c["status"] == "fail" and '"tick"' in c["message"] for c in failed), failed
seen = [c for c in checks if c["id"] == "versions"][0]["message"]
assert seen == "versions seen: 0.2.0 (1), 0.9.0 (1)", seen
PY

# The minimal schema, with `tick` made optional.
sed 's/"required": \["schema_version", "tick"\]/"required": ["schema_version"]/' \
  "$townlet/schemas/telemetry_snapshot_minimal.schema.json" >"$work/tick_optional.schema.json"
grep -q '"required": \["schema_version"\]' "$work/tick_optional.schema.json"
expect 0 snapshot --schema "$work/tick_optional.schema.json" --snapshots "$snapshots"

# Minimal schema -> current schema: tick stays required, the current one adds
# constrained properties to an open model (old data may hold anything there), so
# backward breaks; forward (old code reads new data) holds.
expect 1 snapshot --schema "$townlet/schemas/telemetry_snapshot.schema.json" \
  --previous-schema "$townlet/schemas/telemetry_snapshot_minimal.schema.json" --compatibility backward
expect 0 snapshot --schema "$townlet/schemas/telemetry_snapshot.schema.json" \
  --previous-schema "$townlet/schemas/telemetry_snapshot_minimal.schema.json" --compatibility forward

# Golden hashes of the real world snapshots survive a re-indent with sorted keys, and
# catch a change of one number. Keys are relative to the hashes file, so the copies
# and the hashes file sit side by side.
mkdir "$work/original" "$work/reformatted"
cp "$townlet"/snapshots/*.json "$work/original/"
expect 0 snapshot --schema "$work/tick_optional.schema.json" --snapshots "$work/original/*.json" \
  --write-hashes "$work/original/hashes.json"
for f in "$work"/original/snapshot-*.json; do
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); json.dump(d, open(sys.argv[2],"w"), indent=4, sort_keys=True)' \
    "$f" "$work/reformatted/$(basename "$f")"
done
cp "$work/original/hashes.json" "$work/reformatted/hashes.json"
if cmp -s "$work/original/snapshot-10.json" "$work/reformatted/snapshot-10.json"; then
  echo "snapshot acceptance: the reformatted copy is byte-identical, the test would prove nothing"
  exit 1
fi
expect 0 snapshot --schema "$work/tick_optional.schema.json" --snapshots "$work/reformatted/snapshot-*.json" \
  --hashes "$work/reformatted/hashes.json"
python3 - "$work/reformatted/snapshot-10.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["state"]["embeddings"]["available"][0] += 1
json.dump(doc, open(sys.argv[1], "w"), indent=4, sort_keys=True)
PY
expect 1 snapshot --schema "$work/tick_optional.schema.json" --snapshots "$work/reformatted/snapshot-*.json" \
  --hashes "$work/reformatted/hashes.json"
grep -q 'FAIL  snapshot/snapshot hash:snapshot-10.json' "$work/out.txt" || { cat "$work/out.txt"; exit 1; }

echo "snapshot acceptance: townlet telemetry snapshots fail on missing tick (exit 1), pass with tick optional; minimal->current breaks backward, not forward; world snapshot hashes survive re-indenting and catch one changed number"

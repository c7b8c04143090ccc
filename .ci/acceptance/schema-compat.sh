#!/usr/bin/env bash
# Schema compatibility against Confluent Schema Registry's JSON Schema test data: every
# case of ../shared/corpora/schema-compat/confluent/ runs through the real binary as
#   safety-gate snapshot --schema new.json --previous-schema old.json --compatibility backward [--draft 7]
# (--draft 7 when new.json has no $schema, as the registry reads such schemas). Exit 0
# must match a compatible verdict and exit 1 an incompatible one. The registry's verdict
# is expected everywhere except the cases its README marks as disputed, where the right
# answer by JSON Schema semantics (`peer_disputed.semantic_compatible`) is expected.
# Any other exit code, or any disagreement, fails the step. Prints both agreement figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=../shared/corpora/schema-compat/confluent
if [ ! -d "$corpus/cases" ]; then
  echo "schema-compat acceptance: $corpus not found, skipped"
  exit 0
fi
bin=target/debug/safety-gate
[ -x "$bin" ] || cargo build --quiet --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$bin" "$corpus/cases" "$work" <<'PY'
import json, os, subprocess, sys

binary, cases, work = sys.argv[1:]
total = with_peer = right = 0
wrong = []
for case in sorted(os.listdir(cases)):
    folder = os.path.join(cases, case)
    expected = json.load(open(os.path.join(folder, "expected.json")))
    new = json.load(open(os.path.join(folder, "new.json")))
    argv = [binary, "snapshot", "--schema", os.path.join(folder, "new.json"),
            "--previous-schema", os.path.join(folder, "old.json"),
            "--compatibility", "backward", "--color", "never"]
    if "$schema" not in new:
        argv += ["--draft", "7"]
    run = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    total += 1
    peer = expected["compatible"]
    disputed = expected.get("peer_disputed")
    want = disputed["semantic_compatible"] if disputed else peer
    got = {0: True, 1: False}.get(run.returncode)
    with_peer += got == peer
    if got == want:
        right += 1
    else:
        wrong.append((case, want, run.returncode, expected["description"], run.stdout[-800:] + run.stderr[-400:]))

print(f"schema-compat acceptance: {right}/{total} cases give the expected answer "
      f"(the registry's verdict, or the right one on its {sum(1 for c in os.listdir(cases) if 'peer_disputed' in json.load(open(os.path.join(cases, c, 'expected.json'))))} disputed cases); "
      f"{with_peer}/{total} agree with the registry itself")
for case, want, code, description, output in wrong:
    print(f"  case {case} ({description}): expected {'compatible (exit 0)' if want else 'breaking (exit 1)'}, got exit {code}")
    print("    " + output.replace("\n", "\n    "))
sys.exit(1 if wrong else 0)
PY

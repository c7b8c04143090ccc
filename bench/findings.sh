#!/usr/bin/env bash
# How long the findings gate takes on two large SARIF logs (100,000 results each, 500
# files, every line shifted by 10 on the current side, so every finding must be paired):
# reading both sides, matching and judging, against the peer in the same run: Python's
# json.load of the same two files, which only parses them.
# Usage: bash bench/findings.sh [RESULTS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
cargo build --release --locked --quiet -p safety-gate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$n" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
def log(shift):
    results = [{
        "ruleId": f"B{300 + i % 40}",
        "message": {"text": f"issue kind {i % 40}"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": f"src/mod{i % 500}.py"},
            "region": {"startLine": (i // 500) * 3 + 1 + shift, "startColumn": 5,
                       "snippet": {"text": f"call_{i}(x)\n"}}}}],
    } for i in range(n)]
    return {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bandit"}}, "results": results}]}
json.dump(log(0), open(f"{work}/base.sarif", "w"))
json.dump(log(10), open(f"{work}/current.sarif", "w"))
PY
seconds() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1; }
read -r gate_s gate_kb < <(seconds target/release/safety-gate findings --baseline "$work/base.sarif" \
  --current "$work/current.sarif" --quiet --color never)
read -r py_s py_kb < <(seconds python3 -c "import json, sys; [json.load(open(f)) for f in sys.argv[1:]]" \
  "$work/base.sarif" "$work/current.sarif")
ratio=$(python3 -c "print(f'{$gate_s / $py_s:.2f}')")
echo "findings gate: $n + $n results, $(du -m "$work/base.sarif" | cut -f1) MiB each: ${gate_s} s, $((gate_kb / 1024)) MiB peak"
echo "python json.load of both: ${py_s} s, $((py_kb / 1024)) MiB peak; gate/python time: ${ratio}x"

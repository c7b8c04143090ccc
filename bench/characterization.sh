#!/usr/bin/env bash
# JUnit ingest speed and memory of the characterization gate on a generated report of
# 500,000 testcases (pytest dialect, 1% failures, 1% skips, 0.5% xfails), against two
# peers measured in the same run on the same file:
#   - xmllint --stream --noout (libxml2's streaming reader: parse only, no JUnit logic)
#   - Python's xml.etree.ElementTree.iterparse counting outcomes (a typical CI script)
# Prints wall time and peak RSS (from /usr/bin/time -v) for each, and the ratios.
# Usage: bash bench/characterization.sh [TESTCASES]   (default 500000)
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-500000}
work=target/bench/characterization
mkdir -p "$work"
report="$work/junit-$cases.xml"

if [ ! -f "$report" ]; then
  python3 - "$report" "$cases" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">')
    f.write(f'<testsuite name="pytest" errors="0" failures="0" skipped="0" tests="{n}" time="1.0">\n')
    for i in range(n):
        cls = f"tests.test_module_{i // 1000}.TestGroup{i % 7}"
        name = f"test_case_{i}[param-{i % 13}]"
        head = f'<testcase classname="{cls}" name="{name}" time="0.001"'
        if i % 100 == 1:
            f.write(f'{head}><failure message="AssertionError: assert {i} == {i + 1}">'
                    f'def test():\n&gt;   assert {i} == {i + 1}\nE   AssertionError</failure></testcase>\n')
        elif i % 100 == 2:
            f.write(f'{head}><skipped type="pytest.skip" message="not on this platform">skip</skipped></testcase>\n')
        elif i % 200 == 3:
            f.write(f'{head}><skipped type="pytest.xfail" message="known bug"/></testcase>\n')
        else:
            f.write(f'{head}/>\n')
    f.write('</testsuite></testsuites>\n')
PY
fi
size=$(stat -c %s "$report")

cargo build --release --locked --quiet -p safety-gate
bin=target/release/safety-gate

# Runs a command under /usr/bin/time -v; prints "wall_seconds cpu_seconds kib".
measure() {
  local log="$work/time.log"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
    /User time \(seconds\)/ { cpu += $2 }
    /System time \(seconds\)/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 }
    END { print wall, cpu, rss }' "$log"
}

# Best of three runs for each tool, by CPU time (the file is in the page cache after
# the first run; CPU time is what other jobs on a shared CI machine cannot inflate).
best() {
  local best_wall="" best_cpu="" best_rss=""
  for _ in 1 2 3; do
    read -r wall cpu rss < <(measure "$@")
    if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall
      best_cpu=$cpu
      best_rss=$rss
    fi
  done
  echo "$best_wall $best_cpu $best_rss"
}

read -r gate_w gate_s gate_kib < <(best "$bin" characterization --results "$report" --lenient --quiet --color never)
read -r xmllint_w xmllint_s xmllint_kib < <(best xmllint --stream --noout "$report")
read -r py_w py_s py_kib < <(best python3 -c '
import sys, xml.etree.ElementTree as ET
counts = {}
for event, el in ET.iterparse(sys.argv[1], events=("end",)):
    if el.tag == "testcase":
        kind = el[0].tag if len(el) else "passed"
        counts[kind] = counts.get(kind, 0) + 1
        el.clear()
print(counts)
' "$report")
load=$(cut -d' ' -f1 /proc/loadavg)

awk -v n="$cases" -v size="$size" -v load="$load" -v cores="$(nproc)" \
    -v gw="$gate_w" -v gs="$gate_s" -v gk="$gate_kib" -v xw="$xmllint_w" -v xs="$xmllint_s" -v xk="$xmllint_kib" \
    -v pw="$py_w" -v ps="$py_s" -v pk="$py_kib" 'BEGIN {
  mib = size / 1048576
  printf "JUnit ingest, %d testcases, %.1f MiB file (best of 3 by CPU time; load average %s on %d cores)\n", n, mib, load, cores
  printf "  %-30s %6.2f s CPU %6.2f s wall %7.1f MiB peak RSS (%.2fx file size)\n", "safety-gate characterization", gs, gw, gk / 1024, gk * 1024 / size
  printf "  %-30s %6.2f s CPU %6.2f s wall %7.1f MiB peak RSS\n", "xmllint --stream --noout", xs, xw, xk / 1024
  printf "  %-30s %6.2f s CPU %6.2f s wall %7.1f MiB peak RSS\n", "python3 ElementTree.iterparse", ps, pw, pk / 1024
  printf "  CPU time ratio: %.2fx xmllint, %.2fx python iterparse\n", gs / xs, gs / ps
  printf "  goal <= 1 s: %s (CPU), %s (wall); memory well under the file size: %s\n",
    gs <= 1.0 ? "met" : "NOT met", gw <= 1.0 ? "met" : "NOT met (see load average)", gk * 1024 < size / 2 ? "met" : "NOT met"
}'

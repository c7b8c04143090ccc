#!/usr/bin/env bash
# CPU and peak memory of `safety-gate perf --format auto` against the same run with the
# format named, on two pairs of generated files: pyperf suites (a typed reader) and
# hyperfine exports (a JSON-tree reader), 10,000 benchmarks x 220 values each side.
# Best of 3 runs of user+sys CPU (GNU time), so other load on the machine matters less.
# Usage: bench/perf-auto-detect.sh   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet -p safety-gate
bin=$PWD/target/release/safety-gate
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import json, math, os, random, sys
rng = random.Random(7)
sigma = math.sqrt(math.log(1 + 0.05 ** 2))
def values(f):
    return [1e-3 * f * math.exp(rng.gauss(0, sigma)) for _ in range(220)]
for side, slow in [("base", False), ("cur", True)]:
    f = lambda i: 1.1 if slow and i % 10 == 0 else 1.0
    os.makedirs(f"{sys.argv[1]}/pyperf", exist_ok=True)
    os.makedirs(f"{sys.argv[1]}/hyperfine", exist_ok=True)
    pyperf = {"version": "1.0", "metadata": {"unit": "second", "loops": 1}, "benchmarks": [
        {"metadata": {"name": f"bench_{i:05d}"}, "runs": [{"values": values(f(i))}]}
        for i in range(10000)]}
    json.dump(pyperf, open(f"{sys.argv[1]}/pyperf/{side}.json", "w"))
    hyperfine = {"results": [{"command": f"cmd_{i:05d}", "mean": 1.0, "times": values(f(i))}
                             for i in range(10000)]}
    json.dump(hyperfine, open(f"{sys.argv[1]}/hyperfine/{side}.json", "w"))
PY
measure() { # FORMAT_DIR FORMAT -> "cpu_seconds peak_kib"
  local best=999 rss=0 out
  for _ in 1 2 3; do
    out=$( { /usr/bin/time -f "%U %S %M" "$bin" perf --baseline "$dir/$1/base.json" \
      --current "$dir/$1/cur.json" --format "$2" --quiet --color never >/dev/null; } 2>&1 | tail -n1)
    best=$(awk -v b="$best" -v u="${out%% *}" -v s="$(echo "$out" | cut -d' ' -f2)" \
      'BEGIN { t = u + s; print (t < b ? t : b) }')
    rss=$(echo "$out" | cut -d' ' -f3)
  done
  echo "$best $rss"
}
printf '%-10s %-8s %9s %10s %12s\n' input format cpu_s peak_MiB auto/named
for kind in pyperf hyperfine; do
  named=$(measure "$kind" "$kind")
  auto=$(measure "$kind" auto)
  awk -v k="$kind" -v n="$named" -v a="$auto" 'BEGIN {
    split(n, N, " "); split(a, A, " ");
    printf "%-10s %-8s %9.2f %10.0f\n", k, k, N[1], N[2] / 1024;
    printf "%-10s %-8s %9.2f %10.0f %11.2fx\n", k, "auto", A[1], A[2] / 1024, A[1] / N[1] }'
done

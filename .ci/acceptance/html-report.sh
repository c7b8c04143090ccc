#!/usr/bin/env bash
# The HTML report in a real browser: the regressed demo, run on a copy of ten recorded
# nights, opened in headless Chromium (Debian's package, driven by playwright-core from
# npm; both installed by `.ci/setup-tools browser`), must hold a chart for every failing
# benchmark and drifting series with every sample and night drawn, log no console error
# and fetch nothing; a full-page screenshot is left in target/ci-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
.ci/setup-tools browser
installed=$((SECONDS - start))
bin=$PWD/target/debug/safety-gate
[ -x "$bin" ] || cargo build --quiet --locked -p safety-gate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp fixtures/demo/history/nightly.jsonl "$work/nightly.jsonl"
set +e
"$bin" check --config fixtures/demo/regressed.toml --history "$work/nightly.jsonl" \
  --html "$work/report.html" --report-json "$work/report.json" --quiet >/dev/null
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "html report: the regressed demo exited $code, not 1" >&2
  exit 1
fi
node .ci/browser/check-report.cjs "$PWD/target/ci-tools/npm/node_modules" \
  "$work/report.html" "$work/report.json" target/ci-artifacts/html-report.png
echo "html report: browser tools ready in ${installed}s, whole check in $((SECONDS - start))s"

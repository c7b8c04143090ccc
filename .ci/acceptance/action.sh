#!/usr/bin/env bash
# Runs the action's own `check` step script (taken from action.yml) on the demo, the way
# the runner would (bash --noprofile --norc -eo pipefail): inputs as environment variables, $GITHUB_OUTPUT and
# $GITHUB_STEP_SUMMARY as files. Checks fail-on, gate selection and the outputs.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c 'import yaml' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check pyyaml
bin=$PWD/target/debug/safety-gate
[ -x "$bin" ] || cargo build --quiet --locked -p safety-gate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/check-step.sh" <<'PY'
import sys, yaml
steps = yaml.safe_load(open("action.yml"))["runs"]["steps"]
(step,) = [s for s in steps if s.get("id") == "check"]
open(sys.argv[1], "w").write(step["run"])
PY

# run_step EXPECTED_EXIT CONFIG FAIL_ON GATES
run_step() {
  local want=$1 config=$2 fail_on=$3 gates=$4
  : >"$work/output"; : >"$work/summary"
  set +e
  env BIN="$bin" CONFIG="$config" JUNIT="$work/junit.xml" REPORT_JSON="$work/report.json" \
    GATES="$gates" FAIL_ON="$fail_on" HISTORY="" BASELINE_REF="" ROLLBACK_REPORT="$work/rollback.md" \
    GITHUB_ACTIONS=true GITHUB_OUTPUT="$work/output" GITHUB_STEP_SUMMARY="$work/summary" \
    bash --noprofile --norc -eo pipefail "$work/check-step.sh" >"$work/stdout" 2>&1
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    echo "action step: expected exit $want, got $got (config=$config fail-on=$fail_on gates=$gates)"
    cat "$work/stdout"; exit 1
  fi
}

run_step 1 fixtures/demo/regressed.toml rollback ""
grep -qx 'rollback=true' "$work/output"
grep -qx 'failed-gates=tick,tick-log,demo,telemetry' "$work/output"
grep -q '^::error title=safety-gate perf/tick' "$work/stdout"
grep -q '| perf/tick | enforce | rollback |' "$work/summary"
test -s "$work/rollback.md"

run_step 0 fixtures/demo/regressed.toml never "tick-log"
grep -qx 'failed-gates=tick-log' "$work/output"
grep -q '^::notice title=safety-gate::verdict rollback' "$work/stdout"

run_step 0 safety-gate.toml rollback ""
grep -qx 'rollback=false' "$work/output"

run_step 2 missing.toml never ""
grep -qx 'verdict=error' "$work/output"

run_step 2 safety-gate.toml sometimes ""
echo "action step: fail-on rollback|never, gates and outputs behave on the demo"

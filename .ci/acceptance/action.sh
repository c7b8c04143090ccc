#!/usr/bin/env bash
# Runs the action's own steps (their run: scripts taken from action.yml) on the demo, the
# way the runner would (bash --noprofile --norc -eo pipefail): inputs as environment
# variables, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY as files. Checks fail-on, gate
# selection, allow-loosening under a baseline ref, the outputs, that the config's [reports] paths hold unless the inputs name
# others, and the pull-request comment step against a loopback REST API: created on a
# rollback, then the same comment edited when the next push passes.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c 'import yaml' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check pyyaml
bin=$PWD/target/debug/safety-gate
[ -x "$bin" ] || cargo build --quiet --locked -p safety-gate
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
python3 .ci/action-step.py check "$work/check-step.sh"
fail() { echo "action step: $*" >&2; exit 1; }

# run_step EXPECTED_EXIT CONFIG FAIL_ON GATES [NAME=VALUE...]
run_step() {
  local want=$1 config=$2 fail_on=$3 gates=$4
  shift 4
  : >"$work/output"; : >"$work/summary"
  set +e
  env BIN="$bin" ACTION_PATH="$PWD" CONFIG="$config" JUNIT="$work/junit.xml" REPORT_JSON="$work/report.json" \
    GATES="$gates" FAIL_ON="$fail_on" HISTORY="" BASELINE_REF="" ROLLBACK_REPORT="$work/rollback.md" \
    COMMENT=on-failure GITHUB_EVENT_NAME=push RUNNER_TEMP="$work" \
    GITHUB_ACTIONS=true GITHUB_OUTPUT="$work/output" GITHUB_STEP_SUMMARY="$work/summary" "$@" \
    bash --noprofile --norc -eo pipefail "$work/check-step.sh" >"$work/stdout" 2>&1
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    cat "$work/stdout"
    fail "expected exit $want, got $got (config=$config fail-on=$fail_on gates=$gates $*)"
  fi
}
output() { sed -n "s/^$1=//p" "$work/output" | tail -1; }

run_step 1 fixtures/demo/regressed.toml rollback ""
grep -qx 'rollback=true' "$work/output"
grep -qx 'failed-gates=tick,tick-log,demo,telemetry,python' "$work/output"
grep -q '^::error title=safety-gate perf/tick' "$work/stdout"
grep -q '| perf/tick | enforce | rollback |' "$work/summary"
test -s "$work/rollback.md"
[ "$(output junit-path)" = "$work/junit.xml" ] && [ -s "$work/junit.xml" ] || fail "junit input not honoured"

run_step 0 fixtures/demo/regressed.toml never "tick-log"
grep -qx 'failed-gates=tick-log' "$work/output"
grep -q '^::notice title=safety-gate::verdict rollback' "$work/stdout"

run_step 0 safety-gate.toml rollback ""
grep -qx 'rollback=false' "$work/output"

run_step 2 missing.toml never ""
grep -qx 'verdict=error' "$work/output"

run_step 2 safety-gate.toml sometimes ""
run_step 2 safety-gate.toml rollback "" COMMENT=sometimes
grep -q 'comment must be always, on-failure or never' "$work/stdout"
run_step 2 safety-gate.toml rollback "" ALLOW_LOOSENING=yes
grep -q 'allow-loosening must be true or false' "$work/stdout"
# With a baseline ref, the maintainer's approval reaches the binary: a waiver the
# working tree adds fails without it and is a warning with it.
repo="$work/repo"
mkdir -p "$repo/baselines" "$repo/out"
printf '[[perf]]\nname = "t"\nbaseline = "baselines/t.json"\ncurrent = "out/t.json"\nformat = "generic-json"\nmetrics = [{ name = "t", pointer = "/t" }]\n' >"$repo/safety-gate.toml"
echo '{"t": 1.0}' >"$repo/baselines/t.json"
echo '/out' >"$repo/.gitignore"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=t -c user.email=t@example.invalid add -A
git -C "$repo" -c user.name=t -c user.email=t@example.invalid -c commit.gpgsign=false commit -q -m start
echo '{"t": 1.0}' >"$repo/out/t.json"
printf '[[waiver]]\ncheck = "*"\nreason = "x"\nexpires = "2099-01-01"\n' >"$repo/baselines/waivers.toml"
run_step 1 "$repo/safety-gate.toml" rollback "" BASELINE_REF=main
grep -q 'loosened:waiver \* added' "$work/stdout" || fail "the added waiver was not reported"
run_step 0 "$repo/safety-gate.toml" rollback "" BASELINE_REF=main ALLOW_LOOSENING=true
grep -q 'allowed by --allow-loosening' "$work/stdout" || fail "allow-loosening did not reach the binary"

# Without the junit/report-json inputs the config's [reports] paths hold, and the outputs
# name what was written there.
rm -f target/safety-gate/junit.xml target/safety-gate/report.json
run_step 0 safety-gate.toml rollback "" JUNIT= REPORT_JSON=
junit=$(output junit-path); report=$(output report-path)
case "$junit" in *target/safety-gate/junit.xml) ;; *) fail "junit-path=$junit, not the config's" ;; esac
case "$report" in *target/safety-gate/report.json) ;; *) fail "report-path=$report, not the config's" ;; esac
[ -s "$junit" ] && [ -s "$report" ] || fail "the config's report paths were not written"
echo "action step: fail-on rollback|never, gates, outputs and the config's [reports] paths behave on the demo"

# The pull-request comment: a rollback creates it, the next (passing) push edits it.
python3 .ci/action-step.py pr-comment "$work/comment-step.sh"
python3 action/tests/fake_github.py api --port-file "$work/api-port" --lifetime 300 &
server=$!
for _ in $(seq 100); do [ -s "$work/api-port" ] && break; sleep 0.1; done
[ -s "$work/api-port" ] || fail "the loopback API did not start"
api=$(cat "$work/api-port")
printf '{"pull_request": {"number": 12}}' >"$work/event.json"
pr_env=(GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$work/event.json")
comment_step() {
  env -i PATH="$PATH" HOME="$HOME" RUNNER_OS=Linux ACTION_PATH="$PWD" COMMENT=on-failure \
    BODY_FILE="$(output pr-comment-file)" VERDICT="$(output verdict)" GITHUB_TOKEN=test-token \
    GITHUB_API_URL="$api" GITHUB_REPOSITORY=o/r GITHUB_WORKFLOW=wp5-safety GITHUB_JOB=gate \
    GITHUB_SERVER_URL=https://github.invalid GITHUB_RUN_ID=1 GITHUB_OUTPUT="$work/comment-output" \
    "${pr_env[@]}" bash --noprofile --norc -eo pipefail "$work/comment-step.sh" >"$work/comment.log" 2>&1 \
    || { cat "$work/comment.log"; fail "the comment step failed"; }
}
state() { python3 -c 'import json, sys, urllib.request; print(json.dumps(json.load(urllib.request.urlopen(sys.argv[1] + "/_state")).get("12", [])))' "$api"; }

run_step 1 fixtures/demo/regressed.toml rollback "" "${pr_env[@]}"
body=$(output pr-comment-file)
[ -s "$body" ] || fail "check --pr-comment wrote no body"
grep -q 'safety-gate: ROLLBACK' "$body" && grep -q '| perf/tick | enforce | rollback |' "$body" \
  || fail "the comment body lacks the verdict or the gate table"
comment_step
grep -q 'Created the safety-gate comment on #12' "$work/comment.log" || { cat "$work/comment.log"; fail "no comment created"; }
first=$(state)
run_step 0 safety-gate.toml rollback "" "${pr_env[@]}"
comment_step
grep -q 'Updated the safety-gate comment on #12' "$work/comment.log" || { cat "$work/comment.log"; fail "the comment was not edited"; }
python3 - "$first" "$(state)" <<'PY'
import json, sys
(first,), (now,) = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert first["id"] == now["id"], "a second comment was created"
assert first["body"].startswith("<!-- safety-gate-comment: wp5-safety/gate -->"), first["body"][:80]
assert "ROLLBACK" in first["body"] and "PASS" in now["body"] and "ROLLBACK" not in now["body"], now["body"][:300]
assert len(now["body"]) <= 65536
PY
echo "action comment step: created on the rollback, the same comment edited when the next push passed (loopback API)"

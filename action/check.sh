#!/usr/bin/env bash
# The action's check step: runs `safety-gate check --github` with the action's inputs
# and maps its exit code through `fail-on`. Report paths are passed only when the
# inputs give them, so a config's [reports] paths hold; the binary's own step outputs
# name the paths it wrote. When a pull-request comment may be posted, the binary also
# writes the comment body (`--pr-comment`) and this step names it in `pr-comment-file`.
# Environment: BIN, CONFIG, JUNIT, REPORT_JSON, HTML, GATES, FAIL_ON, HISTORY, BASELINE_REF,
# ALLOW_LOOSENING, ROLLBACK_REPORT, COMMENT, GITHUB_EVENT_NAME, RUNNER_TEMP, GITHUB_OUTPUT.
# The runner starts bash with -e; the exit code is ours to interpret.
set +e -uo pipefail
set -f  # gate names are split on spaces, never globbed
case "$FAIL_ON" in
  rollback|never) ;;
  *) echo "::error title=safety-gate::fail-on must be rollback or never, not '$FAIL_ON'"; exit 2 ;;
esac
case "${ALLOW_LOOSENING:-false}" in
  true|false) ;;
  *) echo "::error title=safety-gate::allow-loosening must be true or false, not '$ALLOW_LOOSENING'"; exit 2 ;;
esac
case "${COMMENT:-never}" in
  always|on-failure|never) ;;
  *) echo "::error title=safety-gate::comment must be always, on-failure or never, not '$COMMENT'"; exit 2 ;;
esac
args=(check --github --config "$CONFIG")
if [ -n "$JUNIT" ]; then args+=(--junit "$JUNIT"); fi
if [ -n "$REPORT_JSON" ]; then args+=(--report-json "$REPORT_JSON"); fi
if [ -n "${HTML:-}" ]; then args+=(--html "$HTML"); fi
for gate in $GATES; do args+=(--gate "$gate"); done
if [ -n "$HISTORY" ]; then args+=(--history "$HISTORY"); fi
if [ -n "$BASELINE_REF" ]; then args+=(--baseline-ref "$BASELINE_REF"); fi
if [ "${ALLOW_LOOSENING:-false}" = true ]; then args+=(--allow-loosening); fi
if [ -n "$ROLLBACK_REPORT" ]; then args+=(--rollback-report "$ROLLBACK_REPORT"); fi
comment_file=""
case "${GITHUB_EVENT_NAME:-}" in
  pull_request|pull_request_target)
    if [ "${COMMENT:-never}" != never ]; then
      comment_file="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/safety-gate-pr-comment.md"
      rm -f "$comment_file"
      args+=(--pr-comment "$comment_file")
    fi ;;
esac
"$BIN" "${args[@]}"
code=$?
if [ -n "$comment_file" ] && [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "pr-comment-file=$comment_file" >> "$GITHUB_OUTPUT"
fi
if [ "$code" -eq 1 ] && [ "$FAIL_ON" = never ]; then
  echo "::notice title=safety-gate::verdict rollback, not failing the step (fail-on: never)"
  exit 0
fi
exit "$code"

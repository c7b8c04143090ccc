"""Writes the `run:` script of one step of action.yml, found by its id, so that CI can
run the action's own step the way the runner does (bash --noprofile --norc -eo pipefail,
inputs in the environment).

Usage: python3 .ci/action-step.py STEP_ID OUT.sh
"""
import sys

import yaml

steps = yaml.safe_load(open("action.yml", encoding="utf-8"))["runs"]["steps"]
found = [s for s in steps if s.get("id") == sys.argv[1]]
if len(found) != 1 or "run" not in found[0]:
    sys.exit(f"action.yml: no single step with id {sys.argv[1]} and a run: script")
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(found[0]["run"])

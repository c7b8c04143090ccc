"""Turns a composite action's metadata (action.yml) into a reusable workflow so that
actionlint, which lints workflows, also checks the action's steps: its expressions,
contexts (`inputs.*`, `steps.*`, `github.action_path`), `if:` conditions and shells.

Usage: python3 action_as_workflow.py action.yml OUT.yml
"""
import sys

import yaml


def main(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        sys.exit(f"{source}: runs.using must be composite, found {runs.get('using')!r}")
    inputs = {
        name: {
            "description": spec.get("description", ""),
            "required": bool(spec.get("required", False)),
            "type": "string",
            **({"default": str(spec["default"])} if "default" in spec else {}),
        }
        for name, spec in (action.get("inputs") or {}).items()
    }
    workflow = {
        "name": f"action {action.get('name', source)}",
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read"},
        "jobs": {
            "action": {
                "runs-on": "ubuntu-latest",
                "steps": runs.get("steps") or [],
            }
        },
    }
    with open(target, "w", encoding="utf-8") as f:
        yaml.safe_dump(workflow, f, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

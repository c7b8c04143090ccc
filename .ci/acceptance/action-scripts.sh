#!/usr/bin/env bash
# The action's scripts (action/*.py) against loopback stand-ins for GitHub: release
# downloads (install.py), the issue-comments REST API (pr_comment.py) and a local bare
# repository as the remote of the history branch (history_branch.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v git >/dev/null 2>&1 || .ci/setup-tools packaging
python3 -m unittest discover -s action/tests -t action/tests 2>&1 | tail -n 4

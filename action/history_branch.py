"""Keeps the nightly history on a dedicated branch of the repository, so that it lasts:
the Actions cache is evicted after seven days unused and is not shared across branches,
which silently resets a trend kept there.

    python3 history_branch.py fetch   # before the check: branch's file -> HISTORY
    python3 history_branch.py push    # after the check: commit the new lines to the branch

`fetch` reads HISTORY from the tip of HISTORY_BRANCH on the remote into the working
tree (a branch that does not exist yet starts an empty history; a local file is kept
when the branch has none, so a history restored from elsewhere carries over), and
records what it read. `push` commits the history with the lines this run appended on
top of the branch tip, without touching the working tree, index or HEAD (plumbing:
hash-object, a temporary index, commit-tree), and pushes it without force. When
another job pushed first, it fetches again, puts this run's lines after the new tip's
and retries.

Environment: HISTORY (path, relative to the current folder, and the same path on the
branch), HISTORY_BRANCH, REMOTE (default origin), GITHUB_TOKEN (used for an https
remote when no credentials are configured), RUNNER_TEMP, GITHUB_SERVER_URL,
GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_WORKFLOW.
"""
from __future__ import annotations

import base64
import json
import os
import posixpath
import re
import sys
import tempfile
import time
from typing import Dict, List, Optional

import common
from common import ActionError

ATTEMPTS = 3
GIT_TIMEOUT = 120
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
LOCAL_REF = "refs/safety-gate/history"


class Git:
    """git commands run as argv with a timeout, credentials passed in the environment."""

    def __init__(self, remote: str, token: str):
        self.remote = remote
        self.env: Dict[str, str] = {"GIT_TERMINAL_PROMPT": "0"}
        url = self.text(["remote", "get-url", remote], check=False) or remote
        if token and re.match(r"^https?://", url) and not self._has_auth(url):
            # Through GIT_CONFIG_* rather than argv: the token stays out of `ps`.
            origin = re.match(r"^(https?://[^/]+)/", url + "/").group(1)
            basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
            self.env.update({"GIT_CONFIG_COUNT": "1",
                             "GIT_CONFIG_KEY_0": f"http.{origin}/.extraheader",
                             "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}"})

    def _has_auth(self, url: str) -> bool:
        # actions/checkout leaves an extraheader; a second Authorization header is refused.
        found = self.run(["config", "--get-regexp", r"^http\..*\.extraheader$"])
        return found.returncode == 0 and bool(found.stdout.strip())

    def run(self, args: List[str], stdin: Optional[bytes] = None, env: Optional[Dict[str, str]] = None):
        extra = dict(self.env)
        extra.update(env or {})
        return common.run(["git", *args], timeout=GIT_TIMEOUT, env_extra=extra, stdin=stdin)

    def text(self, args: List[str], stdin: Optional[bytes] = None, check: bool = True,
             env: Optional[Dict[str, str]] = None) -> str:
        done = self.run(args, stdin, env)
        if done.returncode != 0:
            if not check:
                return ""
            err = done.stderr.decode("utf-8", "replace").strip()
            raise ActionError(f"git {' '.join(args)} exited {done.returncode}: {err[-500:]}")
        return done.stdout.decode("utf-8", "replace").strip()


def branch_path(history: str) -> str:
    """The history's path on the branch: relative, with / separators, no `..`."""
    path = posixpath.normpath(history.replace("\\", "/"))
    if not history or path.startswith(("/", "../")) or path in (".", ".."):
        raise ActionError(f"history '{history}' must be a relative path inside the working directory")
    return path


def tip(git: Git, branch: str) -> Optional[str]:
    """Fetches the branch into a private ref; returns its commit, or None when the
    remote has no such branch."""
    listed = git.run(["ls-remote", "--exit-code", "--heads", git.remote, f"refs/heads/{branch}"])
    if listed.returncode == 2:
        return None
    if listed.returncode != 0:
        err = listed.stderr.decode("utf-8", "replace").strip()
        raise ActionError(f"git ls-remote {git.remote} {branch} exited {listed.returncode}: {err[-500:]}")
    git.text(["fetch", "--no-tags", "--quiet", git.remote, f"+refs/heads/{branch}:{LOCAL_REF}/{branch}"])
    return git.text(["rev-parse", "--verify", f"{LOCAL_REF}/{branch}^{{commit}}"])


def read_at(git: Git, commit: Optional[str], path: str) -> Optional[bytes]:
    """The file at `path` in `commit`, or None when absent."""
    if commit is None:
        return None
    done = git.run(["cat-file", "blob", f"{commit}:{path}"])
    return done.stdout if done.returncode == 0 else None


def state_file() -> str:
    return os.path.join(common.env("RUNNER_TEMP") or tempfile.gettempdir(),
                        "safety-gate-history-state.json")


def fetch(git: Git, branch: str, history: str) -> int:
    """`fetch`: see the module's documentation."""
    path = branch_path(history)
    commit = tip(git, branch)
    stored = read_at(git, commit, path)
    if stored is not None:
        if os.path.exists(history):
            common.info(f"{history}: replaced by the copy on branch {branch}")
        common.write_atomic(history, stored)
        runs = stored.count(b"\n")
        common.info(f"Read {history} from branch {branch} at {commit[:12]}: {runs} runs")
        base = stored
    elif os.path.exists(history):
        base = b""
        common.info(f"Branch {branch} has no {path} yet; keeping the local {history}, "
                    "which the first push will carry over")
    else:
        base = b""
        where = f"branch {branch} has no {path}" if commit else f"branch {branch} does not exist yet"
        common.info(f"Starting a new history: {where}")
    with open(state_file(), "w", encoding="utf-8") as f:
        json.dump({"branch": branch, "path": path,
                   "base": base64.b64encode(base).decode("ascii")}, f)
    return 0


def commit_on(git: Git, parent: Optional[str], path: str, content: bytes, message: str) -> str:
    """A commit of `parent`'s tree with `path` set to `content`; nothing else changes."""
    blob = git.text(["hash-object", "-w", "--stdin"], stdin=content)
    with tempfile.TemporaryDirectory(prefix="safety-gate-index-") as folder:
        index = {"GIT_INDEX_FILE": os.path.join(folder, "index")}
        if parent:
            git.text(["read-tree", parent], env=index)
        git.text(["update-index", "--add", "--cacheinfo", f"100644,{blob},{path}"], env=index)
        tree = git.text(["write-tree"], env=index)
    who = {"GIT_AUTHOR_NAME": BOT[0], "GIT_AUTHOR_EMAIL": BOT[1],
           "GIT_COMMITTER_NAME": BOT[0], "GIT_COMMITTER_EMAIL": BOT[1]}
    args = ["commit-tree", tree, "-F", "-"] + (["-p", parent] if parent else [])
    return git.text(args, stdin=message.encode("utf-8"), env=who)


def message(path: str, runs: int, added: int) -> str:
    """The commit message: what was recorded, and by which run."""
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    head = git_head()
    lines = [f"safety-gate history: record {added} run{'s' if added != 1 else ''} in {path} ({runs} in all)",
             "",
             f"Recorded {when}" + (f" for commit {head}" if head else "") + "."]
    server, repo, run_id = (common.env("GITHUB_SERVER_URL", "https://github.com"),
                            common.env("GITHUB_REPOSITORY"), common.env("GITHUB_RUN_ID"))
    if repo and run_id:
        lines.append(f"Workflow {common.env('GITHUB_WORKFLOW') or '?'}: {server}/{repo}/actions/runs/{run_id}")
    return "\n".join(lines) + "\n"


def git_head() -> str:
    done = common.run(["git", "rev-parse", "HEAD"], timeout=GIT_TIMEOUT)
    return done.stdout.decode().strip() if done.returncode == 0 else ""


def push(git: Git, branch: str, history: str) -> int:
    """`push`: see the module's documentation."""
    try:
        with open(state_file(), encoding="utf-8") as f:
            state = json.load(f)
    except (OSError, ValueError) as e:
        raise ActionError(f"{state_file()}: the fetch step's record is missing ({e}); "
                          "run `history_branch.py fetch` before the check") from None
    path = state["path"]
    try:
        with open(history, "rb") as f:
            current = f.read()
    except OSError as e:
        raise ActionError(f"{history}: cannot read the history to push: {e}") from None
    base = base64.b64decode(state["base"])
    if not current.startswith(base):
        raise ActionError(f"{history} no longer starts with what was read from branch {branch}; "
                          "refusing to overwrite the branch's history")
    added = current[len(base):]
    if not added.strip():
        common.info(f"{history}: no new run recorded; nothing to push")
        return 0
    if not added.endswith(b"\n"):
        added += b"\n"
    new_runs = added.count(b"\n")
    for attempt in range(1, ATTEMPTS + 1):
        parent = tip(git, branch)
        stored = read_at(git, parent, path)
        if stored is None:
            # The first push carries over a local history (the file fetch kept).
            prefix = current[: len(current) - len(added)]
        elif stored and not stored.endswith(b"\n"):
            prefix = stored + b"\n"
        else:
            prefix = stored
        content = prefix + added
        runs = content.count(b"\n")
        commit = commit_on(git, parent, path, content, message(path, runs, new_runs))
        done = git.run(["push", "--quiet", git.remote, f"{commit}:refs/heads/{branch}"])
        if done.returncode == 0:
            common.write_atomic(history, content)
            common.info(f"Pushed {path} to branch {branch} ({commit[:12]}): {new_runs} new, "
                        f"{runs} runs in all")
            return 0
        err = done.stderr.decode("utf-8", "replace").strip()
        if attempt < ATTEMPTS and re.search(r"rejected|non-fast-forward|fetch first|stale info", err):
            common.info(f"branch {branch} moved while this run was recording; retrying on its new tip")
            continue
        raise ActionError(f"git push {git.remote} {branch} exited {done.returncode}: {err[-500:]}")
    return 1


def main() -> int:
    if len(sys.argv) != 2 or sys.argv[1] not in ("fetch", "push"):
        raise ActionError("usage: history_branch.py fetch|push")
    branch, history = common.env("HISTORY_BRANCH"), common.env("HISTORY")
    if not branch or not history:
        raise ActionError("history-branch needs `history` (the file to keep on the branch)")
    if common.run(["git", "check-ref-format", f"refs/heads/{branch}"]).returncode != 0:
        raise ActionError(f"history-branch '{branch}' is not a valid branch name")
    git = Git(common.env("REMOTE", "origin"), common.env("GITHUB_TOKEN"))
    return fetch(git, branch, history) if sys.argv[1] == "fetch" else push(git, branch, history)


if __name__ == "__main__":
    common.main_guard(main)

"""history_branch.py against a local bare repository standing for the remote: the first
run creates the branch, the next run reads the history back and adds to it, a run that
lost a race to another push retries on the new tip, and the working tree, index and
HEAD of the checkout are never touched."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
import unittest
from unittest import mock

from helpers import run_script
import history_branch

BRANCH = "safety-gate-history"
HISTORY = "nightly/history.jsonl"


def git(*args: str, cwd: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})
    return done.stdout.strip()


class HistoryBranchTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="safety-gate-history-")
        self.remote = os.path.join(self.tmp, "remote.git")
        git("init", "--quiet", "--bare", "--initial-branch=main", self.remote, cwd=self.tmp)
        seed = self.clone("seed", branch=None)
        with open(os.path.join(seed, "README.md"), "w") as f:
            f.write("project\n")
        git("add", "README.md", cwd=seed)
        git("commit", "--quiet", "-m", "start", cwd=seed)
        git("push", "--quiet", "origin", "HEAD:refs/heads/main", cwd=seed)
        self.runner_temp = {}

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def clone(self, name: str, branch="main") -> str:
        path = os.path.join(self.tmp, name)
        args = ["clone", "--quiet", self.remote, path] + (["--branch", branch] if branch else [])
        git(*args, cwd=self.tmp)
        return path

    def step(self, checkout: str, command: str, **env):
        temp = self.runner_temp.setdefault(checkout, tempfile.mkdtemp(dir=self.tmp))
        base = {"HISTORY": HISTORY, "HISTORY_BRANCH": BRANCH, "RUNNER_TEMP": temp,
                "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "9", "GITHUB_WORKFLOW": "nightly"}
        base.update(env)
        return run_script("history_branch.py", base, [command], cwd=checkout)

    def record(self, checkout: str, line: str) -> None:
        """What `safety-gate check --history` does: append one JSON line."""
        path = os.path.join(checkout, HISTORY)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a") as f:
            f.write(line + "\n")

    def on_branch(self) -> str:
        return git("show", f"refs/heads/{BRANCH}:{HISTORY}", cwd=self.remote)

    def nightly(self, name: str, line: str):
        checkout = self.clone(name)
        fetched = self.step(checkout, "fetch")
        self.assertEqual(fetched.code, 0, fetched)
        self.record(checkout, line)
        pushed = self.step(checkout, "push")
        self.assertEqual(pushed.code, 0, pushed)
        return checkout, fetched, pushed

    def test_first_run_creates_the_branch_and_the_next_reads_it_back(self):
        checkout, fetched, pushed = self.nightly("night1", '{"run":1}')
        self.assertIn(f"branch {BRANCH} does not exist yet", fetched.stdout)
        self.assertIn(f"Pushed {HISTORY} to branch {BRANCH}", pushed.stdout)
        self.assertEqual(self.on_branch(), '{"run":1}')
        log = git("log", "--format=%an|%s", BRANCH, cwd=self.remote)
        self.assertEqual(log, f"github-actions[bot]|safety-gate history: record 1 run in {HISTORY} (1 in all)")
        body = git("log", "-1", "--format=%b", BRANCH, cwd=self.remote)
        self.assertIn("Workflow nightly: https://github.com/o/r/actions/runs/9", body)
        # The checkout itself is untouched: same HEAD, nothing staged, only the file.
        self.assertEqual(git("rev-parse", "HEAD", cwd=checkout), git("rev-parse", "main", cwd=self.remote))
        self.assertEqual(git("status", "--porcelain", cwd=checkout), "?? nightly/")

        checkout2, fetched2, _ = self.nightly("night2", '{"run":2}')
        self.assertIn(f"Read {HISTORY} from branch {BRANCH}", fetched2.stdout)
        self.assertIn(": 1 runs", fetched2.stdout)
        self.assertEqual(self.on_branch(), '{"run":1}\n{"run":2}')
        self.assertEqual(git("rev-list", "--count", BRANCH, cwd=self.remote), "2")
        # The branch holds the history only, not the project's files.
        self.assertEqual(git("ls-tree", "-r", "--name-only", BRANCH, cwd=self.remote), HISTORY)

    def test_a_run_that_lost_the_race_retries_on_the_new_tip(self):
        self.nightly("night1", '{"run":1}')
        slow = self.clone("slow")
        self.assertEqual(self.step(slow, "fetch").code, 0)
        self.record(slow, '{"run":"slow"}')
        # Another job pushes between this run's fetch of the tip and its push.
        original = history_branch.Git.run
        raced = []

        def run(git_self, args, stdin=None, env=None):
            if args[0] == "push" and not raced:
                raced.append(True)
                self.nightly("fast", '{"run":"fast"}')
            return original(git_self, args, stdin, env)

        out = io.StringIO()
        cwd = os.getcwd()
        try:
            os.chdir(slow)
            with mock.patch.object(history_branch.Git, "run", run), \
                    mock.patch.dict(os.environ, {"RUNNER_TEMP": self.runner_temp[slow]}), \
                    contextlib.redirect_stdout(out):
                code = history_branch.push(history_branch.Git("origin", ""), BRANCH, HISTORY)
        finally:
            os.chdir(cwd)
        self.assertEqual(code, 0, out.getvalue())
        self.assertTrue(raced)
        self.assertIn("moved while this run was recording", out.getvalue())
        self.assertEqual(self.on_branch(), '{"run":1}\n{"run":"fast"}\n{"run":"slow"}')
        with open(os.path.join(slow, HISTORY)) as f:
            self.assertEqual(f.read(), '{"run":1}\n{"run":"fast"}\n{"run":"slow"}\n')

    def test_a_local_history_carries_over_when_the_branch_has_none(self):
        checkout = self.clone("migrate")
        self.record(checkout, '{"run":"from the cache"}')
        fetched = self.step(checkout, "fetch")
        self.assertIn("keeping the local", fetched.stdout)
        self.record(checkout, '{"run":"new"}')
        self.assertEqual(self.step(checkout, "push").code, 0)
        self.assertEqual(self.on_branch(), '{"run":"from the cache"}\n{"run":"new"}')

    def test_nothing_new_pushes_nothing(self):
        self.nightly("night1", '{"run":1}')
        checkout = self.clone("idle")
        self.step(checkout, "fetch")
        result = self.step(checkout, "push")
        self.assertEqual(result.code, 0)
        self.assertIn("nothing to push", result.stdout)
        self.assertEqual(git("rev-list", "--count", BRANCH, cwd=self.remote), "1")

    def test_a_rewritten_history_is_refused(self):
        self.nightly("night1", '{"run":1}')
        checkout = self.clone("rewrite")
        self.step(checkout, "fetch")
        with open(os.path.join(checkout, HISTORY), "w") as f:
            f.write('{"run":"forged"}\n')
        result = self.step(checkout, "push")
        self.assertEqual(result.code, 1)
        self.assertIn("no longer starts with what was read", result.stdout)
        self.assertEqual(self.on_branch(), '{"run":1}')

    def test_bad_inputs_are_errors(self):
        checkout = self.clone("bad")
        cases = [({"HISTORY_BRANCH": "bad..name"}, "is not a valid branch name"),
                 ({"HISTORY": ""}, "history-branch needs `history`"),
                 ({"HISTORY": "../outside.jsonl"}, "must be a relative path"),
                 ({"REMOTE": os.path.join(self.tmp, "nowhere.git")}, "git ls-remote")]
        for env, message in cases:
            with self.subTest(env=env):
                result = self.step(checkout, "fetch", **env)
                self.assertEqual(result.code, 1, result)
                self.assertIn(message, result.stdout)
        push_first = self.step(self.clone("nofetch"), "push")
        self.assertIn("the fetch step's record is missing", push_first.stdout)


if __name__ == "__main__":
    unittest.main()

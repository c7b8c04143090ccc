"""pr_comment.py against a loopback REST API: one comment per workflow job, created on
the first failing run and edited on later ones; `comment:` modes; the size limit; an
API refusal warns without failing the job."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import unittest

from helpers import run_script
import fake_github
import pr_comment

NUMBER = 7


class CommentTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="safety-gate-comment-")
        self.api = fake_github.CommentsApi()
        self.server = fake_github.api_server(self.api).__enter__()
        self.event = os.path.join(self.tmp, "event.json")
        with open(self.event, "w") as f:
            json.dump({"pull_request": {"number": NUMBER}}, f)

    def tearDown(self):
        self.server.__exit__(None, None, None)
        shutil.rmtree(self.tmp)

    def body(self, text: str) -> str:
        path = os.path.join(self.tmp, "body.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def post(self, verdict: str, text: str = None, **env):
        base = {"COMMENT": "on-failure", "VERDICT": verdict,
                "BODY_FILE": self.body(text if text is not None else f"## safety-gate: {verdict.upper()}\n"),
                "GITHUB_TOKEN": "test-token", "GITHUB_API_URL": self.server.url,
                "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_EVENT_PATH": self.event, "GITHUB_WORKFLOW": "ci", "GITHUB_JOB": "gate",
                "GITHUB_SERVER_URL": "https://github.invalid", "GITHUB_RUN_ID": "42"}
        base.update(env)
        result = run_script("pr_comment.py", base)
        self.assertEqual(result.code, 0, result)
        return result

    def ours(self):
        return [c for c in self.api.comments.get(NUMBER, []) if "safety-gate-comment" in c["body"]]

    def writes(self):
        return [r for r in self.api.requests if not r.startswith("GET")]

    def test_creates_then_edits_the_same_comment(self):
        # Others' comments fill the first page: ours must be found on the second.
        for i in range(120):
            self.api.add(NUMBER, f"comment {i}")
        first = self.post("rollback", "## ❌ safety-gate: ROLLBACK\n\n| perf/tick | rollback |\n")
        self.assertIn("Created the safety-gate comment on #7", first.stdout)
        (comment,) = self.ours()
        self.assertTrue(comment["body"].startswith("<!-- safety-gate-comment: ci/gate -->\n"))
        self.assertIn("| perf/tick | rollback |", comment["body"])
        self.assertIn("https://github.invalid/o/r/actions/runs/42", comment["body"])
        self.assertEqual(first.outputs["comment-url"], comment["html_url"])
        second = self.post("rollback", "## ❌ safety-gate: ROLLBACK\n\n| perf/tick-log | rollback |\n")
        self.assertIn("Updated the safety-gate comment on #7", second.stdout)
        (edited,) = self.ours()
        self.assertEqual(edited["id"], comment["id"])
        self.assertIn("perf/tick-log", edited["body"])
        self.assertNotIn("| perf/tick |", edited["body"])
        self.assertEqual(len(self.api.comments[NUMBER]), 121)
        self.assertEqual([w.split()[0] for w in self.writes()], ["POST", "PATCH"])

    def test_on_failure_posts_nothing_for_a_pass_but_marks_an_earlier_comment_passing(self):
        self.post("pass")
        self.assertEqual(self.writes(), [])
        self.post("error")
        self.post("pass", "## ✅ safety-gate: PASS\n")
        (comment,) = self.ours()
        self.assertIn("PASS", comment["body"])
        self.assertEqual([w.split()[0] for w in self.writes()], ["POST", "PATCH"])

    def test_always_posts_a_pass_and_never_posts_nothing(self):
        self.post("pass", COMMENT="never")
        self.assertEqual(self.api.requests, [])
        self.post("pass", COMMENT="always")
        self.assertEqual(len(self.ours()), 1)

    def test_other_events_and_other_jobs(self):
        self.post("rollback", GITHUB_EVENT_NAME="push")
        self.assertEqual(self.api.requests, [])
        self.post("rollback")
        self.post("rollback", GITHUB_JOB="nightly")
        self.assertEqual(len(self.ours()), 2)

    def test_an_oversized_body_is_cut_within_githubs_limit(self):
        self.post("rollback", "## ❌ ROLLBACK\n" + "| row | of a long table |\n" * 5000)
        (comment,) = self.ours()
        self.assertLessEqual(len(comment["body"]), pr_comment.MAX_COMMENT_CHARS)
        self.assertIn("cut at GitHub's size limit", comment["body"])

    def test_a_missing_body_still_says_the_check_could_not_decide(self):
        self.post("", BODY_FILE=os.path.join(self.tmp, "missing.md"))
        (comment,) = self.ours()
        self.assertIn("safety-gate: ERROR", comment["body"])
        self.assertIn("did not write its report", comment["body"])

    def test_a_refusal_warns_with_the_permission_it_needs(self):
        self.api.refuse_writes = 403
        result = self.post("rollback")
        self.assertIn("::warning title=safety-gate::could not post the pull-request comment", result.stdout)
        self.assertIn("HTTP 403", result.stdout)
        self.assertIn("pull-requests: write", result.stdout)
        bad_token = self.post("rollback", GITHUB_TOKEN="wrong")
        self.assertIn("HTTP 401", bad_token.stdout)

    def test_a_bad_mode_is_reported(self):
        result = self.post("rollback", COMMENT="sometimes")
        self.assertIn("comment must be always, on-failure or never", result.stdout)
        self.assertEqual(self.writes(), [])

    def test_marker_cannot_be_closed_by_the_key(self):
        mark = pr_comment.marker("wf --> <b>/job")
        self.assertEqual(mark.count("-->"), 1)
        self.assertTrue(mark.endswith(" -->"))


if __name__ == "__main__":
    unittest.main()

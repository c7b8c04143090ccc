"""The action's pull-request comment step: posts the verdict and the checks that need
attention as one comment on the pull request, and edits that same comment on later
pushes instead of adding new ones.

The body is written by the binary (`safety-gate check --pr-comment FILE`, the step
summary within GitHub's comment limit). This script adds a hidden marker naming the
workflow and job, finds an earlier comment carrying it through the REST API at
`GITHUB_API_URL`, and edits it (PATCH) or creates one (POST).

`comment: always` posts on every run; `on-failure` (the default) posts when the verdict
is not pass, and edits an earlier comment to say the run passes now (a stale red
comment would mislead); `never` posts nothing. The comment is a convenience beside the
step's verdict: when the API refuses (a fork's read-only token, missing
`pull-requests: write`), the step warns and does not fail the job.

Environment: COMMENT, BODY_FILE, VERDICT, GITHUB_TOKEN, GITHUB_API_URL,
GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKFLOW, GITHUB_JOB,
GITHUB_SERVER_URL, GITHUB_RUN_ID, COMMENT_KEY (replaces workflow/job in the marker).
Output: comment-url.
"""
from __future__ import annotations

import json
import re
from typing import Dict, Optional

import common
from common import ActionError, HttpError

#: GitHub refuses a comment body over 65,536 characters.
MAX_COMMENT_CHARS = 65536
#: Pages of 100 comments read while looking for ours.
MAX_PAGES = 50
PR_EVENTS = ("pull_request", "pull_request_target")


def marker(key: str) -> str:
    """The hidden first line that identifies this job's comment."""
    clean = re.sub(r"[^A-Za-z0-9_./ -]", "_", key).replace("--", "-_")
    return f"<!-- safety-gate-comment: {clean} -->"


def compose(mark: str, body: str, run_url: str) -> str:
    """Marker, body and a link to the run, within `MAX_COMMENT_CHARS`: a body that would
    not fit is cut at a line boundary and says so."""
    footer = f"\n\n<sub>[workflow run]({run_url}) · edited on each push</sub>\n" if run_url else ""
    head = mark + "\n"
    room = MAX_COMMENT_CHARS - len(head) - len(footer)
    if len(body) > room:
        note = "\n\n_The comment was cut at GitHub's size limit; the step summary and reports have everything._"
        cut = body[: room - len(note)]
        cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
        body = cut + note
    return head + body.rstrip("\n") + footer


def pull_number(event_path: str) -> int:
    """The pull request's number from the event payload."""
    try:
        with open(event_path, encoding="utf-8") as f:
            event = json.load(f)
        number = event["pull_request"]["number"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ActionError(f"{event_path or 'GITHUB_EVENT_PATH'}: no pull request number ({e})") from None
    if not isinstance(number, int) or number <= 0:
        raise ActionError(f"{event_path}: pull request number {number!r} is not a positive integer")
    return number


class Api:
    """The few REST calls the step makes."""

    def __init__(self, base: str, repository: str, token: str):
        self.base = base.rstrip("/")
        self.repository = repository
        self.headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "Authorization": f"Bearer {token}",
        }

    def _call(self, method: str, path: str, payload: Optional[Dict] = None):
        data = None
        headers = dict(self.headers)
        if payload is not None:
            data = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        _, _, body = common.http(method, f"{self.base}{path}", headers=headers, data=data,
                                 max_bytes=8 << 20)
        try:
            return json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            raise ActionError(f"{method} {self.base}{path}: the answer is not JSON") from None

    def find(self, number: int, mark: str) -> Optional[Dict]:
        """The oldest comment on the pull request whose body starts with `mark`."""
        for page in range(1, MAX_PAGES + 1):
            comments = self._call(
                "GET", f"/repos/{self.repository}/issues/{number}/comments?per_page=100&page={page}")
            if not isinstance(comments, list):
                raise ActionError("listing comments: the answer is not a list")
            for comment in comments:
                if str(comment.get("body", "")).startswith(mark):
                    return comment
            if len(comments) < 100:
                return None
        common.warning(f"more than {MAX_PAGES * 100} comments: looked no further for ours")
        return None

    def create(self, number: int, body: str) -> Dict:
        """POST a new comment."""
        return self._call("POST", f"/repos/{self.repository}/issues/{number}/comments",
                          {"body": body})

    def update(self, comment_id: int, body: str) -> Dict:
        """PATCH an existing comment."""
        return self._call("PATCH", f"/repos/{self.repository}/issues/comments/{comment_id}",
                          {"body": body})


def read_body(path: str, verdict: str) -> str:
    """The body the binary wrote, or a short one saying it could not be written."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        common.warning(f"the comment body {path or '(none)'} could not be read: {e}")
        return (f"## ⚠️ safety-gate: {verdict.upper() or 'ERROR'}\n\n"
                "The check did not write its report; the job log says why.\n")


def post() -> int:
    """The step: see the module's documentation."""
    mode = common.env("COMMENT", "on-failure")
    if mode not in ("always", "on-failure", "never"):
        raise ActionError(f"comment must be always, on-failure or never, not '{mode}'")
    event = common.env("GITHUB_EVENT_NAME")
    if mode == "never":
        common.info("comment: never; no pull-request comment")
        return 0
    if event not in PR_EVENTS:
        common.info(f"not a pull request ({event or 'no event'}); no comment")
        return 0
    verdict = common.env("VERDICT", "error")
    number = pull_number(common.env("GITHUB_EVENT_PATH"))
    token = common.env("GITHUB_TOKEN")
    if not token:
        raise ActionError("no token to comment with: set `github-token`")
    api = Api(common.env("GITHUB_API_URL", "https://api.github.com"),
              common.env("GITHUB_REPOSITORY"), token)
    key = common.env("COMMENT_KEY") or f"{common.env('GITHUB_WORKFLOW')}/{common.env('GITHUB_JOB')}"
    mark = marker(key)
    server, repo, run_id = (common.env("GITHUB_SERVER_URL", "https://github.com"),
                            common.env("GITHUB_REPOSITORY"), common.env("GITHUB_RUN_ID"))
    run_url = f"{server}/{repo}/actions/runs/{run_id}" if repo and run_id else ""
    body = compose(mark, read_body(common.env("BODY_FILE"), verdict), run_url)
    existing = api.find(number, mark)
    if existing is None and mode == "on-failure" and verdict == "pass":
        common.info(f"verdict pass and no earlier comment on #{number}: nothing to post (comment: on-failure)")
        return 0
    if existing is None:
        made = api.create(number, body)
        common.info(f"Created the safety-gate comment on #{number}: {made.get('html_url', made.get('id'))}")
    else:
        made = api.update(int(existing["id"]), body)
        common.info(f"Updated the safety-gate comment on #{number}: {made.get('html_url', existing['id'])}")
    common.set_outputs({"comment-url": str(made.get("html_url", ""))})
    return 0


def main() -> int:
    """Runs the step; API refusals and network failures warn instead of failing the job."""
    try:
        return post()
    except HttpError as e:
        hint = ""
        if e.status in (401, 403, 404):
            hint = (" (the job needs `permissions: pull-requests: write`; pull requests from "
                    "forks get a read-only token)")
        common.warning(f"could not post the pull-request comment: {e}{hint}")
    except ActionError as e:
        common.warning(f"could not post the pull-request comment: {e}")
    return 0


if __name__ == "__main__":
    common.main_guard(main)

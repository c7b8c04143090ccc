"""Loopback stand-ins for GitHub, for the action's tests: a release download server
(static files laid out as `OWNER/REPO/releases/download/TAG/ASSET`) and the few REST
endpoints of issue comments, with pagination and the checks GitHub makes on headers.
They bind 127.0.0.1 only.

Run as a program for shell tests:
    python3 fake_github.py api --port-file F              # REST API
    python3 fake_github.py files --root DIR --port-file F  # static files
until killed, or after --lifetime seconds (600).
The API's state (every comment) is printed as JSON at GET /_state.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional


class Quiet(SimpleHTTPRequestHandler):
    """Static files without the request log on stderr."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class CommentsApi:
    """Issue comments of one repository, in memory."""

    def __init__(self, token: str = "test-token"):
        self.token = token
        self.comments: Dict[int, List[Dict]] = {}
        self.requests: List[str] = []
        self.next_id = 1000
        #: Status to answer to the next POST or PATCH instead of doing it (e.g. 403).
        self.refuse_writes: Optional[int] = None
        self.lock = threading.Lock()

    def add(self, number: int, body: str, login: str = "someone") -> Dict:
        with self.lock:
            self.next_id += 1
            comment = {"id": self.next_id, "body": body, "user": {"login": login},
                       "html_url": f"https://github.invalid/o/r/pull/{number}#issuecomment-{self.next_id}"}
            self.comments.setdefault(number, []).append(comment)
            return comment


def api_handler(api: CommentsApi):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

        def _send(self, status: int, payload) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {api.token}":
                self._send(401, {"message": "Bad credentials"})
                return False
            if self.headers.get("X-GitHub-Api-Version") != "2022-11-28":
                self._send(400, {"message": "missing X-GitHub-Api-Version"})
                return False
            return True

        def _body(self) -> Optional[Dict]:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                payload = json.loads(self.rfile.read(length))
            except ValueError:
                self._send(400, {"message": "Problems parsing JSON"})
                return None
            body = payload.get("body")
            if not isinstance(body, str) or len(body) > 65536:
                self._send(422, {"message": "Validation Failed: body is too long (maximum is 65536 characters)"})
                return None
            return payload

        def do_GET(self):  # noqa: N802 (http.server's name)
            api.requests.append(f"GET {self.path}")
            if self.path == "/_state":
                return self._send(200, api.comments)
            if not self._authorized():
                return None
            m = re.match(r"^/repos/[^/]+/[^/]+/issues/(\d+)/comments\?per_page=(\d+)&page=(\d+)$", self.path)
            if not m:
                return self._send(404, {"message": "Not Found"})
            number, per_page, page = (int(g) for g in m.groups())
            items = api.comments.get(number, [])
            return self._send(200, items[(page - 1) * per_page: page * per_page])

        def do_POST(self):  # noqa: N802
            api.requests.append(f"POST {self.path}")
            if not self._authorized():
                return None
            m = re.match(r"^/repos/[^/]+/[^/]+/issues/(\d+)/comments$", self.path)
            if not m:
                return self._send(404, {"message": "Not Found"})
            if api.refuse_writes:
                return self._send(api.refuse_writes, {"message": "Resource not accessible by integration"})
            payload = self._body()
            if payload is not None:
                self._send(201, api.add(int(m.group(1)), payload["body"], "github-actions[bot]"))

        def do_PATCH(self):  # noqa: N802
            api.requests.append(f"PATCH {self.path}")
            if not self._authorized():
                return None
            m = re.match(r"^/repos/[^/]+/[^/]+/issues/comments/(\d+)$", self.path)
            found = None
            if m:
                for comments in api.comments.values():
                    for c in comments:
                        if c["id"] == int(m.group(1)):
                            found = c
            if found is None:
                return self._send(404, {"message": "Not Found"})
            if api.refuse_writes:
                return self._send(api.refuse_writes, {"message": "Resource not accessible by integration"})
            payload = self._body()
            if payload is not None:
                found["body"] = payload["body"]
                self._send(200, found)

    return Handler


class Server:
    """A ThreadingHTTPServer on 127.0.0.1, on a free port, in a background thread."""

    def __init__(self, handler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def files_server(root: str) -> Server:
    """Serves the files under `root`."""
    return Server(functools.partial(Quiet, directory=root))


def api_server(api: CommentsApi) -> Server:
    """Serves `api`."""
    return Server(api_handler(api))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["api", "files"])
    parser.add_argument("--root", default=".")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token", default="test-token")
    parser.add_argument("--lifetime", type=float, default=600,
                        help="seconds after which the server stops by itself")
    args = parser.parse_args()
    server = api_server(CommentsApi(args.token)) if args.kind == "api" else files_server(args.root)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(server.url)
    os.replace(tmp, args.port_file)
    stop = threading.Timer(args.lifetime, server.httpd.shutdown)
    stop.daemon = True
    stop.start()
    server.httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())

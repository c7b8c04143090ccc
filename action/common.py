"""What the action's scripts share: GitHub workflow commands, step outputs, HTTP with
retries and a size cap, atomic writes, and running a command with a timeout.

Standard library only, Python 3.8 or later: these scripts run on GitHub's Linux, macOS
and Windows runners before anything else is installed.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from typing import Dict, List, Mapping, Optional, Tuple

USER_AGENT = "safety-gate-action"

#: Seconds one HTTP request may take.
HTTP_TIMEOUT = 60

#: Attempts for a request that fails on the network or with a 5xx status.
HTTP_ATTEMPTS = 3


class ActionError(Exception):
    """A failure to report as one `::error` line; the script then exits 1."""


class HttpError(ActionError):
    """An HTTP request that got an error status (after retries for 5xx)."""

    def __init__(self, method: str, url: str, status: int, body: bytes):
        self.status = status
        self.body = body
        detail = body[:300].decode("utf-8", "replace").strip()
        super().__init__(f"{method} {url}: HTTP {status}" + (f": {detail}" if detail else ""))


def env(name: str, default: str = "") -> str:
    """An environment variable, stripped; empty counts as unset."""
    value = os.environ.get(name, "").strip()
    return value or default


def escape_data(text: str) -> str:
    """Escapes a workflow-command message as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def error(message: str) -> None:
    """Prints an `::error` annotation."""
    print(f"::error title=safety-gate::{escape_data(message)}", flush=True)


def warning(message: str) -> None:
    """Prints a `::warning` annotation."""
    print(f"::warning title=safety-gate::{escape_data(message)}", flush=True)


def notice(message: str) -> None:
    """Prints a `::notice` annotation."""
    print(f"::notice title=safety-gate::{escape_data(message)}", flush=True)


def info(message: str) -> None:
    """Prints a plain log line."""
    print(message, flush=True)


def set_outputs(values: Mapping[str, str]) -> None:
    """Appends step outputs to `$GITHUB_OUTPUT` (nothing when it is unset). Values with
    a line break use the `name<<DELIMITER` form with a delimiter they do not contain."""
    path = env("GITHUB_OUTPUT")
    if not path:
        return
    lines = []
    for name, value in values.items():
        if "\n" in value or "\r" in value:
            delimiter = f"ghadelimiter_{uuid.uuid4().hex}"
            lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            lines.append(f"{name}={value}\n")
    with open(path, "a", encoding="utf-8") as f:
        f.write("".join(lines))


def http(
    method: str,
    url: str,
    headers: Optional[Dict[str, str]] = None,
    data: Optional[bytes] = None,
    max_bytes: int = 1 << 20,
    sink=None,
) -> Tuple[int, Mapping[str, str], bytes]:
    """Sends one request and returns (status, headers, body). Network failures and 5xx
    answers are retried; other error statuses raise `HttpError` at once. With `sink`
    (a binary file), the body is streamed into it and the returned body is empty. A
    body over `max_bytes` is an error, never silently cut."""
    headers = dict(headers or {})
    headers.setdefault("User-Agent", USER_AGENT)
    last: Optional[Exception] = None
    for attempt in range(HTTP_ATTEMPTS):
        if attempt:
            time.sleep(attempt)
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                body = _read_capped(response, url, max_bytes, sink)
                return response.status, response.headers, body
        except urllib.error.HTTPError as e:
            body = e.read(4096) if e.fp else b""
            if e.code < 500:
                raise HttpError(method, url, e.code, body) from None
            last = HttpError(method, url, e.code, body)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            last = ActionError(f"{method} {url}: {reason}")
        if sink is not None:
            sink.seek(0)
            sink.truncate()
    assert last is not None
    raise last


def _read_capped(response, url: str, max_bytes: int, sink) -> bytes:
    chunks: List[bytes] = []
    total = 0
    while True:
        chunk = response.read(1 << 16)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise ActionError(f"{url}: more than {max_bytes} bytes; refusing it")
        if sink is None:
            chunks.append(chunk)
        else:
            sink.write(chunk)
    return b"".join(chunks)


def write_atomic(path: str, data: bytes, mode: Optional[int] = None) -> None:
    """Writes `data` to a temporary file beside `path`, syncs it, then renames it over
    `path`: a crash leaves the old file. Keeps the mode of the file it replaces unless
    `mode` is given."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    if mode is None and os.path.exists(path):
        mode = os.stat(path).st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".safety-gate-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(argv: List[str], timeout: float = 60, cwd: Optional[str] = None,
        env_extra: Optional[Mapping[str, str]] = None,
        stdin: Optional[bytes] = None) -> subprocess.CompletedProcess:
    """Runs argv (never a shell) with a timeout; returns the completed process with
    stdout and stderr as bytes. A command that cannot start or times out raises
    `ActionError` naming it."""
    full_env = None
    if env_extra:
        full_env = dict(os.environ)
        full_env.update(env_extra)
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=cwd, env=full_env,
                                start_new_session=posix)
    except FileNotFoundError:
        raise ActionError(f"{argv[0]}: command not found") from None
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        # Its own process group: whatever it started goes with it.
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        raise ActionError(f"{' '.join(argv)}: no answer within {timeout:.0f} s") from None
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def main_guard(body) -> None:
    """Runs a script's body: an `ActionError` becomes one `::error` line and exit 1."""
    try:
        code = body()
    except ActionError as e:
        error(str(e))
        sys.exit(1)
    sys.exit(code or 0)

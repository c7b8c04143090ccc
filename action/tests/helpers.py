"""Running the action's scripts as the runner would: a clean environment holding the
step's variables, `$GITHUB_OUTPUT` as a file read back into a dict."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Dict, List, NamedTuple, Optional

ACTION = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(ACTION)
sys.path.insert(0, ACTION)


class Result(NamedTuple):
    code: int
    stdout: str
    stderr: str
    outputs: Dict[str, str]


def read_outputs(path: str) -> Dict[str, str]:
    """`name=value` and `name<<DELIM ... DELIM` lines of a `$GITHUB_OUTPUT` file."""
    out: Dict[str, str] = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1: j])
            i = j + 1
        else:
            name, value = line.split("=", 1)
            out[name] = value
            i += 1
    return out


def run_script(script: str, env: Dict[str, str], args: Optional[List[str]] = None,
               cwd: Optional[str] = None, timeout: float = 120) -> Result:
    """Runs action/SCRIPT with only PATH, HOME and `env` set, like a step's env."""
    with tempfile.TemporaryDirectory(prefix="safety-gate-step-") as tmp:
        output = os.path.join(tmp, "output")
        full = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", tmp),
                "GITHUB_OUTPUT": output, "RUNNER_TEMP": env.get("RUNNER_TEMP", tmp)}
        full.update(env)
        done = subprocess.run([sys.executable, os.path.join(ACTION, script), *(args or [])],
                              env=full, cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, check=False)
        return Result(done.returncode, done.stdout, done.stderr, read_outputs(output))

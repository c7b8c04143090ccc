#!/usr/bin/env python3
"""Writes large inputs for bench/peak-memory.sh: gen_inputs.py KIND SIZE_MB PATH.

KIND is jsonl (telemetry-like records), junit-many-tests (small passing testcases),
junit-big-output (fewer testcases with ~8 kB of captured output each) or kv (a log
with one average_tick_seconds=... line per ~100 lines of noise). Deterministic.
"""
import sys

kind, size_mb, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
target = size_mb * 1_000_000


def chunks():
    i = 0
    if kind == "jsonl":
        while True:
            yield (f'{{"tick": {i}, "agent": "agent_{i % 97}", "value": {i % 1000 / 7:.6f}, '
                   f'"tags": ["a", "b"], "pad": "{"x" * 40}"}}\n')
            i += 1
    elif kind == "junit-many-tests":
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="big">\n'
        while True:
            yield f'<testcase name="test_{i}" classname="pkg.mod_{i % 100}.Case" time="0.001"/>\n'
            i += 1
    elif kind == "junit-big-output":
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="big">\n'
        line = "log line with some &amp; escaped &lt;text&gt; and numbers 0123456789\n"
        while True:
            yield (f'<testcase name="test_{i}" classname="pkg.Case" time="0.01"><system-out>'
                   + line * 110 + "</system-out></testcase>\n")
            i += 1
    elif kind == "kv":
        noise = "INFO worker heartbeat ok queue=busy latency=fine\n" * 100
        while True:
            yield noise + f"average_tick_seconds=0.00{1000 + i % 10}\n"
            i += 1
    else:
        sys.exit(f"unknown kind {kind}")


closing = "</testsuite></testsuites>\n" if kind.startswith("junit") else ""
written = 0
buf = []
with open(path, "w") as out:
    for chunk in chunks():
        buf.append(chunk)
        written += len(chunk)
        if len(buf) >= 4096:
            out.write("".join(buf))
            buf.clear()
        if written >= target - len(closing):
            break
    out.write("".join(buf) + closing)

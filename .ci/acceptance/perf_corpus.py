"""Reads every file of the perf corpus with safety-gate and checks it against the
values github-action-benchmark's tests expect (see perf-corpus.sh). Run from the
repository root: python3 .ci/acceptance/perf_corpus.py BINARY CORPUS."""

import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BIN, CORPUS = sys.argv[1], Path(sys.argv[2])
WORSE = 1.2

# github-action-benchmark's tool name -> safety-gate's --format.
FORMATS = {
    "benchmarkdotnet": "benchmarkdotnet",
    "benchmarkjs": "benchmarkjs",
    "benchmarkluau": "benchmarkluau",
    "cargo": "libtest",
    "catch2": "catch2",
    "customBiggerIsBetter": "custom-bigger-is-better",
    "customSmallerIsBetter": "custom-smaller-is-better",
    "go": "go-bench",
    "googlecpp": "google-benchmark",
    "jmh": "jmh",
    "julia": "julia",
    "pytest": "pytest-benchmark",
}

TIME = {"ps": 1e-12, "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0,
        "sec": 1.0, "usec": 1e-6, "msec": 1e-3, "nsec": 1e-9}
RATE = {"ops/sec", "ops/s", "iter/sec", "iter/s", "req/s"}


def base_unit(unit):
    """(kind, scale) of a unit: times in seconds, rates per second, others as printed."""
    per_op = re.sub(r"/(op|iter)$", "", unit)
    if per_op in TIME:
        return "time", TIME[per_op]
    if unit in RATE:
        return "rate", 1.0
    return unit, 1.0


def normalised(value, unit, want_unit):
    """`value` in `unit` expressed in `want_unit` (a time read where the peer states a
    rate of rounds per second is inverted)."""
    (kind, scale), (want_kind, want_scale) = base_unit(unit), base_unit(want_unit)
    if kind == want_kind:
        return value * scale / want_scale
    if kind == "time" and want_kind == "rate":
        return 1.0 / (value * scale)
    raise ValueError(f"cannot compare {unit} with {want_unit}")


def our_id(entry, tool):
    """The id safety-gate gives the peer's benchmark."""
    if tool == "go":
        name = entry["bench"]
        if entry.get("package"):
            name += f" ({entry['package']})"
        return name if entry["metric"] == "ns/op" else f"{name}:{entry['metric']}"
    if tool == "jmh":
        m = re.fullmatch(r"(.*) \( (\{.*\}) \)", entry["name"])
        if m:
            params = json.loads(m.group(2))
            return f"{m.group(1)} ({', '.join(f'{k}={v}' for k, v in sorted(params.items()))})"
    return entry["name"]


def run(args, report):
    out = subprocess.run([BIN, "perf", *args, "--color", "never", "--report-json", str(report)],
                         capture_output=True, text=True, timeout=120)
    checks = {}
    if report.exists():
        for gate in json.loads(report.read_text())["gates"]:
            checks.update({c["id"]: c for c in gate["checks"]})
        report.unlink()
    return out.returncode, checks, out.stdout + out.stderr


def zero_time(entry):
    return entry["value"] == 0 and base_unit(entry["unit"])[0] == "time"


def is_rate(unit):
    return bool(re.search(r"/(s|sec)$", unit))


# Keys whose numbers are counts or settings, not measurements, and subtrees to leave.
SKIP_KEYS = {"iterations", "repetitions", "repetition_index", "threads", "family_index",
             "per_family_instance_index", "rounds", "iqr_outliers", "stddev_outliers", "N",
             "Level", "LaunchIndex", "IterationIndex", "Operations", "forks",
             "warmupIterations", "measurementIterations", "warmupBatchSize",
             "measurementBatchSize", "params", "Parameters", "options", "machine_info",
             "commit_info", "context", "HostEnvironmentInfo", "Skewness", "Kurtosis"}


def worse_json(doc, down, key=None):
    """Every measured number scaled 20% worse: multiplied, or divided under rate keys."""
    if isinstance(doc, dict):
        unit = doc.get("scoreUnit") or doc.get("unit") or ""
        return {k: (v if k in SKIP_KEYS else
                    worse_json(v, down or k == "ops" or (isinstance(unit, str) and is_rate(unit)), k))
                for k, v in doc.items()}
    if isinstance(doc, list):
        return [worse_json(v, down, key) for v in doc]
    if isinstance(doc, bool) or not isinstance(doc, (int, float)):
        return doc
    return doc / WORSE if down else doc * WORSE


NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+"


def worse_text(text):
    """Scales every number followed by a unit (`344 ns`, `15.041ms`, `1,431,759 ops/sec`,
    go's value-unit pairs); rates go down, everything else up."""
    def unit_ok(unit):
        return unit in TIME or "/" in unit or unit.endswith("Units")

    def scale(value, unit):
        v = float(value.replace(",", ""))
        v = v / WORSE if is_rate(unit) else v * WORSE
        return repr(round(v, 10))

    def line(text_line):
        out = re.sub(rf"(?<![\w.,/-])({NUMBER})(?=\s*(\S+))",
                     lambda m: scale(m.group(1), m.group(2))
                     if unit_ok(m.group(2).rstrip(")")) else m.group(0),
                     text_line)
        return out
    return "".join(line(l) for l in text.splitlines(keepends=True))


def main():
    expected = json.loads((CORPUS / "expected.json").read_text())
    failures, rows = [], []
    totals = {"files": 0, "benchmarks": 0, "matched": 0, "auto": 0, "auto_refused": 0, "worse": 0}
    tmp = Path(tempfile.mkdtemp())
    report = tmp / "report.json"
    for spec in expected["files"]:
        path = CORPUS / spec["file"]
        tool, fmt = spec["peer_tool"], FORMATS[spec["peer_tool"]]
        entries = [e for e in spec["benchmarks"] if "peer_quirk" not in e]
        zeros = [e for e in entries if zero_time(e)]
        totals["files"] += 1
        totals["benchmarks"] += len(entries)
        problems = []

        def read_values(args, what):
            code, checks, out = run(args, report)
            want_code = 2 if zeros else 0
            if code != want_code:
                problems.append(f"{what}: exit {code}, expected {want_code}: {out[-600:]}")
                return checks, 0, 0.0
            matched, worst = 0, 0.0
            for e in entries:
                c = checks.get(our_id(e, tool))
                if c is None:
                    problems.append(f"{what}: `{our_id(e, tool)}` not read (ids: {sorted(checks)[:8]})")
                    continue
                if zero_time(e):
                    if c["status"] != "error" or "zero" not in c["message"]:
                        problems.append(f"{what}: zero `{c['id']}` not refused: {c}")
                    else:
                        matched += 1
                    continue
                got = normalised(c["baseline"], c.get("unit") or e["unit"], e["unit"])
                deviation = abs(got - e["value"]) / abs(e["value"]) if e["value"] else abs(got)
                sampled = c.get("p_value") is not None
                if deviation > (0.01 if sampled else 1e-6):
                    problems.append(f"{what}: `{c['id']}` read {got} {e['unit']}, peer {e['value']}")
                    continue
                worst = max(worst, deviation)
                matched += 1
            return checks, matched, worst

        # An unchanged copy: one file on both sides is refused (it compares nothing).
        same = tmp / ("same-" + path.name)
        shutil.copyfile(path, same)
        checks, matched, worst = read_values(["--format", fmt, "--baseline", path, "--current", same], fmt)
        totals["matched"] += matched

        code, auto_checks, out = run(["--baseline", path, "--current", same], report)
        if code == 2 and fmt in out and "--format" in out:
            auto = "refused, names the explicit format"
            totals["auto_refused"] += 1
        else:
            _, auto_matched, _ = read_values(["--baseline", path, "--current", same], "auto")
            notes = {c["message"].rsplit("[", 1)[-1] for c in auto_checks.values() if "auto-detected" in c["message"]}
            if notes != {f"read as {fmt} (auto-detected)]"}:
                problems.append(f"auto: detected {notes}")
            auto = f"{auto_matched}/{len(entries)} as {fmt}"
            totals["auto"] += 1

        worse = tmp / ("worse-" + path.name)
        if path.suffix == ".json":
            doc = json.loads(path.read_text())
            down = tool in ("customBiggerIsBetter",)
            worse.write_text(json.dumps(worse_json(doc, down)))
        else:
            worse.write_text(worse_text(path.read_text()))
        code, worse_checks, out = run(["--format", fmt, "--baseline", path, "--current", worse], report)
        # A regression outranks "cannot decide": a file with a refused zero time still
        # exits 1 when its other benchmarks regressed.
        want = 1
        bad_moves = []
        for e in entries:
            c = worse_checks.get(our_id(e, tool), {})
            if zero_time(e):
                ok = c.get("status") == "error"
            elif e["value"] == 0:
                ok = c.get("status") == "pass"
            else:
                change = abs(c.get("change") or 0.0)
                ok = c.get("status") == "fail" and min(abs(change - 0.2), abs(change - 1 / 6)) < 1e-3
            if not ok:
                bad_moves.append((c.get("id", our_id(e, tool)), c.get("status"), c.get("change")))
        if code != want or bad_moves:
            problems.append(f"20% worse: exit {code} (expected {want}); not failing: {bad_moves[:5]}: {out[-400:]}")
        else:
            totals["worse"] += 1
        rows.append((spec["file"].split("/", 2)[-1], fmt, f"{matched}/{len(entries)}",
                     f"{worst:.2%}", auto, f"exit {code}"))
        failures.extend(f"{spec['file']}: {p}" for p in problems)

    width = max(len(r[0]) for r in rows)
    print(f"{'file':<{width}}  {'format':<24} {'read':>6} {'max dev':>8}  {'auto':<36} 20% worse")
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:<24} {r[2]:>6} {r[3]:>8}  {r[4]:<36} {r[5]}")
    print(f"perf corpus acceptance: {totals['files']} files, {totals['matched']}/{totals['benchmarks']} "
          f"benchmarks read with the peer's values; auto read {totals['auto']} files and refused "
          f"{totals['auto_refused']} naming the format; {totals['worse']}/{totals['files']} 20%-worse copies "
          f"exit 1, every benchmark 20% worse (a zero time is refused, not compared)")
    if failures:
        print("\n".join(failures))
        sys.exit(1)


main()

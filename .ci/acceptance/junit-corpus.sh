#!/usr/bin/env bash
# The characterization gate on a corpus of real JUnit files from many producers
# (../shared/corpora/junit): every file, strict and lenient, through the real binary.
# Each exit code must be one that ground-truth.json accepts, and for every JUnit file
# the JSON report's `counts` must equal one of the accepted count sets. Any
# disagreement fails; the figures are printed either way. One reading differs from the
# ground truth on purpose: unittest-xml-reporting's `<skipped type="XFAIL">` is an
# expected failure (xfailed), where the ground truth counts a skip; the count sets are
# shifted by exactly the number of such elements in the file.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=../shared/corpora/junit
if [ ! -f "$corpus/ground-truth.json" ] || [ ! -d "$corpus/files" ]; then
  echo "junit corpus acceptance: $corpus not found, skipped"
  exit 0
fi
bin=${SAFETY_GATE_BIN:-$PWD/target/debug/safety-gate}
[ -x "$bin" ] || cargo build --quiet --locked -p safety-gate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$bin" "$corpus" "$work" <<'PY'
import collections, json, os, subprocess, sys

bin_, corpus, work = sys.argv[1:]
truth = json.load(open(os.path.join(corpus, "ground-truth.json")))
on_disk = set()
for root, _, names in os.walk(os.path.join(corpus, "files")):
    for n in names:
        on_disk.add(os.path.relpath(os.path.join(root, n), os.path.join(corpus, "files")))
listed = {e["file"] for e in truth}
problems = []
if on_disk != listed:
    problems.append(f"files and ground truth differ: {sorted(on_disk ^ listed)[:5]}")


def matches(got, want, xfail_skips):
    """The README's reading: failed and errored together; strict xpasses may count as
    failures; flaky tests in or beside `passed`; tests = all testcases or executed."""
    if got is None:
        return False
    want = dict(want, skipped=want["skipped"] - xfail_skips, xfailed=want["xfailed"] + xfail_skips)
    foe = got["failed"] + got["errored"]
    xp_strict = want["xpassed_strict"]
    xpass_ok = (foe == want["failed_or_errored"] and got["xpassed"] == want["xpassed"]) or (
        foe == want["failed_or_errored"] + xp_strict and got["xpassed"] == want["xpassed"] - xp_strict
    )
    passed_ok = got["passed"] in (want["passed"], want["passed"] - want["flaky"])
    executed = want["testcases"] - want["skipped"] - want["xfailed"]
    tests_ok = got["tests"] in (want["testcases"], executed)
    same = all(got[k] == want[k] for k in ("skipped", "xfailed", "flaky"))
    return xpass_ok and passed_ok and tests_ok and same


exits = collections.Counter()
count_sets = collections.Counter()
judged = collections.Counter()
for entry in truth:
    path = os.path.join(corpus, "files", entry["file"])
    category = entry["truth"]["category"]
    for mode in ("strict", "lenient"):
        report = os.path.join(work, "report.json")
        if os.path.exists(report):
            os.remove(report)
        argv = [bin_, "characterization", "--results", path, "--color", "never", "--report-json", report]
        if mode == "lenient":
            argv.append("--lenient")
        run = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        accepted = entry["expected_exit"][mode]
        judged[mode] += 1
        if run.returncode not in accepted:
            problems.append(f"{mode} {entry['file']}: exit {run.returncode}, accepted {accepted}\n{run.stdout[-1500:]}{run.stderr[-500:]}")
            continue
        exits[mode] += 1
        if category != "junit":
            continue
        counts = None
        if os.path.exists(report):
            counts = json.load(open(report))["gates"][0].get("counts")
        if counts is None and run.returncode == 2:
            problems.append(f"{mode} {entry['file']}: exit 2 without counts on a JUnit file")
            continue
        xfail_skips = open(path, "rb").read().count(b'<skipped type="XFAIL"')
        names = [n for n, want in entry["accepted_counts"].items() if matches(counts, want, xfail_skips)]
        if not names:
            problems.append(f"{mode} {entry['file']}: counts {counts} match none of {entry['accepted_counts']}")
            continue
        count_sets[names[0]] += 1

junit_files = sum(1 for e in truth if e["truth"]["category"] == "junit")
negatives = len(truth) - junit_files
print(f"junit corpus: {len(truth)} files ({junit_files} JUnit, {negatives} negatives)")
for mode in ("strict", "lenient"):
    print(f"  {mode}: exit code accepted for {exits[mode]}/{judged[mode]} files")
total = sum(count_sets.values())
sets = ", ".join(f"{n} {c}" for n, c in sorted(count_sets.items()))
print(f"  counts equal to an accepted set: {total}/{2 * junit_files} (file, mode) pairs ({sets})")
if problems:
    print(f"junit corpus acceptance: {len(problems)} disagreements")
    for p in problems:
        print("  - " + p.replace("\n", "\n    "))
    sys.exit(1)
print("junit corpus acceptance: every file judged as its ground truth accepts")
PY

#!/usr/bin/env bash
# How long the action's install step takes, against a loopback server laid out like
# GitHub's release downloads (this checkout's release build packaged as the Linux X64
# archive): cold (empty tool cache: download, SHA-256 check, extract, `--version`) and
# from the tool cache. Peers in the same run: the bare minimum by hand (curl the archive
# and SHA256SUMS, `sha256sum -c`, `tar -x`), and with --with-build what the action did
# before on a cold cache: `cargo build --release --locked` into an empty target folder.
# Usage: bash bench/action-install.sh [RUNS] [--with-build]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
with_build=${2:-}
cargo build --release --locked --quiet -p safety-gate
version=$(python3 packaging/package.py version)
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
releases="$work/www/safety-gate/safety-gate/releases/download/v$version"
python3 packaging/package.py archive --target x86_64-unknown-linux-musl \
  --binary target/release/safety-gate --out "$releases" >/dev/null
python3 packaging/package.py checksums "$releases" >/dev/null
python3 action/tests/fake_github.py files --root "$work/www" --port-file "$work/port" --lifetime 3600 &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
base="$(cat "$work/port")/safety-gate/safety-gate/releases/download"
python3 .ci/action-step.py install "$work/install-step.sh"

python3 - "$work" "$base" "$version" "$runs" "$with_build" <<'PY'
import os, shutil, statistics, subprocess, sys, time

work, base, version, runs, with_build = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
archive = "safety-gate-x86_64-unknown-linux-musl.tar.gz"

def step(cache):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ["HOME"], "INPUT_DOWNLOAD_URL": base,
           "ACTION_REF": f"v{version}", "ACTION_PATH": os.getcwd(), "RUNNER_OS": "Linux",
           "RUNNER_ARCH": "X64", "RUNNER_TOOL_CACHE": cache, "RUNNER_TEMP": work,
           "GITHUB_OUTPUT": os.path.join(work, "output")}
    subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", os.path.join(work, "install-step.sh")],
                   env=env, check=True, stdout=subprocess.DEVNULL)

def by_hand(folder):
    os.makedirs(folder)
    url = f"{base}/v{version}"
    subprocess.run(["curl", "-fsS", "-o", f"{folder}/{archive}", f"{url}/{archive}",
                    "-o", f"{folder}/SHA256SUMS", f"{url}/SHA256SUMS"], check=True)
    subprocess.run(["sha256sum", "--quiet", "--ignore-missing", "-c", "SHA256SUMS"], cwd=folder, check=True)
    subprocess.run(["tar", "-xzf", archive], cwd=folder, check=True)

def timed(name, make, n):
    times = []
    for i in range(n):
        target = os.path.join(work, f"{name.split()[0]}-{i}")
        started = time.perf_counter()
        make(target)
        times.append(time.perf_counter() - started)
    return times

cold = timed("cold", step, runs)
shutil.rmtree(os.path.join(work, "warm-cache"), ignore_errors=True)
step(os.path.join(work, "warm-cache"))
warm = timed("warm", lambda _: step(os.path.join(work, "warm-cache")), runs)
hand = timed("hand", by_hand, runs)
rows = [("action install, cold tool cache", cold), ("action install, from the tool cache", warm),
        ("peer: curl + sha256sum -c + tar -x", hand)]
if with_build == "--with-build":
    def build(target):
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "safety-gate"],
                       env={**os.environ, "CARGO_TARGET_DIR": target}, check=True)
        shutil.rmtree(target)
    rows.append(("peer: cargo build --release (empty target/)", timed("build", build, 1)))
peer = statistics.median(hand)
size = os.path.getsize(os.path.join(work, "www", "safety-gate", "safety-gate", "releases", "download",
                                    f"v{version}", archive))
print(f"archive {archive}: {size / 1e6:.1f} MB; {runs} runs each; load average {os.getloadavg()[0]:.1f}")
for name, t in rows:
    med = statistics.median(t)
    print(f"{name:<48} median {med * 1000:9.0f} ms  (min {min(t) * 1000:.0f}, max {max(t) * 1000:.0f})"
          f"  = {med / peer:6.1f}x curl+sha256sum+tar")
PY

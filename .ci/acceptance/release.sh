#!/usr/bin/env bash
# Shipping, end to end on this machine:
# 1. the wheel (maturin, a stripped dev-profile build reusing what the tests compiled: the
#    release workflow builds the published wheels with --release, a cold 10-minute build on
#    2 cores that CI's budget cannot hold) installs into a fresh venv and runs the demo and
#    the pre-commit entry with no Rust toolchain on PATH;
# 2. packaging/package.py archives the host target's binary and writes SHA256SUMS that
#    `sha256sum -c` accepts;
# 3. the action's install step (taken from action.yml) installs from a loopback server laid
#    out like GitHub's release downloads (good checksum), refuses a bad checksum and a
#    missing asset, falls back on a platform without binaries, and its binary runs the
#    action's check step on the demo. Prints the install times.
set -euo pipefail
cd "$(dirname "$0")/../.."
.ci/setup-tools packaging
python3 -c 'import yaml' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check pyyaml
version=$(python3 packaging/package.py version)
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "release: $*" >&2; exit 1; }
ms() { date +%s%3N; }

# 0. Every crate carries the metadata crates.io shows, and the workspace packages without
# a warning (`cargo publish --workspace --dry-run` also builds each package: the release
# workflow runs it; here packaging without building keeps CI short).
cargo metadata --format-version 1 --no-deps --locked | python3 -c '
import json, sys
fields = ("description", "license", "repository", "readme", "keywords", "categories")
for p in json.load(sys.stdin)["packages"]:
    missing = [f for f in fields if not p.get(f)]
    assert not missing, f"{p['"'"'name'"'"']}: no {missing}"
    assert p["repository"] == "https://github.com/safety-gate/safety-gate", p["repository"]
'
cargo package --workspace --no-verify --locked --allow-dirty >"$work/package.log" 2>&1 \
  || { cat "$work/package.log"; fail "cargo package failed"; }
if grep -q '^warning' "$work/package.log"; then cat "$work/package.log"; fail "cargo package warned"; fi
echo "crates: every package has description, license, repository, readme, keywords, categories; cargo package --workspace is clean"

# 1. The wheel, from a fresh venv, without Rust on PATH.
started=$(ms)
rm -f target/wheels/safety_gate-*.whl
target/ci-tools/venv/bin/maturin build --profile dev --strip --locked --quiet -o target/wheels >"$work/maturin.log" 2>&1 \
  || { cat "$work/maturin.log"; fail "maturin build failed"; }
wheel_ms=$(( $(ms) - started ))
wheel=$(ls target/wheels/safety_gate-"$version"-*.whl)
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
bare_path="$work/venv/bin:/usr/bin:/bin"
if env -i PATH="$bare_path" sh -c 'command -v cargo' >/dev/null; then
  fail "cargo is on the bare PATH; the wheel check would not prove anything"
fi
in_venv() { env -i HOME="$work" PATH="$bare_path" "$@"; }
said=$(in_venv safety-gate --version)
[ "$said" = "safety-gate $version" ] || fail "the wheel's binary says '$said'"
[ "$(in_venv sh -c 'command -v safety-gate')" = "$work/venv/bin/safety-gate" ] \
  || fail "the wheel did not put safety-gate on PATH"
in_venv safety-gate check --quiet --report-json "$work/wheel-report.json" >"$work/check.log" 2>&1 \
  || { cat "$work/check.log"; fail "safety-gate check from the wheel failed on the demo"; }
grep -q '"verdict":"pass"' "$work/wheel-report.json" || grep -q '"verdict": "pass"' "$work/wheel-report.json" \
  || fail "the demo report from the wheel does not say pass"
set +e
in_venv safety-gate check --quiet --config fixtures/demo/regressed.toml >/dev/null 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || fail "the regressed demo from the wheel exited $code, expected 1"
# The pre-commit hook entry, exactly as .pre-commit-hooks.yaml gives it (language: system).
entry=$(python3 -c 'import yaml; print(yaml.safe_load(open(".pre-commit-hooks.yaml"))[0]["entry"])')
read -r -a entry_argv <<<"$entry"
in_venv "${entry_argv[@]}" >/dev/null 2>&1 || fail "the pre-commit entry '$entry' failed from the wheel"
# What the wheel shipped is what the archives below hold: the same build, whichever
# folder of target/ maturin chose for it.
built="$work/venv/bin/safety-gate"
echo "wheel: $(basename "$wheel") built in $((wheel_ms / 1000)) s; from a fresh venv without cargo: --version, the demo (exit 0), the regressed demo (exit 1) and the pre-commit entry behave"

# 2. The packaging script on the host target.
host=$(rustc -vV | sed -n 's/^host: //p')
python3 packaging/package.py archive --target "$host" --binary "$built" \
  --docs-from "$built" --out "$work/dist" >/dev/null
python3 packaging/package.py checksums "$work/dist" >/dev/null
(cd "$work/dist" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c refused SHA256SUMS"
listed=$(tar -tzf "$work/dist/safety-gate-$host.tar.gz" | LC_ALL=C sort | tr '\n' ' ')
expected=""
for file in README.md completions/_safety-gate completions/_safety-gate.ps1 \
  completions/safety-gate.bash completions/safety-gate.elv completions/safety-gate.fish \
  man/safety-gate.1 safety-gate; do
  expected+="safety-gate-$host/$file "
done
[ "$listed" = "$expected" ] || fail "the archive holds: $listed"
# Into a file first: `tar | grep -q` under pipefail fails whenever grep stops reading early.
tar -xzOf "$work/dist/safety-gate-$host.tar.gz" "safety-gate-$host/man/safety-gate.1" >"$work/man.1" \
  || fail "the archive has no readable man page"
grep -q '^\.TH safety-gate 1' "$work/man.1" || fail "the man page is not roff: $(head -c 200 "$work/man.1")"
tar -xzf "$work/dist/safety-gate-$host.tar.gz" -C "$work/dist"
[ "$("$work/dist/safety-gate-$host/safety-gate" --version)" = "safety-gate $version" ] \
  || fail "the archived binary does not run"
echo "package: safety-gate-$host.tar.gz (binary, completions, man page) and SHA256SUMS (accepted by sha256sum -c)"

# 3. The action's install step against a loopback release. A Linux X64 runner gets the
# x86_64-unknown-linux-musl archive; here it holds the binary of the wheel above.
releases="$work/www/safety-gate/safety-gate/releases/download"
python3 packaging/package.py archive --target x86_64-unknown-linux-musl \
  --binary "$built" --out "$releases/v$version" >/dev/null
python3 packaging/package.py checksums "$releases/v$version" >/dev/null
python3 action/tests/fake_github.py files --root "$work/www" --port-file "$work/port" --lifetime 300 &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || fail "the loopback server did not start"
base="$(cat "$work/port")/safety-gate/safety-gate/releases/download"
python3 .ci/action-step.py install "$work/install-step.sh"

# install_step CACHE [NAME=VALUE...]: runs the step like the runner; sets $step_code.
install_step() {
  local cache=$1; shift
  : >"$work/output"
  set +e
  env -i PATH="$PATH" HOME="$HOME" INPUT_BINARY= INPUT_VERSION= INPUT_DOWNLOAD_URL="$base" \
    ACTION_REF="v$version" ACTION_PATH="$PWD" RUNNER_OS=Linux RUNNER_ARCH=X64 \
    RUNNER_TOOL_CACHE="$cache" RUNNER_TEMP="$work" GITHUB_OUTPUT="$work/output" "$@" \
    bash --noprofile --norc -eo pipefail "$work/install-step.sh" >"$work/install.log" 2>&1
  step_code=$?
  set -e
}
output() { sed -n "s/^$1=//p" "$work/output" | tail -1; }

started=$(ms)
install_step "$work/cache"
cold_ms=$(( $(ms) - started ))
[ "$step_code" -eq 0 ] || { cat "$work/install.log"; fail "the install step failed on a good release"; }
installed=$(output binary-path)
[ "$installed" = "$work/cache/safety-gate/$version/x64/safety-gate" ] || fail "binary-path=$installed"
grep -q "Installed safety-gate $version (x86_64-unknown-linux-musl) from $base/v$version/" "$work/install.log" \
  || { cat "$work/install.log"; fail "the step did not say what it installed"; }
started=$(ms)
install_step "$work/cache"
warm_ms=$(( $(ms) - started ))
[ "$step_code" -eq 0 ] && [ "$(output source)" = cache ] || { cat "$work/install.log"; fail "the tool cache was not used"; }

# The installed binary runs the action's check step on the demo.
python3 .ci/action-step.py check "$work/check-step.sh"
set +e
env BIN="$installed" ACTION_PATH="$PWD" CONFIG=safety-gate.toml JUNIT= REPORT_JSON="$work/report.json" GATES="" \
  FAIL_ON=rollback HISTORY="" BASELINE_REF="" ROLLBACK_REPORT="" COMMENT=on-failure GITHUB_EVENT_NAME=push \
  GITHUB_ACTIONS=true GITHUB_OUTPUT="$work/check-output" GITHUB_STEP_SUMMARY="$work/summary" \
  bash --noprofile --norc -eo pipefail "$work/check-step.sh" >"$work/check-step.log" 2>&1
code=$?
set -e
[ "$code" -eq 0 ] && grep -qx 'verdict=pass' "$work/check-output" \
  || { cat "$work/check-step.log"; fail "the installed binary's check step exited $code"; }

# A bad checksum is refused, and nothing is installed.
cp -r "$releases/v$version" "$work/good"
printf 'tampered' >>"$releases/v$version/safety-gate-x86_64-unknown-linux-musl.tar.gz"
install_step "$work/cache-bad"
[ "$step_code" -eq 1 ] && grep -q '^::error title=safety-gate::checksum mismatch' "$work/install.log" \
  || { cat "$work/install.log"; fail "a bad checksum was not refused (exit $step_code)"; }
[ ! -e "$work/cache-bad/safety-gate/$version/x64/safety-gate" ] || fail "a bad download was installed"
# A release without this platform's archive is an error.
rm "$releases/v$version/safety-gate-x86_64-unknown-linux-musl.tar.gz"
install_step "$work/cache-bad"
[ "$step_code" -eq 1 ] && grep -q 'HTTP 404' "$work/install.log" \
  || { cat "$work/install.log"; fail "a missing asset was not an error (exit $step_code)"; }
# A platform without release binaries falls back to building, saying why.
install_step "$work/cache-bad" RUNNER_OS=Windows RUNNER_ARCH=ARM64
[ "$step_code" -eq 0 ] && [ "$(output fallback)" = true ] \
  && grep -q 'building from source: releases have no binary for Windows/ARM64' "$work/install.log" \
  || { cat "$work/install.log"; fail "an unknown platform did not fall back"; }
echo "action install from a loopback release: good checksum installs ($cold_ms ms; from the tool cache $warm_ms ms) and runs the check step; bad checksum and missing asset refused; Windows/ARM64 falls back to building"

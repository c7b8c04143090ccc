#!/usr/bin/env bash
# The action's fallback when no release binary matches (see install.py): builds
# safety-gate from the action's own source with the runner's Rust toolchain, saying why.
# Environment: ACTION_PATH, REASON (install.py's fallback-reason), GITHUB_OUTPUT.
set -euo pipefail
echo "Building safety-gate from source ($ACTION_PATH): ${REASON:-no release binary matches}"
if ! command -v cargo >/dev/null 2>&1; then
  echo "::error title=safety-gate::no release binary matches (${REASON:-unknown reason}) and cargo is not on PATH to build one; install a Rust toolchain (e.g. dtolnay/rust-toolchain) or pin \`version:\` to a release"
  exit 1
fi
started=$SECONDS
cargo build --release --locked --manifest-path "$ACTION_PATH/Cargo.toml" --bin safety-gate
bin="$ACTION_PATH/target/release/safety-gate"
[ -x "$bin.exe" ] && bin="$bin.exe"
echo "Built $("$bin" --version) in $((SECONDS - started)) s: $bin"
echo "binary-path=$bin" >> "$GITHUB_OUTPUT"

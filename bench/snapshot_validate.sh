#!/usr/bin/env bash
# Snapshot validation: safety-gate vs Python's jsonschema on 1,000 snapshots of ~100 KB,
# measured in the same run. Usage: bench/snapshot_validate.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet jsonschema
cargo build --release --quiet --locked -p safety-gate
python3 bench/snapshot_validate.py target/release/safety-gate "${1:-1000}" "${2:-3}"

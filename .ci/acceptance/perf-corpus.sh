#!/usr/bin/env bash
# Perf gate on the benchmark outputs that github-action-benchmark tests its extraction
# with (../shared/corpora/perf): every file read with the benchmarks and values the
# peer's own tests expect, with its explicit format and with auto; a copy with every
# value 20% worse in the bad direction exits 1. Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=../shared/corpora/perf
if [ ! -d "$corpus" ]; then
  echo "perf corpus acceptance: $corpus not found, skipped"
  exit 0
fi
cargo build --quiet --locked
python3 .ci/acceptance/perf_corpus.py target/debug/safety-gate "$corpus"

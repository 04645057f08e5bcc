#!/usr/bin/env bash
# Runs a libFuzzer binary for a time budget with a seed corpus built from
# examples/ and lib/, and a dictionary of the language's words. Crashes land
# in fuzz-artifacts/; each one found is turned into a test under
# test/Fuzz/regressions/ by hand (reduce, then keep the input).
set -euo pipefail
bin=$1
seconds=${2:-120}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$root/fuzz-corpus
mkdir -p "$corpus" "$root/fuzz-artifacts"
for f in "$root"/examples/*.ds "$root"/lib/*/*.ds "$root"/test/Fuzz/regressions/*.ds; do
  [ -f "$f" ] && cp "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
done
"$bin" "$corpus" -dict="$root/test/fuzz/deepstack.dict" -max_total_time="$seconds" \
  -max_len=4096 -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$root/fuzz-artifacts/" \
  -print_final_stats=1 2>&1 | tail -n 25

#!/usr/bin/env bash
# Runs libFuzzer binaries one after another, each for a time budget, on a
# seed corpus built from examples/, lib/ and the kept reproducers, with a
# dictionary of the language's words, and prints each one's executions.
# Crashes land in fuzz-artifacts/; each one found is reduced and kept as a
# test under test/Robustness/ (the input in Inputs/ and a lit test).
# Usage: run-fuzzer.sh SECONDS FUZZER...
set -uo pipefail
seconds=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/fuzz-artifacts"
status=0
for bin in "$@"; do
  name=$(basename "$bin")
  # One corpus per target: what is interesting to the sweep fuzzer is not
  # to the front end's.
  corpus=$root/fuzz-corpus/$name
  mkdir -p "$corpus"
  for f in "$root"/examples/*.ds "$root"/lib/*/*.ds "$root"/test/Sweep/*.ds \
      "$root"/test/Robustness/Inputs/*; do
    [ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  log=$root/fuzz-artifacts/$name.log
  echo "== $name: $seconds s"
  start=$SECONDS
  "$bin" "$corpus" -dict="$root/test/fuzz/deepstack.dict" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$root/fuzz-artifacts/$name-" -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  grep -E "^(==[0-9]+==ERROR|SUMMARY|.*runtime error)" "$log" | head -n 5
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  # A crash ends the run early: the time is the one actually fuzzed.
  echo "$name: exit $rc, ${execs:-?} executions in $((SECONDS - start)) s (log: $log)"
  [ "$rc" -eq 0 ] || status=1
done
exit $status

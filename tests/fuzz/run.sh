#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, HOTLINE_FUZZ=ON, build dir build/fuzz or $FUZZ_BUILD_DIR) and
# runs each for SECONDS on its seed corpus (tests/fuzz/corpus/<target>) plus the corpus grown by
# earlier runs (BUILD/tests/fuzz/work/<target>). Exits non-zero when any target crashes, leaks,
# times out on one input or runs out of memory; the input that did it is kept in
# BUILD/tests/fuzz/crashes/<target>/ (reproduce: BUILD/tests/fuzz/<target> FILE).
# It also fails when a target did not fuzz: it ended before SECONDS had passed, or executed fewer
# than MIN_EXECS_PER_S (env HOTLINE_FUZZ_MIN_EXECS_PER_S, default 100) inputs a second on average.
# Here each target runs thousands of inputs a second under ASan+UBSan even with a parallel build;
# 100/s is far below that on a loaded 2-core machine, and far above a target that only replays its
# corpus, stalls, or does not start.
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET…]     (default 60 s each, all targets, one after another)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${1:-60}
min_per_s=${HOTLINE_FUZZ_MIN_EXECS_PER_S:-100}
min_execs=$(( seconds * min_per_s ))
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_intake fuzz_router fuzz_csv)
build=${FUZZ_BUILD_DIR:-build/fuzz}

# libstdc++ 12's std::expected needs clang >= 16 (tests/fuzz/README.md); Debian 12: clang-16.
if [ -z "${CXX:-}" ]; then
  if command -v clang++-16 >/dev/null; then export CC=clang-16 CXX=clang++-16
  else export CC=clang CXX=clang++; fi
fi
echo "== fuzz build ($build, $CXX)"
start=$(date +%s)
mkdir -p "$build"
if ! ./scripts/build "$build" RelWithDebInfo -DHOTLINE_FUZZ=ON -DHOTLINE_BUILD_TESTS=OFF \
     -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -- "${targets[@]}" \
     > "$build/fuzz-build.log" 2>&1; then
  grep -v '^\[[0-9]*/[0-9]*\]' "$build/fuzz-build.log" | tail -40
  echo "FAIL: the fuzz build failed (log: $build/fuzz-build.log)"
  exit 1
fi
echo "fuzz build: $(( $(date +%s) - start )) s"

max_len() {
  case $1 in
    fuzz_router) echo 2048 ;;  # a request line; the server's whole header limit is 16 KiB
    *) echo 8192 ;;            # an intake form or a ledger of a few dozen rows
  esac
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
total_execs=0
printf '%-12s %10s %8s %7s %7s %9s  %s\n' target execs exec/s cov ft corpus result
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/$t
  work=$build/tests/fuzz/work/$t
  crashes=$build/tests/fuzz/crashes/$t
  log=$build/tests/fuzz/$t.log
  mkdir -p "$work" "$crashes"
  rc=0
  t0=$(date +%s)
  # -timeout: one input taking 10 s is a bug (a request the server would spend that long on).
  timeout --kill-after=10 $(( seconds + 120 )) "$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$work" "tests/fuzz/corpus/$t" > "$log" 2>&1 || rc=$?
  ran_s=$(( $(date +%s) - t0 ))
  done_line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$done_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<< "$done_line")
  result="ok ($ran_s s)"
  if [ "$rc" != 0 ]; then
    result="FAILED (exit $rc): $(ls "$crashes" | tail -1)"
    failed+=("$t")
  elif [ "$ran_s" -lt "$seconds" ]; then
    result="FAILED: stopped after $ran_s s of $seconds"
    failed+=("$t")
  elif [ -z "$execs" ] || [ "$execs" -lt "$min_execs" ]; then
    result="FAILED: ${execs:-no} executions in $ran_s s, fewer than $min_execs ($min_per_s/s)"
    failed+=("$t")
  fi
  total_execs=$(( total_execs + ${execs:-0} ))
  printf '%-12s %10s %8s %7s %7s %9s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
  if [ "$rc" != 0 ] || [ "$result" != "ok ($ran_s s)" ]; then
    grep -E -A30 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|==ERROR' "$log" | head -60 || tail -40 "$log"
    echo "log: $log; inputs kept in $crashes/ (reproduce: $bin FILE)"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAIL: fuzz targets failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, $total_execs inputs executed (each >= $min_execs), no crash in ${seconds} s per target"

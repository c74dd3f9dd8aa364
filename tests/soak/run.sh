#!/usr/bin/env bash
# tests/soak/run.sh [RUNS] [REPO] — the flakiness check of issue #18 §1: RUNS (default 10) runs of
# ./scripts/test, each from a fresh clone of REPO (default: this checkout's committed HEAD), while
# other processes keep every core busy (one `yes >/dev/null` per core, at normal priority, for the
# whole loop). Each run's log is kept (SOAK_DIR, default /tmp/hotline-soak/run-N.log); a line per run
# (commit, seconds, exit status) goes to SOAK_DIR/summary and stdout. Exit status: the number of
# failed runs (0 = every run passed). This is a loop for a person to run, not part of ./scripts/test:
# ten full runs take three to five hours on 2 cores.
set -uo pipefail
runs=${1:-10}
repo=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=${SOAK_DIR:-/tmp/hotline-soak}
mkdir -p "$dir"
hogs=()
stop_hogs() { [ ${#hogs[@]} -gt 0 ] && kill "${hogs[@]}" 2>/dev/null; }
trap stop_hogs EXIT
for _ in $(seq "$(nproc)"); do yes >/dev/null & hogs+=($!); done
failed=0
for i in $(seq "$runs"); do
  clone="$dir/clone"
  rm -rf "$clone"
  git clone -q "$repo" "$clone"
  commit=$(git -C "$clone" rev-parse --short HEAD)
  started=$(date +%s)
  (cd "$clone" && ./scripts/test) > "$dir/run-$i.log" 2>&1
  status=$?
  [ $status = 0 ] || failed=$((failed + 1))
  line="run $i/$runs: commit $commit, $(( $(date +%s) - started )) s, exit $status, $(nproc) cores busy beside it"
  echo "$line" | tee -a "$dir/summary"
done
echo "$((runs - failed)) of $runs runs passed" | tee -a "$dir/summary"
exit "$failed"

#!/usr/bin/env bash
# kill -9 the writer at random moments during a write burst, ROUNDS times, checking after each
# round that every acknowledged case is present and the database is intact.
# A round counts only when writes were acknowledged before the kill: the kill comes after the first
# acknowledgement has arrived (waited for, up to 60 s) plus a random 0.3–1.5 s, and the round must
# then have at least MIN_ACKS (env HOTLINE_K9_MIN_ACKS, default 10) acknowledged cases. Here a round
# acknowledges thousands; 10 within ≥ 0.3 s after the first would still allow a writer 100 times
# slower, so only a writer that stops acknowledging fails it. crash_writer exits by itself (3) on
# any refused write, which fails the round: a run in which every write fails is not a pass.
# Usage: kill9.sh PATH/TO/crash_writer [ROUNDS]
set -euo pipefail
bin=$1
rounds=${2:-20}
min_acks=${HOTLINE_K9_MIN_ACKS:-10}
[ "$rounds" -ge 1 ] || { echo "FAIL: ROUNDS must be at least 1 (got $rounds)"; exit 1; }
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
db="$dir/crash.db"
total=0
for round in $(seq 1 "$rounds"); do
  "$bin" write "$db" > "$dir/acks.$round" 2> "$dir/err.$round" &
  pid=$!
  # The first acknowledgement (migrations and set-up come first), bounded; the writer must not end.
  for _ in $(seq 600); do
    grep -q '^ACK' "$dir/acks.$round" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! kill -0 "$pid" 2>/dev/null; then
    rc=0; wait "$pid" || rc=$?; pid=
    echo "round $round: FAILED: crash_writer ended by itself (exit $rc) before it was killed:"
    head -5 "$dir/err.$round"
    exit 1
  fi
  grep -q '^ACK' "$dir/acks.$round" || { echo "round $round: FAILED: no write acknowledged within 60 s"; exit 1; }
  # Then between 0.3 and 1.5 s: a burst of commits in flight, the moment random within it.
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + (r % 120) / 100 }')"
  if ! kill -9 "$pid" 2>/dev/null; then
    rc=0; wait "$pid" || rc=$?; pid=
    echo "round $round: FAILED: crash_writer ended by itself (exit $rc) before it was killed:"
    head -5 "$dir/err.$round"
    exit 1
  fi
  wait "$pid" 2>/dev/null || true
  pid=
  acked=$(grep -c '^ACK' "$dir/acks.$round" || true)
  if ! "$bin" verify "$db" <(cat "$dir"/acks.*); then
    echo "round $round: FAILED after $acked acknowledgements"
    cat "$dir/err.$round"
    exit 1
  fi
  if [ "$acked" -lt "$min_acks" ]; then
    echo "round $round: FAILED: only $acked acknowledged writes before the kill (at least $min_acks wanted)"
    exit 1
  fi
  total=$((total + acked))
  echo "round $round: killed after $acked acknowledged writes"
done
echo "kill -9 test: $rounds rounds, $total acknowledged writes, 0 lost (at least $min_acks per round wanted)"

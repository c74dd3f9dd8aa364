#!/usr/bin/env bash
# kill -9 the writer at random moments during a write burst, ROUNDS times, checking after each
# round that every acknowledged case is present and the database is intact.
# Usage: kill9.sh PATH/TO/crash_writer [ROUNDS]
set -euo pipefail
bin=$1
rounds=${2:-20}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/crash.db"
for round in $(seq 1 "$rounds"); do
  "$bin" write "$db" > "$dir/acks.$round" 2> "$dir/err.$round" &
  pid=$!
  # Between 0.3 and 1.5 s: long enough for migrations and a burst of commits, random within it.
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + (r % 120) / 100 }')"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  acked=$(grep -c '^ACK' "$dir/acks.$round" || true)
  if ! "$bin" verify "$db" <(cat "$dir"/acks.*); then
    echo "round $round: FAILED after $acked acknowledgements"
    cat "$dir/err.$round"
    exit 1
  fi
  echo "round $round: killed after $acked acknowledged writes"
done
echo "kill -9 test: $rounds rounds, 0 acknowledged writes lost"

#!/usr/bin/env bash
# Loopback load check of the real server: /healthz rate (the HTTP ceiling), then 64 connections
# posting intakes while 4 others read a case, each with requests/s and p50/p99. It fails when any
# answer has another status than the expected one (200 for /healthz and the case, 201 for an
# intake), when a connection breaks, when fewer than MIN_INTAKES intakes were acknowledged, or when
# afterwards the database does not hold exactly the acknowledged intakes, fails integrity_check or
# `audit verify`.
# MIN_INTAKES (env HOTLINE_MIN_INTAKES) defaults to 20 per second of load, at least 20: this
# 2-core machine acknowledges about 4,000 a second here, and even a disk taking 200 ms per fsync
# would allow some 300 a second (group commit: one fsync answers every queued intake), so only an
# intake path that fails or hangs comes near it — while a run where nothing is written fails.
# Usage: tests/bench/http_load.sh BUILD_DIR [SECONDS]     (bounded: a few times SECONDS)
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-5}
min_intakes=${HOTLINE_MIN_INTAKES:-$(awk -v s="$seconds" 'BEGIN { n = int(20 * s); print n < 20 ? 20 : n }')}
bin=$build/hotline
load=$build/tests/bench/http_load
dir=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" seed-demo --db "$dir/load.db" --cases 200 > /dev/null
"$bin" serve --db "$dir/load.db" --listen 127.0.0.1:0 > "$dir/out" 2> "$dir/err" &
server_pid=$!
for _ in $(seq 300); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/out")
[ -n "$port" ] || { cat "$dir/err"; fail "the server did not start within 30 s"; }
read -r cookie csrf < <("$load" login --port "$port" --user operator --password yongxing-demo-2026 || true)
[ -n "${csrf:-}" ] || fail "the operator could not log in"

# Each http_load exits non-zero on an unexpected status, a broken connection or too few answers.
healthz=$("$load" healthz --port "$port" --connections 64 --seconds "$seconds" 2> "$dir/healthz.err") ||
  fail "GET /healthz: $(cat "$dir/healthz.err") $healthz"
"$load" read --port "$port" --connections 4 --seconds "$seconds" --cookie "$cookie" --path /api/v1/cases/1 \
  > "$dir/read.json" 2> "$dir/read.err" &
reader=$!
intake_rc=0
intake=$("$load" intake --port "$port" --connections 64 --seconds "$seconds" --cookie "$cookie" --csrf "$csrf" \
         --min-ok "$min_intakes" --acks "$dir/acks" 2> "$dir/intake.err") || intake_rc=$?
reader_rc=0
wait "$reader" || reader_rc=$?
read_result=$(cat "$dir/read.json")
[ "$intake_rc" = 0 ] || fail "POST /api/v1/intakes (at least $min_intakes acknowledged wanted): $(cat "$dir/intake.err") $intake"
[ "$reader_rc" = 0 ] || fail "GET /api/v1/cases/1 during the intakes: $(cat "$dir/read.err") $read_result"

kill -TERM "$server_pid"
wait "$server_pid"
server_pid=

field() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<< "$1"; }
printf '%-44s %10s %10s %10s\n' "loopback, $seconds s each" "req/s" "p50 ms" "p99 ms"
printf '%-44s %10s %10s %10s\n' "GET /healthz, 64 connections (ceiling)" "$(field "$healthz" rps)" "$(field "$healthz" p50_ms)" "$(field "$healthz" p99_ms)"
printf '%-44s %10s %10s %10s\n' "POST /api/v1/intakes (durable), 64 conns" "$(field "$intake" rps)" "$(field "$intake" p50_ms)" "$(field "$intake" p99_ms)"
printf '%-44s %10s %10s %10s\n' "GET /api/v1/cases/1 meanwhile, 4 conns" "$(field "$read_result" rps)" "$(field "$read_result" p50_ms)" "$(field "$read_result" p99_ms)"
ratio=$(awk -v a="$(field "$intake" rps)" -v b="$(field "$healthz" rps)" 'BEGIN { printf "%.1f", 100 * a / b }')
echo "intake rate = $ratio% of the /healthz rate"
echo "{\"healthz\":$healthz,\"intake\":$intake,\"read\":$read_result}" > "$build/http_load.json"

statuses() { sed -n 's/.*"statuses":{\([^}]*\)}.*/\1/p' <<< "$1"; }
echo "statuses: healthz {$(statuses "$healthz")}, intake {$(statuses "$intake")}, read {$(statuses "$read_result")}"

acked=$(wc -l < "$dir/acks")
[ "$acked" -ge "$min_intakes" ] || fail "$acked acknowledged intakes, fewer than $min_intakes"
stored=$(sqlite3 "$dir/load.db" "SELECT count(*) FROM contacts WHERE summary LIKE 'load-%'")
sort "$dir/acks" > "$dir/acks.sorted"
sqlite3 "$dir/load.db" "SELECT summary FROM contacts WHERE summary LIKE 'load-%'" | sort > "$dir/stored.sorted"
integrity=$(sqlite3 "$dir/load.db" "PRAGMA integrity_check")
echo "acknowledged intakes: $acked (at least $min_intakes wanted), stored: $stored, integrity_check: $integrity"
cmp -s "$dir/acks.sorted" "$dir/stored.sorted" || { echo "FAIL: stored intakes differ from acknowledged ones"; exit 1; }
[ "$integrity" = ok ] || { echo "FAIL: integrity_check"; exit 1; }
"$bin" audit verify --db "$dir/load.db"

#!/usr/bin/env bash
# Loopback load check of the real server: /healthz rate (the HTTP ceiling), then 64 connections
# posting intakes while 4 others read a case, each with requests/s and p50/p99. Afterwards the
# database must hold exactly the acknowledged intakes, pass integrity_check and `audit verify`.
# Usage: tests/bench/http_load.sh BUILD_DIR [SECONDS]     (bounded: a few times SECONDS)
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-5}
bin=$build/hotline
load=$build/tests/bench/http_load
dir=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

"$bin" seed-demo --db "$dir/load.db" --cases 200 > /dev/null
"$bin" serve --db "$dir/load.db" --listen 127.0.0.1:0 > "$dir/out" 2> "$dir/err" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/out")
read -r cookie csrf < <("$load" login --port "$port" --user operator --password operator-demo-2026)

healthz=$("$load" healthz --port "$port" --connections 64 --seconds "$seconds")
"$load" read --port "$port" --connections 4 --seconds "$seconds" --cookie "$cookie" --path /api/v1/cases/1 > "$dir/read.json" &
reader=$!
intake=$("$load" intake --port "$port" --connections 64 --seconds "$seconds" --cookie "$cookie" --csrf "$csrf" --acks "$dir/acks")
wait "$reader"
read_result=$(cat "$dir/read.json")

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

acked=$(wc -l < "$dir/acks")
stored=$(sqlite3 "$dir/load.db" "SELECT count(*) FROM contacts WHERE summary LIKE 'load-%'")
sort "$dir/acks" > "$dir/acks.sorted"
sqlite3 "$dir/load.db" "SELECT summary FROM contacts WHERE summary LIKE 'load-%'" | sort > "$dir/stored.sorted"
integrity=$(sqlite3 "$dir/load.db" "PRAGMA integrity_check")
echo "acknowledged intakes: $acked, stored: $stored, integrity_check: $integrity"
cmp -s "$dir/acks.sorted" "$dir/stored.sorted" || { echo "FAIL: stored intakes differ from acknowledged ones"; exit 1; }
[ "$integrity" = ok ] || { echo "FAIL: integrity_check"; exit 1; }
"$bin" audit verify --db "$dir/load.db"

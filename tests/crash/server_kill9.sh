#!/usr/bin/env bash
# kill -9 the real server while intakes are in flight, ROUNDS times. Per round: `hotline serve` on one
# database (seed-demo once), http_load posting intakes on 32 connections, and after a random 0.5–2 s
# the server is killed with SIGKILL. It is restarted (it must answer /healthz) and the database must
# hold every acknowledged intake (2xx) of every round so far; every intake that did get stored —
# acknowledged or not: the client may have missed the answer — must be complete: its contact linked
# to a case with the same summary, the case's register event, its one complainant with the encrypted
# phone and fingerprint, its search document and its audit entry, each exactly once. PRAGMA
# integrity_check must say ok and `hotline audit verify` must pass.
# A round counts only when intakes were acknowledged: the kill comes once at least 20 of the round's
# intakes are stored (waited for, up to 60 s) plus the random 0.5–2 s, and the round must have at least
# MIN_ACKS (env HOTLINE_K9_MIN_ACKS, default 10) acknowledged intakes; every answer must be 201 (any
# other status fails the round; only the connections broken by the kill are expected). Here a round
# acknowledges thousands; 10 in the ≥ 0.5 s after 20 were stored would still allow a server 100 times
# slower, so only an intake path that fails or stops answering fails it.
# Usage: tests/crash/server_kill9.sh BUILD_DIR [ROUNDS]     (about 3 s a round)
set -euo pipefail
build=$(cd "$1" && pwd)
rounds=${2:-20}
min_acks=${HOTLINE_K9_MIN_ACKS:-10}
[ "$rounds" -ge 1 ] || { echo "FAIL: ROUNDS must be at least 1 (got $rounds)"; exit 1; }
bin=$build/hotline
load=$build/tests/bench/http_load
dir=$(mktemp -d)
db=$dir/k9.db
server_pid= load_pid=
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -5 "$dir/err" 2>/dev/null || true; exit 1; }

# 0 when GET /healthz answers 200 (bash's /dev/tcp: no curl needed).
healthz_ok() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    IFS= read -r status <&3 && [[ $status == "HTTP/1.1 200"* ]] ) 2>/dev/null
}

start_server() {
  : > "$dir/out"
  "$bin" serve --db "$db" --listen 127.0.0.1:0 > "$dir/out" 2>> "$dir/err" &
  server_pid=$!
  for _ in $(seq 300); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.05; done
  grep -q listening "$dir/out" || fail "the server did not start"
  port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/out")
  for _ in $(seq 100); do
    healthz_ok && return 0
    sleep 0.05
  done
  fail "no 200 from /healthz after a restart"
}

# Stored intakes of this test whose rows are not complete, one line each (none expected).
incomplete_sql="
WITH k AS (SELECT id, case_id, summary FROM contacts WHERE summary GLOB 'k9r*'),
  a AS MATERIALIZED (SELECT object_id AS case_id, count(*) AS n FROM audit_log
                     WHERE action = 'case.create' AND object_type = 'case' GROUP BY object_id)
SELECT 'contact ' || k.id || ' (' || k.summary || '): ' || problem FROM k, (
  SELECT 'no case' AS problem, 1 AS n UNION ALL SELECT 'case summary differs', 2 UNION ALL
  SELECT 'register events <> 1', 3 UNION ALL SELECT 'persons <> 1 complainant with phone', 4 UNION ALL
  SELECT 'no search document', 5 UNION ALL SELECT 'case.create audit entries <> 1', 6 UNION ALL
  SELECT 'contacts of the case <> 1', 7)
WHERE CASE n
  WHEN 1 THEN k.case_id IS NULL OR NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = k.case_id)
  WHEN 2 THEN (SELECT summary FROM cases c WHERE c.id = k.case_id) IS NOT k.summary
  WHEN 3 THEN (SELECT count(*) FROM case_events e WHERE e.case_id = k.case_id AND +e.event = 'register') <> 1
  WHEN 4 THEN (SELECT count(*) FROM persons p WHERE p.contact_id = k.id) <> 1
           OR NOT EXISTS (SELECT 1 FROM persons p WHERE p.contact_id = k.id AND p.case_id = k.case_id
                          AND p.role = 'complainant' AND p.phone_enc IS NOT NULL AND p.phone_hash IS NOT NULL)
  WHEN 5 THEN NOT EXISTS (SELECT 1 FROM case_search_docsize d WHERE d.id = k.case_id)
  WHEN 6 THEN coalesce((SELECT a.n FROM a WHERE a.case_id = k.case_id), 0) <> 1
  WHEN 7 THEN (SELECT count(*) FROM contacts o WHERE o.case_id = k.case_id) <> 1
END
UNION ALL
SELECT 'case ' || c.id || ' (' || c.summary || '): no contact' FROM cases c
WHERE c.summary GLOB 'k9r*' AND NOT EXISTS (SELECT 1 FROM contacts k WHERE k.case_id = c.id);"

"$bin" seed-demo --db "$db" --cases 20 > /dev/null 2>&1
start_server
total_acked=0
for round in $(seq 1 "$rounds"); do
  cookie='' csrf=''
  read -r cookie csrf < <("$load" login --port "$port" --user operator --password yongxing-demo-2026 || true)
  [ -n "$csrf" ] || fail "round $round: the operator could not log in"
  # Only 201 counts; connections broken by the kill are expected. Any other status ends the load
  # at once (--fail-fast) and fails the round.
  timeout 120 "$load" intake --port "$port" --connections 32 --seconds 60 --cookie "$cookie" --csrf "$csrf" \
    --tag-prefix "k9r$round-" --acks "$dir/acks.$round" --allow-io-errors --fail-fast --min-ok "$min_acks" \
    > "$dir/load.$round" 2> "$dir/load.err.$round" &
  load_pid=$!
  # Writes must be happening: wait (bounded) until 20 of this round's intakes are stored.
  stored_now=0
  for _ in $(seq 600); do
    stored_now=$(sqlite3 "$db" "SELECT count(*) FROM contacts WHERE summary GLOB 'k9r$round-*'" 2>/dev/null || echo 0)
    [ "$stored_now" -ge 20 ] && break
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$stored_now" -lt 20 ]; then
    kill -0 "$load_pid" 2>/dev/null || fail "round $round: the intakes failed before 20 were stored:" \
      "$(cat "$dir/load.err.$round") $(cat "$dir/load.$round")"
    fail "round $round: only $stored_now intakes stored within 60 s"
  fi
  # Then between 0.5 and 2 s more, while requests are in flight.
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.5 + (r % 151) / 100 }')"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  load_rc=0
  wait "$load_pid" || load_rc=$?
  load_pid=
  [ "$load_rc" != 124 ] || fail "round $round: http_load did not finish after the kill"
  [ -f "$dir/acks.$round" ] || fail "round $round: http_load wrote no acknowledgement file"
  [ "$load_rc" = 0 ] || fail "round $round: the intakes failed (http_load exit $load_rc): $(cat "$dir/load.err.$round") $(cat "$dir/load.$round")"

  start_server
  cat "$dir"/acks.* | sort > "$dir/acked"
  sqlite3 "$db" "SELECT summary FROM contacts WHERE summary GLOB 'k9r*'" | sort > "$dir/stored"
  missing=$(comm -23 "$dir/acked" "$dir/stored" | wc -l)
  [ "$missing" = 0 ] || { comm -23 "$dir/acked" "$dir/stored" | head; fail "round $round: $missing acknowledged intakes missing"; }
  incomplete=$(sqlite3 "$db" "$incomplete_sql")
  [ -z "$incomplete" ] || { echo "$incomplete" | head; fail "round $round: incomplete intakes in the database"; }
  integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
  [ "$integrity" = ok ] || fail "round $round: integrity_check: $integrity"
  "$bin" audit verify --db "$db" > "$dir/verify" 2>&1 || { cat "$dir/verify"; fail "round $round: audit verify"; }
  acked=$(wc -l < "$dir/acks.$round")
  [ "$acked" -ge "$min_acks" ] || fail "round $round: only $acked acknowledged intakes before the kill (at least $min_acks wanted)"
  total_acked=$((total_acked + acked))
  unacked=$(( $(wc -l < "$dir/stored") - $(wc -l < "$dir/acked") ))
  echo "round $round: killed after $acked acknowledged intakes; all $total_acked so far present and complete" \
       "($unacked stored without an answer, complete)"
done
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server did not stop cleanly"
server_pid=
echo "server kill -9 test: $rounds rounds, $total_acked acknowledged intakes (at least $min_acks per round wanted)," \
     "none lost, none incomplete"

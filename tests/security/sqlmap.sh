#!/usr/bin/env bash
# SQL-injection probing with Debian's sqlmap (manual: several minutes; CI runs sql_probe.py instead).
# Starts the server on a seeded temp db on loopback, logs in as operator and supervisor, and points
# sqlmap at every query parameter and JSON body field of the main endpoints (tests/security/README.md),
# with the session cookie and, for writes, X-CSRF-Token. Each target must end with sqlmap's
# "all tested parameters do not appear to be injectable" and no "identified the following injection".
# Usage: tests/security/sqlmap.sh BUILD_DIR [PER_TARGET_SECONDS]   (default 180; --level 2 --risk 1, any DBMS)
#   SQLMAP_TECHNIQUE (default BEUST) and SQLMAP_LEVEL (default 2) may narrow or widen the run.
set -euo pipefail
build=$(cd "$1" && pwd)
limit=${2:-180}
technique=${SQLMAP_TECHNIQUE:-BEUST}
level=${SQLMAP_LEVEL:-2}
bin=$build/hotline
load=$build/tests/bench/http_load
command -v sqlmap >/dev/null || { echo "sqlmap is missing: apt-get install sqlmap"; exit 1; }

dir=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
"$bin" seed-demo --db "$dir/s.db" --cases 50 > /dev/null
"$bin" serve --db "$dir/s.db" --listen 127.0.0.1:0 > "$dir/out" 2> "$dir/err" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/out")
base=http://127.0.0.1:$port
read -r op_cookie op_csrf < <("$load" login --port "$port" --user operator --password yongxing-demo-2026)
read -r sup_cookie sup_csrf < <("$load" login --port "$port" --user supervisor --password chenzhou-demo-2026)

failures=0
# target NAME COOKIE CSRF METHOD URL [JSON_BODY]
target() {
  local name=$1 cookie=$2 csrf=$3 method=$4 url=$5 body=${6:-}
  local args=(-u "$url" --method "$method" --batch --level "$level" --risk 1
              --technique "$technique" --time-sec 2 --timeout 10 --retries 1 --threads 2
              --flush-session --output-dir "$dir/sqlmap" --disable-coloring -v 1 --drop-set-cookie
              --ignore-code 401)
  [ -n "$cookie" ] && args+=(--cookie "$cookie")
  [ -n "$csrf" ] && args+=(-H "X-CSRF-Token: $csrf")
  [ -n "$body" ] && args+=(--data "$body" -H "Content-Type: application/json")
  local start rc=0 log=$dir/$name.log
  start=$(date +%s)
  timeout "$limit" sqlmap "${args[@]}" > "$log" 2>&1 < /dev/null || rc=$?
  local verdict
  if grep -q "identified the following injection point" "$log"; then
    verdict="INJECTABLE"; failures=$(( failures + 1 ))
    sed -n '/identified the following injection point/,/^---$/p' "$log" | head -40
  elif grep -q "all tested parameters do not appear to be injectable" "$log"; then
    verdict="all tested parameters do not appear to be injectable"
  elif [ "$rc" = 124 ]; then
    verdict="time limit ($limit s) reached, nothing found so far"
  else
    verdict="sqlmap ended without a verdict (exit $rc; see below)"; failures=$(( failures + 1 ))
    grep -E "CRITICAL|ERROR" "$log" | head -5
  fi
  printf '%-26s %4ss  %s\n' "$name" "$(( $(date +%s) - start ))" "$verdict"
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "FAIL: the server died"; cat "$dir/err"; exit 1; fi
}

intake='{"channel":"hotline","call_type":"help_request","complainant":{"name":"李丽娟","phone":"13800138000","gender":"female","id_number":"11010519491231002X","region_code":"431023"},"category":"marriage_family.domestic_violence","summary":"丈夫长期家暴","narrative":"要求离婚","urgency":"normal","resolution":"open_case"}'
echo "sqlmap $(sqlmap --version 2>/dev/null | grep -o "^[0-9][0-9.]*" | head -1) --level $level --risk 1 --technique $technique, $limit s per target, $base"
target login "" "" POST "$base/api/v1/session" '{"username":"operator","password":"wrong-password"}'
target cases-list "$op_cookie" "" GET "$base/api/v1/cases?status=registered&category=marriage_family.domestic_violence&office_id=3&assignee_id=2&risk_level=none&overdue=true&channel=hotline&received_from=2020-01-01&received_to=2030-12-31&q=%E5%AE%B6%E6%9A%B4&sort=received_desc&limit=20"
target case-by-id "$op_cookie" "" GET "$base/api/v1/cases/1*"
target callers-lookup "$op_cookie" "" GET "$base/api/v1/callers/lookup?phone=13800138000"
target referrals "$op_cookie" "" GET "$base/api/v1/referrals?status=sent&partner_id=1&case_id=1&overdue=true"
target partners "$op_cookie" "" GET "$base/api/v1/partners?type=police"
target offices "$op_cookie" "" GET "$base/api/v1/offices?scope=own"
target follow-ups "$op_cookie" "" GET "$base/api/v1/follow-ups?state=due&office_id=3&limit=5"
target dv-repeat-check "$op_cookie" "" GET "$base/api/v1/dv/repeat-check?phone=13800138000&id_number=11010519491231002X"
target dv-expiring "$op_cookie" "" GET "$base/api/v1/dv/expiring?days=14"
target dashboard-aging "$sup_cookie" "" GET "$base/api/v1/dashboard/aging?office_id=2&group_by=status"
target reports "$sup_cookie" "" GET "$base/api/v1/reports?period=2026-10&office_id=2&scope=subtree"
target intakes "$op_cookie" "$op_csrf" POST "$base/api/v1/intakes" "$intake"
target case-notes "$op_cookie" "$op_csrf" POST "$base/api/v1/cases/1/notes" '{"text":"回访记录"}'
target case-patch "$op_cookie" "$op_csrf" PATCH "$base/api/v1/cases/1" '{"version":1,"summary":"更新摘要","category":"marriage_family.divorce","urgency":"urgent"}'

kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=
if [ "$failures" -gt 0 ]; then echo "FAIL: $failures target(s) injectable or without a verdict"; exit 1; fi
echo "sqlmap: all tested parameters do not appear to be injectable"

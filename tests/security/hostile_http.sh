#!/usr/bin/env bash
# Hostile HTTP clients against the real server on loopback, each phase while a normal client keeps
# reading a case on 2 keep-alive connections (tests/bench/http_load read) and a prober opens a new
# connection for GET /healthz every 50 ms. After each phase the server must answer /healthz, and in
# each phase the normal client must get only 200s (at least one), no broken connection and no answer
# slower than 5,000 ms (env HOTLINE_HANG_MS), and the prober no failure (each probe waits 5 s at most).
# The normal client's p99 is a measurement, printed beside the 100 ms it is meant to stay under on
# an idle machine, not a pass/fail limit: on a loaded 2-core machine (builds, other tests, slowhttptest
# itself) scheduling alone can push it past 100 ms with nothing wrong. What the attacks would do to
# a server that is wrong — slow clients holding its I/O threads, a read stuck behind an endless body —
# is a stall of seconds (slowhttptest sends its next byte every 5 s; the request deadline is 30 s),
# which the 5 s bound catches; a healthy server's case reads here have a p99 of 8–25 ms and a max
# of 15–250 ms in every phase (2 cores, load average 7 from a parallel build).
# Phases: baseline; slowloris and slow body (Debian's slowhttptest -H / -B, CONNECTIONS connections);
# then the raw-socket cases of hostile_http.py: oversize headers / target (431), oversize bodies
# (413 envelope, by Content-Length, chunked and with Expect: 100-continue), malformed chunked bodies,
# an endless chunk extension, a pipelined flood on one connection, pipelining without reading.
# Usage: tests/security/hostile_http.sh BUILD_DIR [SECONDS] [CONNECTIONS]
#   SECONDS: length of each slowhttptest phase (default 20; each raw phase is SECONDS/6, >= 2 s);
#   CONNECTIONS: slowhttptest connections (default 1000). Bounded: about 2.5 × SECONDS + 30 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
seconds=${2:-20}
connections=${3:-1000}
raw_seconds=$(( seconds / 6 > 2 ? seconds / 6 : 2 ))
hang_ms=${HOTLINE_HANG_MS:-5000}
target_p99_ms=100
bin=$build/hotline
load=$build/tests/bench/http_load
py=$here/hostile_http.py
command -v slowhttptest >/dev/null || { echo "FAIL: slowhttptest is missing (apt-get install slowhttptest; scripts/install-deps)"; exit 1; }

# slowhttptest and the server each need a descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
max_conn=$(( $(ulimit -n) - 200 ))
[ "$connections" -le "$max_conn" ] || { echo "note: $connections connections > open-file limit, using $max_conn"; connections=$max_conn; }

dir=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

"$bin" seed-demo --db "$dir/h.db" --cases 100 > /dev/null
"$bin" serve --db "$dir/h.db" --listen 127.0.0.1:0 > "$dir/out" 2> "$dir/err" &
server_pid=$!
for _ in $(seq 300); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done  # up to 30 s
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/out")
[ -n "$port" ] || { echo "FAIL: the server did not start"; cat "$dir/err"; exit 1; }
read -r cookie _csrf < <("$load" login --port "$port" --user operator --password yongxing-demo-2026 || true)
[ -n "${_csrf:-}" ] || { echo "FAIL: the operator could not log in"; exit 1; }

failures=0
field() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<< "$1"; }
printf '%-22s %9s %8s %8s  %-34s %s\n' phase "reads" "p99 ms" "max ms" "new connections (/healthz)" "what the server did"
over_target=()

# phase NAME SECONDS COMMAND…: runs COMMAND while the normal client reads and the prober probes.
phase() {
  local name=$1 secs=$2
  shift 2
  "$load" read --port "$port" --connections 2 --seconds "$secs" --cookie "$cookie" --path /api/v1/cases/1 \
    > "$dir/read.json" 2> "$dir/read.err" &
  local reader=$!
  python3 "$py" probe "$port" "$secs" > "$dir/probe.txt" 2>&1 &
  local prober=$!
  local rc=0 what
  if [ $# -gt 0 ]; then
    "$@" > "$dir/attack.txt" 2>&1 || rc=$?
  fi
  local reader_rc=0
  wait "$reader" || reader_rc=$?
  wait "$prober" || true
  what=$( [ $# -gt 0 ] && tail -1 "$dir/attack.txt" || echo "-")
  local r p99 max failed probe ok=1
  r=$(cat "$dir/read.json")
  p99=$(field "$r" p99_ms); max=$(field "$r" max_ms); failed=$(field "$r" failed)
  probe=$(sed -n 's/^probe: //p' "$dir/probe.txt")
  printf '%-22s %9s %8s %8s  %-34s %s\n' "$name" "$(field "$r" ok)" "${p99:-?}" "${max:-?}" "${probe:-?}" "$what"
  if [ "$rc" != 0 ]; then echo "  FAIL: $name: the server's answer was wrong"; cat "$dir/attack.txt"; ok=0; fi
  if [ -z "$max" ] || awk -v m="$max" -v h="$hang_ms" 'BEGIN { exit !(m >= h) }'; then
    echo "  FAIL: $name: a normal client's read took ${max:-?} ms (>= $hang_ms ms: the server stalled)"; ok=0
  fi
  if [ "$reader_rc" != 0 ] || [ "${failed:-1}" != 0 ]; then
    echo "  FAIL: $name: the normal client had $failed failed requests: $(cat "$dir/read.err") statuses {$(sed -n 's/.*"statuses":{\([^}]*\)}.*/\1/p' <<< "$r")}"
    ok=0
  fi
  if [ -n "$p99" ] && awk -v p="$p99" -v t="$target_p99_ms" 'BEGIN { exit !(p >= t) }'; then over_target+=("$name ${p99} ms"); fi
  if ! grep -q ' 0 failed' "$dir/probe.txt"; then echo "  FAIL: $name: new connections failed: $probe"; ok=0; fi
  if ! python3 "$py" healthz "$port"; then echo "  FAIL: $name: /healthz does not answer afterwards"; ok=0; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "  FAIL: $name: the server died"; cat "$dir/err"; exit 1; fi
  [ "$ok" = 1 ] || failures=$(( failures + 1 ))
}

# slowhttptest's own verdict is its last "service available" line; ours is the normal client's.
slow() {
  local mode=$1 extra=()
  # The slow body goes to a file route: a JSON route now refuses slowhttptest's form content type
  # (415) before reading any body, which would leave nothing slow to test.
  [ "$mode" = -B ] && extra=(-s 65536 -t POST -u "http://127.0.0.1:$port/api/v1/cases/1/attachments")
  [ "$mode" = -H ] && extra=(-t GET -u "http://127.0.0.1:$port/api/v1/cases")
  timeout $(( seconds + 30 )) slowhttptest "$mode" -c "$connections" -r 500 -i 5 -x 24 -p 3 -l "$seconds" "${extra[@]}" \
    > "$dir/slow.txt" 2>&1 || true
  local summary
  summary=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$dir/slow.txt" | grep -E 'pending connections|connected:|service available|exit status' | tail -4 | tr -s ' \n' ' ')
  echo "slowhttptest $mode -c $connections: $summary"
}

phase baseline 3
phase "slowloris (-H)" "$seconds" slow -H
phase "slow body (-B)" "$seconds" slow -B
pid_cases="pipeline-noread endless-chunk-ext"
for c in oversize-header many-headers oversize-target oversize-body oversize-chunked expect-continue \
         bad-chunked te-not-chunked endless-chunk-ext pipeline-flood pipeline-noread; do
  extra=()
  [[ " $pid_cases " == *" $c "* ]] && extra=(--pid "$server_pid")
  phase "$c" "$raw_seconds" timeout $(( raw_seconds + 60 )) python3 "$py" attack "$port" "$c" "$raw_seconds" "${extra[@]}"
done

kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=
if [ "$failures" -gt 0 ]; then
  echo "FAIL: $failures hostile-HTTP phase(s) failed"
  exit 1
fi
if [ ${#over_target[@]} -gt 0 ]; then
  echo "note (a measurement, not a failure): normal client p99 at or over $target_p99_ms ms in: $(IFS=';'; echo "${over_target[*]}");" \
       "load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi
echo "hostile HTTP: every phase passed (server answered; normal client: only 200s, none slower than $hang_ms ms;" \
     "every new connection answered)"

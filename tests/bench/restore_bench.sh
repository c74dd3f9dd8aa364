#!/usr/bin/env bash
# tests/bench/restore_bench.sh [--build DIR] [--no-build] [--cases N] [--audit-rows N] [--cold] [--skip-writer]
#
# How long a backup and a restore take on a big database, and how much a backup holds up the writer
# (issue #18 §4). Not a CTest test: it takes minutes and a few GB of disk.
#   1. the database: gen_cases --cases N (default 1,000,000), cached beside tests/bench/run's
#      (DIR/cases-N-schemaNNN-HASH.db, the same key), plus --audit-rows audit rows (default 3 per case:
#      gen_cases writes none, and a restore verifies the whole chain) on a scratch copy;
#   2. `hotline backup` of the scratch copy (one-step snapshot copy, integrity_check, fsync, SHA-256,
#      manifest);
#   3. `hotline restore` into a fresh directory (copy with SHA-256 in one pass, fsync, audit chain
#      verified, rename) — the figure the README quotes; with --cold the page cache is dropped first
#      (root only), as after a reboot or with the backup on another disk;
#   4. a server started on the restored database until GET /healthz answers 200, and `hotline audit
#      verify` of it;
#   5. bench_backup on the scratch copy: the writer's commit rate and latency while each way of
#      copying runs (stepped / snapshot / VACUUM INTO / the full backup), unless --skip-writer.
# Prints each step's seconds and writes DIR/restore-bench.json. Builds Release into build/bench unless
# --build names another directory (then it must already be configured) or --no-build.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

build=build/bench do_build=1 cases=1000000 audit_rows= cold=0 writer=1
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --no-build) do_build=0 ;;
    --cases) cases=$2; shift ;;
    --audit-rows) audit_rows=$2; shift ;;
    --cold) cold=1 ;;
    --skip-writer) writer=0 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$audit_rows" ] || audit_rows=$((cases * 3))
if [ $do_build = 1 ]; then
  if [ "$build" = build/bench ]; then
    ./scripts/build "$build" Release -- hotline gen_cases bench_backup
  else
    echo "--build $build: not building (run scripts/build on it yourself, or pass --no-build)" >&2
  fi
fi
build=$(cd "$build" && pwd)
bin=$build/hotline gen=$build/tests/bench/gen_cases bench=$build/tests/bench/bench_backup
for f in "$bin" "$gen" "$bench"; do [ -x "$f" ] || { echo "missing $f" >&2; exit 1; }; done

now_ns() { date +%s%N; }
seconds_since() { awk -v from="$1" -v to="$(now_ns)" 'BEGIN { printf "%.2f", (to - from) / 1e9 }'; }
drop_caches() {
  [ $cold = 1 ] || return 0
  sync
  echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || { echo "--cold needs root (drop_caches)" >&2; exit 1; }
}

schema_version=$(ls schema/[0-9][0-9][0-9]_*.sql | sed 's|.*/||' | sort | tail -1 | cut -c1-3)
key=$(cat schema/*.sql tests/bench/gen_cases.cpp | sha256sum | cut -c1-12)
cached=$build/cases-$cases-schema$schema_version-$key.db
if [ ! -f "$cached" ]; then
  echo "== generating $cases cases into $cached (about 3 minutes per million here)"
  rm -f "$cached.tmp" "$cached.tmp.keys"
  "$gen" --db "$cached.tmp" --cases "$cases"
  mv "$cached.tmp.keys" "$cached.keys"
  mv "$cached.tmp" "$cached"
fi

work=$(mktemp -d "$build/restore-bench.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -m 0700 "$work/live" "$work/backups" "$work/restored"

echo "== scratch copy, plus $audit_rows audit rows"
cp "$cached" "$work/live/hotline.db"
cp "$cached.keys" "$work/live/hotline.db.keys"
chmod 600 "$work/live/hotline.db.keys"
"$bench" --db "$work/live/hotline.db" --add-audit-rows "$audit_rows"
db_mb=$(( $(stat -c %s "$work/live/hotline.db") / 1000000 ))

echo "== hotline backup"
drop_caches
t=$(now_ns)
"$bin" backup "$work/backups/hotline-bench.db" --db "$work/live/hotline.db"
backup_s=$(seconds_since "$t")

echo "== hotline restore (into a fresh directory)"
cp "$work/live/hotline.db.keys" "$work/restored/hotline.db.keys"
drop_caches
t=$(now_ns)
"$bin" restore "$work/backups/hotline-bench.db" --db "$work/restored/hotline.db"
restore_s=$(seconds_since "$t")

echo "== server start on the restored database"
t=$(now_ns)
"$bin" serve --db "$work/restored/hotline.db" --listen 127.0.0.1:0 > "$work/out" 2> "$work/err" &
server_pid=$!
while ! grep -q listening "$work/out" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { echo "the server did not start:" >&2; cat "$work/err" >&2; exit 1; }
  sleep 0.01
done
port=$(sed -n 's|.*127.0.0.1:\([0-9]*\).*|\1|p' "$work/out" | head -1)
until ( exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3 &&
        IFS= read -r status <&3 && [[ $status == "HTTP/1.1 200"* ]] ) 2>/dev/null; do sleep 0.01; done
serve_s=$(seconds_since "$t")
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=

echo "== hotline audit verify"
t=$(now_ns)
"$bin" audit verify --db "$work/restored/hotline.db"
verify_s=$(seconds_since "$t")

writer_json=null
if [ $writer = 1 ]; then
  echo "== the writer during each way of copying (bench_backup)"
  "$bench" --db "$work/live/hotline.db" --cap 60 | tee "$work/writer.txt"
  writer_json=$(tail -1 "$work/writer.txt")
fi

echo
echo "Database: $cases cases + $audit_rows audit rows, $db_mb MB$([ $cold = 1 ] && echo ', cold page cache before backup and restore')"
printf '  hotline backup   %8s s  (snapshot copy, integrity_check, fsync, SHA-256, manifest)\n' "$backup_s"
printf '  hotline restore  %8s s  (copy + SHA-256, fsync, audit chain verified, rename)\n' "$restore_s"
printf '  server start     %8s s  (exec -> first 200 from /healthz on the restored database)\n' "$serve_s"
printf '  audit verify     %8s s\n' "$verify_s"
cat > "$build/restore-bench.json" <<JSON
{"at":"$(date -Is)","commit":"$(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty')","cores":$(nproc),
 "cases":$cases,"audit_rows":$audit_rows,"db_mb":$db_mb,"cold":$([ $cold = 1 ] && echo true || echo false),
 "backup_s":$backup_s,"restore_s":$restore_s,"serve_s":$serve_s,"audit_verify_s":$verify_s,"writer":$writer_json}
JSON
echo "results: $build/restore-bench.json"

#!/usr/bin/env bash
# Browser tests of the web desk: ./tests/e2e/run.sh [path/to/hotline] [FILE.test.mjs…]
#   (default build/test/hotline, every tests/e2e/*.test.mjs)
# Installs what it needs when missing (Debian's chromium, a CJK font for readable screenshots, the
# npm lock's playwright-core), then runs the test files with Node's test runner, one file at a time
# (scripts/node-tests: --test-concurrency=1, Node >= 20.10). Screenshots (1366×768) go to
# build/e2e-screenshots/. Fails unless every test the files declare (top-level test(…),
# test.skip(…), test.todo(…), test.only(…) calls) passed: node --test's summary must show no
# failure, nothing cancelled, skipped or todo, and at least that many passes — a file that stops
# loading or a test that skips itself cannot make the stage pass with fewer tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-${HOTLINE_BIN:-build/test/hotline}}
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
export HOTLINE_BIN="$bin"
shift || true
files=("$@")
if [ ${#files[@]} -eq 0 ]; then files=("$here"/*.test.mjs); fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
fc-list ':lang=zh' 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
cd "$here"
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
cd "$root"

# One file at a time; fails unless every test the files declare passed (counts printed).
exec "$root/scripts/node-tests" "${files[@]}"

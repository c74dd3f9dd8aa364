#!/usr/bin/env bash
# Browser tests of the web desk: ./tests/e2e/run.sh [path/to/hotline]   (default build/test/hotline)
# Installs what it needs when missing (Debian's chromium, a CJK font for readable screenshots, the
# npm lock's playwright-core), then runs every tests/e2e/*.test.mjs with Node's test runner.
# Screenshots (1366×768) go to build/e2e-screenshots/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-${HOTLINE_BIN:-build/test/hotline}}
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
export HOTLINE_BIN="$bin"

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
exec node --test --test-concurrency=1 tests/e2e/

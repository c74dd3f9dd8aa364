#!/usr/bin/env bash
# tests/deploy/tls.sh BUILD_DIR — the shipped TLS front end, end to end on loopback.
#
# Runs Debian's nginx unprivileged in the foreground with the SHIPPED site file
# (packaging/nginx/weiquan-hotline; only its ports, listen addresses and certificate paths are
# substituted, and the test fails if anything else differs) in front of BUILD_DIR/hotline started
# with the SHIPPED /etc/weiquan/hotline.json (only its paths and port substituted), using a
# self-signed certificate made with openssl. Checks:
#   - plain HTTP answers 301 to https:// (also a login POST: no cookie is ever set over HTTP);
#   - HTTPS works: TLS 1.2 and 1.3 handshake, TLS 1.1 is refused;
#   - Strict-Transport-Security is sent on pages and API answers (and on errors);
#   - a login through the proxy sets hl_session with Secure, HttpOnly and SameSite=Strict, and the
#     cookie then works (GET /api/v1/session);
#   - the audit log records the client's address (127.0.0.2), not the proxy's and not a forged
#     X-Forwarded-For;
#   - a login from the site's own origin works through the proxy (its Host and port reach hotline);
#     one from another origin, or sent as text/plain, is refused;
#   - the event stream (SSE) comes through unbuffered.
# Fails loudly, never skips, when nginx, openssl, curl or sqlite3 is missing (scripts/install-deps
# installs them).
set -euo pipefail
build=$(cd "${1:?usage: tests/deploy/tls.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$build/hotline
site_src=$root/packaging/nginx/weiquan-hotline
config_src=$root/packaging/hotline.json

fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in nginx openssl curl sqlite3 python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run scripts/install-deps)"
done
[ -x "$bin" ] || fail "$bin is not built"

tmp=$(mktemp -d)
hotline_pid= nginx_pid=
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [ -n "$hotline_pid" ] && kill "$hotline_pid" 2>/dev/null && wait "$hotline_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
show_logs() {
  echo "--- hotline stderr"; cat "$tmp/hotline.err" 2>/dev/null || true
  echo "--- nginx error.log"; cat "$tmp/nginx/error.log" 2>/dev/null || true
}
check() {  # check DESCRIPTION COMMAND…: runs the command; on failure shows the logs and fails
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else show_logs; fail "$what"; fi
}

# Two free loopback ports for nginx (bound, read and released: another process could take one in
# between, which would fail the test loudly, not pass it wrongly).
read -r http_port https_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')

# ---- a self-signed certificate for localhost / 127.0.0.1
mkdir -p "$tmp/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$tmp/tls/key.pem" -out "$tmp/tls/cert.pem" 2>/dev/null
chmod 0600 "$tmp/tls/key.pem"

# ---- hotline with the shipped configuration: /var/lib/weiquan -> $tmp/data, port 8080 -> any free one
mkdir -m 0700 "$tmp/data"
sed -e "s|/var/lib/weiquan|$tmp/data|g" -e 's|"127.0.0.1:8080"|"127.0.0.1:0"|' "$config_src" > "$tmp/hotline.json"
[ "$(diff "$config_src" "$tmp/hotline.json" | grep -c '^>')" = 3 ] || fail "the shipped hotline.json no longer has db, keys and listen where this test substitutes them"
grep -q '"secure_cookies": true' "$tmp/hotline.json" || fail "the shipped hotline.json does not set secure_cookies"
"$bin" seed-demo --db "$tmp/data/hotline.db" --cases 3 > "$tmp/seed.out"
"$bin" serve --config "$tmp/hotline.json" > "$tmp/hotline.out" 2> "$tmp/hotline.err" &
hotline_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$tmp/hotline.out" 2>/dev/null && break; sleep 0.1; done
app_port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$tmp/hotline.out")
[ -n "$app_port" ] || { show_logs; fail "hotline did not start"; }

# ---- nginx with the shipped site; substitutions: ports, listen addresses (loopback), certificate
mkdir -p "$tmp/nginx/sites-enabled"
site=$tmp/nginx/sites-enabled/weiquan-hotline
sed -e "s|^    listen 80;|    listen 127.0.0.1:$http_port;|" \
    -e "s|^    listen \[::\]:80;|    listen [::1]:$http_port;|" \
    -e "s|^    listen 443 ssl http2;|    listen 127.0.0.1:$https_port ssl http2;|" \
    -e "s|^    listen \[::\]:443 ssl http2;|    listen [::1]:$https_port ssl http2;|" \
    -e "s|/etc/ssl/certs/ssl-cert-snakeoil.pem|$tmp/tls/cert.pem|" \
    -e "s|/etc/ssl/private/ssl-cert-snakeoil.key|$tmp/tls/key.pem|" \
    -e "s|http://127.0.0.1:8080;|http://127.0.0.1:$app_port;|" \
    "$site_src" > "$site"
# 4 listen lines, 2 certificate paths, 2 proxy_pass lines: nothing else may differ from the shipped file.
changed=$(diff "$site_src" "$site" | grep -c '^>' || true)
[ "$changed" = 8 ] || { diff "$site_src" "$site" || true; fail "expected 8 substituted lines in the site, got $changed"; }
# The http-level settings of Debian's /etc/nginx/nginx.conf that matter here: it allows TLS 1.0 and
# 1.1, which the site must override.
cat > "$tmp/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 128; }
http {
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    sendfile on;
    tcp_nopush on;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    include $tmp/nginx/sites-enabled/*;
}
CONF
nginx_args=(-p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log")
check "nginx -t accepts the shipped site" nginx "${nginx_args[@]}" -t -q
nginx "${nginx_args[@]}" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$http_port/" && break; sleep 0.1; done

https=https://127.0.0.1:$https_port
tls=(--cacert "$tmp/tls/cert.pem" --silent --show-error --max-time 10)

# ---- plain HTTP: only redirects
status_and_location() { curl --silent --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' "$@"; }
got=$(status_and_location "http://127.0.0.1:$http_port/cases?id=7")
check "HTTP GET answers 301 to https (got: $got)" test "$got" = "301 https://127.0.0.1/cases?id=7"
got=$(status_and_location -X POST -H 'Content-Type: application/json' \
      -d '{"username":"operator","password":"yongxing-demo-2026"}' "http://127.0.0.1:$http_port/api/v1/session")
check "HTTP login POST answers 301 (got: $got)" test "${got%% *}" = 301
headers=$(curl --silent --max-time 10 -D - -o /dev/null -X POST -H 'Content-Type: application/json' \
          -d '{"username":"operator","password":"yongxing-demo-2026"}' "http://127.0.0.1:$http_port/api/v1/session")
check "no cookie over plain HTTP" bash -c '! grep -qi "^set-cookie:" <<< "$1"' _ "$headers"
got=$(status_and_location "http://[::1]:$http_port/")
check "HTTP over IPv6 answers 301 (got: $got)" test "${got%% *}" = 301

# ---- TLS versions
handshake() { openssl s_client -connect "127.0.0.1:$https_port" -servername localhost "$@" < /dev/null > /dev/null 2>&1; }
check "TLS 1.3 handshake" handshake -tls1_3
check "TLS 1.2 handshake" handshake -tls1_2
check "TLS 1.1 is refused" bash -c "! openssl s_client -connect 127.0.0.1:$https_port -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' < /dev/null > /dev/null 2>&1"
check "TLS 1.0 is refused" bash -c "! openssl s_client -connect 127.0.0.1:$https_port -tls1 -cipher 'DEFAULT:@SECLEVEL=0' < /dev/null > /dev/null 2>&1"

# ---- HTTPS: the desk, HSTS
headers=$(curl "${tls[@]}" -D - -o /dev/null "$https/")
check "HTTPS GET / answers 200" grep -q '^HTTP/[0-9.]* 200' <<< "$headers"
hsts='^strict-transport-security: max-age=63072000'
check "HSTS on the desk page" grep -qi "$hsts" <<< "$headers"
headers=$(curl "${tls[@]}" -D - -o /dev/null "$https/api/v1/cases")
check "HSTS on an API error (401 without a session)" bash -c 'grep -q "^HTTP/[0-9.]* 401" <<< "$1" && grep -qi "$2" <<< "$1"' _ "$headers" "$hsts"
check "healthz through the proxy" bash -c "curl ${tls[*]} '$https/healthz' | grep -q '\"status\"'"

# ---- login through the proxy, from 127.0.0.2 with a forged X-Forwarded-For
headers=$(curl "${tls[@]}" --interface 127.0.0.2 -D - -o "$tmp/login.json" -X POST \
          -H 'Content-Type: application/json' -H 'X-Forwarded-For: 203.0.113.9' \
          -d '{"username":"operator","password":"yongxing-demo-2026"}' "$https/api/v1/session")
check "HTTPS login answers 200" grep -q '^HTTP/[0-9.]* 200' <<< "$headers"
cookie_line=$(grep -i '^set-cookie: hl_session=' <<< "$headers" | tr -d '\r')
echo "  $cookie_line" | sed 's/hl_session=[^;]*/hl_session=…/'
check "the session cookie is Secure" grep -qi '; Secure' <<< "$cookie_line"
check "the session cookie is HttpOnly" grep -qi '; HttpOnly' <<< "$cookie_line"
check "the session cookie is SameSite=Strict" grep -qi '; SameSite=Strict' <<< "$cookie_line"
check "HSTS on the login answer" grep -qi "$hsts" <<< "$headers"
token=$(sed 's/^[^=]*=\([^;]*\);.*/\1/' <<< "$cookie_line")
got=$(curl "${tls[@]}" -o /dev/null -w '%{http_code}' -H "Cookie: hl_session=$token" "$https/api/v1/session")
check "the cookie opens the session over HTTPS (got $got)" test "$got" = 200
ip=$(sqlite3 "$tmp/data/hotline.db" "SELECT ip FROM audit_log WHERE action = 'session.login' ORDER BY id DESC LIMIT 1")
check "the audit log records the client's address 127.0.0.2 (got '$ip'), not the proxy's or a forged one" test "$ip" = 127.0.0.2

# ---- cross-site writes are refused through the proxy; the page's own origin (https, this port) is not
login_from() {  # ORIGIN [CONTENT-TYPE]: the status of a login sent as a page of ORIGIN would send it
  curl "${tls[@]}" -o /dev/null -w '%{http_code}' -X POST -H "Content-Type: ${2:-application/json}" -H "Origin: $1" \
    -d '{"username":"operator","password":"yongxing-demo-2026"}' "$https/api/v1/session"
}
got=$(login_from "$https")
check "a same-origin login through the proxy answers 200 (got $got)" test "$got" = 200
got=$(login_from "https://evil.example")
check "a cross-site login through the proxy answers 403 (got $got)" test "$got" = 403
got=$(login_from "http://127.0.0.1:$https_port")
check "an origin with the wrong scheme answers 403 (got $got)" test "$got" = 403
got=$(login_from "$https" "text/plain")
check "a text/plain login answers 415 (got $got)" test "$got" = 415

# ---- the event stream comes through at once (proxy_buffering off)
events=$(curl "${tls[@]}" -N --max-time 3 -H "Cookie: hl_session=$token" "$https/api/v1/events" 2>/dev/null || true)
check "SSE through the proxy delivers its first event" grep -q '^event: hello' <<< "$events"

# ---- the server stops cleanly (drains) behind the proxy
kill -TERM "$hotline_pid"
status=0; wait "$hotline_pid" || status=$?
hotline_pid=
check "hotline exits 0 on SIGTERM (got $status)" test "$status" = 0
got=$(curl "${tls[@]}" -o /dev/null -w '%{http_code}' "$https/healthz" || true)
check "with the server stopped nginx answers 502 (got $got)" test "$got" = 502
echo "PASS: tests/deploy/tls.sh"

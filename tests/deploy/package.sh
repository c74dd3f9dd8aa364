#!/usr/bin/env bash
# tests/deploy/package.sh PATH.deb — checks the Debian package ./scripts/package built:
#   - control: name, dependencies (adduser, the shared libraries incl. libsystemd0), conffiles;
#   - contents (dpkg -x into a throwaway root): /usr/bin/hotline executable and a production build
#     (refuses --clock-file), the unit in /lib/systemd/system, /etc/weiquan/hotline.json, the nginx site;
#   - the unit: `systemd-analyze verify` clean (no error, no warning; ExecStart pointed at the
#     extracted binary, the only substitution), each hardening directive present, and
#     `systemd-analyze security --offline` exposure below 2.0;
#   - the shipped configuration: valid, and the extracted binary serves from it (paths substituted):
#     READY=1 to $NOTIFY_SOCKET once listening, STOPPING=1 and exit 0 on SIGTERM, and the database,
#     key file and anchor it creates are 0600 although the caller's umask is 022;
#   - the maintainer scripts, run with stubbed adduser/install/systemctl/… (a fake root; nothing on
#     this machine is changed): a fresh install creates the system user and /var/lib/weiquan 0700 and
#     does not start the service; an upgrade restarts a running server and leaves a stopped one
#     stopped; removal stops it; purge keeps the data and drops the enablement link.
# Needs dpkg-deb, systemd-analyze (package systemd) and python3; fails loudly without them.
set -euo pipefail
deb=$(realpath "${1:?usage: tests/deploy/package.sh PATH.deb}")
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
for tool in dpkg-deb systemd-analyze python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run scripts/install-deps)"
done
[ -f "$deb" ] || fail "$deb not found"

tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- control
info=$(dpkg-deb -I "$deb")
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = weiquan-hotline ] || fail "package name is $(field Package)"
depends=$(field Depends)
for dep in adduser libc6 libsqlite3-0 libsodium23 libsystemd0 libxlsxwriter4 libboost-url1.81.0; do
  grep -qE "(^|, )$dep( |,|$)" <<< "$depends" || fail "Depends lacks $dep: $depends"
done
ok "control: weiquan-hotline $(field Version), Depends: $depends"
mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
grep -qx /etc/weiquan/hotline.json "$tmp/control/conffiles" || fail "conffiles lacks /etc/weiquan/hotline.json"
grep -qx /etc/nginx/sites-available/weiquan-hotline "$tmp/control/conffiles" || fail "conffiles lacks the nginx site"
ok "conffiles: $(tr '\n' ' ' < "$tmp/control/conffiles")"
for s in postinst prerm postrm; do
  [ -x "$tmp/control/$s" ] || fail "maintainer script $s missing or not executable"
  grep -q "$s" <<< "$info" || fail "dpkg-deb -I does not list $s"
done

# ---- contents
listing=$(dpkg-deb -c "$deb")
expect_entry() {  # MODE OWNER PATH as dpkg-deb -c prints them
  grep -qE "^$1 $2 +[0-9]+ [0-9-]+ [0-9:]+ \./${3#/}\$" <<< "$listing" || fail "no $3 with mode $1 owner $2 in:
$listing"
}
expect_entry -rwxr-xr-x root/root /usr/bin/hotline
expect_entry -rw-r--r-- root/root /lib/systemd/system/weiquan-hotline.service
expect_entry -rw-r--r-- root/root /etc/weiquan/hotline.json
expect_entry -rw-r--r-- root/root /etc/nginx/sites-available/weiquan-hotline
if grep -E '\./(var|home|tmp)/' <<< "$listing"; then fail "the package must not ship files under /var, /home or /tmp"; fi
ok "contents: binary, unit, configuration and nginx site with their modes"

root=$tmp/root
dpkg -x "$deb" "$root"
bin=$root/usr/bin/hotline
[ -x "$bin" ] || fail "extracted $bin is not executable"
"$bin" --help > /dev/null || fail "hotline --help fails"
out=$("$bin" serve --clock-file "$tmp/clock" --db "$tmp/x.db" 2>&1) && fail "the packaged binary accepted --clock-file"
grep -q "test builds only" <<< "$out" || fail "unexpected answer to --clock-file: $out"
ok "the packaged hotline runs and is a production build (refuses --clock-file)"

# ---- the unit
unit=$root/lib/systemd/system/weiquan-hotline.service
for line in Type=notify NotifyAccess=main User=weiquan Group=weiquan \
            "ExecStart=/usr/bin/hotline serve --config /etc/weiquan/hotline.json" \
            'ExecReload=/bin/kill -HUP $MAINPID' Restart=on-failure \
            StandardOutput=journal StandardError=journal \
            NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
            ReadWritePaths=/var/lib/weiquan UMask=0077 CapabilityBoundingSet= AmbientCapabilities= \
            StateDirectory=weiquan StateDirectoryMode=0700 WantedBy=multi-user.target; do
  grep -qxF -- "$line" "$unit" || fail "the unit lacks the line: $line"
done
ok "the unit has Type=notify, Restart=on-failure, the journal and every required hardening directive"
mkdir "$tmp/unit"
sed "s|^ExecStart=/usr/bin/hotline |ExecStart=$bin |" "$unit" > "$tmp/unit/weiquan-hotline.service"
[ "$(diff "$unit" "$tmp/unit/weiquan-hotline.service" | grep -c '^>')" = 1 ] || fail "ExecStart substitution"
verify=$(systemd-analyze verify "$tmp/unit/weiquan-hotline.service" 2>&1) || fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify warns: $verify"
ok "systemd-analyze verify: clean"
security=$(systemd-analyze security --offline=yes "$tmp/unit/weiquan-hotline.service" 2>&1 | tail -1)
exposure=$(sed -n 's/.*Overall exposure level for weiquan-hotline.service: \([0-9.]*\).*/\1/p' <<< "$security")
[ -n "$exposure" ] || fail "systemd-analyze security gave no exposure level: $security"
python3 -c "import sys; sys.exit(0 if float('$exposure') < 2.0 else 1)" || fail "exposure $exposure (want < 2.0): $security"
ok "systemd-analyze security --offline: exposure $exposure"

# ---- the shipped configuration, served by the extracted binary
config=$root/etc/weiquan/hotline.json
python3 - "$config" <<'PY' || fail "the shipped hotline.json is not what the package promises"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["db"] == "/var/lib/weiquan/hotline.db", c
assert c["keys"] == "/var/lib/weiquan/hotline.db.keys", c
assert c["listen"] == "127.0.0.1:8080", c
assert c["secure_cookies"] is True, c
assert "127.0.0.1" in c["trusted_proxies"], c
PY
ok "hotline.json: database and keys in /var/lib/weiquan, 127.0.0.1:8080, Secure cookies, nginx trusted"
mkdir -m 0700 "$tmp/data"
sed -e "s|/var/lib/weiquan|$tmp/data|g" -e 's|"127.0.0.1:8080"|"127.0.0.1:0"|' "$config" > "$tmp/hotline.json"
python3 - "$bin" "$tmp" <<'PY' || fail "the packaged server did not start, notify and stop as systemd expects"
import os, socket, subprocess, sys
bin, tmp = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(os.path.join(tmp, "notify"))
sock.settimeout(60)
os.umask(0o022)  # the server must not depend on the caller's umask
env = dict(os.environ, NOTIFY_SOCKET=os.path.join(tmp, "notify"))
p = subprocess.Popen([bin, "serve", "--config", os.path.join(tmp, "hotline.json")], env=env,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
try:
    first = p.stdout.readline().decode()
    assert first.startswith("listening on http://127.0.0.1:"), first
    msg = sock.recv(4096).decode()
    assert "READY=1" in msg.split("\n"), msg
    p.terminate()
    msg = sock.recv(4096).decode()
    assert "STOPPING=1" in msg.split("\n"), msg
    assert p.wait(60) == 0, p.stderr.read().decode()
    for name in ["hotline.db", "hotline.db.keys", "hotline.db.keys.anchor"]:
        mode = os.stat(os.path.join(tmp, "data", name)).st_mode & 0o777
        assert mode == 0o600, f"{name} is {mode:o}"
    print("ok: the packaged hotline serves from the shipped configuration: READY=1, STOPPING=1, exit 0, files 0600")
finally:
    if p.poll() is None:
        p.kill()
PY

# ---- the maintainer scripts with stubbed commands (a fake root: nothing here is changed)
stubs=$tmp/stubs
mkdir -p "$stubs" "$tmp/fake/run/systemd/system"
cat > "$stubs/stub" <<'STUB'
#!/bin/sh
name=$(basename "$0")
echo "$name $*" >> "$STUB_LOG"
case "$name $1" in
  "getent passwd") exit "${STUB_USER_EXISTS:-2}" ;;
  "systemctl --quiet") [ "$2" = is-active ] && exit "${STUB_ACTIVE:-3}" ;;
esac
exit 0
STUB
chmod +x "$stubs/stub"
for c in adduser getent install systemctl deb-systemd-invoke deb-systemd-helper rm chown chmod useradd; do
  ln -s stub "$stubs/$c"
done
# The one substitution: whether systemd runs is asked of the fake root.
for s in postinst prerm postrm; do
  sed "s|/run/systemd/system|$tmp/fake/run/systemd/system|g" "$tmp/control/$s" > "$tmp/$s"
done
run_script() {  # LOG SCRIPT ARGS… with the stubs first on PATH
  local log=$1; shift
  : > "$log"
  env PATH="$stubs:$PATH" STUB_LOG="$log" sh -e "$tmp/$@" > /dev/null 2>&1 || fail "$* failed: $(cat "$log")"
}
has() { grep -qxF -- "$2" "$1" || fail "$3: expected \"$2\" among the commands run:
$(cat "$1")"; }
hasnt() { if grep -q -- "$2" "$1"; then fail "$3: did not expect \"$2\" among:
$(cat "$1")"; fi; }

log=$tmp/fresh.log
STUB_USER_EXISTS=2 run_script "$log" postinst configure ''
has "$log" "adduser --system --group --home /var/lib/weiquan --no-create-home --gecos Weiquan hotline server weiquan" "fresh install"
has "$log" "install -d -m 0700 -o weiquan -g weiquan /var/lib/weiquan" "fresh install"
has "$log" "systemctl --system daemon-reload" "fresh install"
hasnt "$log" "deb-systemd-invoke" "fresh install (the service is started by the administrator)"
ok "postinst configure (fresh): adds the system user weiquan, /var/lib/weiquan 0700 weiquan:weiquan, does not start"

log=$tmp/upgrade-running.log
STUB_USER_EXISTS=0 STUB_ACTIVE=0 run_script "$log" postinst configure 0.1.0+git1.0000000
hasnt "$log" "adduser" "upgrade (the user exists)"
has "$log" "install -d -m 0700 -o weiquan -g weiquan /var/lib/weiquan" "upgrade"
has "$log" "deb-systemd-invoke restart weiquan-hotline.service" "upgrade of a running server"
log=$tmp/upgrade-stopped.log
STUB_USER_EXISTS=0 STUB_ACTIVE=3 run_script "$log" postinst configure 0.1.0+git1.0000000
hasnt "$log" "deb-systemd-invoke" "upgrade of a stopped server"
ok "postinst configure (upgrade): restarts a running server (it drains), leaves a stopped one stopped"

log=$tmp/prerm.log
run_script "$log" prerm remove
has "$log" "deb-systemd-invoke stop weiquan-hotline.service" "prerm remove"
run_script "$log" prerm upgrade 0.1.0+git2.0000000
hasnt "$log" "deb-systemd-invoke" "prerm upgrade (the new postinst restarts)"
ok "prerm: stops the server on removal, not on upgrade"

log=$tmp/purge.log
run_script "$log" postrm purge
has "$log" "rm -f /etc/systemd/system/multi-user.target.wants/weiquan-hotline.service" "postrm purge"
hasnt "$log" "/var/lib/weiquan" "postrm purge (the data are kept)"
hasnt "$log" "deluser" "postrm purge (the user is kept)"
ok "postrm purge: drops the enablement link, keeps /var/lib/weiquan and the user"
echo "PASS: tests/deploy/package.sh $(basename "$deb")"

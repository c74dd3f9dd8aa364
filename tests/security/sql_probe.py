#!/usr/bin/env python3
"""Fast SQL-injection probe for CI (python3 standard library only; sqlmap.sh is the thorough, manual one).

Usage: tests/security/sql_probe.py BUILD_DIR

Starts BUILD_DIR/hotline on a seeded temp database on loopback, logs in as operator and supervisor,
and puts classic injection payloads into every query parameter, {id} path segment, JSON body field
(nested ones too) of the main endpoints, the session cookie and the login form. For each request:
  - no 5xx, and no answer that is slow because of its payload: a request answered after more than 3 s
    is sent twice more, and fails only when all three took more than 3 s (a SLEEP / heavy-query
    payload that ran is slow every time; a loaded machine's pause is not, three times in a row, for
    requests whose p50 is under 1 ms and max about 150 ms here); one not answered within 30 s fails
    at once (a hang). The latency is printed as a measurement;
  - a list answers at most as many rows as with a benign value or a junk value without SQL syntax
    (no `OR 1=1` bypass);
  - login with an injected user name or password is refused (401/429), and an injected session
    cookie or path id gives 401/404, never data.
Afterwards the database must still hold its tables and rows and pass PRAGMA integrity_check.
Exits 1 naming each failed request.
"""
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

PAYLOADS = [
    "' OR 1=1--", "' OR '1'='1", '" OR "1"="1', "') OR ('1'='1", "1 OR 1=1", "1' AND SLEEP(5)--",
    "1 AND SLEEP(5)", "1' AND 1=randomblob(500000000)--", "'; DROP TABLE cases;--", "1; DELETE FROM users",
    "' UNION SELECT username,password_hash,NULL,NULL,NULL FROM users--", "1 UNION ALL SELECT NULL--",
    "'", '"', ";", "%27", "\\", "`", "' /*", "*/", "admin'--", "1e309", "-1", "0x27", "%", "_",
    "' || (SELECT sqlite_version()) || '", "1' ORDER BY 99--", "家暴' OR 1=1--",
]
# A request slower than TIME_LIMIT is a suspect, repeated CONFIRMATIONS more times; it fails only when
# every attempt was slower (see the docstring). HANG_LIMIT: no answer by then fails at once.
TIME_LIMIT = 3.0
CONFIRMATIONS = 2
HANG_LIMIT = 30.0


class Server:
    def __init__(self, build):
        self.dir = tempfile.mkdtemp(prefix="sql_probe.")
        self.db = os.path.join(self.dir, "p.db")
        hotline = os.path.join(build, "hotline")
        subprocess.run([hotline, "seed-demo", "--db", self.db, "--cases", "60"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.out = open(os.path.join(self.dir, "out"), "w+")
        self.proc = subprocess.Popen([hotline, "serve", "--db", self.db, "--listen", "127.0.0.1:0"],
                                     stdout=self.out, stderr=subprocess.DEVNULL)
        for _ in range(300):  # up to 30 s: migrations on a loaded machine
            self.out.seek(0)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.out.read())
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(20)


class Client:
    def __init__(self, port):
        self.port = port
        self.cookie = ""
        self.csrf = ""

    def send(self, method, path, body=None, cookie=None, csrf=None):
        """(status, parsed JSON body, seconds, Set-Cookie); status 0 when no answer came within HANG_LIMIT."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HANG_LIMIT)
        headers = {"Host": "127.0.0.1"}
        c = self.cookie if cookie is None else cookie
        if c:
            headers["Cookie"] = c
        if method not in ("GET", "HEAD"):
            headers["X-CSRF-Token"] = self.csrf if csrf is None else csrf
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        t0 = time.monotonic()
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            raw = r.read()
        except TimeoutError:
            conn.close()
            return 0, None, time.monotonic() - t0, ""
        elapsed = time.monotonic() - t0
        set_cookie = r.getheader("Set-Cookie") or ""
        conn.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return r.status, parsed, elapsed, set_cookie

    def login(self, user, password):
        status, body, _, set_cookie = self.send("POST", "/api/v1/session", {"username": user, "password": password},
                                                cookie="", csrf="")
        if status != 200:
            raise RuntimeError(f"login {user}: {status}")
        self.cookie = set_cookie.split(";")[0]
        self.csrf = body["csrf_token"]
        return body


def rows(body):
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        return len(body["items"])
    return None


def string_paths(value, prefix=()):
    """Paths to every leaf of a JSON object (strings, numbers, booleans), nested ones included."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from string_paths(v, prefix + (k,))
    elif not isinstance(value, list):
        yield prefix


def replaced(value, path, new):
    if not path:
        return new
    out = dict(value)
    out[path[0]] = replaced(value[path[0]], path[1:], new)
    return out


class Probe:
    def __init__(self):
        self.failures = []
        self.requests = 0
        self.slow_once = []  # slower than TIME_LIMIT once, but not on every repetition: load, not a payload
        self.latencies = []  # seconds of each first attempt, for the printed measurement

    def slow_every_time(self, what, elapsed, resend):
        """True when the request and CONFIRMATIONS repetitions of it (resend() → seconds) all took
        longer than TIME_LIMIT."""
        times = [elapsed]
        for _ in range(CONFIRMATIONS):
            times.append(resend())
            if times[-1] <= TIME_LIMIT:
                self.slow_once.append(f"{what}: " + ", ".join(f"{t:.1f}" for t in times) + " s")
                return False
        self.failures.append(f"{what}: answered after " + ", ".join(f"{t:.1f}" for t in times) +
                             f" s, over {TIME_LIMIT:.0f} s every time (a delay payload ran?)")
        return True

    def check(self, what, status, body, elapsed, benign_rows=None, allowed=None, resend=None):
        """resend: sends the same request again and returns its seconds (for a slow answer)."""
        self.requests += 1
        self.latencies.append(elapsed)
        if status == 0:
            self.failures.append(f"{what}: no answer within {HANG_LIMIT:.0f} s (the server hangs)")
            return
        if status >= 500:
            self.failures.append(f"{what}: {status} {json.dumps(body, ensure_ascii=False)[:200]}")
            return
        if elapsed > TIME_LIMIT:
            if resend is None:
                self.failures.append(f"{what}: answered after {elapsed:.1f} s (a delay payload ran?)")
                return
            if self.slow_every_time(what, elapsed, resend):
                return
        if allowed is not None and status not in allowed:
            self.failures.append(f"{what}: {status}, expected one of {sorted(allowed)}")
        elif benign_rows is not None and status == 200 and (rows(body) or 0) > benign_rows:
            self.failures.append(f"{what}: {rows(body)} rows, more than the {benign_rows} of a benign value")

    def query(self, client, name, path, params):
        base = client.send("GET", path + "?" + urllib.parse.urlencode(params))
        if base[0] != 200:
            self.failures.append(f"{name}: the benign request got {base[0]} {base[1]}")
            return
        for key in params:
            # The reference: the benign value, or a junk value without SQL syntax (a filter that
            # ignores an unknown value answers more rows, e.g. overdue=zzqx is "not only overdue").
            junk = client.send("GET", path + "?" + urllib.parse.urlencode(dict(params, **{key: "zzqx"})))
            benign_rows = max(rows(base[1]) or 0, (rows(junk[1]) or 0) if junk[0] == 200 else 0)
            for p in PAYLOADS:
                q = dict(params)
                q[key] = p
                target = path + "?" + urllib.parse.urlencode(q)
                status, body, elapsed, _ = client.send("GET", target)
                self.check(f"GET {path} {key}={p!r}", status, body, elapsed, benign_rows,
                           resend=lambda: client.send("GET", target)[2])

    def path_id(self, client, template):
        for p in PAYLOADS + ["1 OR 1=1", "1'--"]:
            path = template.replace("{id}", urllib.parse.quote(p, safe=""))
            status, body, elapsed, _ = client.send("GET", path)
            self.check(f"GET {template} id={p!r}", status, body, elapsed, allowed={400, 404},
                       resend=lambda: client.send("GET", path)[2])

    def json_body(self, client, method, path, body, allowed=None):
        for field in list(string_paths(body)):
            for p in PAYLOADS:
                sent = replaced(body, field, p)
                status, answer, elapsed, _ = client.send(method, path, sent)
                self.check(f"{method} {path} {'.'.join(field)}={p!r}", status, answer, elapsed, allowed=allowed,
                           resend=lambda: client.send(method, path, sent)[2])


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    server = Server(os.path.abspath(argv[1]))
    probe = Probe()
    try:
        op, sup = Client(server.port), Client(server.port)
        me = op.login("operator", "yongxing-demo-2026")
        sup_me = sup.login("supervisor", "chenzhou-demo-2026")
        office, sup_office = str(me["user"]["office_id"]), str(sup_me["user"]["office_id"])
        t0 = time.monotonic()

        probe.query(op, "cases", "/api/v1/cases", {
            "status": "registered", "category": "marriage_family.domestic_violence", "office_id": office,
            "risk_level": "none", "channel": "hotline", "received_from": "2020-01-01", "received_to": "2030-12-31",
            "q": "家暴", "sort": "received_desc", "limit": "50"})
        probe.query(op, "cases (assignee, overdue, cursor)", "/api/v1/cases",
                    {"assignee_id": str(me["user"]["id"]), "overdue": "true", "cursor": "", "limit": "50"})
        probe.query(op, "callers", "/api/v1/callers/lookup", {"phone": "13800138000"})
        probe.query(op, "referrals", "/api/v1/referrals", {"status": "sent", "partner_id": "1", "case_id": "1"})
        probe.query(op, "partners", "/api/v1/partners", {"type": "police"})
        probe.query(op, "offices", "/api/v1/offices", {"scope": "own"})
        probe.query(op, "follow-ups", "/api/v1/follow-ups", {"state": "due", "office_id": office, "limit": "5"})
        probe.query(op, "dv repeat", "/api/v1/dv/repeat-check", {"phone": "13800138000", "id_number": "11010519491231002X"})
        probe.query(op, "dv expiring", "/api/v1/dv/expiring", {"days": "14"})
        probe.query(sup, "aging", "/api/v1/dashboard/aging", {"office_id": sup_office, "group_by": "status"})
        probe.query(sup, "workload", "/api/v1/dashboard/workload", {"office_id": sup_office})
        probe.query(sup, "report", "/api/v1/reports", {"period": "2026-10", "office_id": sup_office, "scope": "subtree"})
        for t in ("/api/v1/cases/{id}", "/api/v1/cases/{id}/timeline", "/api/v1/cases/{id}/dv"):
            probe.path_id(op, t)

        intake = {"channel": "hotline", "call_type": "help_request", "duration_s": 300,
                  "complainant": {"name": "李丽娟", "phone": "13800138000", "gender": "female",
                                  "id_number": "11010519491231002X", "region_code": "431023",
                                  "safe_contact": {"safe_times": "上午", "note": "勿留言"}},
                  "respondent": {"name": "张某", "relationship": "丈夫"},
                  "category": "marriage_family.domestic_violence", "summary": "丈夫长期家暴", "narrative": "要求离婚",
                  "urgency": "normal", "resolution": "open_case"}
        probe.json_body(op, "POST", "/api/v1/intakes", intake)
        probe.json_body(op, "POST", "/api/v1/cases/1/notes", {"text": "回访记录"})
        probe.json_body(op, "PATCH", "/api/v1/cases/1", {"version": 1, "summary": "更新摘要",
                                                         "category": "marriage_family.divorce", "urgency": "urgent"})
        probe.json_body(op, "POST", "/api/v1/cases/1/transitions", {"event": "accept", "version": 1, "note": "受理"})

        # Login: an injected user name or password never logs in.
        anon = Client(server.port)
        for p in PAYLOADS:
            for body in ({"username": p, "password": "x"}, {"username": "admin" + p, "password": p},
                         {"username": "operator", "password": p}):
                status, answer, elapsed, _ = anon.send("POST", "/api/v1/session", body, cookie="", csrf="")
                probe.check(f"POST /api/v1/session {body}", status, answer, elapsed, allowed={400, 401, 422, 429},
                            resend=lambda: anon.send("POST", "/api/v1/session", body, cookie="", csrf="")[2])
        # The session cookie: an injected token is no session.
        for p in PAYLOADS:
            cookie = "hl_session=" + urllib.parse.quote(p, safe="")
            status, answer, elapsed, _ = anon.send("GET", "/api/v1/cases", cookie=cookie)
            probe.check(f"GET /api/v1/cases cookie hl_session={p!r}", status, answer, elapsed, allowed={400, 401},
                        resend=lambda: anon.send("GET", "/api/v1/cases", cookie=cookie)[2])
        seconds = time.monotonic() - t0
    finally:
        server.stop()

    db = sqlite3.connect(server.db)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("cases", "users", "offices", "contacts")}
    db.close()
    if integrity != "ok":
        probe.failures.append(f"integrity_check: {integrity}")
    if counts["cases"] < 60 or counts["users"] < 5 or counts["offices"] < 3:
        probe.failures.append(f"rows are missing afterwards: {counts}")
    print(f"sql probe: {probe.requests} requests, {len(PAYLOADS)} payloads per parameter, {seconds:.1f} s; "
          f"integrity_check {integrity}; rows {counts}")
    lat = sorted(probe.latencies) or [0.0]
    print(f"sql probe latency (a measurement): p50 {lat[len(lat) // 2] * 1000:.1f} ms, "
          f"p99 {lat[min(len(lat) - 1, len(lat) * 99 // 100)] * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms; "
          f"a failure needs over {TIME_LIMIT:.0f} s on {CONFIRMATIONS + 1} attempts in a row")
    if probe.slow_once:
        print(f"note: {len(probe.slow_once)} answers took over {TIME_LIMIT:.0f} s once but not when repeated "
              f"(machine load, not a payload): " + "; ".join(probe.slow_once[:5]))
    if probe.failures:
        for f in probe.failures[:50]:
            print("FAIL", f)
        print(f"FAIL: {len(probe.failures)} suspicious answers")
        return 1
    print("sql probe: no 5xx, no payload-made delay, no row-count bypass, no login bypass: nothing looks injectable")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Raw-socket hostile clients for tests/security/hostile_http.sh (python3 standard library only).

  hostile_http.py healthz PORT                  exit 0 when GET /healthz on a new connection is 200 within 5 s
  hostile_http.py probe PORT SECONDS            a new connection per GET /healthz every 50 ms; prints
                                                "probe: N requests, F failed, p99 X ms, max Y ms"
  hostile_http.py attack PORT CASE SECONDS [--pid PID]
                                                repeats CASE until SECONDS have passed (at least once),
                                                checking the server's answer each time; exit 1 on a wrong one

CASEs (what the server must do):
  oversize-header    one 20 KiB header field                         → 431, or the connection closed
  many-headers       1,200 small fields, 24 KiB in all               → 431, or closed
  oversize-target    a 20 KiB request target                         → 431 (or 414/400), or closed
  oversize-body      POST /api/v1/intakes, Content-Length 2 MiB      → 413 with the JSON error envelope
  oversize-chunked   POST /api/v1/intakes, 1.25 MiB in 64 KiB chunks → 413 envelope, or closed
  expect-continue    Content-Length 2 MiB + Expect: 100-continue     → 413 envelope, never 100 Continue
  endless-chunk-ext  a chunk-size line "3;xxxx…" that never ends (up to 64 MiB)
                                                                    → 400 or closed, RSS grows < 32 MiB (--pid)
  bad-chunked        malformed chunked bodies (bad hex, size overflow, missing CRLF, negative size,
                     huge extension, Content-Length with chunked)    → a 4xx, or closed, or still waiting for a
                                                                      valid chunk (bounded by the request deadline);
                                                                      never 2xx/5xx, never a smuggled second request
  te-not-chunked     Transfer-Encoding identity, gzip, "chunked, identity" … (last coding not chunked) with a
                     second request as the body                    → one 400, then the connection closed: the
                                                                      body never runs as a request (smuggling)
  pipeline-flood     2,000 GET /healthz in one write on one connection, read back
                                                                    → 2,000 responses 200, in order
  pipeline-noread    pipelined requests without reading the answers, until the server stops reading
                     (TCP back-pressure), for up to 3 s              → the server's RSS grows < 64 MiB (--pid)
Every case: no 5xx, and the server keeps answering (checked by the caller between phases).
"""
import json
import re
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def connect(port, timeout=5.0):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_all(s, limit=1 << 20, timeout=5.0):
    """Reads until the peer closes, `limit` bytes, or `timeout` of silence."""
    s.settimeout(timeout)
    data = b""
    try:
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def read_response(s, timeout=5.0):
    """One HTTP response: (status, headers dict lower-case, body) or None when the connection closed
    (or was reset) before a status line arrived."""
    s.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return None
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    try:
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return status, headers, rest[:length]


def response_statuses(data):
    """The status of every response in `data`. A response follows the previous body directly, so a
    status line need not start a line of the split text ('…}HTTP/1.1 200 OK')."""
    return [int(m.group(1)) for m in re.finditer(rb"HTTP/1\.[01] (\d{3}) ", data)]


def send_quietly(s, data):
    """Sends what the server takes; it may answer and close before reading everything."""
    try:
        s.sendall(data)
        return True
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        return False


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def is_envelope(body, code=None):
    try:
        e = json.loads(body)["error"]
        return isinstance(e["message"], str) and (code is None or e["code"] == code)
    except (ValueError, KeyError, TypeError):
        return False


def request_head(method, target, extra=b"", length=None):
    h = f"{method} {target} HTTP/1.1\r\nHost: {HOST}\r\n".encode()
    if method == "POST":
        # JSON, or the server refuses the body (415) before reading it and the framing goes untested.
        h += b"Content-Type: application/json\r\n"
    if length is not None:
        h += f"Content-Length: {length}\r\n".encode()
    return h + extra


# ---- cases: each returns a short description of what happened ----

def oversize_header(port):
    s = connect(port)
    send_quietly(s, request_head("GET", "/healthz") + b"X-Big: " + b"a" * 20480 + b"\r\n\r\n")
    r = read_response(s)
    s.close()
    expect(r is None or r[0] == 431, f"20 KiB header field: {r and r[0]} instead of 431 or close")
    return "closed" if r is None else str(r[0])


def many_headers(port):
    s = connect(port)
    fields = b"".join(b"X-H%04d: %s\r\n" % (i, b"v" * 10) for i in range(1200))
    send_quietly(s, request_head("GET", "/healthz") + fields + b"\r\n")
    r = read_response(s)
    s.close()
    expect(r is None or r[0] == 431, f"1,200 header fields: {r and r[0]} instead of 431 or close")
    return "closed" if r is None else str(r[0])


def oversize_target(port):
    s = connect(port)
    send_quietly(s, request_head("GET", "/api/v1/cases?q=" + "a" * 20480) + b"\r\n")
    r = read_response(s)
    s.close()
    expect(r is None or r[0] in (431, 414, 400), f"20 KiB target: {r and r[0]} instead of 431 or close")
    return "closed" if r is None else str(r[0])


def oversize_body(port):
    s = connect(port)
    send_quietly(s, request_head("POST", "/api/v1/intakes", length=2 << 20) + b"\r\n" + b"{" * 65536)
    r = read_response(s)
    s.close()
    expect(r is not None, "2 MiB Content-Length: connection closed without a 413")
    expect(r[0] == 413 and is_envelope(r[2], "payload_too_large"),
           f"2 MiB Content-Length: {r[0]} {r[2][:200]!r} instead of the 413 envelope")
    return "413"


def oversize_chunked(port):
    s = connect(port)
    send_quietly(s, request_head("POST", "/api/v1/intakes", b"Transfer-Encoding: chunked\r\n\r\n"))
    chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
    for _ in range(20):  # 1.25 MiB
        if not send_quietly(s, chunk):
            break
    send_quietly(s, b"0\r\n\r\n")
    r = read_response(s)
    s.close()
    expect(r is None or (r[0] == 413 and is_envelope(r[2])),
           f"1.25 MiB chunked body: {r and r[0]} instead of the 413 envelope or close")
    return "closed" if r is None else str(r[0])


def expect_continue(port):
    s = connect(port)
    send_quietly(s, request_head("POST", "/api/v1/intakes", b"Expect: 100-continue\r\n", length=2 << 20) + b"\r\n")
    r = read_response(s)
    s.close()
    expect(r is not None and r[0] == 413 and is_envelope(r[2]),
           f"2 MiB with Expect: 100-continue: {r and r[0]} instead of the 413 envelope")
    return "413"


BAD_CHUNKED = {
    "bad hex": b"ZZ\r\nabc\r\n0\r\n\r\n",
    "size overflow": b"FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n",
    "missing CRLF after data": b"3\r\nabcdef\r\n0\r\n\r\n",
    "negative size": b"-1\r\nabc\r\n0\r\n\r\n",
    "huge extension": b"3;" + b"x" * 20000 + b"\r\nabc\r\n0\r\n\r\n",
    "bare LF": b"3\nabc\n0\n\n",
    "truncated then close": b"10\r\nabc",
}


def bad_chunked(port):
    seen = []
    for name, body in BAD_CHUNKED.items():
        s = connect(port)
        send_quietly(s, request_head("POST", "/api/v1/intakes", b"Transfer-Encoding: chunked\r\n\r\n") + body)
        if name == "truncated then close":
            s.shutdown(socket.SHUT_WR)
        try:
            r = read_response(s, timeout=2.0)
        except socket.timeout:
            # Still waiting for a well-formed chunk: bounded by the request deadline (slowloris).
            s.close()
            seen.append("waits")
            continue
        s.close()
        expect(r is None or 400 <= r[0] < 500, f"malformed chunked body ({name}): {r and r[0]} instead of a 4xx or close")
        seen.append("closed" if r is None else str(r[0]))
    # Content-Length and chunked together (request smuggling): one request at most, never two.
    s = connect(port)
    smuggle = (b"POST /api/v1/intakes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n"
               b"0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    send_quietly(s, smuggle)
    data = recv_all(s, timeout=2.0)
    s.close()
    statuses = response_statuses(data)
    expect(all(st < 500 for st in statuses), f"Content-Length + chunked: statuses {statuses}")
    expect(200 not in statuses[:1], f"Content-Length + chunked: the smuggled request was answered first {statuses}")
    seen.append("CL+TE:" + "/".join(map(str, statuses)) if statuses else "CL+TE:closed")
    return " ".join(seen)


def te_not_chunked(port):
    """Transfer-Encoding whose last coding is not chunked, without Content-Length (issue #16): such a
    request has no length the server can know; read as a body-less request, its body would run as a
    second, smuggled request. One 400 and a close; never the smuggled request's 200."""
    seen = []
    for te in (b"identity", b"gzip", b"chunked, identity", b"gzip, chunked, identity"):
        s = connect(port)
        send_quietly(s, b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Transfer-Encoding: " + te + b"\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        data = recv_all(s, timeout=2.0)
        s.close()
        statuses = response_statuses(data)
        expect(statuses == [400], f"Transfer-Encoding: {te.decode()}: statuses {statuses} instead of one 400 and a close")
        seen.append(f"{te.decode()}:400")
    return " ".join(seen)


def endless_chunk_ext(port, pid=None):
    """A chunk-size line that never ends ("3;xxxx…"): the server must stop buffering it."""
    before = rss_kib(pid) if pid else 0
    s = connect(port)
    send_quietly(s, request_head("POST", "/api/v1/intakes", b"Transfer-Encoding: chunked\r\n\r\n") + b"3;")
    s.settimeout(2.0)
    sent, piece = 0, b"x" * 65536
    try:
        while sent < (64 << 20):
            s.sendall(piece)
            sent += len(piece)
    except (socket.timeout, BrokenPipeError, ConnectionResetError):
        pass
    grown = (rss_kib(pid) - before) // 1024 if pid else 0
    try:
        r = read_response(s, timeout=3.0)
    except socket.timeout:
        r = "timeout"
    s.close()
    expect(r != "timeout", f"endless chunk extension: no answer after {sent >> 20} MiB, the server still reads")
    expect(r is None or r[0] == 400, f"endless chunk extension: {r and r[0]} instead of 400 or close")
    expect(grown < 32, f"endless chunk extension: server RSS grew {grown} MiB")
    return f"{'closed' if r is None else r[0]} after {sent >> 20} MiB sent, RSS +{grown} MiB"


def pipeline_flood(port, n=2000):
    s = connect(port, timeout=10.0)
    burst = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") * n
    got = []

    def reader():
        buf = b""
        s.settimeout(10.0)
        try:
            while len(got) < n:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
                while True:
                    end = buf.find(b"\r\n\r\n")
                    if end < 0:
                        break
                    head = buf[:end].decode("latin-1")
                    length = 0
                    for line in head.split("\r\n")[1:]:
                        k, _, v = line.partition(":")
                        if k.strip().lower() == "content-length":
                            length = int(v)
                    if len(buf) < end + 4 + length:
                        break
                    got.append(int(head.split(" ")[1]))
                    buf = buf[end + 4 + length:]
        except (socket.timeout, ConnectionResetError):
            pass

    t = threading.Thread(target=reader)
    t.start()
    send_quietly(s, burst)
    t.join(30)
    s.close()
    expect(len(got) == n and all(st == 200 for st in got),
           f"{n} pipelined GET /healthz: {len(got)} answers, statuses {sorted(set(got))}")
    return f"{n}x200"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pipeline_noread(port, pid=None):
    before = rss_kib(pid) if pid else 0
    s = connect(port)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(0.5)
    one = b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" * 64
    sent, deadline = 0, time.monotonic() + 3.0
    while time.monotonic() < deadline:
        try:
            sent += s.send(one)
        except socket.timeout:
            break  # the server stopped reading: back-pressure works
        except (BrokenPipeError, ConnectionResetError):
            break
    grown = (rss_kib(pid) - before) // 1024 if pid else 0
    s.close()
    expect(grown < 64, f"server RSS grew {grown} MiB while a client pipelined {sent} bytes without reading")
    return f"sent {sent // 1024} KiB, RSS +{grown} MiB"


CASES = {
    "oversize-header": oversize_header,
    "many-headers": many_headers,
    "oversize-target": oversize_target,
    "oversize-body": oversize_body,
    "oversize-chunked": oversize_chunked,
    "expect-continue": expect_continue,
    "bad-chunked": bad_chunked,
    "te-not-chunked": te_not_chunked,
    "endless-chunk-ext": endless_chunk_ext,
    "pipeline-flood": pipeline_flood,
    "pipeline-noread": pipeline_noread,
}


def healthz(port):
    try:
        s = connect(port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        r = read_response(s)
        s.close()
        return r is not None and r[0] == 200
    except OSError:
        return False


def probe(port, seconds):
    lat, failed = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        if healthz(port):
            lat.append((time.monotonic() - t0) * 1000)
        else:
            failed += 1
        time.sleep(0.05)
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
    mx = lat[-1] if lat else float("nan")
    print(f"probe: {len(lat) + failed} requests, {failed} failed, p99 {p99:.1f} ms, max {mx:.1f} ms")
    return failed == 0


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd, port = argv[1], int(argv[2])
    if cmd == "healthz":
        return 0 if healthz(port) else 1
    if cmd == "probe":
        return 0 if probe(port, float(argv[3])) else 1
    if cmd == "attack":
        case, seconds = argv[3], float(argv[4])
        pid = int(argv[argv.index("--pid") + 1]) if "--pid" in argv else None
        fn = CASES[case]
        end = time.monotonic() + seconds
        runs, last = 0, ""
        try:
            while True:
                last = fn(port, pid) if case in ("pipeline-noread", "endless-chunk-ext") else fn(port)
                runs += 1
                if time.monotonic() >= end:
                    break
        except Failure as e:
            print(f"FAIL {case}: {e}")
            return 1
        except OSError as e:
            print(f"FAIL {case}: {type(e).__name__}: {e}")
            return 1
        print(f"{case}: {runs} runs, last: {last}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

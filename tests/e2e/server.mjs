// Starts a real `hotline` server on a fresh demo database for one test file, on the test clock.
//
//   HOTLINE_BIN       the binary (default build/test/hotline, relative to the repository root); it
//                     must be a test build (HOTLINE_TEST_CLOCK, the default for build/test)
//   HOTLINE_TEST_NOW  optional ISO 8601 instant at which this test file starts, e.g.
//                     2026-12-31T23:59:50+08:00: the server (seeding included) and the browsers then
//                     run from there in real time, across midnight and New Year ten seconds in
//   E2E_STATIC_DIR    optional, for front-end work only: serve web/static from this folder (with the
//                     same CSP as the binary) in front of the server, so UI edits need no rebuild.
//                     The tests proper run without it, against the assets embedded in the binary.
//
// The clock: `hotline … --clock-file DIR/clock` (core/file_clock.hpp). The file holds an instant and
// the clock runs on from the file's modification time, so this process knows the server's "now" to
// the millisecond (srv.now()). srv.setClock / advanceClock / freezeClock rewrite the file and resolve
// once the server has printed that the change is in force.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { once, EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, request as httpRequest } from 'node:http';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEMO = {
  operator: { username: 'operator', password: 'yongxing-demo-2026' },
  operator2: { username: 'operator2', password: 'guiyang-demo-2026' },
  supervisor: { username: 'supervisor', password: 'chenzhou-demo-2026' },
  police: { username: 'police', password: 'chengguan-demo-2026' },
  // The three administrators (三员分立): accounts; roles, grants and approvals; the audit log.
  admin: { username: 'admin', password: 'guanli-demo-2026' },
  secadmin: { username: 'secadmin', password: 'anquan-demo-2026' },
  auditor: { username: 'auditor', password: 'shenji-demo-2026' },
};

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

// HOTLINE_TEST_NOW as an offset from the system clock, taken when this test file starts.
const SUITE_OFFSET_MS = (() => {
  const start = process.env.HOTLINE_TEST_NOW;
  if (!start) return 0;
  const t = Date.parse(start);
  if (Number.isNaN(t)) throw new Error(`HOTLINE_TEST_NOW is not an ISO 8601 instant: ${start}`);
  return t - Date.now();
})();

// The suite's "now" (epoch ms): the system clock, moved to HOTLINE_TEST_NOW when that is set.
export function testNow() {
  return Date.now() + SUITE_OFFSET_MS;
}

// Writes the clock file whole (a new file renamed into place) and returns its modification time in
// ms, the running clock's anchor — computed as the server computes it.
function writeClockFile(path, instant, frozen) {
  writeFileSync(`${path}.new`, `${Math.trunc(instant)}${frozen ? ' frozen' : ''}\n`);
  renameSync(`${path}.new`, path);
  return Number(statSync(path, { bigint: true }).mtimeNs / 1000000n);
}

// The lines a child prints on stdout, one 'line' event each, kept until taken.
function lineReader(stream) {
  const events = new EventEmitter();
  const lines = [];
  let buf = '';
  let ended = false;
  stream.on('data', (chunk) => {
    buf += chunk.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      lines.push(buf.slice(0, nl).trim());
      buf = buf.slice(nl + 1);
      events.emit('line');
    }
  });
  stream.once('end', () => {
    ended = true;
    events.emit('line');
  });
  // The first line that satisfies `match` (earlier ones are dropped), within `timeoutMs`.
  async function take(match, timeoutMs, what) {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const i = lines.findIndex(match);
      if (i >= 0) return lines.splice(0, i + 1).pop();
      lines.length = 0;
      if (ended) throw new Error(`the server closed stdout before ${what} (got "${buf}")`);
      try {
        await once(events, 'line', { signal });
      } catch {
        throw new Error(`no ${what} within ${timeoutMs} ms`);
      }
    }
  }
  return { take };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json' };

// The vendored scripts the binary embeds beside web/static (web/CMakeLists.txt), from web/vendor's npm install.
const VENDOR = { '/vendor/echarts.min.js': join(repoRoot, 'web', 'vendor', 'node_modules', 'echarts', 'dist', 'echarts.min.js') };

// Front-end development only: files from disk, everything else proxied to the real server.
function staticProxy(staticDir, upstream) {
  const up = new URL(upstream);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith('/api/') && path !== '/healthz' && path !== '/metrics') {
      let file = VENDOR[path] || normalize(join(staticDir, path));
      if (!VENDOR[path] && !file.startsWith(staticDir)) file = join(staticDir, 'index.html');
      if (!existsSync(file) || statSync(file).isDirectory()) file = extname(path) ? null : join(staticDir, 'index.html');
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' });
      res.end(readFileSync(file));
      return;
    }
    const p = httpRequest({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    p.on('error', () => res.writeHead(502).end());
    req.pipe(p);
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res(server)));
}

// `clockStart`: the server's clock at start (epoch ms), running; the suite's clock by default.
// `env`: extra environment variables for `serve` only (not for seeding), e.g. LD_PRELOAD of the I/O
// fault shim (tests/faults); an object, or a function of {dir, db} (the server's temp folder and
// database) returning one. `beforeServe({dir, db})`: runs after seeding and before `serve` starts,
// e.g. to damage the database file the way a failing disk would. `config`: settings for the server's
// configuration file (README, "Configuration"), e.g. { password_change_first_login: true }.
export async function startServer({ cases = 60, clockStart = testNow(), env, beforeServe, config } = {}) {
  const bin = resolve(repoRoot, process.env.HOTLINE_BIN || 'build/test/hotline');
  if (!existsSync(bin)) throw new Error(`hotline binary not found at ${bin} (set HOTLINE_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'weiquan-e2e-'));
  const db = join(dir, 'hotline.db');
  const keys = join(dir, 'keys');
  const clockFile = join(dir, 'clock');
  // The running clock: now = Date.now() + offset; or stopped at frozenAt.
  let offset = clockStart - writeClockFile(clockFile, clockStart, false);
  let frozenAt = null;
  await execFileP(bin, ['seed-demo', '--db', db, '--keys', keys, '--cases', String(cases), '--clock-file', clockFile]);
  if (beforeServe) await beforeServe({ dir, db });
  const extraEnv = typeof env === 'function' ? env({ dir, db }) : env;
  const configArgs = [];
  if (config) {
    writeFileSync(join(dir, 'hotline.json'), JSON.stringify(config));
    configArgs.push('--config', join(dir, 'hotline.json'));
  }
  const child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--keys', keys, '--clock-file', clockFile, ...configArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(extraEnv ? { env: { ...process.env, ...extraEnv } } : {}) });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d.toString('utf8');
    if (stderr.length > 100000) stderr = stderr.slice(-50000);
  });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const stdout = lineReader(child.stdout);
  let line;
  try {
    line = await stdout.take(() => true, 20000, 'the "listening on" line');
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${stderr}`);
  }
  const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
  if (!m) {
    child.kill('SIGKILL');
    throw new Error(`unexpected first line from hotline serve: "${line}"\n${stderr}`);
  }
  let url = m[1];
  let proxy = null;
  if (process.env.E2E_STATIC_DIR) {
    proxy = await staticProxy(resolve(process.env.E2E_STATIC_DIR), url);
    url = `http://127.0.0.1:${proxy.address().port}`;
  }
  const now = () => (frozenAt ?? Date.now() + offset);
  // Sets the server's clock and resolves once the server says the change is in force (web/app/app.cpp).
  async function setClock(instant, { frozen = false } = {}) {
    instant = Math.trunc(instant);
    const written = writeClockFile(clockFile, instant, frozen);
    const ack = frozen ? `test clock set: frozen at=${instant} ` : `test clock set: running offset=${instant - written} `;
    try {
      await stdout.take((l) => `${l} `.startsWith(ack), 10000, `the acknowledgement "${ack.trim()}"`);
    } catch (e) {
      throw new Error(`${e.message}\n${stderr}`);
    }
    if (frozen) frozenAt = instant;
    else {
      frozenAt = null;
      offset = instant - written;
    }
  }
  return {
    url,
    dir,
    db,
    stderr: () => stderr,
    // The server's "now", epoch ms.
    now,
    setClock,
    // Moves the server's clock `ms` forward, running or frozen as it is.
    advanceClock: (ms) => setClock(now() + ms, { frozen: frozenAt !== null }),
    // Stops the server's clock at its current "now".
    freezeClock: () => setClock(now(), { frozen: true }),
    async stop() {
      if (proxy) await new Promise((res) => proxy.close(res));
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // Bounded: SIGKILL when it has not exited within 10 s.
        const signal = AbortSignal.timeout(10000);
        const onTimeout = () => child.kill('SIGKILL');
        signal.addEventListener('abort', onTimeout);
        await exited;
        signal.removeEventListener('abort', onTimeout);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

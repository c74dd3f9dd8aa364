// Starts a real `hotline` server on a fresh demo database for one test file.
//
//   HOTLINE_BIN       the binary (default build/test/hotline, relative to the repository root)
//   E2E_STATIC_DIR    optional, for front-end work only: serve web/static from this folder (with the
//                     same CSP as the binary) in front of the server, so UI edits need no rebuild.
//                     The tests proper run without it, against the assets embedded in the binary.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, request as httpRequest } from 'node:http';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEMO = {
  operator: { username: 'operator', password: 'operator-demo-2026' },
  operator2: { username: 'operator2', password: 'operator2-demo-2026' },
  supervisor: { username: 'supervisor', password: 'supervisor-demo-2026' },
  police: { username: 'police', password: 'police-demo-2026' },
  admin: { username: 'admin', password: 'admin-demo-2026' },
};

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function firstLine(stream, timeoutMs) {
  return new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`no "listening on" line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        stream.off('data', onData);
        res(buf.slice(0, nl).trim());
      }
    };
    stream.on('data', onData);
    stream.once('end', () => {
      clearTimeout(timer);
      rej(new Error(`server closed stdout before announcing its address (got "${buf}")`));
    });
  });
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

export async function startServer({ cases = 60 } = {}) {
  const bin = resolve(repoRoot, process.env.HOTLINE_BIN || 'build/test/hotline');
  if (!existsSync(bin)) throw new Error(`hotline binary not found at ${bin} (set HOTLINE_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'weiquan-e2e-'));
  const db = join(dir, 'hotline.db');
  const keys = join(dir, 'keys');
  await execFileP(bin, ['seed-demo', '--db', db, '--keys', keys, '--cases', String(cases)]);
  const child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--keys', keys], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d.toString('utf8');
    if (stderr.length > 100000) stderr = stderr.slice(-50000);
  });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  let line;
  try {
    line = await firstLine(child.stdout, 20000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${stderr}`);
  }
  child.stdout.resume();
  const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
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
  return {
    url,
    dir,
    stderr: () => stderr,
    async stop() {
      if (proxy) await new Promise((res) => proxy.close(res));
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Shared pieces of the browser tests: Debian's chromium through playwright-core, a tiny API client
// for setting up data, and the steps several tests take (log in, wait for the page, wait for the live
// stream or for a marker instead of sleeping).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot, testNow, DEMO } from './server.mjs';

export const VIEWPORT = { width: 1366, height: 768 };
export const SCREENSHOT_DIR = join(repoRoot, 'build', 'e2e-screenshots');

// Counts the live stream's "hello" events (the server sends one once the stream is subscribed,
// web/api/event_routes.cpp) in window.__liveHellos, so a test can wait for the stream instead of
// sleeping. Runs before the page's own scripts.
function countLiveHellos() {
  window.__liveHellos = 0;
  const Native = window.EventSource;
  if (!Native) return;
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('hello', () => { window.__liveHellos += 1; });
    }
  };
}

// `now`: the browser's clock at launch (epoch ms), running on in real time; the suite's clock
// (server.mjs testNow(), which every server starts from) by default, so desk and server agree.
export async function launchBrowser({ now } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'weiquan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', '--lang=zh-CN'],
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Europe/Berlin', // not Shanghai on purpose: the desk must show Shanghai time anyway
  });
  context.setDefaultTimeout(10000);
  await context.clock.install({ time: now ?? testNow() });
  await context.addInitScript(countLiveHellos);
  const problems = [];
  const watch = (page) => {
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (msg) => {
      const text = msg.text();
      // A CSP violation or a script error is a defect; failed API calls (401 before login, 404 on
      // purpose) are logged by Chromium as "Failed to load resource" and are expected.
      if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
      else if (msg.type() === 'error' && !/Failed to load resource/.test(text)) problems.push(`console error: ${text}`);
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] || (await context.newPage());
  watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
    assertNoProblems() {
      assert.deepEqual(problems, [], `the page reported problems:\n${problems.join('\n')}`);
    },
  };
}

// Resolves once the page's live stream is subscribed on the server (its "hello" arrived): changes
// made after this reach the page.
export async function waitForLiveStream(page) {
  await page.waitForFunction(() => window.__liveHellos > 0);
}

// A marker sent through the page's console and waited for: every console message (a CSP report, a
// script error) the page produced before it has been seen by then. "Nothing went wrong" checks ask
// after this instead of after a pause.
export async function consoleMarker(page) {
  const token = `e2e-marker-${Math.random().toString(36).slice(2)}`;
  const seen = page.waitForEvent('console', { predicate: (m) => m.text() === token });
  await page.evaluate((t) => console.debug(t), token);
  await seen;
}

// Stops the server's clock and fixes the browsers' Date at the same instant (their timers keep
// running), e.g. so that "this month" is one month for the whole test.
export async function freezeTime(srv, ...browsers) {
  await srv.freezeClock();
  for (const b of browsers) await b.context.clock.setFixedTime(srv.now());
}

// Sets the server's clock to `instant`, running, and the browsers' clocks to match.
export async function setTime(srv, instant, ...browsers) {
  await srv.setClock(instant);
  for (const b of browsers) await b.context.clock.setSystemTime(srv.now());
}

// Waits (bounded) until the page's saved intake draft (localStorage, web/static/app/intake-draft.js)
// contains `text`.
export async function waitForDraft(page, text) {
  await page.waitForFunction((t) => Object.keys(localStorage).some((k) => (localStorage.getItem(k) || '').includes(t)), text);
}

// Waits (bounded) until the intake page's call timer shows at least `seconds`.
export async function waitForCallTimer(page, seconds) {
  await page.waitForFunction((s) => {
    const [m, sec] = (document.querySelector('.timer-value')?.textContent || '0:0').split(':').map(Number);
    return m * 60 + sec >= s;
  }, seconds);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// axe-core's violations (rule id, impact and the offending elements) within the elements matching
// `selector`, with the WCAG 2 A/AA rules. axe is injected through the DevTools protocol, which the
// page's CSP (script-src 'self') does not apply to, so the page under test stays as it is served.
export async function axeViolations(page, selector) {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(source);
  return page.evaluate(async (sel) => {
    const r = await window.axe.run({ include: [sel] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html) }));
  }, selector);
}

export async function login(page, url, { username, password }) {
  await page.goto(`${url}/#/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.topbar').waitFor();
}

export async function logout(page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.locator('.login-card').waitFor();
}

// A minimal JSON client with its own session, for arranging data the test is not about.
export async function apiClient(url, { username, password }) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, `login as ${username} failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf, user } = await res.json();
  async function call(method, path, body) {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }
  return { user, call, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b), patch: (p, b) => call('PATCH', p, b) };
}

// A new account as the system administrator asks for it and the security administrator approves it
// (三员分立); returns the account as the request answered it (still disabled then).
export async function createApprovedAccount(url, body) {
  const sys = await apiClient(url, DEMO.admin);
  const asked = await sys.post('/api/v1/users', body);
  assert.equal(asked.status, 202, JSON.stringify(asked.body));
  const sec = await apiClient(url, DEMO.secadmin);
  const done = await sec.post(`/api/v1/approvals/${asked.body.approval.id}/approve`, {});
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return asked.body.user;
}

// Opens a case through the API: a help request about domestic violence from `phone`.
export async function createCase(api, { phone, summary, narrative, name = '测试来电人' }) {
  const r = await api.post('/api/v1/intakes', {
    channel: 'hotline',
    call_type: 'help_request',
    duration_s: 300,
    complainant: { name, phone, gender: 'female' },
    category: 'marriage_family.domestic_violence',
    summary,
    narrative,
    urgency: 'normal',
    resolution: 'open_case',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.case;
}

export function uniquePhone() {
  // 139 + 8 digits, different for every run so repeat-caller counts start from zero.
  return `139${String(Date.now() % 100000000).padStart(8, '0')}`;
}

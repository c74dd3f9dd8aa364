// Issue #17 on the desk, against a real server whose storage fails: the I/O fault shim
// (tests/faults/io_fault_shim.c, LD_PRELOAD) makes the database's writes or fsyncs fail on demand,
// and a database file damaged before start stands for a disk that lost a page.
// - The operator saving an intake while the disk is full reads the exact sentence, keeps every field
//   and her draft (a reload brings it back), and once the disk has room a retry saves it once.
// - Supervisors and administrators see a health banner while /healthz is not ok (operators never);
//   it goes away on its own when the server is healthy again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, openSync, readSync, writeSync, closeSync, fstatSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, DEMO, repoRoot } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, uniquePhone, waitForDraft, consoleMarker, axeViolations } from './helpers.mjs';

const SHIM = resolve(repoRoot, process.env.HOTLINE_FAULT_SHIM || join('build', 'test', 'tests', 'faults', 'libhotline_io_fault.so'));
const FULL = '服务器存储空间已满，本次登记未保存，草稿已保留，请联系管理员';
const UNAVAILABLE = '服务器存储暂时无法写入，本次登记未保存，草稿已保留，请联系管理员';

// A server whose database files fail as the control file says (absent: no fault).
async function faultyServer() {
  assert.ok(existsSync(SHIM), `the fault shim is not built: ${SHIM} (CMake target hotline_io_fault)`);
  const srv = await startServer({
    env: ({ dir }) => ({
      LD_PRELOAD: SHIM,
      // The shim compares the descriptor's resolved path, so the prefix must be resolved too.
      HOTLINE_FAULT_PATH: realpathSync(dir),
      HOTLINE_FAULT_CONTROL: join(dir, 'fault-control'),
    }),
  });
  const control = join(srv.dir, 'fault-control');
  // Whole-file replacement by rename: the server never reads half a line.
  srv.fault = (line) => {
    if (!line) {
      rmSync(control, { force: true });
      return;
    }
    writeFileSync(`${control}.new`, `${line}\n`);
    renameSync(`${control}.new`, control);
  };
  return srv;
}

// Overwrites the database's last page with 0xFF bytes, as a failing disk might. The last page of a
// freshly seeded database belongs to the case search index, so logging in still works while SQLite's
// quick_check fails — the server must start and say why on /healthz.
function damageLastPage({ db }) {
  assert.ok(!existsSync(`${db}-wal`), 'the seeded database was checkpointed (no -wal file): the damage is not undone at open');
  const fd = openSync(db, 'r+');
  try {
    const header = Buffer.alloc(100);
    readSync(fd, header, 0, 100, 0);
    const raw = header.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    const pages = Math.floor(fstatSync(fd).size / pageSize);
    assert.ok(pages > 10, `a seeded database of ${pages} pages`);
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (pages - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

async function health(srv) {
  const r = await fetch(`${srv.url}/healthz`);
  return { status: r.status, body: await r.json() };
}

// Every request the page makes to /healthz, counted.
function countHealthChecks(page) {
  const counter = { n: 0 };
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/healthz') counter.n += 1;
  });
  return counter;
}

// The intake fields the test types, by data-path, and what goes in each.
function intakeValues(phone) {
  return {
    'complainant.phone': phone,
    'complainant.name': '赵女士',
    'complainant.age': '41',
    'respondent.name': '钱某',
    'respondent.relationship': '丈夫',
    summary: '咨询丈夫转移夫妻共同财产怎么办',
    narrative: '来电人称丈夫近半年将存款陆续转到其母亲名下，担心离婚时分不到财产。',
    answer: '建议收集转账记录，可向法院申请财产保全，并告知法律援助申请途径。',
  };
}

async function fieldValues(page, paths) {
  const out = {};
  for (const p of paths) out[p] = await page.locator(`[data-path="${p}"]`).inputValue();
  return out;
}

let srv;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('an intake saved while the disk is full: the exact sentence, nothing lost, a retry saves it once', async () => {
  srv = await faultyServer();
  const { page } = browser;
  const phone = uniquePhone();
  const values = intakeValues(phone);
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/intakes') posts.push(r.postData());
  });
  const checks = countHealthChecks(page);

  await login(page, srv.url, DEMO.operator);
  const apiOp = await apiClient(srv.url, DEMO.operator); // logged in while writes still work
  await page.goto(`${srv.url}/#/intake`);
  await page.locator('[data-path="complainant.phone"]').waitFor();
  await page.getByRole('button', { name: /^咨询/ }).click();
  await page.locator('label.radio-pill', { hasText: '法律咨询' }).click(); // the kind the report counts (#14)
  for (const [path, value] of Object.entries(values)) await page.locator(`[data-path="${path}"]`).fill(value);
  await waitForDraft(page, values.answer);
  // The repeat-caller lookup of the typed number has answered (it is audited, so it writes too).
  await page.locator('.repeat-panel').getByText('首次来电').waitFor();

  // --- the disk fills up; she presses save ---
  srv.fault('write ENOSPC');
  await page.getByRole('button', { name: /保存（已解答）/ }).click();
  const alert = page.locator('form.intake-form > .alert[role="alert"]');
  await alert.getByText(FULL, { exact: true }).waitFor();
  assert.doesNotMatch(await alert.innerText(), /服务器出错/, 'not the generic "server error"');
  assert.ok(await alert.evaluate((el) => el === document.activeElement), 'focus moves to the message');
  assert.deepEqual(await fieldValues(page, Object.keys(values)), values, 'every field still holds what was typed');
  await waitForDraft(page, values.narrative);
  assert.equal(posts.length, 1);
  const h = await health(srv);
  assert.equal(h.status, 503, `/healthz while writes fail: ${JSON.stringify(h.body)}`);
  assert.ok(h.body.reasons.some((r) => r.code === 'writes_failing'), JSON.stringify(h.body));
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'intake-storage-full');
  const violations = await axeViolations(page, 'form.intake-form > .alert');
  assert.deepEqual(violations, [], 'axe finds nothing in the message');

  // --- a reload (or a crashed tab) brings the draft back; the disk is still full ---
  await page.reload();
  await page.getByText('已恢复上次未保存的登记').waitFor();
  assert.deepEqual(await fieldValues(page, Object.keys(values)), values, 'the draft restored every field');
  await page.getByRole('button', { name: /保存（已解答）/ }).click();
  await alert.getByText(FULL, { exact: true }).waitFor();
  assert.equal(posts.length, 2);

  // --- room again: the retry, by keyboard from the focused message, saves the same body once ---
  srv.fault(null);
  assert.ok(await alert.evaluate((el) => el === document.activeElement));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '重试保存', 'Tab reaches the retry button');
  await page.keyboard.press('Enter');
  await page.locator('.result-banner').getByText('咨询已解答').waitFor();
  assert.equal(posts.length, 3);
  assert.equal(posts[2], posts[1], 'the retry sends the very body that failed');
  const lookup = await apiOp.get(`/api/v1/callers/lookup?phone=${phone}`);
  assert.equal(lookup.body.prior_contacts, 1, 'saved exactly once (the failed attempts left nothing)');
  assert.equal(await page.locator('[data-path="summary"]').inputValue(), '', 'the form is ready for the next call');
  assert.equal(await page.evaluate(() => Object.keys(localStorage).some((k) => (localStorage.getItem(k) || '').includes('转移夫妻共同财产'))), false,
    'the draft went once the server confirmed');

  // An operator never sees (nor asks for) the health banner.
  await consoleMarker(page);
  assert.equal(checks.n, 0, 'the operator\'s desk never asks /healthz');
  assert.equal(await page.locator('.health-banner').count(), 0);
  await logout(page);
  browser.assertNoProblems();
  await srv.stop();
  srv = null;
});

test('a damaged database: supervisors and administrators see the failing banner, operators do not', async () => {
  srv = await startServer({ beforeServe: damageLastPage });
  const { page } = browser;
  const h = await health(srv);
  assert.equal(h.status, 503, `/healthz of a damaged database: ${JSON.stringify(h.body)}`);
  assert.equal(h.body.status, 'failing');
  assert.ok(h.body.reasons.some((r) => r.code === 'database_malformed'), JSON.stringify(h.body));

  await login(page, srv.url, DEMO.supervisor);
  const banner = page.locator('.health-banner');
  await banner.getByText('数据库文件损坏', { exact: false }).waitFor();
  assert.equal(await banner.getAttribute('role'), 'alert', 'failing interrupts: role=alert');
  assert.match(await banner.innerText(), /^!?\s*系统健康状况：异常（.*数据库文件损坏.*）— 请立即联系管理员$/);
  const box = await banner.boundingBox();
  assert.ok(box.y >= 50 && box.y < 60 && box.height < 60, `the banner sits right under the top bar: ${JSON.stringify(box)}`);
  assert.deepEqual(await axeViolations(page, '.health-banner'), [], 'axe finds nothing in the banner');
  await screenshot(page, 'health-banner-supervisor');
  // It stays across the supervisor's pages, and speaks English with the desk.
  await page.getByRole('link', { name: /本单位个案/ }).click();
  await page.locator('.cases-table, .empty, .alert').first().waitFor();
  assert.equal(await banner.count(), 1);
  await page.getByRole('button', { name: 'English' }).click();
  await banner.getByText('System health: FAILING (the database file is damaged)', { exact: false }).waitFor();
  await page.getByRole('button', { name: '中文' }).click();
  await banner.getByText('数据库文件损坏', { exact: false }).waitFor();
  await logout(page);
  assert.equal(await banner.count(), 0, 'no banner on the login page');

  await login(page, srv.url, DEMO.admin);
  await banner.getByText('数据库文件损坏', { exact: false }).waitFor();
  await logout(page);

  const checks = countHealthChecks(page);
  await login(page, srv.url, DEMO.operator);
  await page.locator('[data-path="complainant.phone"]').waitFor();
  await consoleMarker(page);
  assert.equal(checks.n, 0, 'the operator\'s desk never asks /healthz');
  assert.equal(await banner.count(), 0, 'operators see no banner');
  await logout(page);
  browser.assertNoProblems();
  await srv.stop();
  srv = null;
});

test('the banner appears with a failed write and goes at the next check once writes succeed again', async () => {
  srv = await faultyServer();
  const { page } = browser;
  await login(page, srv.url, DEMO.supervisor);
  await page.locator('.topbar').waitFor();
  await page.goto(`${srv.url}/#/intake`);
  await page.locator('[data-path="complainant.phone"]').waitFor();
  const banner = page.locator('.health-banner');
  await consoleMarker(page);
  assert.equal(await banner.count(), 0, 'no banner while the server is healthy');

  // A save the storage refuses: the intake says so, and the banner follows at once (not at the
  // next minute's poll), since the desk checks /healthz right after a storage error.
  await page.getByRole('button', { name: /^咨询/ }).click();
  await page.locator('label.radio-pill', { hasText: '法律咨询' }).click(); // the kind the report counts (#14)
  await page.getByLabel('问题摘要').fill('咨询赡养费标准');
  await page.getByLabel('已给出的解答或建议').fill('告知可协商或起诉，标准参照当地收入水平。');
  srv.fault('fsync EIO');
  await page.getByRole('button', { name: /保存（已解答）/ }).click();
  await page.locator('form.intake-form > .alert').getByText(UNAVAILABLE, { exact: true }).waitFor();
  await banner.getByText('数据库写入失败', { exact: false }).waitFor();
  assert.equal(await banner.getAttribute('role'), 'alert');

  // Writes work again: the next poll (a minute on, the page's clock moved forward) clears it —
  // /healthz's own probe write succeeds.
  srv.fault(null);
  await page.clock.fastForward(60 * 1000);
  await banner.waitFor({ state: 'detached' });
  const h = await health(srv);
  assert.equal(h.body.status, 'ok', JSON.stringify(h.body));
  // And the kept intake goes through with the retry.
  await page.getByRole('button', { name: '重试保存' }).click();
  await page.locator('.result-banner').getByText('咨询已解答').waitFor();
  await logout(page);
  browser.assertNoProblems();
});

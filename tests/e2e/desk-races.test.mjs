// Answers that come late on a loaded machine: each test holds one answer of the server until the user
// has acted, then lets it through — what she did must stand. The case page's first timeline answer
// after a note she saved; the case list's 加载更多 while a live refresh is due, and the first load's
// focus; the audit log's first, unfiltered page after her filter's; the case reloaded after her first
// of two actions, arriving after the second's.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, apiClient, createCase, uniquePhone, waitForLiveStream } from './helpers.mjs';

let srv;
let browser;
let api;

// Time given to a late answer to do harm before the test checks that it did none. Never a wait for
// something right to happen (those wait on the condition): with the desk as it should be, nothing
// changes in this time, so its length cannot make a test fail, only decide how surely an old bug shows.
const giveTimeToHarm = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// A held answer: `route` holds matching requests until open(); `first` only the first of them, read
// by the server at once and delivered late (an older snapshot arriving last).
function holder(match, { first = false } = {}) {
  let open;
  const held = new Promise((resolve) => { open = resolve; });
  let seen = 0;
  let arrived;
  const asked = new Promise((resolve) => { arrived = resolve; });
  let delivered;
  const done = new Promise((resolve) => { delivered = resolve; });
  const route = async (r) => {
    seen += 1;
    if (first && seen > 1) return r.continue();
    arrived();
    if (first) {
      const response = await r.fetch();
      await held;
      await r.fulfill({ response });
    } else {
      await held;
      await r.continue();
    }
    delivered();
    return undefined;
  };
  return { match, route, open, asked, done };
}

before(async () => {
  srv = await startServer({ cases: 130 });
  browser = await launchBrowser();
  api = await apiClient(srv.url, DEMO.operator);
});

beforeEach(async () => {
  await browser.page.unrouteAll({ behavior: 'ignoreErrors' });
  await browser.context.clearCookies();
  await browser.page.goto('about:blank');
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('case page: the first timeline answer, read before her note and delivered after it, does not drop the note', async () => {
  const { page } = browser;
  const c = await createCase(api, { phone: uniquePhone(), summary: '时间线迟到的回答', narrative: '备注之前读出的时间线。' });
  await login(page, srv.url, DEMO.operator);
  const h = holder((u) => u.pathname === `/api/v1/cases/${c.id}/timeline`, { first: true });
  await page.route(h.match, h.route);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await h.asked;
  const note = `迟到的回答之前的备注 ${Date.now()}`;
  await page.locator('#note-text').fill(note);
  await page.getByRole('button', { name: /保存备注/ }).click();
  const timeline = page.locator('.case-timeline');
  await timeline.getByText(note).waitFor();
  h.open();
  await h.done;
  await giveTimeToHarm(500);
  assert.equal(await timeline.getByText(note).count(), 1, 'the note stays on the timeline');
  browser.assertNoProblems();
});

test('case list: 加载更多 on its way is not dropped by a live refresh; the refresh follows it', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases`);
  const rows = page.locator('.cases-table tbody tr.case-row');
  await rows.first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.cases-table[aria-busy]'));
  assert.equal(await rows.count(), 50);
  await waitForLiveStream(page);
  const h = holder((u) => u.pathname === '/api/v1/cases' && u.searchParams.has('cursor'));
  await page.route(h.match, h.route);
  await page.getByRole('button', { name: '加载更多' }).click();
  await h.asked;
  // A colleague takes in a call meanwhile: the stream tells the list; wait until the list has acted
  // on it (a refresh answered, or the bar saying it waits).
  const refreshed = page.waitForResponse((r) => { const u = new URL(r.url()); return u.pathname === '/api/v1/cases' && !u.searchParams.has('cursor'); });
  const c = await createCase(api, { phone: uniquePhone(), summary: '加载更多时的新来电', narrative: '同事登记的来电。' });
  await Promise.race([refreshed, page.locator('.live-bar').waitFor()]);
  await giveTimeToHarm(200);
  h.open();
  await page.waitForFunction(() => document.querySelectorAll('.cases-table tbody tr.case-row').length >= 100);
  await page.locator('.cases-table tbody tr.case-row', { hasText: c.case_no }).waitFor();
  browser.assertNoProblems();
});

test('case list: the first load does not take the focus from the control she went to meanwhile', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);
  const h = holder((u) => u.pathname === '/api/v1/cases');
  await page.route(h.match, h.route);
  await page.goto(`${srv.url}/#/cases`);
  await h.asked;
  await page.getByLabel('状态', { exact: true }).focus();
  h.open();
  await page.locator('.cases-table tbody tr.case-row').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.cases-table[aria-busy]'));
  await giveTimeToHarm(200);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'filter-status');
  browser.assertNoProblems();
});

test('audit log: the first, unfiltered page arriving after her filter\'s answer does not replace it', async () => {
  const { page } = browser;
  // The audit log is the auditor's home page: its first answer is read at once and delivered late.
  const h = holder((u) => u.pathname === '/api/v1/audit', { first: true });
  await page.route(h.match, h.route);
  await login(page, srv.url, DEMO.auditor);
  await page.getByRole('heading', { name: '审计日志', level: 1 }).waitFor();
  await h.asked;
  await page.getByLabel('操作（前缀）').fill('session.');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('#audit-table tr.audit-row[data-action^="session."]').first().waitFor();
  h.open();
  await h.done;
  await giveTimeToHarm(500);
  assert.equal(await page.locator('#audit-table tr.audit-row:not([data-action^="session."])').count(), 0, 'only the filtered action');
  await page.waitForFunction(() => !document.querySelector('.audit-page[aria-busy="true"]'));
  browser.assertNoProblems();
});

test('report: 报送 waits for the report of the period she chose, and its dialog names that report', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/reports`);
  await page.locator('.report-sheet:not(.is-loading) .rep-sheet').waitFor();
  const fileBtn = page.getByRole('button', { name: '报送', exact: true });
  assert.ok(await fileBtn.isEnabled(), 'last month has ended: it may be filed');
  // She switches to last year's annual report; its answer is held.
  const h = holder((u) => u.pathname === '/api/v1/reports');
  await page.route(h.match, h.route);
  await page.locator('#r-kind').selectOption('year');
  const lastYear = (await page.locator('#r-year option').evaluateAll((os) => os.map((o) => Number(o.value))))[1];
  await page.locator('#r-year').selectOption(String(lastYear));
  await page.waitForFunction((y) => location.hash.includes(`period=${y}&`), lastYear);
  assert.ok(await fileBtn.isDisabled(), 'nothing to file while the chosen report is on its way (the dialog would name last month\'s)');
  h.open();
  await page.waitForFunction(() => document.querySelector('.report-sheet:not(.is-loading) .rep-sheet'));
  await fileBtn.click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.innerText(), new RegExp(`${lastYear}年[^”]*年报`), 'the dialog names the report it files');
  await dialog.getByRole('button', { name: '取消' }).click();
  browser.assertNoProblems();
});

test('case page: the case read after her first action, arriving after the one read after her second, does not undo the second', async () => {
  const { page } = browser;
  const c = await createCase(api, { phone: uniquePhone(), summary: '两次操作的回答次序', narrative: '先设置法律保留，再督办。' });
  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
  // First action: a legal hold. The case read after it is read at once and delivered late.
  const h = holder((u) => u.pathname === `/api/v1/cases/${c.id}`, { first: true });
  await page.route(h.match, h.route);
  await page.getByRole('button', { name: '设置法律保留' }).click();
  const holdDialog = page.getByRole('dialog', { name: '设置法律保留' });
  await holdDialog.getByLabel('保留原因').fill('诉讼进行中');
  await page.keyboard.press('Control+Enter');
  await holdDialog.waitFor({ state: 'detached' });
  await h.asked;
  // Second action: 督办. The case read after it (both done) is shown.
  await page.getByRole('button', { name: '督办', exact: true }).click();
  const dubanDialog = page.getByRole('dialog');
  await dubanDialog.getByLabel('督办意见').fill('请尽快办理。');
  const due = new Date(srv.now() + 5 * 86400e3 + 8 * 3600e3).toISOString().slice(0, 10);
  await dubanDialog.getByLabel('回复期限').fill(due);
  await page.keyboard.press('Control+Enter');
  await dubanDialog.waitFor({ state: 'detached' });
  const banner = page.locator('.duban-banner');
  await banner.getByText('等待承办单位回复').waitFor();
  await page.locator('.legal-hold-banner').getByText('法律保留中').waitFor();
  h.open();
  await h.done;
  await giveTimeToHarm(500);
  assert.equal(await banner.getByText('等待承办单位回复').count(), 1, 'the 督办 stays shown');
  browser.assertNoProblems();
});

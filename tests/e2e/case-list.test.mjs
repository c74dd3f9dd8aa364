// The case list: counts per status, filters, cursor paging, and rows that stand out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, apiClient } from './helpers.mjs';

let srv;
let browser;
let api;

before(async () => {
  srv = await startServer({ cases: 130 });
  browser = await launchBrowser();
  api = await apiClient(srv.url, DEMO.operator);
  await login(browser.page, srv.url, DEMO.operator);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const rows = (page) => page.locator('.cases-table tbody tr.case-row');
// The list has finished loading what the current filters ask for.
const settled = (page) => page.waitForFunction(() => !document.querySelector('.cases-table[aria-busy]'));
const chip = (page, name) => page.locator('.status-chips button', { hasText: name }).locator('.chip-count');

test('counts per status come from the server and a status chip filters the list', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases`);
  await rows(page).first().waitFor();
  const { counts } = (await api.get('/api/v1/cases?limit=1')).body;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.equal(Number(await chip(page, '全部').innerText()), total);
  assert.equal(Number(await chip(page, '办理中').innerText()), counts.in_progress || 0);
  assert.equal(Number(await chip(page, '待审核').innerText()), counts.pending_closure || 0);

  await page.locator('.status-chips button', { hasText: '办理中' }).click();
  await page.waitForFunction(() => /status=in_progress/.test(location.hash));
  await settled(page);
  await page.waitForFunction((n) => document.querySelectorAll('.cases-table tbody tr.case-row').length === n, Math.min(50, counts.in_progress));
  const statuses = await rows(page).locator('.col-status').allInnerTexts();
  assert.ok(statuses.every((s) => s.trim() === '办理中'), statuses.join(','));
  assert.match(page.url(), /status=in_progress/);
  assert.equal(await page.getByLabel('状态', { exact: true }).inputValue(), 'in_progress');
});

test('"load more" follows the cursor without repeating a case', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases`);
  await page.reload();
  await rows(page).first().waitFor();
  const { counts } = (await api.get('/api/v1/cases?limit=1')).body;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.ok(total > 50, `the seed gives this operator more than one page (${total})`);
  assert.equal(await rows(page).count(), 50);
  await page.getByRole('button', { name: '加载更多' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.cases-table tbody tr.case-row').length === n, Math.min(100, total));
  const numbers = await rows(page).locator('.col-case_no').allInnerTexts();
  assert.equal(new Set(numbers).size, numbers.length, 'no case appears twice');
  assert.match(await page.locator('.list-summary').innerText(), new RegExp(`已显示 ${numbers.length} 件，共 ${total} 件`));
});

test('filters: overdue, channel and received dates; overdue rows stand out', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases`);
  await rows(page).first().waitFor();
  await page.getByLabel('仅看已超期').check();
  await page.waitForFunction(() => /overdue=true/.test(location.hash));
  await settled(page);
  const overdueRows = await rows(page).count();
  assert.ok(overdueRows > 0, 'the seed has overdue cases');
  assert.equal(await page.locator('.cases-table tbody tr.case-row.row-overdue').count(), overdueRows);
  assert.equal(await page.locator('.cases-table tbody tr.case-row .col-due.is-overdue').count(), overdueRows);
  const overdueCount = (await api.get('/api/v1/cases?overdue=true&limit=200')).body.items.length;
  assert.equal(overdueRows, Math.min(50, overdueCount));

  await page.getByRole('button', { name: '重置' }).click();
  await page.getByLabel('渠道').selectOption('walk_in');
  await page.waitForFunction(() => /channel=walk_in/.test(location.hash));
  await settled(page);
  await page.waitForFunction(() => [...document.querySelectorAll('.cases-table tbody tr.case-row .col-channel')].every((td) => td.textContent === '来访'));
  const walkIns = (await api.get('/api/v1/cases?channel=walk_in&limit=200')).body.items.length;
  assert.equal(await rows(page).count(), Math.min(50, walkIns));

  await page.getByRole('button', { name: '重置' }).click();
  await page.getByLabel('承办人').selectOption('me');
  await page.waitForFunction(() => /assignee_id=me/.test(location.hash));
  await settled(page);
  await page.waitForFunction(() => [...document.querySelectorAll('.cases-table tbody tr.case-row .col-assignee')].every((td) => td.textContent === '刘晓燕（接线员）'));
  const mine = (await api.get('/api/v1/cases?assignee_id=me&limit=200')).body.items.length;
  assert.equal(await rows(page).count(), Math.min(50, mine));

  // One day (Shanghai calendar) taken from a real case: every row is from that day.
  const sample = (await api.get('/api/v1/cases?limit=1&sort=received_asc')).body.items[0];
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(sample.received_at));
  await page.getByRole('button', { name: '重置' }).click();
  await page.getByLabel('登记日期起').fill(day);
  await page.getByLabel('登记日期止').fill(day);
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForFunction(() => /received_to=/.test(location.hash));
  await settled(page);
  await page.locator('.cases-table tbody tr', { hasText: sample.case_no }).waitFor();
  const received = await rows(page).locator('.col-received').allInnerTexts();
  assert.ok(received.every((r) => r.startsWith(day.replace(/-/g, '/'))), `${day}: ${received.join(', ')}`);
  browser.assertNoProblems();
});

test('high-risk rows stand out (risk levels injected: the demo seed has no risk assessments)', async () => {
  const { page } = browser;
  await page.route('**/api/v1/cases?*', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (body.items && body.items.length > 1) {
      body.items[0].risk_level = 'extreme';
      body.items[1].risk_level = 'general';
    }
    await route.fulfill({ response, json: body });
  });
  await page.goto(`${srv.url}/#/cases?sort=received_asc`);
  await page.reload();
  await rows(page).first().waitFor();
  assert.ok(await rows(page).nth(0).evaluate((tr) => tr.classList.contains('row-risk')));
  assert.equal(await rows(page).nth(0).locator('.col-risk').innerText(), '极高');
  assert.ok(!(await rows(page).nth(1).evaluate((tr) => tr.classList.contains('row-risk'))), 'a general risk does not stand out');
  await page.unroute('**/api/v1/cases?*');
});

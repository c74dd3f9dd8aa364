// 统计报表 at the desk (issue #14): the city supervisor picks the last quarter and 本级及下级 with the
// keyboard alone, sees every figure of GET /api/v1/reports with its footnote, the 问题类别 × channel
// tables, the DV table and the chart of contacts per month; downloads the XLSX; prints it; files it
// (报送) after a confirmation; a contact recorded later in that quarter is listed as a change since
// filing, and the city's 汇总 shows the county's filing beside its live figures. The dashboard's
// month tiles agree with this month's report and open it; old #/reports/monthly links open the new
// view; a county operator cannot reach it. A change while the report is open does not move its
// numbers: a notice says so, and 刷新 shows the new ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, freezeTime, consoleMarker, axeViolations, VIEWPORT, createCase, uniquePhone } from './helpers.mjs';

let srv;
let browser;
let opApi;
let supApi;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  opApi = await apiClient(srv.url, DEMO.operator);
  supApi = await apiClient(srv.url, DEMO.supervisor);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The server's Shanghai date, YYYY-MM-DD.
function shanghaiToday() {
  return new Date(srv.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

// The quarter before the one of `day`: {key, year, q, from}.
function lastQuarter(day) {
  let y = Number(day.slice(0, 4));
  let q = Math.ceil(Number(day.slice(5, 7)) / 3) - 1;
  if (q === 0) {
    q = 4;
    y -= 1;
  }
  return { key: `${y}-Q${q}`, year: y, q, from: `${y}-${String(q * 3 - 2).padStart(2, '0')}-01` };
}

// A figure's value as the desk shows it (report-tables.js fmtFigure).
function shown(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit === '%') return `${Number(value).toFixed(2)}%`;
  if (unit === '元') return Number(value).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return Number(value).toLocaleString('zh-CN');
}

// Presses `key` on the focused element until `done()` holds (at most `max` times).
async function pressUntil(page, key, done, max = 30) {
  for (let i = 0; i < max; i += 1) {
    if (await done()) return;
    await page.keyboard.press(key);
  }
  assert.ok(await done(), `pressing ${key} ${max} times did not get there`);
}
const focusedId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.name || '');

async function waitForReport(page, period, scope) {
  await page.waitForFunction(([p, s]) => location.hash.includes(`period=${p}`) && location.hash.includes(`scope=${s}`)
    && document.querySelector('.report-sheet:not(.is-loading) .rep-sheet'), [period, scope]);
}

test('the city supervisor picks a quarter and 本级及下级 by keyboard, sees the figures, tables and chart, downloads, prints and files it', async () => {
  const { page } = browser;
  await freezeTime(srv, browser); // one "today" for the whole test
  const Q = lastQuarter(shanghaiToday());
  const city = supApi.user.office_id;
  const q = `period=${Q.key}&office_id=${city}&scope=subtree`;

  await login(page, srv.url, DEMO.supervisor);
  const nav = page.getByRole('link', { name: '统计报表', exact: true });
  await nav.click();
  await page.getByRole('heading', { name: '统计报表', exact: true }).waitFor();
  await page.locator('.report-sheet .rep-sheet').waitFor();

  // Keyboard only: Tab from the navigation into the picker, arrows to choose.
  await nav.focus();
  await pressUntil(page, 'Tab', async () => (await focusedId(page)) === 'r-kind');
  await pressUntil(page, 'ArrowDown', async () => (await page.locator('#r-kind').inputValue()) === 'quarter', 4);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'r-year');
  const yearKey = (await page.locator('#r-year').inputValue()) > String(Q.year) ? 'ArrowDown' : 'ArrowUp';
  await pressUntil(page, yearKey, async () => (await page.locator('#r-year').inputValue()) === String(Q.year), 12);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'r-part');
  assert.equal(await page.locator('label[for="r-part"]').innerText(), '季度');
  const partKey = Number(await page.locator('#r-part').inputValue()) > Q.q ? 'ArrowUp' : 'ArrowDown';
  await pressUntil(page, partKey, async () => Number(await page.locator('#r-part').inputValue()) === Q.q, 4);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'r-office', 'the city supervisor chooses among the offices of her scope');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'r-scope');
  await page.keyboard.press('ArrowLeft'); // 本级
  await waitForReport(page, Q.key, 'office');
  assert.equal(await page.locator('#rep-scope-value').innerText(), '本级');
  await page.keyboard.press('ArrowRight'); // back to 本级及下级
  await waitForReport(page, Q.key, 'subtree');
  assert.match(page.url(), new RegExp(`#/reports\\?period=${Q.key}&scope=subtree&office_id=${city}`), 'the choice is kept in the address');

  // Every figure as the API gives it: name, unit, value and its numbered footnote.
  const expected = (await supApi.get(`/api/v1/reports?${q}`)).body;
  const title = `${expected.office.name}${Q.year}年第${Q.q}季度妇联信访统计季报`;
  await page.locator('#rep-sheet-title', { hasText: title }).waitFor();
  let n = 0;
  for (const s of expected.sections) {
    const table = page.locator(`table[data-section="${s.key}"]`);
    assert.match(await table.locator('caption').innerText(), new RegExp(s.name));
    for (const f of s.figures) {
      n += 1;
      const row = table.locator(`tr[data-figure="${f.key}"]`);
      assert.equal(await row.locator('th').innerText(), f.name, f.key);
      assert.equal(await row.locator('td.rep-unit').innerText(), f.unit, f.key);
      assert.equal(await row.locator(`td[data-value="${f.key}"]`).innerText(), shown(f.value, f.unit), f.key);
      assert.equal(await row.locator('.rep-fn-btn').innerText(), `[${n}]`);
      assert.equal(await page.locator(`#rep-fn-${n}`).innerText(), `${f.name}：${f.definition}`);
    }
  }
  assert.ok(n > 40, `${n} figures`);
  // The DV table: every DV figure of the definitions table.
  const dv = expected.sections.find((s) => s.key === 'dv');
  assert.equal(await page.locator('table[data-section="dv"] tbody tr').count(), dv.figures.length);
  await page.locator('table[data-section="dv"] tr[data-figure="dv.orders.applied_by_federation"]').waitFor();
  // 问题类别 × channel, contacts and cases.
  for (const which of ['contacts', 'cases']) {
    const table = page.locator(`#rep-cat-${which}`);
    const heads = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(heads, ['问题类别', ...expected.categories.channels.map((c) => c.name), '合计']);
    assert.equal(await table.locator('tbody tr').count(), expected.categories.rows.length);
    for (const r of expected.categories.rows) {
      const cells = await table.locator(`tr[data-category="${r.code ?? 'none'}"] td`).allInnerTexts();
      assert.deepEqual(cells, [...r[which], r[`${which}_total`]].map((v) => shown(v)), `${which} ${r.code}`);
    }
  }
  // The chart of contacts per month, drawn on a canvas under the CSP, and its numbers as a table.
  await page.locator('#rep-chart[data-drawn="true"] canvas').waitFor();
  const box = await page.locator('#rep-chart canvas').boundingBox();
  assert.ok(box.width > 300 && box.height > 150, JSON.stringify(box));
  assert.deepEqual(await page.locator('table[data-table="series"] tbody th').allInnerTexts(), expected.series.map((s) => s.month));
  assert.equal(expected.series.length, 3);
  assert.match(await page.locator('#rep-filing').innerText(), /尚未报送/);
  assert.deepEqual((await axeViolations(page, '.report-page')).filter((v) => ['serious', 'critical'].includes(v.impact)), []);
  await screenshot(page, 'report');
  await page.locator('#rep-cat-contacts').scrollIntoViewIfNeeded();
  await screenshot(page, 'report-categories');

  // Downloads: same-origin links with the session cookie.
  const href = await page.locator('#rep-xlsx').getAttribute('href');
  assert.equal(href, `/api/v1/reports.xlsx?period=${Q.key}&scope=subtree&office_id=${city}`);
  const xlsx = await page.context().request.get(`${srv.url}${href}`);
  assert.equal(xlsx.status(), 200);
  assert.equal(xlsx.headers()['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK');
  assert.match(xlsx.headers()['content-disposition'], new RegExp(`report-\\d+-${Q.key}-subtree\\.xlsx`));
  const csv = await page.context().request.get(`${srv.url}${await page.locator('#rep-csv').getAttribute('href')}`);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);

  // On paper: 打印 calls window.print(); the sheet alone, with its title, notes and signature line.
  await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  await page.getByRole('button', { name: '打印', exact: true }).click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.equal(await page.locator('.topbar').isVisible(), false);
  assert.equal(await page.locator('.rep-controls').isVisible(), false);
  assert.equal(await page.locator('#rep-summary').isVisible(), false);
  assert.ok(await page.locator('#rep-sheet-title', { hasText: title }).isVisible());
  assert.ok(await page.locator('.rep-notes').isVisible());
  assert.ok(await page.locator('.sup-sign').isVisible(), 'signature line on paper');
  // 制表人 is who prints it (as in the XLSX); 报送日期 stays blank until the report is filed.
  const me = await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).user.display_name);
  assert.match(await page.locator('.sup-sign').innerText(), new RegExp(`制表人：\\s*${me}[\\s\\S]*审核人：[\\s\\S]*报送日期：`));
  await screenshot(page, 'report-print');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize(VIEWPORT);

  // 报送: a confirmation that says what filing means, then 已报送 <time> <who>.
  await page.getByRole('button', { name: '报送', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/全部数字、各项定义、报送人和报送时间将存档为第 1 版/).waitFor();
  await screenshot(page, 'report-file-dialog');
  await dialog.getByRole('button', { name: '取消' }).click();
  assert.equal((await supApi.get(`/api/v1/reports?${q}`)).body.filed, null, 'cancelled: nothing filed');
  await page.getByRole('button', { name: '报送', exact: true }).click();
  await dialog.getByRole('button', { name: '确认报送' }).click();
  await page.locator('#rep-filing.is-filed', { hasText: `已报送` }).waitFor();
  const filed = (await supApi.get(`/api/v1/reports?${q}`)).body.filed;
  assert.equal(filed.version, 1);
  assert.match(await page.locator('#rep-filing').innerText(), new RegExp(`已报送 .+ ${filed.filed_by.name}`));
  assert.match(await page.locator('#rep-filing').innerText(), /报送后数字没有变化/);

  // A letter received in that quarter, recorded only now: the live figures move, the filed ones stay.
  const letter = await opApi.post('/api/v1/intakes', {
    channel: 'letter', received_at: `${Q.from}T10:00:00+08:00`, complainant: { name: '补录来信人', gender: 'female' },
    category: 'marriage_family.divorce', summary: '补录的来信：离婚财产分割', urgency: 'normal', resolution: 'open_case',
  });
  assert.equal(letter.status, 201, JSON.stringify(letter.body));
  const after = (await supApi.get(`/api/v1/reports?${q}`)).body;
  const change = after.filed.changes.find((c) => c.key === 'contacts.letter.items');
  assert.ok(change && change.live === change.filed + 1, JSON.stringify(after.filed.changes));
  await page.reload();
  const row = page.locator('#rep-changes tr[data-figure="contacts.letter.items"]');
  await row.waitFor();
  assert.deepEqual(await row.locator('th, td').allInnerTexts(), ['来信（件）', shown(change.filed), shown(change.live)]);
  assert.equal(await page.locator('#rep-changes tbody tr').count(), after.filed.changes.length);
  await page.locator('#rep-filing').scrollIntoViewIfNeeded();
  await screenshot(page, 'report-filed-changes');

  // 汇总: the county files its quarter; the city sees the filing beside the county's live figures.
  const yongxing = opApi.user.office_id;
  const countyFiling = await supApi.post('/api/v1/reports/filings', { period: Q.key, office_id: yongxing, scope: 'subtree' });
  assert.equal(countyFiling.status, 201, JSON.stringify(countyFiling.body));
  await page.reload();
  const summary = page.locator('#rep-summary');
  await summary.getByRole('heading', { name: /已报送 1 \/ 2/ }).waitFor();
  const sums = (await supApi.get(`/api/v1/reports/filings?${q}`)).body;
  const cell = summary.locator(`tr[data-figure="contacts.total.items"] td[data-office="${yongxing}"]`);
  const filedTotal = countyFiling.body.figures.find((f) => f.key === 'contacts.total.items').value;
  assert.match(await cell.innerText(), new RegExp(`^${filedTotal}`));
  assert.equal(await summary.locator('tr[data-figure="contacts.total.items"] td[data-col="sum-filed"]').innerText(),
    shown(sums.sum.filed.find((f) => f.key === 'contacts.total.items').value));
  assert.equal(await summary.locator('tr[data-figure="contacts.total.items"] td[data-col="sum-live"]').innerText(),
    shown(sums.sum.live.find((f) => f.key === 'contacts.total.items').value));
  // One more letter of that quarter in the county: its filed figure stays, its live one shows beside it.
  const filedLetters = countyFiling.body.figures.find((f) => f.key === 'contacts.letter.items').value;
  assert.equal((await opApi.post('/api/v1/intakes', {
    channel: 'letter', received_at: `${Q.from}T11:00:00+08:00`, complainant: { name: '再补录来信人', gender: 'female' },
    category: 'marriage_family.divorce', summary: '再补录的来信', urgency: 'normal', resolution: 'open_case',
  })).status, 201);
  await page.reload();
  const letters = summary.locator(`tr[data-figure="contacts.letter.items"] td[data-office="${yongxing}"]`);
  await letters.locator('.rep-differs').waitFor();
  assert.equal(await letters.innerText(), `${filedLetters}\n现 ${filedLetters + 1}`);
  await page.locator('#rep-summary-title').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'report-summary');
  await consoleMarker(page);
  browser.assertNoProblems();
  await logout(page);
});

test('the current month cannot be filed yet; a bad range is explained; old monthly links open the new view', async () => {
  const { page } = browser;
  await freezeTime(srv, browser);
  const month = shanghaiToday().slice(0, 7);
  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/reports/monthly?month=${month}&subtree=false`);
  await waitForReport(page, month, 'office');
  assert.equal(await page.locator('#r-kind').inputValue(), 'month');
  assert.ok(await page.getByRole('button', { name: '报送', exact: true }).isDisabled());
  await page.getByText('统计期间结束后才能报送。').waitFor();
  // A range typed backwards is refused in Chinese before anything is asked.
  await page.locator('#r-kind').selectOption('range');
  await waitForReport(page, `${month}-01..`, 'office');
  await page.locator('#r-from').fill(`${month}-20`);
  await page.locator('#r-to').fill(`${month}-02`);
  await page.getByRole('alert').getByText('起始日期不能晚于截止日期').waitFor();
  browser.assertNoProblems();
  await logout(page);
});

test('the dashboard tiles of this month agree with the month report and open it', async () => {
  const { page } = browser;
  await freezeTime(srv, browser);
  const month = shanghaiToday().slice(0, 7);
  const rep = (await supApi.get(`/api/v1/reports?period=${month}`)).body;
  const fig = (k) => rep.sections.flatMap((s) => s.figures).find((f) => f.key === k).value;
  await login(page, srv.url, DEMO.supervisor);
  const rate = page.locator('#dash-closure-rate .dash-kpi-value a');
  await rate.waitFor();
  assert.equal(await rate.innerText(), fig('rates.closure') === null ? '—' : `${fig('rates.closure').toFixed(1)}%`);
  assert.match(await page.locator('#dash-closure-rate .dash-kpi-sub').innerText(), new RegExp(`^本月受理 ${fig('cases.accepted')} 件$`));
  assert.equal(await page.locator('#dash-closed .dash-kpi-value a').innerText(), `${fig('cases.closed')} 件`);
  await page.locator('#dash-closed .dash-kpi-value a').click();
  await waitForReport(page, month, 'subtree');
  assert.equal(await page.locator(`td[data-value="cases.closed"]`).innerText(), shown(fig('cases.closed')));
  browser.assertNoProblems();
  await logout(page);
});

test('an intake while the month report is open: a notice, and 刷新 shows it counted', async () => {
  const { page } = browser;
  await freezeTime(srv, browser);
  const month = shanghaiToday().slice(0, 7);
  // This page's earlier sessions counted their streams' hellos too: wait for one more, this session's.
  const hellos = await page.evaluate(() => window.__liveHellos || 0);
  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/reports?period=${month}&scope=subtree`);
  await waitForReport(page, month, 'subtree');
  await page.waitForFunction((n) => window.__liveHellos > n, hellos);
  const cell = page.locator('td[data-value="contacts.total.items"]');
  const before = Number((await cell.innerText()).replace(/,/g, ''));
  const stale = page.locator('.rep-stale');
  assert.ok(await stale.isHidden());
  await createCase(opApi, { phone: uniquePhone(), summary: '报表打开时的新来电', narrative: '来电咨询离婚财产分割。' });
  await stale.getByText('此后有新的办理记录，报表数字可能已变化。').waitFor();
  assert.equal(Number((await cell.innerText()).replace(/,/g, '')), before, 'the numbers stay until she refreshes');
  await screenshot(page, 'report-stale');
  await stale.getByRole('button', { name: '刷新' }).click();
  await page.waitForFunction((n) => Number(document.querySelector('td[data-value="contacts.total.items"]')?.textContent.replace(/,/g, '')) === n, before + 1);
  assert.ok(await stale.isHidden());
  browser.assertNoProblems();
  await logout(page);
});

test('a county operator has no report view', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);
  assert.equal(await page.getByRole('link', { name: '统计报表' }).count(), 0);
  await page.goto(`${srv.url}/#/reports?period=2026-Q3`);
  await page.locator('.notfound').waitFor();
  assert.equal(await page.locator('.report-page').count(), 0);
  assert.equal((await opApi.get('/api/v1/reports?period=2026-Q3')).status, 403);
  await logout(page);
});

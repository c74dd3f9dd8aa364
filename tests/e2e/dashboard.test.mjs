// The supervisor's dashboard (监督看板) in a real browser: ECharts (vendored, loaded on demand) draws
// the aging chart under the strict CSP, the numbers match the API, an intake made by an operator in
// another browser updates them without a reload (live event stream), an aging cell opens the case
// list filtered to that status and age range with the same count, and a case assessed at extreme risk
// without a safety plan comes first in #dash-high-risk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, screenshot, apiClient, createCase, uniquePhone, waitForLiveStream, consoleMarker, freezeTime } from './helpers.mjs';

let srv;
let browser;
let operatorBrowser;
let supervisorApi;
let operatorApi;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  supervisorApi = await apiClient(srv.url, DEMO.supervisor);
  operatorApi = await apiClient(srv.url, DEMO.operator);
});

after(async () => {
  await operatorBrowser?.close();
  await browser?.close();
  await srv?.stop();
});

async function aging(groupBy = 'status') {
  const r = await supervisorApi.get(`/api/v1/dashboard/aging?group_by=${groupBy}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

const kpi = (page, id) => page.locator(`#${id} .dash-kpi-value`);
const cell = (page, key, bucket) => page.locator(`#dash-aging-table [data-key="${key}"][data-bucket="${bucket}"]`);

// Waits until the dashboard has rendered at least `n` times (data-loaded counts the renders).
async function loaded(page, n = 1) {
  await page.waitForFunction((min) => Number(document.querySelector('.dash-page')?.dataset.loaded || 0) >= min, n);
}

test('the dashboard draws the aging chart, its numbers match the API, and an intake elsewhere updates them live', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.supervisor);
  await page.getByRole('link', { name: '监督看板' }).click();
  await loaded(page);

  // --- numbers as the API gives them ---
  const before = await aging();
  // Once (a midnight-start run at load average 9) the page showed one open case fewer than the API
  // answered just after; not reproduced since. The message keeps what would explain it if it comes back.
  const shown = await page.evaluate(() => ({ at: new Date().toISOString(), renders: document.querySelector('.dash-page')?.dataset.loaded }));
  assert.equal(await kpi(page, 'dash-open-total').innerText(), String(before.totals.total),
    `page ${JSON.stringify(shown)} vs API ${JSON.stringify({ totals: before.totals, rows: before.rows.map((r) => [r.key, r.counts]), server_now: new Date(srv.now()).toISOString() })}`);
  assert.equal(await kpi(page, 'dash-overdue-total').innerText(), String(before.totals.overdue));
  for (const row of before.rows) {
    for (let i = 0; i < row.counts.length; i += 1) assert.equal(await cell(page, row.key, i).innerText(), String(row.counts[i]), `${row.key} bucket ${i}`);
  }
  const labels = await page.locator('#dash-aging-table tbody th').allInnerTexts();
  assert.deepEqual(labels, ['已登记', '办理中', '转介中', '调解中', '待审核', '交办中'], 'status rows are translated, in workflow order');
  assert.equal(await page.locator('#dash-overdue-by-deadline [data-deadline="acceptance"]').innerText(), String(before.overdue_by_deadline.acceptance));
  const oldest = await page.locator('#dash-oldest tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(oldest, before.oldest.map((c) => `#/cases/${c.id}`));

  // --- ECharts is there and has drawn on its canvas ---
  const drawn = await page.evaluate(() => {
    const el = document.getElementById('dash-aging-chart');
    const chart = window.echarts && window.echarts.getInstanceByDom(el);
    const canvas = el.querySelector('canvas');
    if (!chart || !canvas) return { chart: Boolean(chart), canvas: Boolean(canvas), painted: 0 };
    const { width, height } = canvas;
    const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4 * 7) if (data[i] !== 0) painted += 1;
    return { chart: true, canvas: true, painted, width, height, series: chart.getOption().series.length };
  });
  assert.ok(drawn.chart && drawn.canvas, `an ECharts instance with a canvas: ${JSON.stringify(drawn)}`);
  assert.equal(drawn.series, 6, 'one stacked series per age bucket');
  assert.ok(drawn.painted > 500, `the canvas has been drawn on: ${JSON.stringify(drawn)}`);
  const script = await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')).filter(Boolean));
  assert.ok(script.includes('/vendor/echarts.min.js'), 'ECharts comes from this server');

  // --- an operator in another browser records an intake: the numbers move without a reload ---
  await waitForLiveStream(page);
  await page.evaluate(() => { window.__sameDocument = true; });
  const rendersBefore = Number(await page.locator('.dash-page').getAttribute('data-loaded'));
  operatorBrowser = await launchBrowser();
  await login(operatorBrowser.page, srv.url, DEMO.operator);
  const status = await operatorBrowser.page.evaluate(async (phone) => {
    const session = await (await fetch('/api/v1/session')).json();
    const r = await fetch('/api/v1/intakes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
      body: JSON.stringify({
        channel: 'hotline', call_type: 'help_request', duration_s: 240,
        complainant: { name: '看板测试来电人', phone, gender: 'female' },
        category: 'marriage_family.domestic_violence', summary: '丈夫多次动手，请求帮助', narrative: '来电人称丈夫近一周多次动手。',
        urgency: 'normal', resolution: 'open_case',
      }),
    });
    return r.status;
  }, uniquePhone());
  assert.equal(status, 201);
  await page.waitForFunction((n) => document.querySelector('#dash-open-total .dash-kpi-value')?.textContent === String(n), before.totals.total + 1);
  const after1 = await aging();
  assert.equal(after1.totals.total, before.totals.total + 1);
  assert.equal(await cell(page, 'registered', 0).innerText(), String(after1.rows.find((r) => r.key === 'registered').counts[0]));
  assert.ok(Number(await page.locator('.dash-page').getAttribute('data-loaded')) > rendersBefore);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload happened');
  assert.match(await page.locator('#dash-updated-at').innerText(), /^\d{2}:\d{2}:\d{2}$/);
  operatorBrowser.assertNoProblems();

  // --- the intake chart: the server's series for the last 30 days ---
  const daily = await supervisorApi.get('/api/v1/dashboard/intake-daily?days=30');
  assert.equal(daily.status, 200, JSON.stringify(daily.body));
  assert.equal(daily.body.days.length, 30);
  const sum = daily.body.total.reduce((a, b) => a + b, 0);
  assert.ok(sum > 0, 'the demo data and this test took contacts in the last 30 days');
  await page.locator('#dash-intake-sum').getByText(`共 ${sum} 件`).waitFor();
  assert.ok(await page.evaluate(() => Boolean(window.echarts.getInstanceByDom(document.getElementById('dash-intake-chart')))));
  browser.assertNoProblems();
});

test('a case assessed at extreme risk without a safety plan comes first in #dash-high-risk, live', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/dashboard`);
  await loaded(page);
  await waitForLiveStream(page);
  const renders = Number(await page.locator('.dash-page').getAttribute('data-loaded'));
  const c = await createCase(operatorApi, { phone: uniquePhone(), summary: '前夫持刀威胁', narrative: '前夫昨晚持刀上门，扬言要杀死她和孩子。' });
  const instrument = (await operatorApi.get('/api/v1/dv/instrument')).body;
  const answers = Object.fromEntries(instrument.items.map((i) => [i.code, true]));
  const r = await operatorApi.post(`/api/v1/cases/${c.id}/risk-assessments`, { answers });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.level, 'extreme');

  const first = page.locator('#dash-high-risk tbody tr').first();
  await page.waitForFunction((id) => document.querySelector('#dash-high-risk tbody tr a')?.getAttribute('href') === `#/cases/${id}`, c.id);
  assert.equal(await first.locator(`a[href="#/cases/${c.id}"]`).innerText(), c.case_no);
  await first.getByText('无安全计划').waitFor();
  await first.getByText('极高').waitFor();
  assert.ok(Number(await page.locator('.dash-page').getAttribute('data-loaded')) > renders, 'updated by the live stream');
  const breaches = (await supervisorApi.get('/api/v1/dv/breaches')).body.items;
  assert.ok(breaches.some((b) => b.id === c.id));
  assert.match(await page.locator('#dash-high-risk-total').innerText(), new RegExp(`其中 ${breaches.length} 件无安全计划`));
  browser.assertNoProblems();
});

test('an aging cell opens the case list filtered to that status and age range, with the same count', async () => {
  const { page } = browser;
  // The age ranges are dates counted back from today: one today for the cell, the list and the chart.
  await freezeTime(srv, browser);
  await page.goto(`${srv.url}/#/dashboard`);
  await loaded(page);
  const data = await aging();
  // The fullest cell that is not the youngest bucket, so the date range has two ends or one open end.
  let best = null;
  for (const row of data.rows) {
    row.counts.forEach((n, i) => {
      if (i > 0 && n > 0 && (!best || n > best.n)) best = { key: row.key, i, n };
    });
  }
  assert.ok(best, 'the demo data has open cases older than three days');
  const link = cell(page, best.key, best.i);
  assert.equal(await link.innerText(), String(best.n));
  const href = await link.getAttribute('href');
  assert.match(href, new RegExp(`^#/cases\\?status=${best.key}&received_to=\\d{4}-\\d{2}-\\d{2}`));
  await link.click();
  await page.locator('.cases-page').waitFor();
  await page.locator(`.chip-btn.is-active.chip-status-${best.key}`).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.cases-table tbody tr.case-row').length > 0);
  assert.equal(await page.locator('.chip-btn.is-active .chip-count').innerText(), String(best.n), 'the list counts what the cell showed');
  assert.equal(await page.locator('.cases-table tbody tr.case-row').count(), best.n);
  const ages = await page.locator('.cases-table tbody tr.case-row .col-age').allInnerTexts();
  const [lo, hi] = data.buckets[best.i].split(/[-+]/).map((x) => (x === '' ? Infinity : Number(x)));
  for (const a of ages) assert.ok(Number(a) >= lo && Number(a) <= hi, `age ${a} is in ${data.buckets[best.i]}`);

  // Back on the dashboard: hovering a bar shows the (canvas-drawn) tooltip without a CSP problem, and
  // a click on the same bar of the chart opens the same list as the table cell.
  await page.goBack();
  await loaded(page);
  const at = await page.evaluate(({ row, i }) => {
    const el = document.getElementById('dash-aging-chart');
    const chart = window.echarts.getInstanceByDom(el);
    const opt = chart.getOption();
    const before = opt.series.slice(0, i).reduce((sum, s) => sum + s.data[row], 0);
    const [x, y] = chart.convertToPixel({ seriesIndex: i }, [before + opt.series[i].data[row] / 2, row]);
    const box = el.getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  }, { row: data.rows.findIndex((r) => r.key === best.key), i: best.i });
  await page.mouse.move(at.x, at.y);
  await page.evaluate(({ row, i }) => {
    // Shown for sure (the pointer may sit on a bar edge): ECharts' default HTML tooltip would write
    // inline style attributes, which the CSP refuses; the dashboard's tooltips are drawn on the canvas.
    const chart = window.echarts.getInstanceByDom(document.getElementById('dash-aging-chart'));
    window.__tipShown = false;
    chart.on('showTip', () => { window.__tipShown = true; });
    chart.dispatchAction({ type: 'showTip', seriesIndex: i, dataIndex: row });
  }, { row: data.rows.findIndex((r) => r.key === best.key), i: best.i });
  await page.waitForFunction(() => window.__tipShown);
  await consoleMarker(page); // a CSP report of the tooltip would have arrived before the marker
  assert.deepEqual(browser.problems, [], 'the tooltip causes no CSP problem');
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((h) => location.hash === h, href);
  await page.locator('.cases-page').waitFor();
  await page.goBack();
  await loaded(page);

  // The group-by switch regroups chart and table (here by category).
  await page.getByRole('button', { name: '问题类别' }).click();
  const byCategory = await aging('category');
  await page.waitForFunction((n) => document.querySelectorAll('#dash-aging-table tbody tr').length === n && document.querySelector('#dash-aging-table th')?.textContent === '问题类别', byCategory.rows.length);
  assert.equal(await page.locator('#dash-aging-table tbody th').first().innerText(), byCategory.rows[0].label, 'categories by their Chinese names');
  await page.getByRole('button', { name: '状态' }).click();
  await page.waitForFunction(() => document.querySelector('#dash-aging-table th')?.textContent === '状态');
  browser.assertNoProblems();
});

test('the dashboard fits 1366×768 without horizontal scrolling and switches language, charts included', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/dashboard`);
  await loaded(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
  await screenshot(page, 'dashboard');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Supervision dashboard' }).waitFor();
  await loaded(page);
  const legend = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById('dash-aging-chart')).getOption().series.map((s) => s.name));
  assert.deepEqual(legend, ['0–3 d', '4–7 d', '8–15 d', '16–30 d', '31–60 d', '61+ d']);
  assert.equal(await page.locator('#dash-aging-table tbody th').first().innerText(), 'Registered');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '监督看板' }).waitFor();
  browser.assertNoProblems();
});

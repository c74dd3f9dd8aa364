// 督办 at the desk (issue #13): a city supervisor puts a county case under supervision; the county sees
// it flagged in its list, on the case page and on the dashboard, answers it, and the flag clears. An
// unanswered 督办 past its due date shows red and is counted overdue. Story (2) of the issue with 督办:
// the city 交办s a case to a county (report due in 20 days) and supervises the county's case; the county
// handles and reports; the city returns it once, then accepts it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createApprovedAccount, createCase, uniquePhone, screenshot, setTime } from './helpers.mjs';

const DAY = 86400e3;
const COUNTY_SUP = { username: 'yongxing_sup', password: 'yongxing-sup-2026-demo' };

let srv;
let browser;
let operatorApi;
let supervisorApi;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  operatorApi = await apiClient(srv.url, DEMO.operator);
  supervisorApi = await apiClient(srv.url, DEMO.supervisor);
  // The demo has no county supervisor: the county's dashboard is hers.
  await createApprovedAccount(srv.url, {
    username: COUNTY_SUP.username, display_name: '李红（永兴县妇联主任）', password: COUNTY_SUP.password,
    role: 'supervisor', office_id: operatorApi.user.office_id,
  });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The server's Shanghai date `days` from today, YYYY-MM-DD.
function shanghaiDate(days = 0) {
  return new Date(srv.now() + days * DAY + 8 * 3600e3).toISOString().slice(0, 10);
}

async function openCase(page, c) {
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
}

async function dashboardTile(page) {
  await page.goto(`${srv.url}/#/dashboard`);
  const tile = page.locator('#dash-duban');
  await tile.waitFor();
  return tile;
}

async function superviseThroughDialog(page, note, due) {
  await page.getByRole('button', { name: '督办', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('督办意见').fill(note);
  await dialog.getByLabel('回复期限').fill(due);
  return dialog;
}

test('a city supervisor puts a county case under 督办; the county sees it flagged, answers it, and the flag clears', async () => {
  const { page } = browser;
  const c = await createCase(operatorApi, { phone: uniquePhone(), summary: '督办：丈夫殴打，多次求助', narrative: '当事人多次来电，市妇联督办县妇联办理。' });

  // The city's supervisor: the 督办 action and its dialog; a date not after today is refused first.
  await login(page, srv.url, DEMO.supervisor);
  await openCase(page, c);
  let dialog = await superviseThroughDialog(page, '请于期限内报告办理进展，并联系当事人核实安全状况。', shanghaiDate(0));
  await dialog.getByRole('button', { name: /发出督办/ }).click();
  await dialog.getByText('回复期限须晚于今天').waitFor();
  await dialog.getByLabel('回复期限').fill(shanghaiDate(5));
  await screenshot(page, 'duban-dialog');
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
  const banner = page.locator('.duban-banner');
  await banner.getByText('郴州市妇联督办').waitFor();
  await banner.getByText('等待承办单位回复').waitFor();
  assert.equal(await banner.locator('form').count(), 0);  // the city does not answer its own 督办
  const timelineItem = page.locator('.case-timeline li', { hasText: '督办单位' });
  await timelineItem.getByText('郴州市妇联').waitFor();
  await timelineItem.getByText(shanghaiDate(5).replaceAll('-', '/')).waitFor();  // as the desk writes dates
  assert.doesNotMatch(await page.locator('.case-timeline').innerText(), /supervis/);
  // A second one from the same office is refused (the button stays: the server decides, and says why).
  dialog = await superviseThroughDialog(page, '再次督办', shanghaiDate(6));
  await page.keyboard.press('Control+Enter');
  await dialog.locator('.alert-error').waitFor();
  await dialog.getByRole('button', { name: '取消' }).click();
  assert.equal(await (await dashboardTile(page)).locator('.dash-kpi-value').innerText(), '1');
  await logout(page);

  // The county: its supervisor's dashboard counts it; its operator sees the badge, the filter and the banner.
  await login(page, srv.url, COUNTY_SUP);
  let tile = await dashboardTile(page);
  assert.equal(await tile.locator('.dash-kpi-value').innerText(), '1');
  await tile.getByText('无逾期督办').waitFor();
  await screenshot(page, 'duban-dashboard');
  await logout(page);

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases`);
  const row = page.locator('tr.case-row', { hasText: c.case_no });
  await row.locator('.duban-badge', { hasText: '督办' }).waitFor();
  await page.getByLabel('仅看督办').check();
  await page.waitForFunction(() => location.hash.includes('supervised=1'));
  await page.waitForFunction(() => document.querySelectorAll('tr.case-row').length === 1);
  await row.waitFor();
  await screenshot(page, 'duban-case-list');
  await row.locator('a.case-no').click();
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
  await banner.getByText('请于期限内报告办理进展', { exact: false }).waitFor();
  assert.equal(await page.getByRole('button', { name: '督办', exact: true }).count(), 0);  // the county does not supervise itself
  await banner.getByRole('button', { name: /提交督办回复/ }).click();
  await banner.getByText('此项必填').waitFor();
  await banner.getByLabel('督办回复').fill('已约谈当事人及其丈夫，出具家庭暴力告诫书，正在协调调解。');
  await screenshot(page, 'duban-case-page');
  await banner.getByRole('button', { name: /提交督办回复/ }).click();
  await page.locator('.duban-history summary', { hasText: '已回复的督办（1）' }).waitFor();
  assert.equal(await banner.count(), 0);
  await page.locator('.case-timeline li', { hasText: '已约谈当事人及其丈夫' }).getByText('按期回复').waitFor();

  // The flag clears: nothing left under the filter, no badge in the list.
  await page.goto(`${srv.url}/#/cases?supervised=1`);
  await page.locator('td.empty').waitFor();
  assert.equal(await page.locator('tr.case-row').count(), 0);
  await page.goto(`${srv.url}/#/cases`);
  await row.waitFor();
  assert.equal(await row.locator('.duban-badge').count(), 0);
  await logout(page);

  await login(page, srv.url, COUNTY_SUP);
  tile = await dashboardTile(page);
  await page.waitForFunction(() => document.querySelector('#dash-duban .dash-kpi-value')?.textContent === '0');
  await logout(page);
  browser.assertNoProblems();
});

test('the city 交办s to a county with a report due in 20 days and supervises it; it returns the report once, then accepts it', async () => {
  const { page } = browser;
  const county = operatorApi.user.office_id;
  const step = async (api, id, ev, data = {}) => {
    const cur = (await api.get(`/api/v1/cases/${id}`)).body;
    const r = await api.post(`/api/v1/cases/${id}/transitions`, { event: ev, version: cur.version, data });
    assert.equal(r.status, 200, `${ev}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const c = await createCase(supervisorApi, { phone: uniquePhone(), summary: '交办并督办：家暴求助', narrative: '市妇联接到来电，交县妇联办理并督办。' });
  const sent = await step(supervisorApi, c.id, 'delegate', {
    target_office_id: county, reason: '当事人住永兴县，交县妇联办理并报送结果。', report_due_days: 20,
    notice_method: 'phone', notice_on_the_spot: true,
  });
  assert.equal(sent.status, 'delegated');
  assert.equal(sent.deadlines[0].days_left, 20);
  const theirs = sent.transferred_to.id;

  // The city opens the county's case from its own (交办中) one and puts it under 督办.
  await login(page, srv.url, DEMO.supervisor);
  await openCase(page, c);
  await page.locator('.case-title-row').getByText('交办中').waitFor();
  await openCase(page, { id: theirs, case_no: sent.transferred_to.case_no });
  const dialog = await superviseThroughDialog(page, '请在 20 日内办结并报送办结报告。', shanghaiDate(20));
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.duban-banner').getByText('郴州市妇联督办').waitFor();
  await logout(page);

  // The county answers the 督办 at the desk, then handles, replies, closes and reports.
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases?supervised=1`);
  await page.locator('tr.case-row', { hasText: sent.transferred_to.case_no }).locator('a.case-no').click();
  const banner = page.locator('.duban-banner');
  await banner.getByLabel('督办回复').fill('已受理，正在调查核实，将按期报送办结报告。');
  await banner.getByRole('button', { name: /提交督办回复/ }).click();
  await page.locator('.duban-history summary', { hasText: '已回复的督办（1）' }).waitFor();
  await logout(page);
  const closeAndReport = async () => {
    await step(operatorApi, theirs, 'reply', { replied_at: shanghaiDate(0), method: 'phone', opinion: 'support', basis: '已调解' });
    await step(operatorApi, theirs, 'request_closure', { outcome: 'resolved', summary: '已调解', losses_avoided_fen: 0 });
    await step(supervisorApi, theirs, 'approve_closure');
    await step(operatorApi, theirs, 'submit_report');
  };
  await step(operatorApi, theirs, 'accept', { notice_method: 'phone', notice_on_the_spot: true });
  await closeAndReport();

  // The city returns the report once, then accepts it.
  await login(page, srv.url, DEMO.supervisor);
  await openCase(page, c);
  await page.locator('button[data-event="return_report"]').click();
  let d = page.getByRole('dialog');
  await d.getByLabel('退回理由').fill('缺少调解笔录，请补充后重报。');
  await d.getByLabel('报送办结报告期限（天）').fill('10');
  await page.keyboard.press('Control+Enter');
  await d.waitFor({ state: 'detached' });
  await page.locator('#case-procedure').getByText('已退回 1 次', { exact: false }).waitFor();
  await closeAndReport();
  await page.reload();
  await page.locator('button[data-event="accept_report"]').click();
  d = page.getByRole('dialog');
  await page.keyboard.press('Control+Enter');
  await d.waitFor({ state: 'detached' });
  await page.locator('.case-title-row').getByText('已办结').waitFor();
  const done = (await supervisorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(done.sent.report_state, 'accepted');
  const supervised = (await supervisorApi.get(`/api/v1/cases/${theirs}`)).body.supervisions;
  assert.equal(supervised.length, 1);
  assert.equal(supervised[0].open, false);
  await logout(page);
  browser.assertNoProblems();
});

// Last: it moves the server's clock.
test('an unanswered 督办 past its due date shows red and is counted overdue; answered in English, it is marked late', async () => {
  const { page } = browser;
  const c = await createCase(operatorApi, { phone: uniquePhone(), summary: '督办逾期：家暴求助', narrative: '督办逾期未回复。' });
  const r = await supervisorApi.post(`/api/v1/cases/${c.id}/supervisions`, { note: '请于明日前报告办理情况。', due_date: shanghaiDate(1) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await setTime(srv, srv.now() + 2 * DAY, browser);

  await login(page, srv.url, DEMO.supervisor);
  await (await dashboardTile(page)).getByText('其中逾期 1 件').waitFor();
  await logout(page);

  await login(page, srv.url, DEMO.operator);
  await openCase(page, c);
  const banner = page.locator('.duban-banner.alert-error');
  await banner.getByText('已逾期').waitFor();
  const color = await banner.locator('.duban-due').evaluate((el) => getComputedStyle(el).color);
  assert.equal(color, 'rgb(180, 35, 24)');  // --danger
  await screenshot(page, 'duban-overdue');
  // The same in English; the answer typed and sent with Ctrl+Enter.
  await page.getByRole('button', { name: 'English' }).click();
  const en = page.locator('.duban-banner');
  await en.getByText('Supervised by 郴州市妇联').waitFor();
  await en.getByText('Overdue', { exact: true }).waitFor();
  await en.getByLabel('Answer to the supervision').focus();
  await page.keyboard.type('Handled late: the family was visited today.');
  await page.keyboard.press('Control+Enter');
  await page.locator('.duban-history summary', { hasText: 'Answered supervisions (1)' }).waitFor();
  await page.locator('.duban-history summary').press('Enter');  // the answered ones are folded away
  await page.locator('.duban-answered-item').getByText('Late', { exact: true }).waitFor();
  await screenshot(page, 'duban-answered-late-en');
  await page.getByRole('button', { name: '中文' }).click();
  await page.locator('.duban-history summary', { hasText: '已回复的督办（1）' }).waitFor();
  await logout(page);

  await login(page, srv.url, DEMO.supervisor);
  const tile = await dashboardTile(page);
  await tile.getByText('无逾期督办').waitFor();  // answered (late): no longer open, so not overdue
  await logout(page);
  browser.assertNoProblems();
});

// 复查 and 复核 at the desk (issue #13, story 4): the county replied and closed the case; the person is
// dissatisfied, so the city (one level up) records her request for a review and answers it; still
// dissatisfied, she asks the province, which records the re-review and answers it; the case page then
// says the matter is not accepted again (不再受理), and so does the screen-pop when she calls again. The
// county operator sees it all but may record none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createApprovedAccount, createCase, uniquePhone, screenshot } from './helpers.mjs';

let srv;
let browser;
let operatorApi;
let supervisorApi;
const PROVINCE = { username: 'hunan_review', password: 'province-review-2026' };

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  operatorApi = await apiClient(srv.url, DEMO.operator);
  supervisorApi = await apiClient(srv.url, DEMO.supervisor);
  const admin = await apiClient(srv.url, DEMO.admin);
  const province = (await admin.get('/api/v1/offices')).body.items.find((o) => o.region_code === '430000');
  await createApprovedAccount(srv.url, { username: PROVINCE.username, display_name: '省妇联权益部', password: PROVINCE.password, role: 'supervisor', office_id: province.id });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

function shanghaiToday() {
  return new Date(srv.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

async function step(api, id, event, data = {}) {
  const cur = (await api.get(`/api/v1/cases/${id}`)).body;
  const r = await api.post(`/api/v1/cases/${id}/transitions`, { event, version: cur.version, data });
  assert.equal(r.status, 200, `${event}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function openCase(page, c) {
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
}

async function recordRequest(page, kind, text) {
  const card = page.locator('#case-reviews');
  await card.getByRole('button', { name: `登记${kind}申请` }).click();
  const form = card.locator('form.review-request');
  await form.getByLabel('申请事项和理由').fill(text);
  await form.getByRole('button', { name: '登记申请' }).click();
  await card.locator('.review-item', { hasText: text }).waitFor();
}

async function recordAnswer(page, kind, basis, docNo) {
  const card = page.locator('#case-reviews');
  await card.getByRole('button', { name: `登记${kind}意见` }).click();
  const form = card.locator('form.review-decide');
  await form.getByRole('button', { name: '保存意见' }).click();  // nothing chosen: told beside the fields
  await form.locator('[data-field="decision"] .field-error').waitFor();
  await form.locator('label.radio-pill', { hasText: '维持原处理意见' }).click();
  await form.getByLabel('理由和依据').fill(basis);
  await form.getByLabel('意见书文号').fill(docNo);
  await form.getByRole('button', { name: '保存意见' }).click();
  await card.locator('.review-item', { hasText: docNo }).waitFor();
}

test('a review at the city, then a re-review at the province, then 不再受理', async () => {
  const { page } = browser;
  const phone = uniquePhone();
  const c = await createCase(operatorApi, { phone, summary: '宅基地分配纠纷', narrative: '当事人认为村里未按规定分配宅基地。' });
  await step(operatorApi, c.id, 'accept', { notice_method: 'phone', notice_on_the_spot: true });
  await step(operatorApi, c.id, 'reply', { replied_at: shanghaiToday(), method: 'written', opinion: 'not_support', basis: '经核实，分配符合村规民约', document_no: '永妇复〔2026〕21号' });
  await step(operatorApi, c.id, 'request_closure', { outcome: 'resolved', summary: '已书面答复', losses_avoided_fen: 0 });
  await step(supervisorApi, c.id, 'approve_closure');

  // The county sees where she may go, but the request is the city's to record.
  await login(page, srv.url, DEMO.operator);
  await openCase(page, c);
  const card = page.locator('#case-reviews');
  await card.getByText('向郴州市妇联申请复查', { exact: false }).waitFor();
  assert.equal(await card.getByRole('button', { name: '登记复查申请' }).count(), 0);
  await logout(page);

  await login(page, srv.url, DEMO.supervisor);
  await openCase(page, c);
  await recordRequest(page, '复查', '对县妇联的答复不服，请求市妇联复查。');
  assert.match(await card.innerText(), /前答复/);
  await recordAnswer(page, '复查', '县妇联答复认定事实清楚，维持。', '郴妇复查〔2026〕5号');
  await card.getByText('向湖南省妇联申请复核', { exact: false }).waitFor();
  await page.locator('.case-timeline').getByText('复查意见').first().waitFor();
  await logout(page);

  await login(page, srv.url, PROVINCE);
  await openCase(page, c);
  await recordRequest(page, '复核', '对市妇联复查意见仍不服，请求复核。');
  await recordAnswer(page, '复核', '复查意见正确，维持。', '湘妇复核〔2026〕2号');
  await page.locator('#review-final', { hasText: '不再受理' }).waitFor();
  await screenshot(page, 'review-final');
  assert.equal(await card.locator('button').count(), 0, 'nothing more to record');
  const timeline = await page.locator('.case-timeline').innerText();
  assert.match(timeline, /申请复核/);
  assert.doesNotMatch(timeline, /\b(requested_at|decided_at|decision|re_review)\b/);
  await logout(page);

  // She calls the county again about it: the screen-pop says the matter is not accepted again.
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/intake`);
  await page.locator('[data-path="complainant.phone"]').fill(phone);
  const final = page.locator('.repeat-panel .repeat-final');
  await final.waitFor();
  assert.match(await final.innerText(), /不再受理/);
  assert.match(await page.locator('.repeat-panel').innerText(), /已复核，不再受理/);
  await screenshot(page, 'review-screen-pop-final');
  browser.assertNoProblems();
});

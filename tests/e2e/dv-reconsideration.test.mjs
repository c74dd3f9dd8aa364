// 复议 of a protection-order ruling at the desk (反家庭暴力法 Art. 31; issue #13), in Chinese: the
// respondent asks the court to reconsider a granted order; the order stays in force (有效) while it is
// pending; the court revokes it (撤销) and the order shows 已撤销, with no further 复议, extension or
// violation offered; both steps are on the timeline. Before it is asked the card gives the last day (5 days
// after the ruling); an order ruled 6 days ago says the time is over and offers no 复议.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, createCase, uniquePhone } from './helpers.mjs';

const COURT_NAME = '永兴县人民法院';
let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// A case with an order the court granted `ruledAgoMs` ago (applied an hour before), in force 90 days.
async function grantedOrder(api, summary, ruledAgoMs) {
  const c = await createCase(api, { phone: uniquePhone(), summary, narrative: '法院已签发人身安全保护令。' });
  const court = (await api.get('/api/v1/partners?type=court')).body.items.find((p) => p.name === COURT_NAME);
  const applied = new Date(srv.now() - ruledAgoMs - 3600e3).toISOString();
  let r = await api.post(`/api/v1/cases/${c.id}/protection-orders`, { court_partner_id: court.id, applied_at: applied, court_accepted_at: applied });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await api.patch(`/api/v1/protection-orders/${r.body.id}`, {
    version: r.body.version, status: 'granted', ruled_at: new Date(srv.now() - ruledAgoMs).toISOString(),
    expires_at: new Date(srv.now() + 90 * 86400e3).toISOString().slice(0, 10),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { c, order: r.body };
}

test('the respondent asks for 复议 of a granted order; in force meanwhile; the court revokes it', async () => {
  const { page } = browser;
  const api = await apiClient(srv.url, DEMO.operator);
  const { c, order } = await grantedOrder(api, '丈夫殴打，已申请保护令', 2 * 3600e3);
  const orderId = order.id;

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  const item = page.locator('#dv-orders .dv-po-item', { hasText: COURT_NAME });
  await item.locator('.badge', { hasText: '有效' }).waitFor();
  const lastDay = new Date(Date.parse(order.reconsideration_due) + 8 * 3600e3).toISOString().slice(0, 10);
  await item.locator('.dv-po-reconsideration').getByText(/当事人可自裁定生效之日起 5 日内向法院申请，最迟 .+ 24 时/).waitFor();
  assert.ok(lastDay > new Date(srv.now() + 8 * 3600e3).toISOString().slice(0, 10), 'the 5th day after today’s ruling');

  await item.getByRole('button', { name: '申请复议' }).click();
  const ask = item.locator('form.dv-po-reconsider');
  await ask.getByText('复议期间不停止人身安全保护令的执行').waitFor();
  await ask.getByRole('button', { name: '登记复议申请' }).click();  // the party is missing
  await ask.locator('[data-field="applied_by"] .field-error', { hasText: /\S/ }).waitFor();
  await ask.getByLabel('被申请人').check();
  await ask.getByLabel('说明').fill('被申请人认为家暴事实不清，向法院申请复议。');
  await ask.getByRole('button', { name: '登记复议申请' }).click();
  await ask.waitFor({ state: 'detached' });
  const line = item.locator('.dv-po-reconsideration');
  await line.getByText('被申请人于', { exact: false }).waitFor();
  assert.match(await line.innerText(), /待法院决定（复议期间保护令继续执行）/);
  await item.locator('.badge', { hasText: '有效' }).waitFor();  // not suspended
  assert.equal(await item.getByRole('button', { name: '申请复议' }).count(), 0, 'asked once only');
  await item.scrollIntoViewIfNeeded();
  await screenshot(page, 'dv-reconsideration-pending');

  await item.getByRole('button', { name: '登记复议结果' }).click();
  const decide = item.locator('form.dv-po-reconsider-decide');
  await decide.getByLabel('撤销').check();
  await decide.getByRole('button', { name: '保存复议结果' }).click();
  await decide.waitFor({ state: 'detached' });
  await line.getByText('决定：撤销', { exact: false }).waitFor();
  await item.locator('.badge', { hasText: '已撤销' }).waitFor();
  for (const name of ['登记复议结果', '申请复议', '延长', '登记违反']) {
    assert.equal(await item.getByRole('button', { name: new RegExp(name) }).count(), 0, `${name} is not offered`);
  }
  const timeline = page.locator('.case-timeline');
  await timeline.locator('li', { hasText: '保护令裁定申请复议' }).getByText('被申请人', { exact: true }).waitFor();
  await timeline.locator('li', { hasText: '保护令复议结果' }).getByText('撤销', { exact: true }).waitFor();
  assert.doesNotMatch(await timeline.innerText(), /reconsideration|respondent|revoked/);
  await item.scrollIntoViewIfNeeded();
  await screenshot(page, 'dv-reconsideration-revoked');

  const o = (await api.get(`/api/v1/protection-orders/${orderId}`)).body;
  assert.equal(o.reconsideration.applied_by, 'respondent');
  assert.equal(o.reconsideration.result, 'revoked');
  assert.equal(o.in_force, false);
  browser.assertNoProblems();
  await logout(page);
});

test('six days after the ruling the time for 复议 is over: the card says so and offers none', async () => {
  const { page } = browser;
  const api = await apiClient(srv.url, DEMO.operator);
  const { c, order: o } = await grantedOrder(api, '保护令已签发六天', 6 * 86400e3);
  // The server refuses it too, naming the last day.
  const late = await api.post(`/api/v1/protection-orders/${o.id}/reconsideration`,
    { version: o.version, applied_at: new Date(srv.now()).toISOString(), applied_by: 'respondent' });
  assert.equal(late.status, 422);
  assert.match(late.body.error.fields.applied_at, /^more than 5 days after the ruling: 复议 is asked by \d{4}-\d{2}-\d{2}$/);

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  const item = page.locator('#dv-orders .dv-po-item').filter({ has: page.locator('.dv-po-reconsideration', { hasText: '届满' }) });
  await item.locator('.dv-po-reconsideration').getByText(/未申请；5 日期限已于 .+ 届满/).waitFor();
  assert.equal(await item.getByRole('button', { name: '申请复议' }).count(), 0, 'no 复议 offered after the 5 days');
  await item.scrollIntoViewIfNeeded();
  await screenshot(page, 'dv-reconsideration-window-over');
  browser.assertNoProblems();
  await logout(page);
});

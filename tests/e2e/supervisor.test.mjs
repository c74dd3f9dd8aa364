// Closure needs two people: the operator requests it, the supervisor approves it. A stale version
// (someone else changed the case meanwhile) is explained, and reloading keeps what was typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone } from './helpers.mjs';

let srv;
let browser;
let operatorApi;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  operatorApi = await apiClient(srv.url, DEMO.operator);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function acceptedCase(summary) {
  const c = await createCase(operatorApi, { phone: uniquePhone(), summary, narrative: `${summary}。来电人希望妇联协调。` });
  const full = (await operatorApi.get(`/api/v1/cases/${c.id}`)).body;
  const r = await operatorApi.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: full.version, data: { notice_method: 'phone', notice_on_the_spot: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // The reply (答复) to the person comes before a closure can be requested.
  const today = new Date(srv.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const replied = await operatorApi.post(`/api/v1/cases/${c.id}/transitions`, {
    event: 'reply', version: r.body.version, data: { replied_at: today, method: 'phone', opinion: 'support', basis: '经协调对方同意赔偿' } });
  assert.equal(replied.status, 200, JSON.stringify(replied.body));
  return replied.body;
}

test('the operator requests closure and the supervisor approves it, after a 409 that keeps her note', async () => {
  const { page } = browser;
  const c = await acceptedCase('邻里纠纷引发的人身伤害');

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
  assert.equal(await page.getByRole('button', { name: '批准结案' }).count(), 0, 'an operator cannot approve closures');
  await page.getByRole('button', { name: '申请结案' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /^申请结案/ }).click(); // empty: the form explains what is missing
  await dialog.locator('[data-field="summary"] .field-error').getByText('此项必填').waitFor();
  await dialog.getByLabel('办理结果').selectOption('resolved');
  await dialog.getByLabel('办结情况说明').fill('经调解双方达成赔偿协议，对方已支付医药费。');
  await dialog.getByLabel('避免经济损失（元）').fill('1,200.50');
  await dialog.getByRole('button', { name: /^申请结案/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.case-header').getByText('待审核').waitFor();
  const pending = (await operatorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(pending.status, 'pending_closure');
  assert.equal(pending.losses_avoided_fen, 120050, 'yuan typed by the user are sent as integer fen');
  await logout(page);

  await login(page, srv.url, DEMO.supervisor);
  await page.getByRole('link', { name: '待审核结案' }).click();
  await page.getByRole('link', { name: c.case_no }).click();
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
  await page.getByRole('button', { name: '批准结案' }).click();
  await dialog.getByLabel('备注（可选）').fill('同意结案，请做好回访。');

  // Meanwhile the operator edits the case: the supervisor's page now holds a stale version.
  const r = await operatorApi.patch(`/api/v1/cases/${c.id}`, { version: pending.version, summary: '邻里纠纷引发的人身伤害（已赔偿）' });
  assert.equal(r.status, 200, JSON.stringify(r.body));

  await dialog.getByRole('button', { name: /^批准结案/ }).click();
  await dialog.getByText('此个案刚刚被其他人更新').waitFor();
  assert.equal(await dialog.getByLabel('备注（可选）').inputValue(), '同意结案，请做好回访。');
  await dialog.getByRole('button', { name: '载入最新个案（保留我填写的内容）' }).click();
  await dialog.getByText('已载入最新版本').waitFor();
  assert.equal(await dialog.getByLabel('备注（可选）').inputValue(), '同意结案，请做好回访。', 'the reload keeps the typed note');
  await page.locator('.case-summary', { hasText: '（已赔偿）' }).waitFor();
  await dialog.getByRole('button', { name: /^批准结案/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.case-header').getByText('已办结').waitFor();
  await page.locator('.case-timeline').getByText('同意结案，请做好回访。').waitFor();
  const closed = (await operatorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(closed.status, 'closed');
  assert.deepEqual(await page.locator('.action-buttons button[data-event]').evaluateAll((els) => els.map((e) => e.dataset.event)), ['reopen'],
    'a closed case offers the supervisor only to reopen it');
  browser.assertNoProblems();
  await logout(page);
});

test('editing the case text: a 409 is explained and reloading keeps the typed text', async () => {
  const { page } = browser;
  const c = await acceptedCase('婆家阻止探望孩子');
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
  await page.locator('.case-matter').getByRole('button', { name: '编辑' }).click();
  const narrative = page.locator('#edit-narrative');
  await narrative.fill('离婚后孩子随父亲生活，婆家多次阻止母亲探望。我补充的内容。');

  const latest = (await operatorApi.get(`/api/v1/cases/${c.id}`)).body;
  const r = await operatorApi.patch(`/api/v1/cases/${c.id}`, { version: latest.version, summary: '婆家阻止探望孩子（他人修改）' });
  assert.equal(r.status, 200);

  await page.locator('.edit-form').getByRole('button', { name: /^保存/ }).click();
  await page.locator('.edit-form').getByText('此个案刚刚被其他人更新').waitFor();
  assert.equal(await narrative.inputValue(), '离婚后孩子随父亲生活，婆家多次阻止母亲探望。我补充的内容。');
  await page.getByRole('button', { name: '载入最新个案（保留我填写的内容）' }).click();
  await page.locator('.edit-form .latest-version').getByText('婆家阻止探望孩子（他人修改）').waitFor();
  assert.equal(await narrative.inputValue(), '离婚后孩子随父亲生活，婆家多次阻止母亲探望。我补充的内容。', 'the typed text survives the reload');
  assert.equal(await page.locator('#edit-summary').inputValue(), '婆家阻止探望孩子（他人修改）', 'a field the user did not touch takes the latest text');
  await page.locator('.edit-form').getByRole('button', { name: /^保存/ }).click();
  await page.locator('.case-narrative', { hasText: '我补充的内容' }).waitFor();
  const saved = (await operatorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(saved.narrative, '离婚后孩子随父亲生活，婆家多次阻止母亲探望。我补充的内容。');
  assert.equal(saved.summary, '婆家阻止探望孩子（他人修改）', "the other person's change is not overwritten");

  // Notes go to the timeline.
  await page.getByLabel('添加备注').fill('已电话回访，当事人情绪稳定。');
  await page.getByLabel('添加备注').press('Control+Enter');
  await page.locator('.case-timeline').getByText('已电话回访，当事人情绪稳定。').waitFor();
  assert.equal(await page.getByLabel('添加备注').inputValue(), '');
  browser.assertNoProblems();
});

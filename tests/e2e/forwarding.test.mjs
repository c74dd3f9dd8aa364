// 转送 / 交办: the operator forwards a case to another county's federation through the case page;
// the receiving county works it with the original's history on its timeline; the sending county
// follows it read-only (no actions, no forms) and sees its status change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone, screenshot } from './helpers.mjs';

let srv;
let browser;
let operatorApi;
let operator2Api;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  operatorApi = await apiClient(srv.url, DEMO.operator);
  operator2Api = await apiClient(srv.url, DEMO.operator2);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('a forwarded case moves with its history and the sender follows it read-only', async () => {
  const { page } = browser;
  const c = await createCase(operatorApi, { phone: uniquePhone(), summary: '婚后长期遭受丈夫殴打，现居桂阳', narrative: '来电人已搬到桂阳县娘家居住，希望当地妇联帮助。' });

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
  await page.getByRole('button', { name: '转送', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('接收单位').selectOption({ label: '桂阳县妇联（431021）' });
  await dialog.getByLabel('理由').fill('当事人现居桂阳县，转当地妇联就近办理。');
  // The notice to the person: by phone (the call's usual way), today.
  assert.equal(await dialog.getByLabel('电话').isChecked(), true);
  await dialog.getByRole('button', { name: /^转送/ }).click();
  await dialog.waitFor({ state: 'detached' });

  // The original is closed here and says where it went, with the receiving side's status.
  const note = page.locator('#case-transferred-to');
  await note.getByText('桂阳县妇联').waitFor();
  await note.getByText('已登记').waitFor();
  const moved = (await operatorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(moved.status, 'forwarded');
  await page.locator('.case-header').getByText('已转送').first().waitFor();
  await page.locator('#case-procedure .proc-notice[data-decision="forward"]').waitFor();
  const newId = moved.transferred_to.id;
  const newNo = moved.transferred_to.case_no;
  assert.match(newNo, /^431021-/);
  await page.locator('.tl-item', { hasText: '转送' }).last().waitFor();

  // The sender opens the new case: read-only, no workflow buttons, no note form, no upload.
  await note.getByRole('link', { name: newNo }).click();
  await page.locator('.case-no-title', { hasText: newNo }).waitFor();
  await page.locator('#case-read-only').getByText('桂阳县妇联').waitFor();
  assert.equal(await page.locator('.case-actions').count(), 0);
  assert.equal(await page.locator('#note-text').count(), 0);
  assert.equal(await page.locator('.dropzone').count(), 0);
  assert.equal(await page.getByRole('button', { name: '编辑' }).count(), 0);
  // Its timeline carries the original's history, marked as such.
  await page.locator('.tl-inherited .tl-origin', { hasText: c.case_no }).first().waitFor();
  await screenshot(page, 'forwarded-read-only');
  await logout(page);

  // The receiving county accepts it; the sender sees the new status without asking anyone.
  const received = (await operator2Api.get(`/api/v1/cases/${newId}`)).body;
  assert.equal(received.read_only, false);
  // Its 15 days start the day it arrived; the first receipt is kept for reference.
  assert.equal(received.deadlines[0].kind, 'acceptance');
  assert.equal(received.deadlines[0].days_left, 15);
  assert.equal(received.first_received_at, moved.received_at);
  const r = await operator2Api.post(`/api/v1/cases/${newId}/transitions`, { event: 'accept', version: received.version, data: { notice_method: 'phone', notice_on_the_spot: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('#case-transferred-to').getByText('办理中').waitFor();
  browser.assertNoProblems();
  await logout(page);
});

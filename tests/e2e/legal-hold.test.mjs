// 法律保留 (legal hold, issue #16 retention) at the desk: the city supervisor places a hold on a county
// case with a reason (a blank reason is refused beside the field), the case page says it is held and
// the server has it; the operator sees the banner but cannot release it; the supervisor releases it
// and the case is back to 设置法律保留. Screenshot: legal-hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone, screenshot, axeViolations } from './helpers.mjs';

let srv;
let browser;
let theCase;
let operatorApi;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  operatorApi = await apiClient(srv.url, DEMO.operator);
  theCase = await createCase(operatorApi, { phone: uniquePhone(), summary: '诉讼中的家暴个案', narrative: '法院要求保留材料。' });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('a supervisor places and releases a legal hold; the operator sees it held', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/cases/${theCase.id}`);
  await page.getByRole('button', { name: '设置法律保留' }).click();
  const dialog = page.getByRole('dialog', { name: '设置法律保留' });
  await dialog.getByRole('button', { name: /设置保留/ }).click();
  await dialog.getByText('此项必填').waitFor();
  await dialog.getByLabel('保留原因').fill('离婚诉讼进行中，法院调取材料');
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
  const banner = page.locator('.legal-hold-banner');
  await banner.getByText('法律保留中').waitFor();
  await banner.getByText(/离婚诉讼进行中/).waitFor();
  const held = (await operatorApi.get(`/api/v1/cases/${theCase.id}`)).body.legal_hold;
  assert.equal(held.reason, '离婚诉讼进行中，法院调取材料');
  const serious = (await axeViolations(page, '.legal-hold')).filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious, []);
  await screenshot(page, 'legal-hold');
  browser.assertNoProblems();
  await logout(page);

  // The operator sees it, and cannot release it.
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${theCase.id}`);
  await page.locator('.legal-hold-banner').getByText('法律保留中').waitFor();
  assert.equal(await page.getByRole('button', { name: '解除保留' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: '设置法律保留' }).count(), 0);
  await logout(page);

  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/cases/${theCase.id}`);
  await page.getByRole('button', { name: '解除保留' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '解除保留' }).click();
  await page.getByRole('button', { name: '设置法律保留' }).waitFor();
  assert.equal(await page.locator('.legal-hold-banner').count(), 0);
  assert.equal((await operatorApi.get(`/api/v1/cases/${theCase.id}`)).body.legal_hold, null);
  browser.assertNoProblems();
  await logout(page);
});

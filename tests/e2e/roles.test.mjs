// Role-aware desk: a partner agency sees its referrals list and opens only cases referred to it;
// an administrator sees no case content; an operator of another county gets "not found".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone } from './helpers.mjs';

let srv;
let browser;
let unreferred;
let referred;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  const api = await apiClient(srv.url, DEMO.operator);
  unreferred = await createCase(api, { phone: uniquePhone(), summary: '未转介的个案：宅基地纠纷', narrative: '哥哥占用了父母留下的宅基地。' });
  referred = await createCase(api, { phone: uniquePhone(), summary: '已转介公安的个案', narrative: '丈夫醉酒后砸毁家具并殴打。' });
  let c = (await api.get(`/api/v1/cases/${referred.id}`)).body;
  c = (await api.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: c.version, data: { notice_method: 'phone', notice_on_the_spot: true } })).body;
  const police = (await api.get('/api/v1/partners?type=police')).body.items[0];
  const r = await api.post(`/api/v1/cases/${c.id}/transitions`, {
    event: 'refer', version: c.version, data: { partner_id: police.id, service: 'police_response', consent_given: true },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function navTexts(page) {
  return page.locator('.mainnav a').evaluateAll((els) => els.map((e) => e.firstChild.textContent.trim()));
}

test('a partner user sees only the referrals list; a case URL opens only for a case referred to the agency', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.police);
  await page.getByRole('heading', { name: '我的转介' }).waitFor();
  assert.deepEqual(await navTexts(page), ['我的转介']);
  await page.locator('.referrals-page tbody tr', { hasText: referred.case_no }).waitFor();
  assert.equal(await page.getByText(unreferred.case_no).count(), 0, 'a case not referred to the agency is not listed');

  for (const path of [`/#/cases/${unreferred.id}`, `/cases/${unreferred.id}`, '/#/intake', '/#/cases']) {
    await page.goto(`${srv.url}${path}`);
    await page.getByRole('heading', { name: '未找到' }).waitFor();
    const text = await page.locator('#view').innerText();
    assert.ok(!text.includes(unreferred.case_no) && !text.includes('宅基地') && !text.includes('醉酒'), `no case content at ${path}`);
  }
  // The server decides: the referred case opens in the partner view (no workflow buttons, no notes).
  await page.goto(`${srv.url}/#/cases/${referred.id}`);
  await page.locator('.case-no-title', { hasText: referred.case_no }).waitFor();
  await page.locator('.referrals-card').getByRole('button', { name: '接收转介' }).waitFor();
  assert.equal(await page.locator('.case-actions').count(), 0);
  assert.equal(await page.locator('.note-form').count(), 0);
  browser.assertNoProblems();
  await logout(page);
});

test('an administrator sees no case content', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.admin);
  await page.getByRole('heading', { name: '系统管理' }).waitFor();
  assert.deepEqual(await navTexts(page), ['系统管理', '账户管理', '待审批']);
  await page.getByRole('cell', { name: '永兴县妇联' }).waitFor();
  await page.goto(`${srv.url}/#/cases/${unreferred.id}`);
  await page.getByRole('heading', { name: '未找到' }).waitFor();
  assert.ok(!(await page.locator('#view').innerText()).includes(unreferred.case_no));
  browser.assertNoProblems();
  await logout(page);
});

test("an operator of another county gets not-found for this county's case", async () => {
  const { page } = browser;
  await login(page, srv.url, { username: 'operator2', password: 'guiyang-demo-2026' });
  assert.deepEqual(await navTexts(page), ['接听登记', '本单位个案', '回访']);
  await page.goto(`${srv.url}/#/cases/${unreferred.id}`);
  await page.getByText('未找到该个案，或该个案不在您的查看范围内。').waitFor();
  assert.ok(!(await page.locator('#view').innerText()).includes('宅基地'));
  await logout(page);
});

test('the supervisor sees the counties below her office and gets the supervisor navigation', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.supervisor);
  assert.deepEqual(await navTexts(page), ['监督看板', '接听登记', '本单位个案', '待审核结案', '回访', '工作量', '统计报表', '台账导入']);
  // Her day starts on the dashboard; the office's cases are one click away.
  await page.getByRole('heading', { name: '监督看板' }).waitFor();
  await page.locator('.mainnav a', { hasText: '本单位个案' }).click();
  await page.getByRole('heading', { name: '本单位个案' }).waitFor();
  await page.getByLabel('搜索').fill('宅基地纠纷');
  await page.getByLabel('搜索').press('Enter');
  await page.locator('.cases-table tbody tr', { hasText: unreferred.case_no }).waitFor();
  browser.assertNoProblems();
  await logout(page);
});

// The partner directory in a real browser (issue 5): the administrator adds a legal-aid centre with
// two region codes and its services, edits it (the version goes up), sees a 422 beside the region
// field and a 409 that keeps what was typed, deactivates it; imports a CSV with two good lines and a
// bad one and sees the bad line's reason. An operator's referral form then offers the imported
// partners and the reactivated one, never a deactivated one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, createCase, uniquePhone } from './helpers.mjs';

const NEW_NAME = '郴州市北湖区法律援助中心';
const IMPORTED = ['桂阳县公安局城关派出所', '桂阳县婚姻家庭纠纷人民调解委员会'];
const CSV = [
  '名称,类型,辖区,服务,电话,联系人,办公时间',
  `${IMPORTED[0]},公安,431021,出警处置；告诫书,0735-4400110,刘警官,全天`,
  `${IMPORTED[1]},调解委员会,431021、431023,调解,0735-4400000,王主任,工作日 8:30-17:30`,
  '某某维权服务站,维权站,431021,调解,,,',
].join('\r\n');

let srv;
let browser;
let admin;
let operator;
let created;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  admin = await apiClient(srv.url, DEMO.admin);
  operator = await apiClient(srv.url, DEMO.operator);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const partnerByName = async (name) => (await admin.get('/api/v1/partners')).body.items.find((p) => p.name === name);

test('the administrator adds, edits and deactivates a partner; field errors and conflicts are shown', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.admin);
  await page.getByRole('heading', { name: '系统管理' }).waitFor();
  const table = page.locator('.pd-table');
  await table.locator('tr', { hasText: '永兴县公安局城关派出所' }).waitFor();

  // --- create ---
  await page.getByRole('button', { name: '新增合作单位' }).click();
  let dialog = page.getByRole('dialog', { name: '新增合作单位' });
  // Name and type are checked before anything is sent.
  await dialog.getByRole('button', { name: /^新增/ }).click();
  await dialog.locator('[data-field="name"] .field-error').getByText('此项必填').waitFor();
  await dialog.locator('[data-field="type"] .field-error').getByText('此项必填').waitFor();
  await dialog.getByLabel('单位名称').fill(NEW_NAME);
  await dialog.getByLabel('单位类型').selectOption({ label: '法律援助中心' });
  await dialog.getByLabel('辖区（行政区划代码）').fill('431002');
  await dialog.getByRole('button', { name: '永兴县妇联 431023' }).click();
  assert.equal(await dialog.getByLabel('辖区（行政区划代码）').inputValue(), '431002 431023');
  await dialog.getByLabel('法律援助', { exact: true }).check();
  await dialog.getByLabel('支持起诉').check();
  await dialog.getByLabel('联系人').fill('陈律师');
  await dialog.getByLabel('联系电话').fill('0735-2288148');
  await dialog.getByLabel('办公时间').fill('工作日 8:30-12:00，14:30-17:30');
  await screenshot(page, 'partner-form');
  await dialog.getByRole('button', { name: /^新增/ }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = table.locator('tr.pd-row', { hasText: NEW_NAME });
  await row.waitFor();
  assert.match(await row.innerText(), /法律援助中心/);
  assert.match(await row.innerText(), /431002 431023/);
  assert.match(await row.innerText(), /支持起诉/);
  assert.match(await row.innerText(), /启用/);
  created = await partnerByName(NEW_NAME);
  assert.deepEqual(created.region_codes, ['431002', '431023']);
  assert.deepEqual(created.services.sort(), ['legal_aid', 'litigation_support']);
  assert.equal(created.contact_person, '陈律师');
  assert.equal(created.version, 1);
  assert.equal(created.active, true);

  // --- edit: the version goes up ---
  await row.getByRole('button', { name: `修改${NEW_NAME}` }).click();
  dialog = page.getByRole('dialog', { name: '修改合作单位' });
  await dialog.getByText('版本 1').waitFor();
  assert.equal(await dialog.getByLabel('联系人').inputValue(), '陈律师');
  assert.ok(await dialog.getByLabel('支持起诉').isChecked());
  await dialog.getByLabel('联系电话').fill('0735-2288149');
  await dialog.getByLabel('验伤').check();
  await dialog.getByRole('button', { name: /^保存/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.getByText('0735-2288149').waitFor();
  let now = await partnerByName(NEW_NAME);
  assert.equal(now.version, 2);
  assert.equal(now.phone, '0735-2288149');
  assert.deepEqual(now.services.sort(), ['injury_exam', 'legal_aid', 'litigation_support']);

  // --- a bad value: the server's 422 lands beside the region field ---
  await row.getByRole('button', { name: `修改${NEW_NAME}` }).click();
  dialog = page.getByRole('dialog', { name: '修改合作单位' });
  await dialog.getByLabel('辖区（行政区划代码）').fill('431002 43102X');
  await dialog.getByRole('button', { name: /^保存/ }).click();
  const regionError = dialog.locator('[data-field="region_codes"] .field-error');
  await regionError.getByText('辖区代码须为六位数字').waitFor();
  assert.equal(await dialog.getByLabel('辖区（行政区划代码）').getAttribute('aria-invalid'), 'true');
  assert.equal((await partnerByName(NEW_NAME)).version, 2, 'nothing was saved');

  // --- someone else saves in between: 409 keeps what was typed, reload, save again ---
  await dialog.getByLabel('辖区（行政区划代码）').fill('431002 431023 431021');
  const other = await admin.patch(`/api/v1/partners/${created.id}`, { version: 2, working_hours: '全天' });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  await dialog.getByRole('button', { name: /^保存/ }).click();
  await dialog.getByText('该合作单位刚被他人修改').waitFor();
  assert.equal(await dialog.getByLabel('辖区（行政区划代码）').inputValue(), '431002 431023 431021');
  await dialog.getByRole('button', { name: /载入最新版本/ }).click();
  await dialog.getByText('已载入最新版本（版本 3）').waitFor();
  await dialog.getByRole('button', { name: /^保存/ }).click();
  await dialog.waitFor({ state: 'detached' });
  now = await partnerByName(NEW_NAME);
  assert.equal(now.version, 4);
  assert.deepEqual(now.region_codes, ['431002', '431023', '431021']);

  // --- deactivate ---
  await row.getByRole('button', { name: `停用${NEW_NAME}` }).click();
  const confirm = page.getByRole('dialog', { name: '请确认' });
  await confirm.getByRole('button', { name: '停用' }).click();
  await confirm.waitFor({ state: 'detached' });
  await row.locator('.badge', { hasText: '已停用' }).waitFor();
  assert.equal((await partnerByName(NEW_NAME)).active, false);
  // The filters: inactive only, then by name.
  await page.getByLabel('状态', { exact: true }).selectOption({ label: '已停用' });
  assert.equal(await table.locator('tr.pd-row').count(), 1);
  await page.getByLabel('状态', { exact: true }).selectOption({ label: '全部' });
  await page.getByLabel('单位类型', { exact: true }).selectOption({ label: '公安' });
  await page.getByRole('searchbox', { name: '搜索' }).fill('城关');
  assert.equal(await table.locator('tr.pd-row').count(), 1);
  assert.match(page.url(), /type=police/);
  await page.getByLabel('单位类型', { exact: true }).selectOption({ label: '全部' });
  await page.getByRole('searchbox', { name: '搜索' }).fill('');
  browser.assertNoProblems();
});

test('CSV import: two partners added, the bad line reported with its reason', async () => {
  const { page } = browser;
  await page.locator('#pd-import-file').setInputFiles({ name: '合作单位.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${CSV}`, 'utf8') });
  await page.getByRole('button', { name: '导入', exact: true }).click();
  const result = page.locator('.pd-import-result');
  await result.getByText('共读取 3 行：新增 2 个单位，更新 0 个已有单位，1 行未导入。').waitFor();
  const bad = result.locator('.pd-rejected tr[data-line="4"]');
  await bad.getByText('第 4 行').waitFor();
  assert.match(await bad.innerText(), /单位类型：无法识别的单位类型/);
  for (const name of IMPORTED) await page.locator('.pd-table tr.pd-row', { hasText: name }).waitFor();
  const mediation = await partnerByName(IMPORTED[1]);
  assert.deepEqual(mediation.region_codes, ['431021', '431023']);
  assert.deepEqual(mediation.services, ['mediation']);
  await page.evaluate(() => {
    document.querySelectorAll('.toast').forEach((t) => t.remove());
    window.scrollTo(0, 0);
  });
  await screenshot(page, 'admin-partners');

  // A file without the needed columns is refused as a whole.
  await page.locator('#pd-import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('电话,联系人\n0735-1,张三\n') });
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await result.getByText('无法读取此文件').waitFor();
  browser.assertNoProblems();
});

test("an operator's referral form offers active partners only", async () => {
  const { page } = browser;
  const c = await createCase(operator, { phone: uniquePhone(), summary: '离婚纠纷，需要法律援助', narrative: '来电人希望申请法律援助。' });
  const cur = (await operator.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal((await operator.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: cur.version, data: { notice_method: 'phone', notice_on_the_spot: true } })).status, 200);
  await logout(page);

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-header').getByText('办理中').waitFor();
  await page.getByRole('button', { name: '转介', exact: true }).click();
  let dialog = page.getByRole('dialog');
  await dialog.locator('.partner-option', { hasText: IMPORTED[1] }).waitFor();
  assert.equal(await dialog.locator('.partner-option', { hasText: NEW_NAME }).count(), 0, 'a deactivated partner is not offered');
  await dialog.getByRole('button', { name: '取消' }).click();

  // Reactivated by the administrator, it is offered again (after the page loads the directory again).
  const p = await partnerByName(NEW_NAME);
  assert.equal((await admin.patch(`/api/v1/partners/${p.id}`, { version: p.version, active: true })).status, 200);
  await page.reload();
  await page.locator('.case-header').getByText('办理中').waitFor();
  await page.getByRole('button', { name: '转介', exact: true }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('单位类型').selectOption({ label: '法律援助中心' });
  await dialog.getByText(NEW_NAME).click();
  assert.equal(await dialog.getByLabel('转介服务').inputValue(), 'legal_aid');
  await dialog.locator('label.radio-pill', { hasText: '已取得同意' }).click();
  await dialog.getByRole('button', { name: /^转介/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.referrals-card .referral-item', { hasText: NEW_NAME }).getByText('已发送').waitFor();
  browser.assertNoProblems();
});

// The supervision desk pages (issue 7): follow-ups (回访) with a dissatisfied answer that the supervisor
// reopens; the workload table and reassigning cases (one stale → 409 shown per case); the ledger (台账) import with its progress,
// rejected lines and the imported cases in the case list. The reports (统计报表) are report.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, createCase, uniquePhone, freezeTime } from './helpers.mjs';

let srv;
let browser;
let opApi;
let supApi;
const TAG = String(Date.now()).slice(-6);

// Shanghai calendar date `days` before the server's today, as YYYY-MM-DD.
function shanghaiDate(daysAgo = 0) {
  const d = new Date(srv.now() + 8 * 3600000 - daysAgo * 86400000);
  return d.toISOString().slice(0, 10);
}
// The supervisor imports a ledger through the API (raw CSV body).
async function importLedger(csv, officeId) {
  const login = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO.supervisor),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  const r = await fetch(`${srv.url}/api/v1/imports?office_id=${officeId}`, {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' }, body: csv,
  });
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  return body;
}

async function selectByText(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}

async function acceptedCase(summary) {
  const c = await createCase(opApi, { phone: uniquePhone(), summary, narrative: `${summary}。` });
  const cur = (await opApi.get(`/api/v1/cases/${c.id}`)).body;
  const r = await opApi.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: cur.version, data: { notice_method: 'phone', notice_on_the_spot: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

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

test('follow-up: the operator records 不满意, the supervisor reopens the case', async () => {
  const { page } = browser;
  await freezeTime(srv, browser); // "20 days since closure" stays 20 should the test clock pass midnight
  // A case closed 20 days ago (due for a follow-up), brought in by a ledger import.
  const summary = `回访测试个案${TAG}：离婚后抚养费未支付`;
  const yongxing = (await supApi.get('/api/v1/offices')).body.items.find((o) => o.name === '永兴县妇联');
  const rep = await importLedger(`\uFEFF登记日期,来源,问题类别,诉求,姓名,电话,状态,办结日期,处理情况\r\n`
    + `${shanghaiDate(25)},来电,抚养探望,${summary},孙女士,${uniquePhone()},办结,${shanghaiDate(20)} 10:00,已协调对方按月支付\r\n`, yongxing.id);
  assert.equal(rep.imported, 1, JSON.stringify(rep));
  const found = (await opApi.get(`/api/v1/cases?q=${encodeURIComponent(`回访测试个案${TAG}`)}`)).body.items;
  assert.equal(found.length, 1);
  const c = found[0];

  await login(page, srv.url, DEMO.operator);
  await page.getByRole('link', { name: '回访', exact: true }).click();
  await page.getByRole('heading', { name: '回访', exact: true }).waitFor();
  const row = page.locator('.fu-table tbody tr', { hasText: c.case_no });
  await row.waitFor();
  assert.equal(await row.locator('td.num').innerText(), '20', 'days since closure');
  assert.match(await row.innerText(), new RegExp(shanghaiDate(20).replace(/-/g, '/')), 'closed date, Shanghai time');
  assert.match(await row.innerText(), /台账导入/, 'outcome of an imported case');
  assert.equal(await page.getByRole('tab', { name: /待回访/ }).getAttribute('aria-selected'), 'true');
  await screenshot(page, 'follow-ups');

  await row.getByRole('button', { name: `登记回访：个案 ${c.case_no}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '保存回访' }).click();
  await dialog.getByText('请选择当事人的评价。').waitFor();
  assert.ok(await dialog.getByLabel('回访时间').inputValue(), 'contacted_at defaults to now');
  await dialog.locator('label.radio-pill', { hasText: /^不满意$/ }).click();
  await dialog.getByLabel('回访记录').fill('当事人称对方仍未支付抚养费，要求妇联继续协调。');
  await dialog.getByRole('button', { name: '保存回访' }).click();
  await dialog.getByText('已登记：当事人不满意。').waitFor();
  await dialog.getByText('是否重新办理由部门负责人决定').waitFor();
  assert.equal(await dialog.getByRole('button', { name: '重新办理' }).count(), 0, 'an operator cannot reopen');
  await screenshot(page, 'follow-ups-dissatisfied-dialog');
  await dialog.getByRole('button', { name: '关闭' }).last().click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });

  await page.getByRole('tab', { name: /不满意/ }).click();
  const drow = page.locator('.fu-table tbody tr', { hasText: c.case_no });
  await drow.getByText('待部门负责人决定是否重新办理').waitFor();
  assert.match(await drow.innerText(), /当事人称对方仍未支付抚养费/);
  assert.match(page.url(), /state=dissatisfied/);
  const fus = (await opApi.get(`/api/v1/cases/${c.id}/follow-ups`)).body.items;
  assert.equal(fus.length, 1);
  assert.equal(fus[0].satisfaction, 'dissatisfied');
  browser.assertNoProblems();
  await logout(page);

  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/follow-ups?state=dissatisfied`);
  const srow = page.locator('.fu-table tbody tr', { hasText: c.case_no });
  await srow.waitFor();
  await screenshot(page, 'follow-ups-dissatisfied');
  await srow.getByRole('button', { name: `重新办理：个案 ${c.case_no}` }).click();
  assert.match(await dialog.getByLabel('重新办理的理由').inputValue(), /回访不满意：当事人称对方仍未支付抚养费/);
  await dialog.getByRole('button', { name: '重新办理' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.toast', { hasText: `个案 ${c.case_no} 已重新办理` }).waitFor();
  await srow.waitFor({ state: 'detached' });
  const reopened = (await supApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(reopened.status, 'in_progress');
  const events = (await supApi.get(`/api/v1/cases/${c.id}/timeline`)).body.items.filter((i) => i.kind === 'event').map((i) => i.event);
  assert.ok(events.includes('reopen'), events.join(','));
  browser.assertNoProblems();
  await logout(page);
});

test('workload: counts per person, reassigning cases one by one with a stale one refused', async () => {
  const { page } = browser;
  const a = await acceptedCase(`工作量测试一${TAG}`);
  const b = await acceptedCase(`工作量测试二${TAG}`);
  const stale = await acceptedCase(`工作量测试三${TAG}`);
  const operatorId = opApi.user.id;
  const supervisorId = supApi.user.id;
  const wl = (await supApi.get('/api/v1/dashboard/workload')).body;
  const opBefore = wl.items.find((i) => i.user.id === operatorId);
  const supBefore = wl.items.find((i) => i.user.id === supervisorId);

  await login(page, srv.url, DEMO.supervisor);
  await page.getByRole('link', { name: '工作量' }).click();
  const opRow = page.locator(`.workload-table tr[data-user-id="${operatorId}"]`);
  const supRow = page.locator(`.workload-table tr[data-user-id="${supervisorId}"]`);
  await opRow.locator('.wl-open').getByText(String(opBefore.open), { exact: true }).waitFor();
  assert.equal(await opRow.locator('.wl-in_progress').innerText(), String(opBefore.by_status.in_progress));
  assert.equal(await opRow.locator('.wl-overdue').innerText(), String(opBefore.overdue));
  assert.equal(await supRow.locator('.wl-open').innerText(), String(supBefore.open));
  assert.equal(await page.locator('.wl-unassigned .wl-open').innerText(), String(wl.unassigned.open));
  await screenshot(page, 'workload');

  await opRow.getByRole('button', { name: /调整/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(a.case_no).check();
  await dialog.getByLabel(b.case_no).check();
  await dialog.getByLabel(stale.case_no).check();
  await dialog.getByText('已选 3 /').waitFor();
  // Meanwhile the operator edits one of them: the page holds a stale version of it.
  const r = await opApi.patch(`/api/v1/cases/${stale.id}`, { version: stale.version, summary: `工作量测试三${TAG}（已修改）` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await selectByText(dialog.getByLabel('交给'), '陈美华');
  await dialog.getByRole('button', { name: '调整所选个案（3 件）' }).click();
  await dialog.getByText('完成：成功 2 件，未成功 1 件。').waitFor();
  const result = (id) => dialog.locator(`.ra-result[data-case-id="${id}"]`);
  assert.match(await result(a.id).innerText(), /已交给 陈美华/);
  assert.match(await result(b.id).innerText(), /已交给 陈美华/);
  assert.match(await result(stale.id).innerText(), /此个案刚被他人修改/);
  assert.ok(await result(stale.id).evaluate((el) => el.classList.contains('is-error')));
  await screenshot(page, 'workload-reassign');
  await dialog.getByRole('button', { name: '关闭' }).last().click();
  await dialog.waitFor({ state: 'detached' });

  await opRow.locator('.wl-open').getByText(String(opBefore.open - 2), { exact: true }).waitFor();
  await supRow.locator('.wl-open').getByText(String(supBefore.open + 2), { exact: true }).waitFor();
  assert.equal((await supApi.get(`/api/v1/cases/${a.id}`)).body.assignee.id, supervisorId);
  assert.equal((await supApi.get(`/api/v1/cases/${b.id}`)).body.assignee.id, supervisorId);
  assert.equal((await supApi.get(`/api/v1/cases/${stale.id}`)).body.assignee.id, operatorId);

  // A count opens the case list filtered to that person's open cases.
  await supRow.locator('.wl-open a').click();
  await page.locator('.cases-table').waitFor();
  assert.match(page.url(), new RegExp(`#/cases\\?assignee_id=${supervisorId}&status=open$`));
  await page.locator('.cases-table tbody tr', { hasText: a.case_no }).waitFor();
  await page.locator('.cases-table tbody tr', { hasText: b.case_no }).waitFor();
  browser.assertNoProblems();
  await logout(page);
});

test('ledger import: progress, counts, rejected lines with reasons, the cases in the list; unreadable files explained', async () => {
  const { page } = browser;
  const key = `台账导入测试${TAG}`;
  const csv = '\uFEFF登记日期,来源,问题类别,诉求,姓名,电话,状态,办结日期,处理情况,人数,备注\r\n'
    + `${shanghaiDate(40)},来电,家庭暴力,${key}甲：丈夫酒后殴打,李女士,13907350001,办结,${shanghaiDate(35)},已协调派出所出具告诫书,1,第一季度\r\n`
    + `${shanghaiDate(30)},来访,离婚,${key}乙：咨询离婚财产分割,周女士,,办理中,,,2,\r\n`
    + `2026/13/40,来电,家庭暴力,${key}丙：日期有误,陈女士,,,,,1,\r\n`
    + `${shanghaiDate(10)},来信,彩礼,${key}丁：婚约解除彩礼返还,,,登记,,,1,\r\n`
    + `${shanghaiDate(5)},火星,不存在的类别,,,,,,,,\r\n`;

  await login(page, srv.url, DEMO.supervisor);
  await page.getByRole('link', { name: '台账导入' }).click();
  await page.getByRole('heading', { name: '台账导入', exact: true }).waitFor();
  await page.getByRole('heading', { name: '台账格式说明' }).waitFor();
  await selectByText(page.getByLabel('导入到单位'), '永兴县妇联');
  // Record what the progress area shows while the upload runs (a small file goes fast).
  await page.evaluate(() => {
    window.__progress = [];
    const box = document.querySelector('.imp-progress-box');
    new MutationObserver(() => { if (!box.hidden) window.__progress.push(box.textContent); })
      .observe(box, { attributes: true, childList: true, subtree: true, characterData: true });
  });
  await page.locator('#imp-file').setInputFiles({ name: '永兴县2026台账.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.locator('.imp-chosen', { hasText: '永兴县2026台账.csv' }).waitFor();
  await page.getByRole('button', { name: '开始导入' }).click();
  const result = page.locator('.imp-result');
  await result.getByText('导入结果：永兴县2026台账.csv').waitFor();
  const progress = await page.evaluate(() => window.__progress);
  assert.ok(progress.some((p) => /正在上传|服务器正在/.test(p)), `progress shown: ${JSON.stringify(progress)}`);
  const stat = (k) => result.locator(`[data-stat="${k}"] dd`).innerText();
  assert.equal(await stat('rows'), '5');
  assert.equal(await stat('imported'), '3');
  assert.equal(await stat('rejected'), '2');
  assert.equal(await stat('batches'), '1');
  assert.equal(await stat('failed_batches'), '0');
  await result.getByText('已导入 3 行到 永兴县妇联；2 行未导入').waitFor();
  assert.match(await result.locator('.imp-ignored').innerText(), /备注/);
  const rejected = result.locator('.imp-rejected-table tbody tr');
  assert.equal(await rejected.count(), 2);
  assert.equal(await rejected.nth(0).locator('td').first().innerText(), '4');
  assert.match(await rejected.nth(0).innerText(), /登记日期“2026\/13\/40”不是有效日期/);
  assert.equal(await rejected.nth(1).locator('td').first().innerText(), '6');
  assert.match(await rejected.nth(1).innerText(), /来源“火星”无法识别/);
  assert.match(await rejected.nth(1).innerText(), /问题类别“不存在的类别”不是二级类别/);
  assert.match(await rejected.nth(1).innerText(), /诉求为空/);
  await screenshot(page, 'import');

  // The imported cases are in the case list (substring search).
  await page.goto(`${srv.url}/#/cases?q=${encodeURIComponent(key)}`);
  const rows = page.locator('.cases-table tbody tr.case-row');
  await rows.first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.cases-table tbody tr.case-row').length === 3);
  const text = await page.locator('.cases-table tbody').innerText();
  for (const part of ['甲', '乙', '丁']) assert.match(text, new RegExp(`${key}${part}`));
  assert.doesNotMatch(text, new RegExp(`${key}丙`));

  // Files that cannot be read: missing required columns, not UTF-8 (GBK), larger than 10 MB; and a drop.
  await page.getByRole('link', { name: '台账导入' }).click();
  // The dry run names the missing columns before anything is sent for import; choosing what a
  // differently named column holds makes the file importable.
  await page.locator('#imp-file').setInputFiles({ name: '缺列.csv', mimeType: 'text/csv', buffer: Buffer.from(`日期,渠道名,事项类型,求助内容\r\n${shanghaiDate(4)},来电,家庭暴力,${key}己：列映射导入\r\n`) });
  await page.locator('#imp-map-missing', { hasText: '还缺少必需的列：来源、问题类别、诉求' }).waitFor();
  assert.ok(await page.getByRole('button', { name: '开始导入' }).isDisabled());
  await page.getByLabel('渠道名').selectOption('channel');
  await page.locator('#imp-map-missing', { hasText: '还缺少必需的列：问题类别、诉求' }).waitFor();
  await page.getByLabel('事项类型').selectOption('category');
  await page.getByLabel('求助内容').selectOption('summary');
  await page.locator('#imp-map-ready', { hasText: '可导入 1 行' }).waitFor();
  await screenshot(page, 'import-map');
  await page.getByRole('button', { name: '开始导入' }).click();
  await result.getByText('全部导入成功：1 行已登记为').waitFor();
  await page.locator('#imp-file').setInputFiles({ name: 'gbk.csv', mimeType: 'text/csv', buffer: Buffer.from([0xb5, 0xc7, 0xbc, 0xc7, 0xc8, 0xd5, 0xc6, 0xda, 0x0d, 0x0a]) });
  await page.locator('.imp-form .alert-error', { hasText: '文件不是 UTF-8 编码' }).waitFor();
  assert.ok(await page.getByRole('button', { name: '开始导入' }).isDisabled());
  // 10 MB over the browser's debugging pipe: more than the 10 s default on busy cores (attachments.test.mjs).
  await page.locator('#imp-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) }, { timeout: 60000 });
  await page.locator('.imp-form .alert-error', { hasText: '文件超过 10 MB' }).waitFor();
  assert.ok(await page.getByRole('button', { name: '开始导入' }).isDisabled());
  // Drag and drop onto the zone.
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], '拖入.csv', { type: 'text/csv' }));
    return d;
  }, `登记日期,来源,问题类别,诉求\r\n${shanghaiDate(3)},来电,家庭暴力,${key}戊：拖入导入\r\n`);
  await page.locator('.imp-dropzone').dispatchEvent('drop', { dataTransfer: dt });
  await page.locator('.imp-chosen', { hasText: '拖入.csv' }).waitFor();
  await page.getByRole('button', { name: '开始导入' }).click();
  await result.getByText('全部导入成功：1 行已登记为').waitFor();
  browser.assertNoProblems();
  await logout(page);
});

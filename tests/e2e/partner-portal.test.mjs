// The referral loop in a real browser (issue 5): an operator refers a case to the police partner;
// the police user finds it on 我的转介, opens the partner view, accepts, reports progress and completes
// with an outcome (which ends its access: back to 我的转介, the case no longer found); the operator sees
// the outcome on the timeline and the case back in 办理中. A court
// user cannot open the case; a withdrawn referral disappears for the partner; phones are masked
// without consent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, createCase, uniquePhone } from './helpers.mjs';

const COURT = { username: 'court', password: 'fayuan-demo-2026' };
const POLICE_NAME = '永兴县公安局城关派出所';

let srv;
let browser;
let api;
let main; // referred in the browser, with consent
let noConsent; // referred through the API without consent
let phone;

async function acceptCase(c) {
  const cur = (await api.get(`/api/v1/cases/${c.id}`)).body;
  const r = await api.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: cur.version, data: { notice_method: 'phone', notice_on_the_spot: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  api = await apiClient(srv.url, DEMO.operator);
  phone = uniquePhone();
  main = await createCase(api, { phone, name: '吴女士', summary: '丈夫多次殴打，请求出警并出具告诫书', narrative: '来电人称丈夫酗酒后多次殴打她，昨晚再次动手，邻居可以作证。' });
  await acceptCase(main);
  noConsent = await createCase(api, { phone: uniquePhone().replace(/^139/, '137'), name: '郑女士', summary: '前夫上门骚扰威胁', narrative: '离婚后前夫仍多次上门威胁。' });
  const c = await acceptCase(noConsent);
  const police = (await api.get('/api/v1/partners?type=police')).body.items.find((p) => p.name === POLICE_NAME);
  const r = await api.post(`/api/v1/cases/${c.id}/referrals`, {
    partner_id: police.id, service: 'police_response', reason: '请核实并视情况出具告诫书。',
    consent: { given: false, override_reason: '当事人处于危险之中，无法当面征得同意。' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('operator refers, the police partner accepts, reports progress and completes; the operator sees the outcome', async () => {
  const { page } = browser;
  // --- the operator refers the case to the police ---
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${main.id}`);
  const header = page.locator('.case-header');
  await header.getByText('办理中').waitFor();
  await page.getByRole('button', { name: '转介', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('单位类型').selectOption({ label: '公安' });
  await dialog.getByText(POLICE_NAME).click();
  await dialog.locator('label.radio-pill', { hasText: '已取得同意' }).click();
  await dialog.getByLabel('转介说明').fill('请派出所核实并出具家庭暴力告诫书。');
  await dialog.getByRole('button', { name: /^转介/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await header.getByText('转介中').waitFor();
  // The case page lists the referral with its status, its deadline and the withdraw action.
  const card = page.locator('.referrals-card');
  const item = card.locator('.referral-item', { hasText: POLICE_NAME });
  await item.getByText('已发送').waitFor();
  assert.match(await item.innerText(), /回复期限.*剩余/s);
  await item.getByRole('button', { name: '撤回转介' }).waitFor();
  await logout(page);

  // --- the police partner: 我的转介 is home ---
  await login(page, srv.url, DEMO.police);
  await page.getByRole('heading', { name: '我的转介' }).waitFor();
  const row = page.locator('.referrals-table tbody tr', { hasText: main.case_no });
  await row.waitFor();
  assert.match(await row.innerText(), /已发送/);
  assert.match(await row.innerText(), /出警处置/);
  await page.locator('.referrals-table tbody tr', { hasText: noConsent.case_no }).waitFor();
  await page.locator('.status-chips').getByRole('button', { name: /待接收/ }).waitFor();
  await screenshot(page, 'partner-list');

  await row.getByRole('link', { name: main.case_no }).click();
  await page.locator('.case-no-title', { hasText: main.case_no }).waitFor();
  assert.equal(await page.locator('.case-actions').count(), 0, 'no workflow buttons for a partner');
  assert.equal(await page.locator('.note-form').count(), 0);
  assert.match(await page.locator('.case-main').innerText(), new RegExp(phone), 'with consent the phone number is shown');
  const mine = page.locator('.referrals-card .referral-item');
  await mine.getByRole('button', { name: '接收转介' }).click();
  const acceptDialog = page.getByRole('dialog', { name: '接收转介' });
  await acceptDialog.getByLabel('备注（可选）').fill('已指派民警跟进。');
  await acceptDialog.getByRole('button', { name: /接收转介/ }).click();
  await acceptDialog.waitFor({ state: 'detached' });
  await mine.getByText('已接收').waitFor();
  assert.match(await mine.innerText(), /反馈期限/);

  await mine.getByRole('button', { name: '反馈进展' }).click();
  const progress = page.getByRole('dialog', { name: '反馈进展' });
  await progress.getByRole('button', { name: /反馈进展/ }).click();
  await progress.locator('[data-field="note"] .field-error').getByText('此项必填').waitFor();
  await progress.getByLabel('进展情况').fill('民警已上门调查，对男方进行了批评教育。');
  await progress.getByRole('button', { name: /反馈进展/ }).click();
  await progress.waitFor({ state: 'detached' });
  await mine.getByText('处理中').waitFor();
  const timeline = page.locator('.case-timeline');
  await timeline.getByText('民警已上门调查，对男方进行了批评教育。').first().waitFor();
  // A scanned document from the partner, e.g. the warning letter issued.
  const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('告诫书扫描件'), Buffer.from('\n%%EOF\n')]);
  await page.locator('#att-file').setInputFiles({ name: '家庭暴力告诫书.pdf', mimeType: 'application/pdf', buffer: scan });
  await page.locator('.att-table tbody tr', { hasText: '家庭暴力告诫书.pdf' }).getByText('派出所联络员').waitFor();
  await timeline.getByText('上传附件').first().waitFor();
  await page.evaluate(() => document.querySelectorAll('.toast, .att-upload').forEach((t) => t.remove()));
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'partner-case');

  await mine.getByRole('button', { name: '办理完成' }).click();
  const complete = page.getByRole('dialog', { name: '办理完成' });
  // A police_response referral completes with a structured outcome (issue #15; the warning letter's
  // own flow is referral-outcomes.test.mjs); the text is its note.
  await complete.locator('label.radio-pill', { hasText: '已作其他处理' }).click();
  await complete.getByLabel('情况说明（可选）').fill('已向男方出具家庭暴力告诫书。');
  await complete.getByRole('button', { name: /办理完成/ }).click();
  await complete.waitFor({ state: 'detached' });
  // Completing ends the partner's access to the case (issue #16): the desk returns to 我的转介, the
  // referral is listed as completed, and the case itself is no longer found.
  await page.getByRole('heading', { name: '我的转介' }).waitFor();
  await page.goto(`${srv.url}/#/referrals?status=completed`);
  await page.locator('.referrals-table tbody tr', { hasText: main.case_no }).getByText('已完成').waitFor();
  await page.goto(`${srv.url}/#/cases/${main.id}`);
  await page.getByText('未找到该个案，或该个案不在您的查看范围内。').waitFor();

  // Without consent the partner sees masked numbers.
  await page.goto(`${srv.url}/#/referrals`);
  await page.locator('.referrals-table tbody tr', { hasText: noConsent.case_no }).getByRole('link').click();
  await page.locator('.case-no-title', { hasText: noConsent.case_no }).waitFor();
  await page.locator('.phones-masked').waitFor();
  assert.match(await page.locator('.case-main').innerText(), /137\*{4}\d{4}/);
  browser.assertNoProblems();
  await logout(page);

  // --- a court user cannot open the case ---
  await login(page, srv.url, COURT);
  await page.getByRole('heading', { name: '我的转介' }).waitFor();
  await page.getByText('目前没有转介给本单位的个案。').waitFor();
  await page.goto(`${srv.url}/#/cases/${main.id}`);
  await page.getByText('未找到该个案，或该个案不在您的查看范围内。').waitFor();
  assert.ok(!(await page.locator('#view').innerText()).includes('酗酒'));
  await logout(page);

  // --- the operator sees the outcome and the case back in progress ---
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${main.id}`);
  await header.locator('.badge', { hasText: '办理中' }).waitFor();
  await timeline.getByText('转介办理完成').waitFor();
  await timeline.getByText('已向男方出具家庭暴力告诫书。').first().waitFor();
  await timeline.getByText('民警已上门调查，对男方进行了批评教育。').first().waitFor();
  await item.getByText('已完成').waitFor();
  await page.locator('.att-table tbody tr', { hasText: '家庭暴力告诫书.pdf' }).waitFor();
  assert.equal(await item.getByRole('button', { name: '撤回转介' }).count(), 0);
  const fromApi = (await api.get(`/api/v1/cases/${main.id}`)).body;
  assert.equal(fromApi.status, 'in_progress');
  browser.assertNoProblems();
});

test('the office withdraws a referral with a reason; the partner no longer sees the case', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases/${noConsent.id}`);
  const item = page.locator('.referrals-card .referral-item', { hasText: POLICE_NAME });
  assert.match(await item.innerText(), /未经同意的理由：当事人处于危险之中/);
  await item.getByRole('button', { name: '撤回转介' }).click();
  const dialog = page.getByRole('dialog', { name: '撤回转介' });
  await dialog.getByLabel('撤回理由').fill('当事人已自行报警处理。');
  await dialog.getByRole('button', { name: /撤回转介/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await item.getByText('已撤回').waitFor();
  await page.locator('.case-header .badge', { hasText: '办理中' }).waitFor();
  await logout(page);

  await login(page, srv.url, DEMO.police);
  await page.getByRole('heading', { name: '我的转介' }).waitFor();
  await page.locator('.status-chips').getByRole('button', { name: /全部/ }).click();
  await page.locator('.referrals-table tbody tr', { hasText: main.case_no }).waitFor();
  assert.equal(await page.locator('.referrals-table tbody tr', { hasText: noConsent.case_no }).count(), 0);
  await page.goto(`${srv.url}/#/cases/${noConsent.id}`);
  await page.getByText('未找到该个案，或该个案不在您的查看范围内。').waitFor();
  await logout(page);
  browser.assertNoProblems();
});

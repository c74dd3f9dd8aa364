// Structured outcomes (issue #15 point 4), in Chinese at 1366×768: the police partner completes a
// referral with 已出具家庭暴力告诫书 (date and number), by keyboard; the operator reads the outcome in
// words on the case, and the period report's 告诫书 line counts it. A follow-up call 未接通 is an attempt
// (the case stays due, its attempt shown), then 满意 is the follow-up done; 拒绝回访 takes a case off the
// due list at once (she is not called again).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, createCase, uniquePhone, freezeTime } from './helpers.mjs';

const POLICE_NAME = '永兴县公安局城关派出所';
const TAG = String(Date.now()).slice(-6);
let srv;
let browser;
let opApi;
let supApi;
let policeApi;

function shanghaiDate(daysAgo = 0) {
  return new Date(srv.now() + 8 * 3600000 - daysAgo * 86400000).toISOString().slice(0, 10);
}

// The report's 告诫书 line for the month `month` (YYYY-MM): letters count in the month of their date.
async function warningLetters(month) {
  const r = await supApi.get(`/api/v1/reports?period=${month}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  for (const s of r.body.sections) for (const f of s.figures) if (f.key === 'dv.warning_letters') return f.value;
  throw new Error('no dv.warning_letters');
}

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  opApi = await apiClient(srv.url, DEMO.operator);
  supApi = await apiClient(srv.url, DEMO.supervisor);
  policeApi = await apiClient(srv.url, DEMO.police);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the police partner completes with a warning letter; the case shows it and the report counts it', async () => {
  const { page } = browser;
  const c = await createCase(opApi, { phone: uniquePhone(), name: '冯女士', summary: `告诫书测试${TAG}：丈夫酒后殴打`, narrative: '丈夫酒后殴打，请求出警。' });
  let cur = (await opApi.get(`/api/v1/cases/${c.id}`)).body;
  cur = (await opApi.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: cur.version, data: { notice_method: 'phone', notice_on_the_spot: true } })).body;
  const police = (await opApi.get('/api/v1/partners?type=police')).body.items.find((p) => p.name === POLICE_NAME);
  const sent = await opApi.post(`/api/v1/cases/${c.id}/referrals`, { partner_id: police.id, service: 'police_response', reason: '请出警并视情况出具告诫书。', consent: { given: true } });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const accepted = await policeApi.post(`/api/v1/referrals/${sent.body.id}/respond`, { action: 'accept', version: sent.body.version });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  // Dated yesterday: on the 1st that is last month, so the letter's month is the report's.
  const letterDate = shanghaiDate(1);
  const before = await warningLetters(letterDate.slice(0, 7));

  await login(page, srv.url, DEMO.police);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  const mine = page.locator('.referrals-card .referral-item', { hasText: POLICE_NAME });
  await mine.getByRole('button', { name: '办理完成' }).click();
  const dialog = page.getByRole('dialog', { name: '办理完成' });
  // Nothing chosen: the form names the missing outcome.
  await page.keyboard.press('Control+Enter');
  await dialog.getByText('请选择办理结果。').waitFor();
  // Keyboard: focus the first outcome, Space chooses it; its fields appear.
  await dialog.locator('input[value="warning_letter_issued"]').focus();
  await page.keyboard.press('Space');
  await dialog.getByLabel('出具日期').waitFor();
  assert.equal(await dialog.getByLabel('保护令有效期至（最后一天）').count(), 0);
  await dialog.getByLabel('出具日期').fill(letterDate);
  await page.keyboard.press('Control+Enter');
  await dialog.locator('[data-field="result.document_no"] .field-error').getByText('此项必填').waitFor();
  await dialog.getByLabel('告诫书文号').fill(`永公(城)告字〔2026〕${TAG}号`);
  await dialog.getByLabel('情况说明（可选）').fill('已对男方当面宣读告诫书。');
  await screenshot(page, 'referral-complete-warning-letter');
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
  browser.assertNoProblems();
  await logout(page);

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  const item = page.locator('.referrals-card .referral-item', { hasText: POLICE_NAME });
  const result = item.locator('.ref-result');
  await result.waitFor();
  const words = await result.innerText();
  assert.match(words, /已出具家庭暴力告诫书/);
  assert.match(words, new RegExp(`文号 永公\\(城\\)告字〔2026〕${TAG}号`));
  assert.match(await item.locator('.ref-outcome').innerText(), /情况说明：\s*已对男方当面宣读告诫书。/);
  await item.scrollIntoViewIfNeeded();
  await screenshot(page, 'referral-outcome-case');
  assert.equal(await warningLetters(letterDate.slice(0, 7)), before + 1, 'the 告诫书 line counts the letter');
  const letters = (await opApi.get(`/api/v1/cases/${c.id}/warning-letters`)).body.items;
  assert.equal(letters.length, 1);
  assert.equal(letters[0].document_no, `永公(城)告字〔2026〕${TAG}号`);
  browser.assertNoProblems();
  await logout(page);
});

test('a follow-up call 未接通 is an attempt; 满意 is the follow-up done', async () => {
  const { page } = browser;
  await freezeTime(srv, browser);
  const yongxing = (await supApi.get('/api/v1/offices')).body.items.find((o) => o.name === '永兴县妇联');
  const summary = `回访尝试${TAG}：抚养费纠纷`;
  const login1 = await fetch(`${srv.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO.supervisor) });
  const cookie = login1.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login1.json();
  const imp = await fetch(`${srv.url}/api/v1/imports?office_id=${yongxing.id}`, {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' },
    body: `\uFEFF登记日期,来源,问题类别,诉求,姓名,电话,状态,办结日期,处理情况\r\n${shanghaiDate(25)},来电,抚养探望,${summary},钱女士,${uniquePhone()},办结,${shanghaiDate(20)} 10:00,已协调\r\n`,
  });
  assert.equal(imp.status, 200);
  const c = (await opApi.get(`/api/v1/cases?q=${encodeURIComponent(`回访尝试${TAG}`)}`)).body.items[0];

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/follow-ups`);
  const row = page.locator('.fu-table tbody tr', { hasText: c.case_no });
  await row.getByRole('button', { name: `登记回访：个案 ${c.case_no}` }).click();
  let dialog = page.getByRole('dialog');
  await dialog.locator('label.radio-pill', { hasText: /^未接通$/ }).click();
  assert.ok(await dialog.locator('.fu-rescheduled-to').isHidden(), 'the new date only for 改期');
  await dialog.getByLabel('回访记录').fill('两次拨打无人接听。');
  await screenshot(page, 'follow-up-attempt-dialog');
  await dialog.getByRole('button', { name: '保存回访' }).click();
  await dialog.waitFor({ state: 'detached' });
  // Still due, with its attempt shown.
  await row.locator('.fu-attempts').getByText(/回访未果 1 次 · 最近：未接通/).waitFor();
  await screenshot(page, 'follow-ups-with-attempt');
  let fus = (await opApi.get(`/api/v1/cases/${c.id}/follow-ups`)).body;
  assert.equal(fus.items.length, 0);
  assert.equal(fus.attempts.length, 1);

  await row.getByRole('button', { name: `登记回访：个案 ${c.case_no}` }).click();
  dialog = page.getByRole('dialog');
  await dialog.locator('label.radio-pill', { hasText: /^满意$/ }).click();
  await dialog.getByRole('button', { name: '保存回访' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  fus = (await opApi.get(`/api/v1/cases/${c.id}/follow-ups`)).body;
  assert.equal(fus.items.length, 1);
  assert.equal(fus.items[0].satisfaction, 'satisfied');
  // The timeline lists the attempt.
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-timeline').getByText('回访未果').first().waitFor();
  browser.assertNoProblems();
});

test('拒绝回访 takes the case off the due list: nobody calls her again', async () => {
  const { page } = browser;
  const yongxing = (await supApi.get('/api/v1/offices')).body.items.find((o) => o.name === '永兴县妇联');
  const summary = `拒绝回访${TAG}：婚姻纠纷`;
  const login1 = await fetch(`${srv.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO.supervisor) });
  const cookie = login1.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login1.json();
  const imp = await fetch(`${srv.url}/api/v1/imports?office_id=${yongxing.id}`, {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' },
    body: `\uFEFF登记日期,来源,问题类别,诉求,姓名,电话,状态,办结日期,处理情况\r\n${shanghaiDate(25)},来电,离婚,${summary},孙女士,${uniquePhone()},办结,${shanghaiDate(20)} 10:00,已调解\r\n`,
  });
  assert.equal(imp.status, 200);
  const c = (await opApi.get(`/api/v1/cases?q=${encodeURIComponent(`拒绝回访${TAG}`)}`)).body.items[0];
  const due = async () => (await opApi.get('/api/v1/follow-ups?state=due&limit=200')).body.items.some((i) => i.case.id === c.id);
  assert.ok(await due(), 'due before the call');

  await page.goto(`${srv.url}/#/follow-ups`);
  const row = page.locator('.fu-table tbody tr', { hasText: c.case_no });
  await row.getByRole('button', { name: `登记回访：个案 ${c.case_no}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('label.radio-pill', { hasText: /^拒绝回访$/ }).click();
  await dialog.getByLabel('回访记录').fill('当事人明确表示不要再来电。');
  await dialog.getByRole('button', { name: '保存回访' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.toast', { hasText: `${c.case_no}：已记录拒绝回访，个案移出待回访清单，不再回访。` }).waitFor();
  await row.waitFor({ state: 'detached' });
  await screenshot(page, 'follow-ups-after-refusal');
  assert.ok(!(await due()), 'off the due list');
  const fus = (await opApi.get(`/api/v1/cases/${c.id}/follow-ups`)).body;
  assert.equal(fus.items.length, 0, 'a refusal is not a follow-up done');
  assert.deepEqual(fus.attempts.map((a) => a.result), ['refused']);
  browser.assertNoProblems();
});

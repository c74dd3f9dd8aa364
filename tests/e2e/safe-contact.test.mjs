// 安全联络方式跟着电话号码走（issue #15 第 1 点）：接线员在登记表单上把“可以回拨吗？”选为“不可以”，
// 填写安全联系时间“工作日上午9-11点”和“自称快递,不提妇联”，立案并经当事人同意转介派出所：派出所用户看到
// 完整号码，号码旁边是红色“勿回拨”、时间和说法；未经同意转介的另一个案：号码打码，规则一条都不显示。
// 接线员在个案页、打印的登记表和回访对话框里都能看到这些规则。各页用 axe 检查，不得有 serious/critical 问题。
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, uniquePhone, axeViolations, setTime } from './helpers.mjs';

const POLICE_NAME = '永兴县公安局城关派出所';
const TIMES = '工作日上午9-11点';
const NOTE = '自称快递,不提妇联';
const DAY = 86400000;
const PERSONS = 'section[aria-labelledby="persons-title"]';

let srv;
let browser;
let opApi;
let supApi;
let police;
let phone;
let withConsent; // recorded through the intake form, referred with consent
let noConsent; // the same rules, referred without consent
let noConsentPhone;

async function step(api, c, event, data) {
  const cur = (await api.get(`/api/v1/cases/${c.id}`)).body;
  const r = await api.post(`/api/v1/cases/${c.id}/transitions`, { event, version: cur.version, data });
  assert.equal(r.status, 200, `${event}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function refer(c, consent) {
  await step(opApi, c, 'accept', { notice_method: 'phone', notice_on_the_spot: true });
  const r = await opApi.post(`/api/v1/cases/${c.id}/referrals`, {
    partner_id: police.id, service: 'police_response', reason: '请派出所出警并出具告诫书。',
    consent: consent ? { given: true } : { given: false, override_reason: '当事人处于危险之中，无法当面征得同意。' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

// The same call as the form records, through the API (the cases this test is not about).
async function intakeWithRules(number, summary) {
  const r = await opApi.post('/api/v1/intakes', {
    channel: 'hotline', call_type: 'help_request', duration_s: 300,
    complainant: { name: '陈女士', phone: number, gender: 'female', safe_contact: { ok_to_call: false, safe_times: TIMES, note: NOTE } },
    category: 'marriage_family.domestic_violence', summary, narrative: `${summary}。`, urgency: 'normal', resolution: 'open_case',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.case;
}

// The complainant's phone cell on the case page: the number, the badge beside it and the rules.
function phoneCell(page) {
  return page.locator('section[aria-labelledby="persons-title"] td.person-phone').first();
}

async function assertRulesBesideNumber(scope, number, where) {
  const text = await scope.innerText();
  assert.ok(text.includes(number), `${where}: the full number ${number} in ${JSON.stringify(text)}`);
  for (const s of ['勿回拨', TIMES, NOTE]) assert.ok(text.includes(s), `${where}: ${s} beside the number in ${JSON.stringify(text)}`);
  const badge = scope.locator('.safe-badge-no');
  assert.equal(await badge.innerText(), '勿回拨');
  // Right beside the number: on the same line, just after it — once the page's layout has settled (the
  // table's columns still move while the rest of the case page renders), as Playwright's own
  // assertions wait; a badge that never comes beside the number still fails after 5 s.
  const beside = async () => {
    const [n, b] = [await scope.locator('.safe-phone-number').boundingBox(), await badge.boundingBox()];
    return { ok: !!n && !!b && Math.abs(n.y + n.height / 2 - (b.y + b.height / 2)) < 6 && b.x > n.x && b.x - (n.x + n.width) < 24, n, b };
  };
  let last = await beside();
  for (const deadline = Date.now() + 5000; !last.ok && Date.now() < deadline; last = await beside())
    await new Promise((r) => setTimeout(r, 100));
  assert.ok(last.ok, `${where}: 勿回拨 beside the number (number ${JSON.stringify(last.n)}, badge ${JSON.stringify(last.b)})`);
  return badge;
}

async function assertRed(badge) {
  const { bg, fg } = await badge.evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
  assert.equal(bg, 'rgb(180, 35, 24)', '勿回拨 is red');
  assert.equal(fg, 'rgb(255, 255, 255)');
}

async function assertAxeClean(page, selector) {
  const serious = (await axeViolations(page, selector)).filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious, [], `${selector}: ${JSON.stringify(serious, null, 1)}`);
}

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  opApi = await apiClient(srv.url, DEMO.operator);
  supApi = await apiClient(srv.url, DEMO.supervisor);
  police = (await opApi.get('/api/v1/partners?type=police')).body.items.find((p) => p.name === POLICE_NAME);
  phone = uniquePhone();
  noConsentPhone = uniquePhone().replace(/^139/, '137');
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('接线员在登记表单上记录“不可以回拨”及安全联系时间和说法，立案', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/intake?phone=${phone}`);
  await page.locator('[data-path="complainant.phone"]').waitFor();
  await page.locator('[data-path="complainant.name"]').fill('刘女士');
  await page.getByRole('button', { name: /^求助/ }).click();
  await page.getByLabel('搜索问题类别').fill('家暴');
  await page.getByLabel('搜索问题类别').press('Enter');
  await page.locator('input[data-path="complainant.safe_contact.ok_to_call"][value="no"]').check();
  await page.locator('[data-path="complainant.safe_contact.safe_times"]').fill(TIMES);
  await page.locator('[data-path="complainant.safe_contact.note"]').fill(NOTE);
  await page.getByLabel('问题摘要').fill('丈夫长期殴打，请求出警');
  await page.getByLabel('详细情况（案情）').fill('来电人称丈夫长期殴打，丈夫会查看她的手机，只能在工作日上午接电话。');
  await page.getByRole('button', { name: /保存并立案/ }).click();
  const caseLink = page.locator('.result-banner a.result-case-link');
  await caseLink.waitFor();
  const caseNo = (await caseLink.innerText()).trim();
  const id = Number((await caseLink.getAttribute('href')).match(/cases\/(\d+)/)[1]);
  withConsent = { id, case_no: caseNo };
  await refer(withConsent, true);
  noConsent = await intakeWithRules(noConsentPhone, '前夫上门骚扰，请求出警');
  await refer(noConsent, false);
  browser.assertNoProblems();
});

test('派出所（经同意转介）看到完整号码，旁边是红色“勿回拨”、时间和说法；未经同意：两样都看不到', async () => {
  const { page } = browser;
  await logout(page);
  await login(page, srv.url, DEMO.police);
  await page.goto(`${srv.url}/#/cases/${withConsent.id}`);
  await page.locator('.case-header').getByText(withConsent.case_no).waitFor();
  await phoneCell(page).locator('.safe-phone-number').waitFor();
  const badge = await assertRulesBesideNumber(phoneCell(page), phone, '派出所·个案页');
  await assertRed(badge);
  await page.locator(PERSONS).scrollIntoViewIfNeeded();
  await screenshot(page, 'safe-contact-partner');
  await assertAxeClean(page, '.case-page');

  await page.goto(`${srv.url}/#/cases/${noConsent.id}`);
  await page.locator('.case-header').getByText(noConsent.case_no).waitFor();
  const cell = phoneCell(page);
  await cell.locator('.safe-phone-number').waitFor();
  const text = await page.locator(PERSONS).innerText();
  assert.match(text, /137\*{4}\d{4}/, 'the number masked');
  assert.ok(!text.includes(noConsentPhone), 'not the full number');
  for (const s of ['勿回拨', '可回拨', '回拨未确认', TIMES, NOTE]) assert.ok(!text.includes(s), `no ${s} without consent`);
  assert.equal(await page.locator('.safe-badge').count(), 0);
  await page.locator('.phones-masked').waitFor();
  await screenshot(page, 'safe-contact-partner-no-consent');
  await assertAxeClean(page, '.case-page');
  browser.assertNoProblems();
});

test('接线员在个案页和打印的登记表上看到号码和规则', async () => {
  const { page } = browser;
  await logout(page);
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${withConsent.id}`);
  await page.locator('.case-header').getByText(withConsent.case_no).waitFor();
  await phoneCell(page).locator('.safe-phone-number').waitFor();
  await assertRed(await assertRulesBesideNumber(phoneCell(page), phone, '接线员·个案页'));
  assert.equal(await page.locator(`${PERSONS} th`, { hasText: '安全联络' }).count(), 0, 'the rules are beside the number, not in another column');
  await assertAxeClean(page, '.case-page');

  await page.emulateMedia({ media: 'print' });
  const sheet = page.locator('.print-sheet');
  assert.ok(await sheet.isVisible(), 'print media shows the registration form');
  const printed = sheet.locator('td.print-phone').first();
  await assertRulesBesideNumber(printed, phone, '登记表');
  await sheet.scrollIntoViewIfNeeded();
  await screenshot(page, 'safe-contact-print');
  await page.emulateMedia({ media: 'screen' });
  browser.assertNoProblems();
});

test('回访对话框显示要回拨的号码和安全联络规则', async () => {
  const { page } = browser;
  await logout(page);
  // A case with the same rules, closed, then 10 days later due for its follow-up.
  const number = uniquePhone().replace(/^139/, '136');
  const c = await intakeWithRules(number, '婚内殴打，已调解');
  await step(opApi, c, 'accept', { notice_method: 'phone', notice_on_the_spot: true });
  const today = new Date(srv.now() + 8 * 3600000).toISOString().slice(0, 10);
  await step(opApi, c, 'reply', { replied_at: today, method: 'phone', opinion: 'support', basis: '已调解' });
  await step(opApi, c, 'request_closure', { outcome: 'resolved', summary: '已调解', losses_avoided_fen: 0 });
  await step(supApi, c, 'approve_closure');
  await setTime(srv, srv.now() + 10 * DAY, browser);
  await login(page, srv.url, DEMO.operator); // logged out first: ten days on, a session would have timed out

  await page.goto(`${srv.url}/#/follow-ups`);
  const row = page.locator('.fu-table tbody tr', { hasText: c.case_no });
  await page.locator('.fu-table tbody tr').first().waitFor();
  // Oldest closure first, 50 a page: the newest closure may be on a later page (the demo data).
  for (let i = 0; i < 10 && !(await row.count()); i += 1) {
    const shown = await page.locator('.fu-table tbody tr').count();
    await page.getByRole('button', { name: '加载更多' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.fu-table tbody tr').length > n, shown);
  }
  await row.waitFor();
  await row.getByRole('button', { name: `登记回访：个案 ${c.case_no}` }).click();
  const dialog = page.getByRole('dialog');
  const callback = dialog.locator('.fu-callback');
  await callback.locator('.safe-phone-number').waitFor();
  await assertRed(await assertRulesBesideNumber(callback, number, '回访对话框'));
  assert.match(await callback.innerText(), /陈女士/);
  // Named as the case's channel names her, every placeholder filled.
  assert.match(await callback.locator('.fu-callback-who').first().innerText(), /^来电人 \/ 投诉人 陈女士/);
  assert.doesNotMatch(await callback.innerText(), /[{}]/);
  await screenshot(page, 'safe-contact-follow-up-dialog');
  await assertAxeClean(page, 'dialog');
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'detached' });
  browser.assertNoProblems();
});

// One search box on the case list (issue #15 point 2): a phone number however typed, an ID number, a
// case number or its tail, a name — each typed into the box finds the case. And the screen-pop: the
// caller's earlier contacts with their dates, summaries and outcomes, each linked to its case, her
// name filled into the form (editable), and a reset that forgets the previous caller and the
// category search (point 7).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, apiClient, uniquePhone, screenshot, axeViolations } from './helpers.mjs';

let srv;
let browser;
let api;

before(async () => {
  srv = await startServer({ cases: 60 });
  browser = await launchBrowser();
  api = await apiClient(srv.url, DEMO.operator);
  await login(browser.page, srv.url, DEMO.operator);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const rows = (page) => page.locator('.cases-table tbody tr.case-row');

// A GB 11643 ID number of the operator's county with a valid check character.
function idNumber(serial) {
  const first17 = `43102319850315${String(serial).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

// 清空表单, confirming when the form holds enough to ask (a number alone does not).
async function clearForm(page) {
  await page.locator('.intake-form').getByRole('button', { name: '清空表单', exact: true }).click();
  const ok = page.locator('dialog[open]').getByRole('button', { name: '清空表单' });
  if (await ok.waitFor({ timeout: 1000 }).then(() => true, () => false)) await ok.click();
  await page.waitForFunction(() => !document.querySelector('dialog[open]') && document.querySelector('[data-path="complainant.phone"]').value === '');
}

async function openCase({ phone, idNo, name, summary }) {
  const r = await api.post('/api/v1/intakes', {
    channel: 'hotline', call_type: 'help_request', duration_s: 300,
    complainant: { name, phone, id_number: idNo, gender: 'female' },
    category: 'marriage_family.domestic_violence', summary, narrative: '检索测试', urgency: 'normal', resolution: 'open_case',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.case;
}

test('the case list finds a case by phone, ID number, case number, its tail and name', async () => {
  const { page } = browser;
  const phone = uniquePhone();
  const idNo = idNumber(Number(phone.slice(-3)));
  const target = await openCase({ phone, idNo, name: '柳青禾', summary: '检索测试：丈夫威胁' });
  await page.goto(`${srv.url}/#/cases`);
  await rows(page).first().waitFor();
  const box = page.getByRole('searchbox', { name: /搜索/ });
  const spaced = `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)}-${phone.slice(7)}`;
  for (const q of [phone, spaced, idNo.toLowerCase(), target.case_no, target.case_no.slice(7), '柳青禾']) {
    await box.fill(q);
    await box.press('Enter');
    await page.waitForFunction((qq) => new URLSearchParams(location.hash.split('?')[1] || '').get('q') === qq, q.trim());
    await page.waitForFunction(() => !document.querySelector('.cases-table[aria-busy]'));
    const numbers = await rows(page).locator('.col-case_no').allInnerTexts();
    assert.deepEqual(numbers.map((n) => n.trim()), [target.case_no], `query ${q}`);
  }
  // The serial alone finds it too (with any earlier year's case of the same serial).
  await box.fill(target.case_no.slice(12));
  await box.press('Enter');
  await page.waitForFunction(() => !document.querySelector('.cases-table[aria-busy]'));
  await rows(page).filter({ hasText: target.case_no }).waitFor();
  // Back to the phone number for the picture: one row, the case found by a number typed with spaces.
  await box.fill(spaced);
  await box.press('Enter');
  await page.waitForFunction(() => !document.querySelector('.cases-table[aria-busy]'));
  await page.waitForFunction(() => document.querySelectorAll('.cases-table tbody tr.case-row').length === 1);
  await screenshot(page, 'search-case-list-by-phone');
  const serious = (await axeViolations(page, '.cases-page')).filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious, []);
  browser.assertNoProblems();
});

test('the screen-pop shows the earlier contacts with outcomes and links, and fills in the name', async () => {
  const { page } = browser;
  const phone = uniquePhone().replace(/^139/, '137');
  const first = await openCase({ phone, name: '周晓岚', summary: '丈夫酒后殴打，求助' });
  const consult = await api.post('/api/v1/intakes', {
    channel: 'hotline', call_type: 'consultation', duration_s: 120, complainant: { name: '周晓岚', phone },
    summary: '咨询离婚财产分割', answer: '告知可向法院起诉离婚', urgency: 'normal', resolution: 'answered', consultation_kind: 'legal',
  });
  assert.equal(consult.status, 201, JSON.stringify(consult.body));

  await page.goto(`${srv.url}/#/intake`);
  const phoneInput = page.locator('[data-path="complainant.phone"]');
  await phoneInput.waitFor();
  await phoneInput.fill(phone);
  const panel = page.locator('.repeat-panel');
  const history = panel.locator('.repeat-contacts li');
  await history.nth(1).waitFor();
  assert.equal(await history.count(), 2);
  const newest = await history.nth(0).innerText();
  assert.match(newest, /咨询离婚财产分割/);
  assert.match(newest, /当场解答/);
  assert.match(newest, /告知可向法院起诉离婚/);
  assert.match(newest, /\d{4}\/\d{2}\/\d{2}/, 'the date of the contact');
  const older = history.nth(1);
  assert.match(await older.innerText(), /丈夫酒后殴打，求助/);
  assert.equal(await older.getByRole('link', { name: first.case_no }).getAttribute('href'), `#/cases/${first.id}`);
  // The name given before is filled in, and stays editable.
  const name = page.locator('[data-path="complainant.name"]');
  await page.waitForFunction(() => document.querySelector('[data-path="complainant.name"]').value === '周晓岚');
  assert.match(await panel.innerText(), /周晓岚/);
  await page.getByLabel('问题摘要').click();
  await screenshot(page, 'search-screen-pop-history');
  const serious = (await axeViolations(page, '.intake-page')).filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious, []);
  await name.fill('周女士');
  assert.equal(await name.inputValue(), '周女士');
  browser.assertNoProblems();
});

test('a reset forgets the previous caller (even one still being looked up) and the category search', async () => {
  const { page } = browser;
  const phone = uniquePhone().replace(/^139/, '136');
  await openCase({ phone, name: '钱素梅', summary: '婆家强占宅基地' });
  await page.goto(`${srv.url}/#/intake`);
  const phoneInput = page.locator('[data-path="complainant.phone"]');
  await phoneInput.waitFor();
  const panel = page.locator('.repeat-panel');
  const search = page.getByLabel('搜索问题类别');
  await clearForm(page); // whatever an earlier test left in the draft

  // A number typed, then 清空表单 before its lookup has answered: the answer must not bring her back.
  await page.route('**/api/v1/callers/lookup**', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await phoneInput.fill(phone);
  await search.fill('家暴');
  await panel.getByText(/正在查询/).waitFor();
  await clearForm(page);
  await page.waitForFunction(() => document.querySelector('[data-path="complainant.phone"]').value === '');
  assert.equal(await search.inputValue(), '', 'the category search box is empty again');
  assert.equal(await page.locator('.catpick-option:not([hidden])').count() > 10, true, 'every category shows again');
  await page.waitForTimeout(1200); // longer than the delayed lookup
  assert.match(await panel.innerText(), /输入来电号码后/);
  assert.doesNotMatch(await panel.innerText(), /钱素梅|此前来电/);
  assert.equal(await panel.locator('.repeat-alert, .repeat-contacts').count(), 0);
  assert.equal(await page.locator('[data-path="complainant.name"]').inputValue(), '');
  await page.unroute('**/api/v1/callers/lookup**');
  browser.assertNoProblems();
});

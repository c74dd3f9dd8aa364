// Live updates and overdue referrals in a real browser (issue 5). The police partner has 我的转介 open
// in one browser, the operator her case list in another; an operator refers a case to the police
// through the API and the referral appears on the partner's list without a reload, marked new; a new
// intake appears on the operator's list without a reload — but not while she is typing a search,
// then a bar offers the refresh. A referral whose response deadline has passed is counted in the
// case list's banner, listed under it and flagged on the case page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, apiClient, createCase, uniquePhone, waitForLiveStream, setTime } from './helpers.mjs';

const POLICE_NAME = '永兴县公安局城关派出所';

let srv;
let partnerBrowser;
let officeBrowser;
let api;
let police;

async function acceptCase(c) {
  const cur = (await api.get(`/api/v1/cases/${c.id}`)).body;
  const r = await api.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: cur.version, data: { notice_method: 'phone', notice_on_the_spot: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// A marker on window: still there afterwards means the page was not reloaded.
const mark = (page) => page.evaluate(() => { window.__noReload = 'still-here'; });
const notReloaded = async (page) => assert.equal(await page.evaluate(() => window.__noReload), 'still-here', 'the page was reloaded');

before(async () => {
  srv = await startServer();
  partnerBrowser = await launchBrowser();
  officeBrowser = await launchBrowser();
  api = await apiClient(srv.url, DEMO.operator);
  police = (await api.get('/api/v1/partners?type=police')).body.items.find((p) => p.name === POLICE_NAME);
});

after(async () => {
  await partnerBrowser?.close();
  await officeBrowser?.close();
  await srv?.stop();
});

test('a new referral appears on the partner portal at once; a new intake on the case list', async () => {
  const partnerPage = partnerBrowser.page;
  await login(partnerPage, srv.url, DEMO.police);
  await partnerPage.getByRole('heading', { name: '我的转介' }).waitFor();
  await partnerPage.locator('.referrals-table tbody tr').first().waitFor();
  const before = await partnerPage.locator('.referrals-table tbody tr[data-referral]').count();
  await mark(partnerPage);

  const listPage = officeBrowser.page;
  await login(listPage, srv.url, DEMO.operator);
  await listPage.goto(`${srv.url}/#/cases`);
  await listPage.locator('.cases-table tbody tr.case-row').first().waitFor();
  await mark(listPage);
  // Both event streams are subscribed before anything changes.
  await waitForLiveStream(partnerPage);
  await waitForLiveStream(listPage);

  // --- the operator refers a case to the police (API) ---
  const c = await createCase(api, { phone: uniquePhone(), name: '冯女士', summary: '丈夫醉酒后砸东西并威胁', narrative: '邻居报警未果，请求派出所上门处置。' });
  await acceptCase(c);
  const r = await api.post(`/api/v1/cases/${c.id}/referrals`, {
    partner_id: police.id, service: 'police_response', reason: '请尽快上门处置。', consent: { given: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));

  const row = partnerPage.locator('.referrals-table tbody tr', { hasText: c.case_no });
  await row.waitFor({ timeout: 8000 });
  assert.ok(await row.evaluate((el) => el.classList.contains('is-new')), 'the new referral is highlighted');
  await row.getByText('新转介').waitFor();
  assert.match(await row.innerText(), /已发送/);
  assert.equal(await partnerPage.locator('.referrals-table tbody tr[data-referral]').count(), before + 1);
  await notReloaded(partnerPage);

  // The operator's list picked up the intake (and the acceptance) too, in place.
  const caseRow = listPage.locator('.cases-table tbody tr.case-row', { hasText: c.case_no });
  await caseRow.waitFor({ timeout: 8000 });
  assert.ok(await caseRow.evaluate((el) => el.classList.contains('is-fresh')), 'the new case is highlighted');
  // The next change redraws the list: the case keeps its mark (it once lost it when its intake and
  // its acceptance came a refresh apart — the soak's loaded machine).
  await caseRow.evaluate((el) => { el.dataset.drawnBefore = '1'; });
  const other = await createCase(api, { phone: uniquePhone(), name: '卫女士', summary: '婆家扣留孩子不让见面', narrative: '离婚后对方家人不让探视。' });
  await listPage.locator('.cases-table tbody tr.case-row', { hasText: other.case_no }).waitFor({ timeout: 8000 });
  const redrawn = listPage.locator('.cases-table tbody tr.case-row:not([data-drawn-before])', { hasText: c.case_no });
  await redrawn.waitFor();
  assert.ok(await redrawn.evaluate((el) => el.classList.contains('is-fresh')), 'still highlighted after the next refresh');
  await notReloaded(listPage);

  // --- a new intake while the operator is typing a search: the list waits, a bar offers the refresh ---
  const search = listPage.getByRole('searchbox', { name: /搜索/ });
  await search.click();
  await search.pressSequentially('冯', { delay: 30 }); // one character: not applied yet, she is still typing
  const c2 = await createCase(api, { phone: uniquePhone(), name: '褚女士', summary: '前夫跟踪骚扰，到单位闹事', narrative: '前夫多次到单位门口等候并辱骂。' });
  const bar = listPage.locator('.live-bar');
  await bar.getByText('有新的变动').waitFor({ timeout: 8000 });
  assert.equal(await listPage.locator('.cases-table tbody tr.case-row', { hasText: c2.case_no }).count(), 0, 'the list did not move while typing');
  assert.equal(await search.inputValue(), '冯');
  await bar.getByRole('button', { name: '刷新' }).click();
  await listPage.locator('.cases-table tbody tr.case-row', { hasText: c2.case_no }).waitFor();
  assert.ok(await bar.isHidden());
  await notReloaded(listPage);
  partnerBrowser.assertNoProblems();
  officeBrowser.assertNoProblems();
});

test('an overdue referral response is flagged to the referring office', async () => {
  const page = officeBrowser.page;
  // response_due may only be brought forward (never into the past): ten minutes from now; then the
  // server's clock (and the desk's) moves on eleven minutes — well inside the session's idle limit.
  const c = await createCase(api, { phone: uniquePhone(), name: '蒋女士', summary: '遭受家暴后需要验伤和出警', narrative: '手臂有明显淤青。' });
  await acceptCase(c);
  const due = new Date(srv.now() + 10 * 60000).toISOString();
  const r = await api.post(`/api/v1/cases/${c.id}/referrals`, {
    partner_id: police.id, service: 'police_response', reason: '请出警处置。', consent: { given: true }, response_due: due,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const notYet = (await api.get('/api/v1/referrals?overdue=true')).body.items;
  assert.ok(!notYet.some((x) => x.id === r.body.id), 'not overdue before its response is due');
  await setTime(srv, srv.now() + 11 * 60000, officeBrowser, partnerBrowser);
  const overdue = (await api.get('/api/v1/referrals?overdue=true')).body.items;
  assert.ok(overdue.some((x) => x.id === r.body.id), 'the API lists the referral as overdue');
  const unanswered = overdue.filter((x) => x.status === 'sent').length;

  await page.goto(`${srv.url}/#/cases`);
  await page.reload();
  const banner = page.locator('.ovr-banner');
  await banner.getByText(`${unanswered} 个转介逾期未答复`).waitFor();
  await banner.getByRole('button', { name: '查看' }).click();
  await page.waitForFunction(() => /referrals=overdue/.test(location.hash));
  const item = page.locator('.ovr-table tbody tr', { hasText: c.case_no });
  await item.waitFor();
  assert.match(await item.innerText(), new RegExp(POLICE_NAME));
  assert.match(await item.innerText(), /已超期/);

  await item.getByRole('link', { name: c.case_no }).click();
  const card = page.locator('.referrals-card .referral-item', { hasText: POLICE_NAME });
  await card.locator('.ref-overdue-badge', { hasText: '逾期未答复' }).waitFor();
  assert.ok(await card.evaluate((el) => el.classList.contains('is-overdue')));

  // The shared link opens the list straight away.
  await page.goto(`${srv.url}/#/cases?referrals=overdue`);
  await page.locator('.ovr-table tbody tr', { hasText: c.case_no }).waitFor();
  officeBrowser.assertNoProblems();
});

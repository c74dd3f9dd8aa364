// The 信访 procedure at the desk (issue #13), as stories: (1) a walk-in (来访) registered at the intake
// form, accepted with a written notice, handled, answered in writing, closed, followed up (回访) and
// archived (存档) once the 复查 window has passed, after which the case page offers no writes; (2) a city delegates (交办) to a county with a report due in
// 20 days, the county reports, the city returns it once, then accepts it. Forwarding (转送) and the
// receiving office's 15 days are in forwarding.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone, screenshot, setTime } from './helpers.mjs';

let srv;
let browser;
let operatorApi;
let supervisorApi;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  operatorApi = await apiClient(srv.url, DEMO.operator);
  supervisorApi = await apiClient(srv.url, DEMO.supervisor);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The server's "today" in Shanghai, YYYY-MM-DD.
function shanghaiToday() {
  return new Date(srv.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

async function openCase(page, c) {
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
}

async function event(page, name, fill) {
  await page.locator(`.action-buttons button[data-event="${name}"]`).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill(dialog);
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
}

const DAY = 86400e3;
const path = (page, p) => page.locator(`[data-path="${p}"]`);

// Moves the server's and the browser's clocks `days` on. The server acknowledges the move only after
// its 存档 sweep has run (web/app/app.cpp, watch_clock_file); every session has idled out by then, so
// the API clients log in again.
async function daysLater(days) {
  await setTime(srv, srv.now() + days * DAY, browser);
  operatorApi = await apiClient(srv.url, DEMO.operator);
  supervisorApi = await apiClient(srv.url, DEMO.supervisor);
}

test('a walk-in accepted with a written notice, answered in writing, closed, followed up and archived', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);

  // --- 来访: registered at the desk's intake form ---
  await page.goto(`${srv.url}/#/intake`);
  await path(page, 'channel').selectOption('walk_in');
  await path(page, 'complainant.phone').fill(uniquePhone());
  await path(page, 'complainant.name').fill('赵女士');
  await page.getByLabel('搜索问题类别').fill('家暴');
  await page.getByLabel('搜索问题类别').press('Enter');
  await page.getByLabel('问题摘要').fill('丈夫殴打，来访求助');
  await page.getByLabel('详细情况（案情）').fill('当事人来访，要求妇联协调。');
  await page.locator('label.radio-pill', { hasText: '立案办理' }).click();
  await page.getByRole('button', { name: /保存并立案/ }).click();
  const link = page.locator('.result-banner a.result-case-link');
  await link.waitFor();
  const c = { id: Number((await link.getAttribute('href')).split('/').pop()), case_no: (await link.innerText()).trim() };
  assert.equal((await operatorApi.get(`/api/v1/cases/${c.id}`)).body.channel, 'walk_in');

  await openCase(page, c);
  assert.match(await page.locator('.case-header').innerText(), /受理期限/);
  // Closing is not offered before a reply.
  assert.equal(await page.locator('button[data-event="request_closure"]').count(), 0);

  await event(page, 'accept', async (d) => {
    await d.getByLabel('书面').check();
    await d.getByRole('button', { name: /^受理/ }).click();  // the document number is missing
    await d.getByText('书面方式须填写文号。').waitFor();
    await d.getByLabel('告知书文号').fill('永妇告〔2026〕15号');
  });
  await page.locator('.case-title-row').getByText('办理中').waitFor();
  await page.locator('#case-procedure .proc-notice', { hasText: '永妇告〔2026〕15号' }).waitFor();
  await page.locator('#case-procedure').getByText('尚未答复', { exact: false }).waitFor();
  assert.match(await page.locator('.case-header').innerText(), /办理期限/);

  await page.locator('button[data-event="reply"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('书面').check();
  await dialog.getByLabel('解释说明').check();
  await dialog.getByLabel('意见依据').fill('依据《妇女权益保障法》，已协调当事人所在村委会并向其说明维权途径。');
  await dialog.getByLabel('处理意见书文号').fill('永妇复〔2026〕8号');
  await screenshot(page, 'procedure-reply-dialog');
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
  await page.locator('#case-reply').getByText('解释说明').waitFor();
  await page.locator('#case-reply').getByText('按期').waitFor();
  assert.doesNotMatch(await page.locator('.case-header .deadline-list').innerText().catch(() => ''), /办理期限/);

  await event(page, 'request_closure', async (d) => {
    await d.getByLabel('办理结果').selectOption('resolved');
    await d.getByLabel('办结情况说明').fill('已书面答复当事人。');
    await d.getByLabel('避免经济损失（元）').fill('0');
    await d.getByLabel('挽回经济损失（元）').fill('1200.50');  // a figure of its own in the reports
  });
  await page.locator('.case-title-row').getByText('待审核').waitFor();
  await page.locator('.case-timeline li', { hasText: '挽回经济损失' }).getByText('1,200.50', { exact: false }).waitFor();
  const tl = (await operatorApi.get(`/api/v1/cases/${c.id}/timeline`)).body.items;
  assert.equal(tl.find((x) => x.event === 'request_closure').data.losses_recovered_fen, '120050');
  // The timeline names the reply's data in Chinese, values included, never by its API keys.
  const replyItem = page.locator('.case-timeline li', { hasText: '意见依据' });
  await replyItem.getByText('处理意见').waitFor();
  await replyItem.getByText('解释说明').waitFor();
  await replyItem.getByText('书面').first().waitFor();
  assert.doesNotMatch(await page.locator('.case-timeline').innerText(), /\b(basis|opinion|method|replied_at|document_no|notice_method)\b/);
  await screenshot(page, 'procedure-case-page');
  await logout(page);

  const cur = (await supervisorApi.get(`/api/v1/cases/${c.id}`)).body;
  const r = await supervisorApi.post(`/api/v1/cases/${c.id}/transitions`, { event: 'approve_closure', version: cur.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'closed');
  assert.equal(r.body.reply.document_no, '永妇复〔2026〕8号');

  // --- 回访 a week after closure: the case is on the operator's follow-up list ---
  await daysLater(8);
  assert.equal((await operatorApi.get(`/api/v1/cases/${c.id}`)).body.archived_at, null, 'the 复查 window is still open');
  await login(page, srv.url, DEMO.operator);
  await page.getByRole('link', { name: '回访', exact: true }).click();
  const row = page.locator('.fu-table tbody tr', { hasText: c.case_no });
  await row.getByRole('button', { name: `登记回访：个案 ${c.case_no}` }).click();
  await dialog.locator('label.radio-pill', { hasText: /^满意$/ }).click();
  await dialog.getByLabel('回访记录').fill('当事人表示村委会已介入，丈夫未再动手。');
  await dialog.getByRole('button', { name: '保存回访' }).click();
  await page.locator('.toast', { hasText: `已登记个案 ${c.case_no} 的回访` }).waitFor();
  await logout(page);

  // --- 存档 once the 30 days for asking a 复查 have passed (reply + 32 days) ---
  await daysLater(24);
  const archived = (await operatorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.ok(archived.archived_at, 'archived by the sweep');
  await login(page, srv.url, DEMO.operator);
  await openCase(page, c);
  await page.locator('#case-archived', { hasText: '已存档' }).waitFor();
  await page.locator('.case-timeline li', { hasText: '已回访，复查期限届满' }).waitFor();
  // The follow-up on the timeline in Chinese: its title, rating and time, never the API's keys.
  const fu = page.locator('.case-timeline li', { hasText: '回访时间' });
  await fu.locator('.tl-title', { hasText: /^回访$/ }).waitFor();
  await fu.getByText('满意', { exact: true }).waitFor();
  assert.doesNotMatch(await page.locator('.case-timeline').innerText(), /\b(follow_up|satisfaction|satisfied|contacted_at)\b/);
  // No writes offered: no transitions, no note, no upload.
  assert.equal(await page.locator('.action-buttons button[data-event]').count(), 0);
  assert.equal(await page.locator('.note-form').count(), 0);
  assert.equal(await page.locator('.case-page input[type="file"]').count(), 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'procedure-archived');
  const note = await operatorApi.post(`/api/v1/cases/${c.id}/notes`, { text: '存档后补记' });
  assert.equal(note.status, 422, JSON.stringify(note.body));
  assert.equal(note.body.error.code, 'transition_not_allowed');
  const reopen = await supervisorApi.post(`/api/v1/cases/${c.id}/transitions`, { event: 'reopen', version: archived.version, data: { reason: '更正' } });
  assert.equal(reopen.status, 422, JSON.stringify(reopen.body));
  browser.assertNoProblems();
  await logout(page);
});

test('a city delegates to a county, returns the report once, then accepts it', async () => {
  const { page } = browser;
  const county = (await operatorApi.get('/api/v1/session')).body.user.office_id;
  const c = await createCase(supervisorApi, { phone: uniquePhone(), summary: '交办：家暴求助', narrative: '市妇联接到来电，交县妇联办理。' });
  await login(page, srv.url, DEMO.supervisor);
  await openCase(page, c);
  await event(page, 'delegate', async (d) => {
    await d.getByLabel('接收单位').selectOption(String(county));
    await d.getByLabel('理由').fill('当事人住永兴县，交县妇联办理并报送结果。');
    await d.getByLabel('报送办结报告期限（天）').fill('20');
  });
  await page.locator('.case-title-row').getByText('交办中').waitFor();
  await page.locator('.case-header .deadline-list').getByText('办结报告期限').waitFor();
  const sent = (await supervisorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(sent.deadlines[0].days_left, 20);
  const theirs = sent.transferred_to.id;

  // The county handles, replies, closes and reports (through the API: the desk steps are above).
  const step = async (api, id, ev, data = {}) => {
    const cur = (await api.get(`/api/v1/cases/${id}`)).body;
    const r = await api.post(`/api/v1/cases/${id}/transitions`, { event: ev, version: cur.version, data });
    assert.equal(r.status, 200, `${ev}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const closeAndReport = async () => {
    await step(operatorApi, theirs, 'reply', { replied_at: shanghaiToday(), method: 'phone', opinion: 'support', basis: '已调解' });
    await step(operatorApi, theirs, 'request_closure', { outcome: 'resolved', summary: '已调解', losses_avoided_fen: 0 });
    await step(supervisorApi, theirs, 'approve_closure');
    await step(operatorApi, theirs, 'submit_report');
  };
  await step(operatorApi, theirs, 'accept', { notice_method: 'phone', notice_on_the_spot: true });
  await closeAndReport();

  await page.reload();
  await page.locator('button[data-event="return_report"]').waitFor();
  await event(page, 'return_report', async (d) => {
    await d.getByLabel('退回理由').fill('缺少调解笔录，请补充后重报。');
    await d.getByLabel('报送办结报告期限（天）').fill('10');
  });
  await page.locator('#case-procedure').getByText('已退回 1 次', { exact: false }).waitFor();
  assert.equal((await operatorApi.get(`/api/v1/cases/${theirs}`)).body.status, 'in_progress');

  await closeAndReport();
  await page.reload();
  await event(page, 'accept_report', async () => {});
  await page.locator('.case-title-row').getByText('已办结').waitFor();
  const done = (await supervisorApi.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(done.reply.from_case_id, theirs);
  assert.equal(done.sent.report_state, 'accepted');
  browser.assertNoProblems();
  await logout(page);
});

test('the person is named as the channel names her: 来电人, 来访人, 来信人', async () => {
  const { page } = browser;
  const phone = uniquePhone();
  const prior = await createCase(operatorApi, { phone, summary: '第一次来电：丈夫威胁', narrative: '来电反映丈夫酒后威胁。' });
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/intake`);
  const section = page.locator('.section-title').first();
  const panelTitle = page.locator('.repeat-panel .card-title');
  await path(page, 'channel').selectOption('hotline');  // the form keeps the channel last used
  assert.equal(await section.innerText(), '来电人（投诉人）');
  assert.equal(await panelTitle.innerText(), '来电人号码核查（重复来电）');

  await path(page, 'channel').selectOption('walk_in');
  await section.getByText('来访人（投诉人）').waitFor();
  await page.getByLabel('来访人即受害人本人').waitFor();
  assert.equal(await panelTitle.innerText(), '来访人号码核查（重复来访）');
  // The screen-pop of a visitor who called before.
  await path(page, 'complainant.phone').fill(phone);
  await page.locator('.repeat-panel .repeat-cases').getByRole('link', { name: prior.case_no }).waitFor();
  await page.locator('.repeat-panel .repeat-badge', { hasText: /^重复来访$/ }).waitFor();
  await page.locator('label.radio-pill', { hasText: '紧急' }).click();
  await page.getByLabel('来访人当前位置').waitFor();
  assert.match(await page.locator('.emergency-box').innerText(), /如来访人正面临人身危险/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'intake-walk-in-person');

  await path(page, 'channel').selectOption('letter');
  await section.getByText('来信人（投诉人）').waitFor();
  await page.locator('.repeat-panel .repeat-badge', { hasText: /^重复来信$/ }).waitFor();
  await page.getByLabel('来信人即受害人本人').check();
  await page.locator('.section-victim').getByText('（来信人即受害人本人，无需另填）').waitFor();
  assert.doesNotMatch(await page.locator('form.intake-form').innerText(), /来电人|来访人/);
  await page.getByRole('button', { name: '清空表单' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '清空表单' }).click();

  // The case page and its printed 登记表 name a walk-in's complainant 来访人, a call's 来电人.
  const walkIn = await operatorApi.post('/api/v1/intakes', {
    channel: 'walk_in', received_at: new Date(srv.now() - 60e3).toISOString(), persons: 1,
    complainant: { name: '钱女士', phone: uniquePhone(), gender: 'female' },
    category: 'marriage_family.domestic_violence', summary: '来访：丈夫殴打', urgency: 'normal', resolution: 'open_case',
  });
  assert.equal(walkIn.status, 201, JSON.stringify(walkIn.body));
  await openCase(page, walkIn.body.case);
  const persons = page.locator('section[aria-labelledby="persons-title"]');
  await persons.getByRole('cell', { name: '来访人 / 投诉人' }).waitFor();
  const sheet = await page.locator('.print-sheet').innerText();
  assert.match(sheet, /来访人 \/ 投诉人/);
  assert.match(sheet, /同来访人/, 'the victim row of a walk-in whose visitor is the victim');
  assert.doesNotMatch(sheet, /来电人/);
  await openCase(page, prior);
  await persons.getByRole('cell', { name: '来电人 / 投诉人' }).waitFor();
  browser.assertNoProblems();
  await logout(page);
});

// The domestic-violence module in a real browser (issue 6): the operator screens a DV call in the
// intake form and runs the risk checklist during the call (high risk), saves → the case page flags the
// risk and demands a safety plan; the plan is recorded (banner gone, version 1); an emergency protection
// order is applied for and its 24 h ruling countdown runs; the supervisor finds the case first among the
// open high-risk cases on the dashboard. Also: repeat victimisation at intake and on the case page, a
// 422 beside the expiry field (order longer than 6 months), the reassessment chart, the DV section
// revealed on a non-DV case, and partners never see any of it.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, apiClient, createCase, uniquePhone, waitForDraft } from './helpers.mjs';

const COURT_NAME = '永兴县人民法院';
const POLICE_NAME = '永兴县公安局城关派出所';

let srv;
let browser;
let api;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  api = await apiClient(srv.url, DEMO.operator);
});

// Each test starts signed out, even when the one before it failed half-way.
beforeEach(async () => {
  await browser.context.clearCookies();
  await browser.page.goto('about:blank');
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// "YYYY-MM-DD" in Shanghai, `months` calendar months from the server's now (plus `days`): calendar
// arithmetic on the Shanghai wall clock (UTC+8 all year).
function shanghaiDate({ months = 0, days = 0 } = {}) {
  const d = new Date(srv.now() + 8 * 3600000);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function isoHoursAgo(hours) {
  return new Date(srv.now() - hours * 3600000).toISOString().replace(/\.\d+Z$/, 'Z');
}

async function answer(scope, code, yes) {
  await scope.locator(`.dv-risk-item[data-code="${code}"] label.${yes ? 'dv-yes' : 'dv-no'}`).click();
}

test('a DV call screened at intake with a high-risk checklist → flag, safety plan, emergency protection order, supervisor dashboard', async () => {
  const { page } = browser;
  const phone = uniquePhone();
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/intake`);
  await page.locator('[data-path="complainant.phone"]').fill(phone);
  await page.locator('[data-path="complainant.name"]').fill('赵女士');
  await page.getByRole('button', { name: /^求助/ }).click();

  // The DV screening appears with the category (or the "violence mentioned" tick).
  const dv = page.locator('section.dv-intake');
  assert.equal(await dv.locator('.dv-intake-body').isVisible(), false, 'no screening before DV is in play');
  await dv.getByLabel('提及暴力').check();
  await dv.locator('.dv-intake-body').waitFor();
  await dv.getByLabel('提及暴力').uncheck();
  await dv.locator('.dv-intake-body').waitFor({ state: 'hidden' });
  await page.getByLabel('搜索问题类别').fill('家暴');
  await page.getByLabel('搜索问题类别').press('Enter');
  await dv.locator('.dv-intake-body').waitFor();

  await dv.getByLabel('殴打', { exact: true }).check();
  await dv.getByLabel('恐吓', { exact: true }).check();
  await dv.locator('[data-field="dv.children_present"] label.radio-pill', { hasText: '是' }).click();
  await dv.locator('[data-field="dv.weapons_used"] label.radio-pill', { hasText: '是' }).click();

  // The risk checklist during the call: live score and level while ticking.
  await dv.locator('details.dv-intake-risk > summary').click();
  const checklist = dv.locator('.dv-checklist');
  await answer(checklist, 'weapon', true);
  await answer(checklist, 'strangulation', true);
  assert.equal((await checklist.locator('.dv-score-value').innerText()).trim(), '8');
  assert.match(await checklist.locator('.dv-score').innerText(), /较高/);
  await answer(checklist, 'death_threat', true);
  await answer(checklist, 'fears_death', true);
  await answer(checklist, 'separation', false);
  assert.equal((await checklist.locator('.dv-score-value').innerText()).trim(), '15');
  assert.match(await checklist.locator('.dv-score').innerText(), /风险：高/);
  assert.match(await dv.locator('summary').innerText(), /得分 15（已答 5 项）/);

  await page.getByLabel('问题摘要').fill('丈夫持刀威胁并掐脖子');
  await page.getByLabel('详细情况（案情）').fill('来电人称丈夫昨晚持菜刀威胁要杀了她，并掐她脖子，孩子在场。她想离开但害怕。');

  // The draft keeps the DV answers across a reload (once it holds the last thing typed).
  await waitForDraft(page, '孩子在场。她想离开但害怕。');
  await page.reload();
  await dv.locator('.dv-intake-body').waitFor();
  assert.ok(await dv.getByLabel('殴打', { exact: true }).isChecked(), 'the forms of violence survive a reload');
  assert.ok(await dv.locator('details.dv-intake-risk').evaluate((d) => d.open), 'a checklist with answers opens again');
  assert.equal((await checklist.locator('.dv-score-value').innerText()).trim(), '15', 'the answers survive a reload');

  await dv.scrollIntoViewIfNeeded();
  await screenshot(page, 'dv-intake');
  await page.getByRole('button', { name: /保存并立案/ }).click();
  const link = page.locator('.result-banner a.result-case-link');
  await link.waitFor();
  const banner = page.locator('.result-banner');
  await banner.locator('.dv-intake-result').waitFor();
  assert.match(await banner.innerText(), /已存入个案：家暴筛查；危险性评估 15 分\s*风险：高/);
  assert.match(await banner.innerText(), /须制定安全计划/);
  const caseNo = (await link.innerText()).trim();
  await link.click();
  await page.locator('.case-no-title', { hasText: caseNo }).waitFor();
  const caseId = Number(await page.evaluate(() => location.hash.split('/').pop()));

  // What the intake stored.
  const rec = (await api.get(`/api/v1/cases/${caseId}/dv`)).body;
  assert.deepEqual(rec.forms, ['beating', 'threats']);
  assert.equal(rec.children_present, true);
  assert.equal(rec.weapons_used, true);
  const assessed = (await api.get(`/api/v1/cases/${caseId}/risk-assessments`)).body;
  assert.equal(assessed.items.length, 1);
  assert.equal(assessed.items[0].score, 15);
  assert.equal(assessed.items[0].answers.separation, false);

  // --- the case page: high-risk flag and "safety plan required" ---
  const flag = page.locator('.dv-risk-flag');
  await flag.waitFor();
  assert.match(await flag.innerText(), /高风险个案/);
  assert.match(await flag.innerText(), /15 分/);
  const required = page.locator('#dv-plan-required');
  await required.getByText('安全计划必填').waitFor();
  assert.match(await page.locator('.case-header').innerText(), /风险：高/);
  const recordCard = page.locator('#dv-record');
  assert.ok(await recordCard.getByLabel('殴打', { exact: true }).isChecked());
  assert.ok(await recordCard.locator('[data-field="weapons_used"] label.radio-pill', { hasText: '是' }).locator('input').isChecked());

  // --- the safety plan ---
  await required.getByRole('button', { name: '制定安全计划' }).click();
  const plan = page.locator('#dv-safety');
  await plan.getByLabel('步骤 1').fill('准备应急包：身份证、现金、常用药放在邻居家');
  await plan.getByRole('button', { name: /添加步骤/ }).click();
  await plan.getByLabel('步骤 2').fill('记住110和12338，手机设置紧急联系人');
  await plan.getByLabel('联系人 1 姓名').fill('赵丽（姐姐）');
  await plan.getByLabel('联系人 1 电话').fill('139 0000 1111');
  await plan.getByLabel('联系人 1 关系').fill('姐妹');
  await plan.locator('[data-field="safe_contact.ok_to_call"] label.radio-pill', { hasText: '不可来电' }).click();
  await plan.getByLabel('安全联系时间').fill('工作日上午');
  await plan.getByLabel('暗号').fill('买菜');
  await plan.getByLabel('地点 1').fill('姐姐家');
  await plan.getByRole('button', { name: /保存安全计划/ }).click();
  await plan.locator('.dv-plan-version', { hasText: '第 1 版' }).waitFor();
  await required.waitFor({ state: 'detached' });
  assert.match(await plan.innerText(), /买菜/);
  assert.match(await plan.innerText(), /赵丽（姐姐）/);
  assert.match(await plan.innerText(), /不可来电/);
  const sp = (await api.get(`/api/v1/cases/${caseId}/safety-plan`)).body;
  assert.equal(sp.version, 1);
  assert.equal(sp.plan.steps.length, 2);
  assert.equal(sp.plan.safe_contact.code_word, '买菜');
  assert.equal(sp.plan.safe_contact.ok_to_call, false);

  // A second version; the first stays readable.
  await plan.getByRole('button', { name: '修改安全计划' }).click();
  await plan.getByLabel('已完成').first().check();
  await plan.getByRole('button', { name: /保存安全计划/ }).click();
  await plan.locator('.dv-plan-version', { hasText: '第 2 版' }).waitFor();
  await plan.locator('.dv-version-list button[data-version="1"]').click();
  await plan.locator('.dv-plan-old').getByText('正在查看第 1 版（只读）').waitFor();
  assert.equal(await plan.locator('.dv-plan.is-old .dv-steps li.is-done').count(), 0, 'version 1 had no step done');
  assert.equal(await plan.locator('form').count(), 0, 'an older version is read-only');
  await plan.getByRole('button', { name: '返回当前版本' }).click();
  assert.equal(await plan.locator('.dv-steps li.is-done').count(), 1);

  // --- an emergency protection order: no clock until the court accepts it, then the 24 h countdown ---
  const orders = page.locator('#dv-orders');
  await orders.getByRole('button', { name: '申请保护令' }).click();
  await orders.getByLabel('受理法院').selectOption({ label: COURT_NAME });
  await orders.getByLabel('情况紧急').check();
  await orders.getByRole('button', { name: '登记申请' }).click();
  const item = orders.locator('.dv-po-item', { hasText: COURT_NAME });
  await item.locator('.dv-awaiting-acceptance', { hasText: '待法院受理' }).waitFor();
  assert.equal(await item.locator('.dv-countdown').count(), 0, 'no ruling countdown before the court accepts');
  await item.getByRole('button', { name: '登记法院受理' }).click();
  await item.locator('form.dv-po-accept').getByRole('button', { name: '保存受理时间' }).click();
  const countdown = item.locator('.dv-countdown');
  await countdown.waitFor();
  assert.match(await item.innerText(), /法院受理时间/);
  assert.match(await countdown.innerText(), /裁定期限（24 小时）/);
  const first = await countdown.locator('.dv-countdown-text').innerText();
  assert.match(first, /^剩余 2[0-3] 小时 \d+ 分 \d+ 秒$/);
  // The countdown ticks (every second).
  await page.waitForFunction((before) => document.querySelector('#dv-orders .dv-countdown-text')?.textContent !== before, first, { timeout: 5000 });
  assert.match(await item.innerText(), /已申请（待裁定）/);
  assert.match(await item.innerText(), /紧急申请/);
  const timeline = page.locator('.case-timeline');
  await timeline.getByText('申请保护令').first().waitFor();
  await timeline.getByText('法院受理保护令申请').first().waitFor();
  await timeline.getByText('更新安全计划').first().waitFor();

  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'dv-case');
  await page.locator('#dv-safety').scrollIntoViewIfNeeded();
  await screenshot(page, 'dv-case-plan');
  await orders.scrollIntoViewIfNeeded();
  await screenshot(page, 'dv-case-orders');
  browser.assertNoProblems();

  // --- the supervisor: first among the open high-risk cases ---
  await logout(page);
  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/#/dashboard`);
  const firstRow = page.locator('#dash-high-risk tbody tr').first();
  await firstRow.locator(`a[href="#/cases/${caseId}"]`).waitFor();
  await logout(page);
});

// A valid 18-digit resident ID number (GB 11643 check digit).
function idNumber(region, birth, seq) {
  const body = `${region}${birth}${seq}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((a, d, i) => a + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

test('repeat victimisation: a DV case of the same caller within 12 months is flagged at intake and on the case page', async () => {
  const { page } = browser;
  const phone = uniquePhone().replace(/^139/, '136');
  const prior = await createCase(api, { phone, name: '钱女士', summary: '丈夫殴打', narrative: '第一次求助：丈夫酒后殴打。' });
  const current = await createCase(api, { phone, name: '钱女士', summary: '再次被打', narrative: '第二次求助。' });

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/intake`);
  await page.locator('[data-path="complainant.phone"]').fill(phone);
  const warning = page.locator('.dv-intake-repeat');
  await warning.getByText('该求助人12个月内有家暴个案').waitFor();
  await warning.getByRole('link', { name: prior.case_no }).waitFor();
  await warning.getByRole('link', { name: current.case_no }).waitFor();
  await page.getByRole('button', { name: '清空表单' }).click();
  const confirm = page.getByRole('dialog');
  if (await confirm.isVisible()) await confirm.getByRole('button', { name: '清空表单' }).click();
  await warning.waitFor({ state: 'detached' });

  // The same woman calling from another phone: her ID number alone finds her DV case.
  const id = idNumber('431023', '19880214', '052');
  const byId = await api.post('/api/v1/intakes', {
    channel: 'hotline', call_type: 'help_request', duration_s: 120,
    complainant: { name: '周女士', phone: uniquePhone().replace(/^139/, '137'), gender: 'female', id_number: id },
    category: 'marriage_family.domestic_violence', summary: '丈夫威胁', narrative: '丈夫威胁要打死她。', urgency: 'normal', resolution: 'open_case',
  });
  assert.equal(byId.status, 201, JSON.stringify(byId.body));
  await page.locator('[data-path="complainant.phone"]').fill(uniquePhone().replace(/^139/, '138'));
  await page.locator('[data-path="complainant.id_number"]').fill(id);
  await warning.getByRole('link', { name: byId.body.case.case_no }).waitFor();
  await page.getByRole('button', { name: '清空表单' }).click();
  if (await confirm.isVisible()) await confirm.getByRole('button', { name: '清空表单' }).click();
  await warning.waitFor({ state: 'detached' });

  await page.goto(`${srv.url}/#/cases/${current.id}`);
  const repeat = page.locator('.dv-flags .dv-repeat');
  await repeat.getByText('重复受害预警').waitFor();
  const priorLink = repeat.getByRole('link', { name: prior.case_no });
  assert.equal(await priorLink.getAttribute('href'), `#/cases/${prior.id}`);
  await priorLink.click();
  await page.locator('.case-no-title', { hasText: prior.case_no }).waitFor();
  await page.locator('.dv-flags .dv-repeat').getByRole('link', { name: current.case_no }).waitFor();
  browser.assertNoProblems();
  await logout(page);
});

test('ruling with an expiry beyond 6 months is refused beside the field; two assessments draw the chart; a non-DV case reveals the section on demand', async () => {
  const { page } = browser;
  const c = await createCase(api, { phone: uniquePhone().replace(/^139/, '135'), name: '孙女士', summary: '前夫跟踪骚扰', narrative: '离婚后前夫长期跟踪。' });
  const court = (await api.get('/api/v1/partners?type=court')).body.items.find((p) => p.name === COURT_NAME);
  const po = await api.post(`/api/v1/cases/${c.id}/protection-orders`, { court_partner_id: court.id, applied_at: isoHoursAgo(80), court_accepted_at: isoHoursAgo(79), emergency: false });
  assert.equal(po.status, 201, JSON.stringify(po.body));

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  const orders = page.locator('#dv-orders');
  const item = orders.locator('.dv-po-item', { hasText: COURT_NAME });
  await item.locator('.dv-countdown.is-overdue').waitFor();
  assert.match(await item.locator('.dv-countdown').innerText(), /已超期 \d+ 小时/, 'an application past its 72 h shows overdue');
  await item.getByRole('button', { name: '登记裁定' }).click();
  const rule = item.locator('form.dv-po-rule');
  await rule.locator('label.radio-pill', { hasText: '已签发' }).click();
  await rule.getByLabel('有效期至').fill(shanghaiDate({ months: 7 }));
  await rule.getByRole('button', { name: '保存裁定' }).click();
  const err = rule.locator('[data-field="expires_at"] .field-error');
  await err.waitFor();
  assert.match(await err.innerText(), /最长 6 个月：最后一日最迟为 \d{4}-\d{2}-\d{2}$/);
  assert.equal(await rule.getByLabel('有效期至').getAttribute('aria-invalid'), 'true');
  await rule.getByLabel('有效期至').fill(shanghaiDate({ months: 3 }));
  await rule.getByRole('button', { name: '保存裁定' }).click();
  await item.locator('.dv-po-status', { hasText: '已签发' }).waitFor();
  assert.match(await item.innerText(), /距到期\s*\d+ 天/);
  assert.match(await item.innerText(), /有效期至\s*\d{4}\/\d{2}\/\d{2}（含当日，至 24 时）/, 'in force through its last day');
  assert.equal(await item.locator('.dv-countdown').count(), 0, 'no ruling countdown once ruled');
  // Extend it, then log a violation.
  await item.getByRole('button', { name: '延长' }).click();
  await item.locator('form.dv-po-extend').getByLabel('新的有效期至').fill(shanghaiDate({ months: 5 }));
  await item.getByRole('button', { name: '保存延长' }).click();
  await item.getByText('延长记录').waitFor();
  await item.getByRole('button', { name: '登记违反保护令' }).click();
  const violation = item.locator('form.dv-po-violation');
  await violation.getByLabel('违反情况').fill('前夫到单位门口堵截');
  await violation.getByLabel('公安处置').fill('派出所出警并训诫');
  await violation.getByRole('button', { name: '保存' }).click();
  await item.locator('.dv-violations').getByText('前夫到单位门口堵截').waitFor();
  const order = (await api.get(`/api/v1/protection-orders/${po.body.id}`)).body;
  assert.equal(order.extensions.length, 1);
  assert.equal(order.violations[0].police_response, '派出所出警并训诫');

  // Two assessments → the chart with two points and a line.
  const risk = page.locator('#dv-risk');
  await risk.getByRole('button', { name: '新评估' }).click();
  await answer(risk, 'stalking', true);
  await answer(risk, 'coercive_control', true);
  await risk.getByRole('button', { name: /提交评估/ }).click();
  await risk.locator('svg.dv-chart circle.dv-point').first().waitFor();
  await risk.getByRole('button', { name: '新评估' }).click();
  await answer(risk, 'stalking', true);
  await answer(risk, 'escalation', true);
  await answer(risk, 'separation', true);
  await answer(risk, 'prior_violation', true);
  await risk.getByRole('button', { name: /提交评估/ }).click();
  await page.locator('.case-header').getByText('风险：较高').waitFor();
  const chart = risk.locator('svg.dv-chart');
  assert.equal(await chart.locator('circle.dv-point').count(), 2);
  assert.equal(await chart.locator('polyline.dv-line').count(), 1);
  assert.equal(await chart.locator('rect.dv-band').count(), 4, 'the four level bands');
  assert.equal(await risk.locator('.dv-risk-table tbody tr').count(), 2);
  assert.match(await chart.getAttribute('aria-label'), /共 2 次评估，最近一次 10 分（较高）/);
  await risk.scrollIntoViewIfNeeded();
  await screenshot(page, 'dv-case-chart');

  // A case filed under another category: the section stays folded behind one button.
  const other = await api.post('/api/v1/intakes', {
    channel: 'hotline', call_type: 'help_request', duration_s: 120, complainant: { name: '周女士', phone: uniquePhone().replace(/^139/, '133'), gender: 'female' },
    category: 'marriage_family.divorce', summary: '协议离婚财产分割', urgency: 'normal', resolution: 'open_case',
  });
  assert.equal(other.status, 201, JSON.stringify(other.body));
  // The page's first question about the case's DV data is held until she has clicked: her reveal must
  // stand when the answer ("nothing recorded") comes after it — on a loaded machine it once folded the
  // section away again.
  const dvUrl = `**/api/v1/cases/${other.body.case.id}/dv`;
  let answerNow;
  const held = new Promise((resolve) => { answerNow = resolve; });
  await page.route(dvUrl, async (route) => { await held; await route.continue(); });
  await page.goto(`${srv.url}/#/cases/${other.body.case.id}`);
  const reveal = page.getByRole('button', { name: '记录家暴情况' });
  await reveal.waitFor();
  assert.equal(await page.locator('#dv-risk').count(), 0);
  await reveal.click();
  // She ticks at once, and the record's own answer comes after (held a second at most): the answer
  // must not untick it, nor may the record be saved without it (the form takes nothing until read).
  const recordCard = page.locator('#dv-record');
  const ticked = recordCard.getByLabel('殴打', { exact: true }).check();
  await Promise.race([ticked, new Promise((resolve) => { setTimeout(resolve, 1000); })]);
  answerNow();
  await ticked;
  await recordCard.locator('.dv-meta', { hasText: '尚未保存' }).waitFor();
  assert.ok(await recordCard.getByLabel('殴打', { exact: true }).isChecked(), 'her tick stays when the record arrives');
  await page.unroute(dvUrl);
  await recordCard.getByRole('button', { name: /保存记录/ }).click();
  await recordCard.locator('.dv-meta', { hasText: '第 1 版' }).waitFor();
  assert.deepEqual((await api.get(`/api/v1/cases/${other.body.case.id}/dv`)).body.forms, ['beating'], 'saved with her tick');
  await page.locator('.case-timeline').getByText('更新家暴记录').waitFor();

  // Someone else saves the record meanwhile: 409, and the reload keeps what this user typed.
  const otherId = other.body.case.id;
  const put = await api.call('PUT', `/api/v1/cases/${otherId}/dv`, { version: 1, forms: ['beating'], frequency: 'weekly', injuries: '左臂淤青' });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await recordCard.getByLabel('恐吓', { exact: true }).check();
  await recordCard.getByLabel('凶器说明').fill('木棍');
  await recordCard.getByRole('button', { name: /保存记录/ }).click();
  const conflict = recordCard.locator('.alert-warn');
  await conflict.getByText('家暴记录已被他人修改').waitFor();
  assert.ok(await recordCard.getByLabel('恐吓', { exact: true }).isChecked(), 'the typed ticks stay after a 409');
  await conflict.getByRole('button', { name: '载入最新内容（保留我填写的内容）' }).click();
  await recordCard.locator('.alert-info').getByText('已载入第 2 版').waitFor();
  assert.equal(await recordCard.getByLabel('发生频率').inputValue(), 'weekly', 'untouched fields take the latest values');
  assert.equal(await recordCard.getByLabel('伤情').inputValue(), '左臂淤青');
  assert.equal(await recordCard.getByLabel('凶器说明').inputValue(), '木棍', 'typed text is kept');
  assert.ok(await recordCard.getByLabel('恐吓', { exact: true }).isChecked());
  await recordCard.getByRole('button', { name: /保存记录/ }).click();
  await recordCard.locator('.dv-meta', { hasText: '第 3 版' }).waitFor();
  const merged = (await api.get(`/api/v1/cases/${otherId}/dv`)).body;
  assert.deepEqual(merged.forms, ['beating', 'threats']);
  assert.equal(merged.frequency, 'weekly');
  assert.equal(merged.weapons, '木棍');
  browser.assertNoProblems();
  await logout(page);
});

test('a shelter stay that goes on is ended from the case page and the end is on the timeline', async () => {
  const { page } = browser;
  const c = await createCase(api, { phone: uniquePhone().replace(/^139/, '134'), name: '吴女士', summary: '离家后暂住救助站', narrative: '被丈夫赶出家门。' });
  const shelter = (await api.get('/api/v1/partners?type=civil_affairs')).body.items[0];
  const from = new Date(srv.now() - 3 * 86400000).toISOString();
  const stay = await api.post(`/api/v1/cases/${c.id}/shelter-stays`, { partner_id: shelter.id, from });
  assert.equal(stay.status, 201, JSON.stringify(stay.body));

  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  const card = page.locator('#dv-measures');
  await card.getByText('庇护中').first().waitFor();
  await card.getByRole('button', { name: '结束庇护' }).click();
  await card.locator('.dv-sh-end-form').getByRole('button', { name: '结束庇护' }).click();
  await card.getByRole('button', { name: '结束庇护' }).waitFor({ state: 'detached' });
  const after = (await api.get(`/api/v1/cases/${c.id}/shelter-stays`)).body.items[0];
  assert.ok(after.to, 'the stay has an end');
  await page.locator('.tl-item', { hasText: '庇护结束' }).first().waitFor();
  browser.assertNoProblems();
  await logout(page);
});

test('partner users never see the DV section, even on a high-risk DV case referred to them', async () => {
  const { page } = browser;
  const c = await createCase(api, { phone: uniquePhone().replace(/^139/, '138'), name: '李女士', summary: '丈夫殴打请求出警', narrative: '丈夫多次殴打。' });
  const cur = (await api.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal((await api.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: cur.version, data: { notice_method: 'phone', notice_on_the_spot: true } })).status, 200);
  const ra = await api.post(`/api/v1/cases/${c.id}/risk-assessments`, { answers: { weapon: true, strangulation: true, death_threat: true, fears_death: true, escalation: true } });
  assert.equal(ra.status, 201);
  const police = (await api.get('/api/v1/partners?type=police')).body.items.find((p) => p.name === POLICE_NAME);
  const ref = await api.post(`/api/v1/cases/${c.id}/referrals`, { partner_id: police.id, service: 'police_response', reason: '请出警。', consent: { given: true } });
  assert.equal(ref.status, 201, JSON.stringify(ref.body));

  await login(page, srv.url, DEMO.police);
  const requests = [];
  const onRequest = (r) => { if (/\/dv\b|\/dv\/|risk-assessments|safety-plan|protection-orders/.test(r.url())) requests.push(r.url()); };
  page.on('request', onRequest);
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.locator('.case-no-title', { hasText: c.case_no }).waitFor();
  await page.locator('.referrals-card').waitFor();
  // The case view sets the title after every part of it has loaded (web/static/app/views/case.js):
  // a DV request, had there been one, was sent before that.
  await page.waitForFunction((no) => document.title.startsWith(no), c.case_no);
  page.off('request', onRequest);
  assert.equal(await page.locator('.dv-section, .dv-flags, #dv-reveal, .dv-risk-flag').count(), 0, 'no DV section, flag or button for partners');
  assert.deepEqual(requests, [], 'the partner view does not even ask for DV data');
  browser.assertNoProblems();
  await logout(page);
});

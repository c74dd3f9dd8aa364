// Story (5) of issue #13 at the desk, in Chinese: a group visit of 6 (集体访) and a level-skipping call
// (越级访) are flagged, and the level-skipping case is routed (交办) to the county named at intake; a
// repeat call (重复访) is linked to the earlier case instead of opening one. Also the consultation kind
// (#14) chosen by keyboard, and a screenshot of the intake form with these controls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone, screenshot } from './helpers.mjs';

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

const path = (page, p) => page.locator(`[data-path="${p}"]`);

async function chooseCategory(page, search) {
  await page.getByLabel('搜索问题类别').fill(search);
  await page.getByLabel('搜索问题类别').press('Enter');
}

async function savedCase(page) {
  const link = page.locator('.result-banner a.result-case-link');
  await link.waitFor();
  const href = await link.getAttribute('href');
  return { id: Number(href.split('/').pop()), case_no: (await link.innerText()).trim() };
}

test('a group visit of 6 and a level-skipping call are flagged, and the level-skipping case is routed', async () => {
  const { page } = browser;
  const county = (await operatorApi.get('/api/v1/session')).body.user.office_id;
  await login(page, srv.url, DEMO.supervisor);

  // --- a walk-in of six people at the city office: 集体访 ---
  await page.goto(`${srv.url}/#/intake`);
  await path(page, 'channel').selectOption('walk_in');
  await path(page, 'persons').fill('6');
  const badge = page.locator('.group-visit-badge');
  await badge.getByText('集体访').waitFor();
  await path(page, 'persons').fill('4');
  await badge.waitFor({ state: 'hidden' });
  await path(page, 'persons').fill('6');
  await badge.waitFor();
  await path(page, 'complainant.phone').fill(uniquePhone());
  await path(page, 'complainant.name').fill('村民代表张女士');
  await chooseCategory(page, '土地');
  await page.getByLabel('问题摘要').fill('六名妇女集体来访，反映土地承包权益被侵害');
  await page.locator('label.radio-pill', { hasText: '立案办理' }).click();
  await page.getByRole('button', { name: /保存并立案/ }).click();
  const group = await savedCase(page);
  const groupCase = (await supervisorApi.get(`/api/v1/cases/${group.id}`)).body;
  assert.equal(groupCase.group_visit, true);
  await page.goto(`${srv.url}/#/cases/${group.id}`);
  await page.locator('.intake-flags').getByText('集体访').waitFor();
  await page.locator('.timeline').getByText('集体访').first().waitFor();

  // --- a call whose matter belongs to the county: 越级访, then 交办 to that county ---
  await page.goto(`${srv.url}/#/intake`);
  await path(page, 'channel').selectOption('hotline');
  await page.getByRole('button', { name: /^求助/ }).click();
  await path(page, 'complainant.phone').fill(uniquePhone());
  await path(page, 'complainant.name').fill('李女士');
  await chooseCategory(page, '家暴');
  await page.getByLabel('问题摘要').fill('永兴县居民越级来电反映家暴');
  const office = path(page, 'jurisdiction_office_id');
  assert.ok(await office.isHidden(), 'the office picker shows only for a level-skipping contact');
  await page.getByLabel('越级访（应由下级单位管辖）').check();
  const names = await office.locator('option').allInnerTexts();
  assert.deepEqual(names.slice(1).sort(), ['桂阳县妇联', '永兴县妇联'].sort(), 'the offices below the city, by name');
  // Saved without the office: said beside the field, in Chinese.
  await page.getByRole('button', { name: /保存并立案/ }).click();
  await page.getByText('越级访请选择有管辖权的下级单位。').first().waitFor();
  await office.selectOption({ label: '永兴县妇联' });
  await page.getByRole('button', { name: /保存并立案/ }).click();
  const skipped = await savedCase(page);
  await page.goto(`${srv.url}/#/cases/${skipped.id}`);
  const flags = page.locator('.intake-flags');
  await flags.getByText('越级访：应由 永兴县妇联 管辖').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'case-level-skipping');
  await flags.getByRole('button', { name: '交办给 永兴县妇联' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('接收单位').inputValue(), String(county), 'the county named at intake is the target');
  await dialog.getByLabel('理由').fill('属永兴县妇联管辖，交县妇联办理并报送结果。');
  await dialog.getByLabel('报送办结报告期限（天）').fill('20');
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.case-title-row').getByText('交办中').waitFor();
  const sent = (await supervisorApi.get(`/api/v1/cases/${skipped.id}`)).body;
  assert.equal(sent.status, 'delegated');
  assert.equal(sent.level_skipping, true);
  assert.equal(sent.jurisdiction_office.id, county);
  await logout(page);
});

test('a repeat call is linked to the earlier case, not opened as a new one', async () => {
  const { page } = browser;
  const phone = uniquePhone();
  const prior = await createCase(supervisorApi, { phone, summary: '丈夫酒后殴打', narrative: '第一次来电。', name: '赵女士' });
  await login(page, srv.url, DEMO.supervisor);
  await page.goto(`${srv.url}/intake?phone=${phone}`);
  const panel = page.locator('.repeat-panel');
  await panel.getByText('个案尚未办结').waitFor();
  const linkRepeat = page.getByLabel(`关联为重复访：${prior.case_no}`);
  assert.ok(await linkRepeat.isChecked(), 'linked as a repeat by default when there is a candidate');
  await page.locator('.followup').getByText(`重复访：个案 ${prior.case_no}`).waitFor();

  // The screenshot: the form with the new controls (repeat choice, group visit, level-skipping,
  // consultation kind), then the call itself, answered on the spot.
  await path(page, 'channel').selectOption('walk_in');
  await path(page, 'persons').fill('6');
  await page.getByLabel('越级访（应由下级单位管辖）').check();
  await path(page, 'jurisdiction_office_id').selectOption({ label: '永兴县妇联' });
  await page.getByLabel('问题摘要').fill('再次来访，询问保护令申请进展');
  await page.getByLabel('已给出的解答或建议').fill('告知保护令申请已转交法院，耐心等待裁定。');
  await page.locator('label.radio-pill', { hasText: '已解答' }).click();
  // The kind by keyboard: focus the first, arrow to the third (心理咨询).
  await page.locator('[data-path="consultation_kind"][value="legal"]').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.ok(await page.locator('[data-path="consultation_kind"][value="psychological"]').isChecked());
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'intake-repeat-group-level-skipping');
  await page.locator('.level-skipping').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'intake-consultation-kind');

  // Back to a plain call for the repeat itself.
  await page.getByLabel('越级访（应由下级单位管辖）').uncheck();
  await path(page, 'channel').selectOption('hotline');
  await page.getByRole('button', { name: /^咨询/ }).click();
  await page.locator('label.radio-pill', { hasText: '已解答' }).click();
  const before = (await supervisorApi.get('/api/v1/cases?limit=1')).body.counts;
  await page.getByRole('button', { name: /保存（已解答）/ }).click();
  await page.locator('.result-banner').getByText(`已作为个案 ${prior.case_no} 的重复访记录`, { exact: false }).waitFor();
  assert.deepEqual((await supervisorApi.get('/api/v1/cases?limit=1')).body.counts, before, 'no case was opened');

  const timeline = (await supervisorApi.get(`/api/v1/cases/${prior.id}/timeline`)).body.items;
  const repeat = timeline.find((i) => i.kind === 'contact' && i.repeat);
  assert.ok(repeat, JSON.stringify(timeline));
  assert.equal(repeat.summary, '再次来访，询问保护令申请进展');
  await page.goto(`${srv.url}/#/cases/${prior.id}`);
  await page.locator('.intake-flags').getByText('重复访 1 次').waitFor();
  await page.locator('.timeline').getByText('再次来访，询问保护令申请进展').waitFor();
  await logout(page);
});

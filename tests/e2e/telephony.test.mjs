// 来电弹屏 from the seat's call-centre (issue #15 point 9), played by tests/telephony/fake-callcentre.mjs
// against a server configured with its token: the call rings at the operator's agent id and her desk
// opens the intake with the caller's number and her earlier case; the call ends and the intake's
// timer shows the call-centre's duration; the saved contact carries the call (and its duration). A
// call that rings while she is typing another caller's intake does not take the form away: a banner
// offers it, and her draft is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, DEMO, repoRoot } from './server.mjs';
import { launchBrowser, login, apiClient, createCase, uniquePhone, waitForLiveStream, waitForDraft, axeViolations, screenshot } from './helpers.mjs';

const execFileP = promisify(execFile);
const SCRIPT = join(repoRoot, 'tests', 'telephony', 'fake-callcentre.mjs');
const TOKEN = randomBytes(32).toString('hex');
const AGENT = 'A1001';

let srv;
let browser;
let operatorApi;

// Runs the fake call-centre; returns the HTTP status and JSON body it printed.
async function callcentre(...args) {
  const { stdout } = await execFileP(process.execPath, [SCRIPT, ...args, '--url', srv.url], { env: { ...process.env, HOTLINE_TELEPHONY_TOKEN: TOKEN } });
  const line = stdout.trim().split('\n').pop();
  const space = line.indexOf(' ');
  return { status: Number(line.slice(0, space)), body: JSON.parse(line.slice(space + 1)) };
}

const path = (page, p) => page.locator(`[data-path="${p}"]`);
const clock = (s) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

before(async () => {
  srv = await startServer({ config: { telephony: [{ name: 'pbx', token_sha256: createHash('sha256').update(TOKEN).digest('hex') }] } });
  browser = await launchBrowser();
  // The administrator gives the operator her 工号 (before she logs in: a change ends her sessions).
  const admin = await apiClient(srv.url, DEMO.admin);
  const operator = (await admin.get('/api/v1/users')).body.items.find((u) => u.username === DEMO.operator.username);
  const set = await admin.patch(`/api/v1/users/${operator.id}`, { agent_id: AGENT });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  operatorApi = await apiClient(srv.url, DEMO.operator);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('a ringing call opens the intake with the caller and her history; its end gives the duration; the contact carries the call', async () => {
  const { page } = browser;
  const phone = uniquePhone();
  const prior = await createCase(operatorApi, { phone, summary: '丈夫酒后殴打', narrative: '第一次来电。', name: '赵女士' });
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/cases`);
  await waitForLiveStream(page);

  const rang = await callcentre('ring', '--call-id', 'e2e-call-1', '--caller', phone, '--agent', AGENT, '--seat', 'S-07');
  assert.equal(rang.status, 201, JSON.stringify(rang.body));
  assert.equal(rang.body.delivered, 1);
  await page.waitForFunction(() => location.hash.startsWith('#/intake'));
  await page.waitForFunction((p) => document.querySelector('[data-path="complainant.phone"]')?.value === p, phone);
  await page.locator('.repeat-panel').getByText(prior.case_no).first().waitFor();
  assert.deepEqual(await axeViolations(page, '#view'), []);

  // The call goes on for 97 seconds (the server's clock moved on), then the call-centre reports its
  // end: the server counts the duration from the ring.
  await srv.advanceClock(97000);
  const ended = await callcentre('end', '--call-id', 'e2e-call-1');
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  const seconds = ended.body.duration_seconds;
  assert.ok(seconds >= 97 && seconds < 120, `duration ${seconds}`);
  await page.waitForFunction((text) => document.querySelector('.timer-value')?.textContent === text, clock(seconds));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await page.locator('.timer-value').textContent(), clock(seconds), 'the timer stays at the call\'s duration');

  await page.getByLabel('问题摘要').fill('询问保护令申请进展');
  await page.getByLabel('已给出的解答或建议').fill('告知保护令申请已转交法院，耐心等待裁定。');
  await page.locator('label.radio-pill', { hasText: '已解答' }).click();
  await page.locator('[data-path="consultation_kind"][value="legal"]').check();
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/intakes') && r.method() === 'POST');
  await page.getByRole('button', { name: /保存（已解答）/ }).click();
  const body = (await sent).postDataJSON();
  assert.equal(body.call_id, rang.body.id);
  assert.equal(body.duration_s, seconds);
  await page.locator('.result-banner').waitFor();
  // The server linked the contact to the call: a second contact for it is refused.
  const again = await operatorApi.post('/api/v1/intakes', { channel: 'hotline', call_type: 'consultation', resolution: 'answered', consultation_kind: 'legal', summary: '再记一次', answer: '已解答', call_id: rang.body.id });
  assert.equal(again.status, 422, JSON.stringify(again.body));
  assert.ok(again.body.error.fields.call_id);
  // The call is done with: the next intake is not linked to it.
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('weiquan:draft:call:')).length), 0);
  browser.assertNoProblems();
});

test('a call ringing while another caller\'s intake is being typed shows a banner, and the draft is kept', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/intake`);
  await path(page, 'complainant.phone').fill(uniquePhone());
  await page.getByLabel('问题摘要').fill('正在记录的来电');
  await waitForDraft(page, '正在记录的来电');
  await waitForLiveStream(page);

  const phone = uniquePhone().replace(/^139/, '138');
  const rang = await callcentre('ring', '--call-id', 'e2e-call-2', '--caller', phone, '--agent', AGENT);
  assert.equal(rang.status, 201, JSON.stringify(rang.body));
  const banner = page.locator('.call-banner');
  await banner.getByText(`来电 ${phone}`).waitFor();
  assert.equal(await page.getByLabel('问题摘要').inputValue(), '正在记录的来电', 'the form was not taken away');
  assert.ok(!(await page.evaluate(() => location.hash)).includes(phone));
  assert.deepEqual(await axeViolations(page, '.call-host'), []);
  await screenshot(page, 'telephony-call-banner');

  // Taking the call: the intake says a draft exists and keeps it; nothing typed is lost.
  await banner.getByRole('button', { name: '登记此来电' }).click();
  await banner.waitFor({ state: 'detached' });
  await page.waitForFunction((p) => location.hash.includes(p), phone);
  await page.getByText(`新来电号码 ${phone} 尚未填入`, { exact: false }).waitFor();
  assert.equal(await page.getByLabel('问题摘要').inputValue(), '正在记录的来电');
  browser.assertNoProblems();
});

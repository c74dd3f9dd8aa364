// A shared PC must not keep victims' data: an explicit logout (退出登录) removes this user's drafts
// (intake, notes, case edits) after a confirmation when something was typed. An expired session is not
// a logout: the drafts stay and come back after the next login.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone } from './helpers.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer({ cases: 10 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const field = (page, path) => page.locator(`[data-path="${path}"]`);
const draftKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('weiquan:draft:')));

test('logging out asks first when a draft has content, then removes the drafts from this browser', async () => {
  const { page } = browser;
  const api = await apiClient(srv.url, DEMO.operator);
  const c = await createCase(api, { phone: uniquePhone(), summary: '退出登录测试个案', narrative: '用于检查备注草稿。' });
  await login(page, srv.url, DEMO.operator);

  // A note typed on a case page and an intake half filled in: both are drafts in localStorage.
  await page.goto(`${srv.url}/#/cases/${c.id}`);
  await page.getByLabel('添加备注').fill('回访时当事人情绪稳定（未保存的备注）');
  await page.goto(`${srv.url}/#/intake`);
  await field(page, 'complainant.phone').fill(uniquePhone());
  await field(page, 'complainant.name').fill('钱女士');
  await page.getByLabel('问题摘要').fill('丈夫扣押身份证');
  assert.equal((await draftKeys(page)).length, 2, 'an intake draft and a note draft are kept locally');

  // Cancelling the confirmation keeps everything.
  await page.getByRole('button', { name: '退出登录' }).click();
  const confirm = page.getByRole('dialog', { name: '请确认' });
  await confirm.getByText('未保存的登记将被清除').waitFor();
  await confirm.getByRole('button', { name: '取消' }).click();
  assert.equal(await field(page, 'complainant.name').inputValue(), '钱女士');
  assert.equal((await draftKeys(page)).length, 2);

  await page.getByRole('button', { name: '退出登录' }).click();
  await confirm.getByRole('button', { name: '清除并退出' }).click();
  await page.locator('.login-card').waitFor();
  assert.deepEqual(await draftKeys(page), [], 'no draft is left after logout');
  const stored = await page.evaluate(() => Object.values(localStorage).join('\n'));
  assert.ok(!stored.includes('钱女士') && !stored.includes('未保存的备注'), 'no victim data left in localStorage');

  // The next login starts from an empty form; with nothing typed, logout asks nothing.
  await login(page, srv.url, DEMO.operator);
  await field(page, 'complainant.phone').waitFor();
  assert.equal(await field(page, 'complainant.name').inputValue(), '');
  assert.equal(await page.getByText('已恢复上次未保存的登记草稿').count(), 0);
  await logout(page);
  browser.assertNoProblems();
});

test('an expired session keeps the drafts: they are back after logging in again', async () => {
  const { page, context } = browser;
  await login(page, srv.url, DEMO.operator);
  await field(page, 'complainant.phone').waitFor();
  await field(page, 'complainant.phone').fill(uniquePhone());
  await field(page, 'complainant.name').fill('孙女士');
  await page.getByLabel('问题摘要').fill('被前夫跟踪骚扰');

  await context.clearCookies(); // the session ends by itself (idle timeout), not by logout
  await page.reload();
  await page.locator('.login-card').waitFor();
  assert.equal((await draftKeys(page)).length, 1, 'the draft outlives the session');
  // The restored number is looked up, and the DV repeat check follows: both answered before the
  // session goes again, or one of them, not the list, would open the dialog (over the link).
  const checked = page.waitForResponse((r) => r.url().includes('/api/v1/dv/repeat-check'));
  await login(page, srv.url, DEMO.operator);
  await page.getByText('已恢复上次未保存的登记草稿').waitFor();
  assert.equal(await field(page, 'complainant.name').inputValue(), '孙女士');
  await checked;

  // Leaving the re-login dialog is not a logout either.
  await context.clearCookies();
  await page.getByRole('link', { name: /本单位个案/ }).click(); // the list's request gets 401
  const dialog = page.getByRole('dialog', { name: '登录已过期' });
  await dialog.getByRole('button', { name: '退出到登录页' }).click();
  await page.locator('.login-card').waitFor();
  assert.equal((await draftKeys(page)).length, 1);
  browser.assertNoProblems();
});

// 修改密码 (issue #16, password policy), in Chinese: a person changes her own password from the top
// bar, with the policy's refusals shown in Chinese beside the field; and an account an administrator
// just created (password_change_first_login on) sees nothing but the dialog, which cannot be
// dismissed, until she has chosen her own password — then the desk goes on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createApprovedAccount, screenshot, axeViolations } from './helpers.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer({ cases: 5, config: { password_change_first_login: true } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const dialog = (page) => page.getByRole('dialog', { name: '修改密码' });

async function fill(d, current, fresh, repeat = fresh) {
  await d.getByLabel('当前密码', { exact: true }).fill(current);
  await d.getByLabel('新密码', { exact: true }).fill(fresh);
  await d.getByLabel('再次输入新密码', { exact: true }).fill(repeat);
}

test('an operator changes her password from the top bar; refusals are explained in Chinese', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);
  // The user menu: her name opens it from the keyboard, 修改密码 is its first item.
  const menuButton = page.locator('.user-menu-button');
  await menuButton.focus();
  await page.keyboard.press('Enter');
  const item = page.getByRole('menuitem', { name: '修改密码' });
  await item.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '修改密码');
  await screenshot(page, 'password-user-menu');
  await page.keyboard.press('Escape');
  assert.equal(await item.isVisible(), false);
  await menuButton.click();
  await item.click();
  const d = dialog(page);
  await d.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pw-current', 'the first field has the focus');
  await screenshot(page, 'password-dialog');
  assert.deepEqual(await axeViolations(page, 'dialog.dialog-password'), []);

  // Typed twice differently: caught before sending.
  await fill(d, DEMO.operator.password, 'mountain-river-2027', 'mountain-river-2028');
  await d.getByRole('button', { name: '确认修改' }).click();
  await d.getByText('两次输入的新密码不一致').waitFor();
  // Wrong current password.
  await fill(d, 'not-my-password-at-all', 'mountain-river-2027');
  await page.keyboard.press('Enter');
  await d.getByText('当前密码不正确').waitFor();
  // Her current password again: one of her last 5.
  await fill(d, DEMO.operator.password, DEMO.operator.password);
  await page.keyboard.press('Enter');
  await d.getByText('不能使用最近 5 次用过的密码').waitFor();
  await screenshot(page, 'password-dialog-reused');
  // Too short.
  await fill(d, DEMO.operator.password, 'short-pw');
  await page.keyboard.press('Enter');
  await d.getByText('密码至少需要 12 个字符').waitFor();

  await fill(d, DEMO.operator.password, 'mountain-river-2027');
  await page.keyboard.press('Enter');
  await d.waitFor({ state: 'detached' });
  await page.getByText('密码已修改').waitFor();
  await logout(page);
  await login(page, srv.url, { username: DEMO.operator.username, password: 'mountain-river-2027' });
  await logout(page);
  browser.assertNoProblems();
});

test('an account an administrator created must choose her own password before anything else', async () => {
  const { page } = browser;
  const op = await apiClient(srv.url, DEMO.operator2);
  await createApprovedAccount(srv.url, {
    username: 'xinren', display_name: '新来的接线员', role: 'operator', office_id: op.user.office_id, password: 'set-by-the-admin-1',
  });

  await page.goto(`${srv.url}/#/login`);
  await page.getByLabel('用户名').fill('xinren');
  await page.getByLabel('密码').fill('set-by-the-admin-1');
  await page.getByRole('button', { name: '登录' }).click();
  const d = dialog(page);
  await d.getByText('需要先改成只有您自己知道的新密码').waitFor();
  assert.equal(await page.locator('.topbar').count(), 0, 'nothing but the dialog');
  assert.equal(await d.getByRole('button', { name: '关闭' }).count(), 0, 'no close button');
  await page.keyboard.press('Escape');
  assert.ok(await d.isVisible(), 'Esc does not dismiss it');
  await screenshot(page, 'password-dialog-forced');

  await fill(d, 'set-by-the-admin-1', 'my-own-secret-2027');
  await page.keyboard.press('Enter');
  await d.waitFor({ state: 'detached' });
  await page.locator('.topbar').waitFor();
  await page.getByText('新来的接线员').waitFor();
  await page.getByLabel('问题摘要').waitFor(); // the intake form: the desk goes on
  await logout(page);
  browser.assertNoProblems();
});

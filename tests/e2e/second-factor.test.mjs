// 两步验证 (issue #16), in Chinese: an operator turns it on from the user menu (QR code, a wrong
// first code refused, the right one, her ten recovery codes shown once), then logs in with password
// and the code her app shows, and once with a recovery code; and where the office requires it, a
// supervisor sees nothing but the enrolment dialog until it is done. The app is played by the test:
// TOTP (RFC 6238, HMAC-SHA1, 30 s, 6 digits) computed here from the key the dialog shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot, axeViolations } from './helpers.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer({ cases: 5 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, atMs) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const dialog = (page) => page.getByRole('dialog', { name: '两步验证' });

// Enrols in the open dialog; returns the key and the recovery codes.
async function enrol(page, srv, d) {
  await d.getByRole('button', { name: '开始设置' }).click();
  await d.getByRole('img', { name: '两步验证二维码' }).waitFor();
  const secret = (await d.locator('.tfa-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await d.getByLabel('验证码').fill(totp(secret, srv.now()));
  await page.keyboard.press('Enter');
  await d.getByText('请保存恢复码').waitFor();
  const codes = await d.locator('.tfa-codes li').allInnerTexts();
  return { secret, codes };
}

test('an operator turns two-step verification on and then logs in with her app and with a recovery code', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);
  await page.locator('.user-menu-button').click();
  await page.getByRole('menuitem', { name: '两步验证' }).click();
  const d = dialog(page);
  await d.getByText('两步验证未开启').waitFor();
  assert.deepEqual(await axeViolations(page, 'dialog.dialog-second-factor'), []);
  await d.getByRole('button', { name: '开始设置' }).click();
  const qr = d.getByRole('img', { name: '两步验证二维码' });
  await qr.waitFor();
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is drawn');
  await screenshot(page, 'second-factor-qr');
  assert.deepEqual(await axeViolations(page, 'dialog.dialog-second-factor'), []);
  const secret = (await d.locator('.tfa-secret').innerText()).replace(/\s/g, '');
  // A wrong first code: explained, nothing turned on.
  await d.getByLabel('验证码').fill('000000');
  await page.keyboard.press('Enter');
  await d.getByText('验证码不正确').waitFor();
  await d.getByLabel('验证码').fill(totp(secret, srv.now()));
  await page.keyboard.press('Enter');
  await d.getByText('请保存恢复码').waitFor();
  const codes = await d.locator('.tfa-codes li').allInnerTexts();
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, /^[2-9a-z]{5}-[2-9a-z]{5}$/);
  await screenshot(page, 'second-factor-recovery-codes');
  assert.deepEqual(await axeViolations(page, 'dialog.dialog-second-factor'), []);
  await d.getByRole('button', { name: '我已保存' }).click();
  await d.waitFor({ state: 'detached' });
  await page.getByText('两步验证已开启').waitFor();
  await logout(page);

  // The next step of her app: password, then the code the desk asks for.
  await srv.setClock(srv.now() + 30_000);
  await page.goto(`${srv.url}/#/login`);
  await page.getByLabel('用户名').fill(DEMO.operator.username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO.operator.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('此账户已开启两步验证').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-code');
  await screenshot(page, 'second-factor-login');
  assert.deepEqual(await axeViolations(page, '.login-card'), []);
  await page.keyboard.type('111111');
  await page.keyboard.press('Enter');
  await page.getByText('验证码不正确').waitFor();
  await page.keyboard.type(totp(secret, srv.now()));
  await page.keyboard.press('Enter');
  await page.locator('.topbar').waitFor();
  await logout(page);

  // A recovery code instead of the phone.
  await page.getByLabel('用户名').fill(DEMO.operator.username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO.operator.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByLabel('验证码').fill(codes[0]);
  await page.keyboard.press('Enter');
  await page.locator('.topbar').waitFor();
  await page.locator('.user-menu-button').click();
  await page.getByRole('menuitem', { name: '两步验证' }).click();
  await dialog(page).getByText('剩余恢复码 9 个').waitFor();
  await page.keyboard.press('Escape');
  await logout(page);
  browser.assertNoProblems();
});

test('where the office requires it, a supervisor sees nothing but the enrolment until it is done', async () => {
  const strict = await startServer({ cases: 5, config: { second_factor_required: true } });
  try {
    const { page } = browser;
    await page.goto(`${strict.url}/#/login`);
    await page.getByLabel('用户名').fill(DEMO.supervisor.username);
    await page.getByLabel('密码', { exact: true }).fill(DEMO.supervisor.password);
    await page.getByRole('button', { name: '登录' }).click();
    const d = dialog(page);
    await d.getByText('本单位要求开启两步验证').waitFor();
    assert.equal(await page.locator('.topbar').count(), 0, 'nothing but the dialog');
    await page.keyboard.press('Escape');
    assert.ok(await d.isVisible(), 'Esc does not dismiss it');
    await screenshot(page, 'second-factor-forced');
    await enrol(page, strict, d);
    await d.getByRole('button', { name: '我已保存' }).click();
    await page.locator('.topbar').waitFor();
    await logout(page);
    browser.assertNoProblems();
  } finally {
    await strict.stop();
  }
});

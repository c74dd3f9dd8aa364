// Keyboard only: log in, take a call, choose the category, save and open the new case without
// touching the mouse — Tab, Enter, Space, arrows and the visible shortcuts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, apiClient, uniquePhone } from './helpers.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Presses Tab until the focused element matches `selector` (fails after `max` presses).
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focusRingVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  });
}

test('an intake can be completed and saved with the keyboard alone', async () => {
  const { page } = browser;
  const phone = uniquePhone();
  await page.goto(`${srv.url}/`);
  await page.locator('#login-username').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-username', 'the username has focus');
  await page.keyboard.type(DEMO.operator.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO.operator.password);
  await page.keyboard.press('Enter');
  await page.locator('.intake-form').waitFor();

  // Alt+N puts the cursor on the caller's number.
  await page.keyboard.press('Alt+KeyL');
  await page.locator('.cases-table').waitFor();
  await page.keyboard.press('Alt+KeyN');
  await page.locator('.intake-form').waitFor();
  await page.waitForFunction(() => document.activeElement && document.activeElement.dataset.path === 'complainant.phone');
  await page.keyboard.type(phone);
  await page.keyboard.press('Tab');
  await page.keyboard.type('陈女士');
  assert.ok(await focusRingVisible(page), 'the focused input shows a focus ring');

  await page.keyboard.press('Alt+Digit2'); // 求助 / 投诉
  assert.equal(await page.locator('[data-call-type="help_request"]').getAttribute('aria-pressed'), 'true');
  assert.ok(await focusRingVisible(page), 'the focused call-type button shows a focus ring');

  await tabTo(page, '.catpick-search');
  await page.keyboard.type('性骚扰');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  assert.match(await page.locator('.catpick-chosen').innerText(), /性骚扰/);

  await tabTo(page, '[data-path="urgency"]');
  await page.keyboard.press('ArrowRight'); // 一般 → 较急
  assert.ok(await page.locator('label.radio-pill', { hasText: '较急' }).locator('input').isChecked());

  await tabTo(page, '[data-path="summary"]');
  await page.keyboard.type('被上司多次性骚扰');
  await page.keyboard.press('Tab');
  await page.keyboard.type('单位领导多次发送骚扰短信并有肢体接触，来电人已保存聊天记录。');

  await page.keyboard.press('Control+Enter');
  const link = page.locator('.result-banner a.result-case-link');
  await link.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('result-case-link')), true, 'focus moves to the new case number');
  const caseNo = (await link.innerText()).trim();
  await page.keyboard.press('Enter');
  await page.locator('.case-no-title', { hasText: caseNo }).waitFor();

  // Accept the case from the keyboard as well: Tab to the button, Enter, Ctrl+Enter in the dialog.
  await tabTo(page, 'button[data-event="accept"]');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('已电话确认，受理。');
  await page.keyboard.press('Control+Enter');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.locator('.case-header').getByText('办理中').waitFor();

  const api = await apiClient(srv.url, DEMO.operator);
  const look = await api.get(`/api/v1/callers/lookup?phone=${phone}`);
  assert.equal(look.body.prior_cases.length, 1);
  assert.equal(look.body.prior_cases[0].category, 'personal_rights.sexual_harassment');
  assert.equal(look.body.prior_cases[0].status, 'in_progress');
  browser.assertNoProblems();
});

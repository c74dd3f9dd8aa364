// Issue #15 point 3: a person's place is picked by name down to the township — keyboard only, in the
// intake form — stored as its code and shown by name (with the code) on the case page and the
// printed 登记表. Also the step-by-step drill, the draft keeping the place, a reset clearing it, axe
// on the picker, and a screenshot of the open list (build/e2e-screenshots/place-picker.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, uniquePhone, screenshot, axeViolations } from './helpers.mjs';

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

const path = (page, p) => page.locator(`[data-path="${p}"]`);
const combo = (page, prefix) => page.locator(`[data-field="${prefix}.region_code"] [role="combobox"]`);
const focusedPath = (page) => page.evaluate(() => document.activeElement && (document.activeElement.dataset.path || document.activeElement.getAttribute('role')));

test('樟市镇 is found by name and chosen with the keyboard; the case page and the 登记表 show its name and code', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.operator);
  await page.goto(`${srv.url}/#/intake`);
  await path(page, 'complainant.phone').fill(uniquePhone());
  await path(page, 'complainant.name').fill('刘女士');
  await path(page, 'complainant.id_number').focus();

  // Tab from the ID number reaches the place combobox; typing part of a name lists the places.
  await page.keyboard.press('Tab');
  assert.equal(await focusedPath(page), 'combobox', 'Tab after the ID number reaches the place picker');
  await page.keyboard.type('樟市');
  const list = page.locator('[data-field="complainant.region_code"] [role="listbox"]');
  // The list for 樟 alone may show first (the search waits 60 ms after a keystroke): wait for 樟市's.
  await page.waitForFunction(() => {
    const options = [...document.querySelectorAll('[data-field="complainant.region_code"] [role="option"]')];
    return options.length > 0 && options.every((o) => o.textContent.includes('樟市'));
  });
  assert.equal(await combo(page, 'complainant').getAttribute('aria-expanded'), 'true');
  const options = await list.locator('[role="option"]').allInnerTexts();
  assert.match(options[0], /湖南省郴州市桂阳县\s*樟市镇/, `the 桂阳 樟市镇 comes first near the 永兴 office: ${options.join(' | ')}`);
  assert.ok(options.some((o) => /广东省韶关市曲江区\s*樟市镇/.test(o)), 'the other 樟市镇 is listed too, with its own path');
  await screenshot(page, 'place-picker');
  assert.deepEqual(await axeViolations(page, '[data-field="complainant.region_code"]'), []);

  // ↓ moves to the second place and ↑ back; aria-activedescendant follows; Enter takes it.
  await page.keyboard.press('ArrowDown');
  const second = await combo(page, 'complainant').getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${second}`).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  assert.equal(await combo(page, 'complainant').getAttribute('aria-expanded'), 'false');
  assert.equal(await combo(page, 'complainant').inputValue(), '湖南省郴州市桂阳县樟市镇');
  assert.equal(await path(page, 'complainant.region_code').inputValue(), '431021112');

  // Escape closes a list opened again without changing the place.
  await page.keyboard.press('ArrowDown');
  assert.equal(await combo(page, 'complainant').getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Escape');
  assert.equal(await combo(page, 'complainant').getAttribute('aria-expanded'), 'false');
  assert.equal(await path(page, 'complainant.region_code').inputValue(), '431021112');

  // The draft keeps the code: a reload shows the place's name again.
  await page.waitForFunction(() => Object.values(localStorage).some((v) => (v || '').includes('431021112')));
  await page.reload();
  await combo(page, 'complainant').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-field="complainant.region_code"] [role="combobox"]').value === '湖南省郴州市桂阳县樟市镇');

  // The rest of the intake, then save with Ctrl+Enter.
  await page.locator('[data-call-type="help_request"]').click();
  await page.getByLabel('搜索问题类别').fill('家庭暴力');
  await page.getByLabel('搜索问题类别').press('Enter');
  await page.getByLabel('问题摘要').fill('丈夫殴打，来电人住樟市镇');
  await page.getByLabel('问题摘要').press('Control+Enter');
  const link = page.locator('.result-banner a.result-case-link');
  await link.waitFor();
  // The form is reset for the next call: the place is empty again.
  assert.equal(await combo(page, 'complainant').inputValue(), '');
  assert.equal(await path(page, 'complainant.region_code').inputValue(), '');

  await link.click();
  const region = page.locator('.person-region').first();
  await region.getByText('湖南省郴州市桂阳县樟市镇').waitFor();
  assert.match(await region.innerText(), /湖南省郴州市桂阳县樟市镇\s*431021112/);
  assert.deepEqual(await axeViolations(page, '.case-page'), []);
  await region.scrollIntoViewIfNeeded();
  await screenshot(page, 'place-picker-case');

  await page.emulateMedia({ media: 'print' });
  const sheet = await page.locator('.print-sheet').innerText();
  await page.emulateMedia({ media: 'screen' });
  assert.match(sheet, /所在地区：湖南省郴州市桂阳县樟市镇\s*431021112/);
});

test('the drill picks province → city → county → township with plain selects', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/intake`);
  const field = page.locator('[data-field="victim.region_code"]');
  await path(page, 'caller_is_victim').uncheck();  // the victim is someone else: her block opens
  await field.locator('summary').click();
  await field.getByLabel('省级').selectOption({ label: '湖南省' });
  await field.getByLabel('地市级').selectOption({ label: '郴州市' });
  await field.getByLabel('县级').selectOption({ label: '桂阳县' });
  assert.equal(await path(page, 'victim.region_code').inputValue(), '431021');
  await field.getByLabel('乡镇（街道）').selectOption({ label: '樟市镇' });
  assert.equal(await path(page, 'victim.region_code').inputValue(), '431021112');
  assert.equal(await combo(page, 'victim').inputValue(), '湖南省郴州市桂阳县樟市镇');
  await field.scrollIntoViewIfNeeded();
  await screenshot(page, 'place-picker-drill');
  assert.deepEqual(await axeViolations(page, '[data-field="victim.region_code"]'), []);
});

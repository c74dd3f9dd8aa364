// Small desk things (issue #15, point 7), each checked in the browser at 1366×768: the success
// banner after a keyboard save, the follow-up chip beside the result buttons, 家庭暴力 ticking
// 提及暴力, the ID number's reason, the print form, the folded narrative, the case list's name, the
// partner's contact, and English without cut labels or full-width colons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone, screenshot } from './helpers.mjs';

let srv;
let browser;
let api;
let longCase; // a long narrative, a note, an edit and a reassignment, referred to the police
const LONG = `${'来电人称丈夫长期酗酒后殴打她，并威胁要带走孩子，她多次报警未果。'.repeat(4)}\n`.repeat(8);
const NOTE = '已与来电人约定每周三上午电话联系。';

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  api = await apiClient(srv.url, DEMO.operator);
  longCase = await createCase(api, { phone: uniquePhone(), summary: '长篇叙述的个案', narrative: LONG });
  let c = (await api.get(`/api/v1/cases/${longCase.id}`)).body;
  c = (await api.post(`/api/v1/cases/${c.id}/transitions`, { event: 'accept', version: c.version, data: { notice_method: 'phone', notice_on_the_spot: true } })).body;
  c = (await api.patch(`/api/v1/cases/${c.id}`, { version: c.version, summary: '长篇叙述的个案（已核实）' })).body;
  c = (await api.patch(`/api/v1/cases/${c.id}`, { version: c.version, assignee_id: api.user.id })).body;
  assert.ok(c.assignee, JSON.stringify(c));
  assert.equal((await api.post(`/api/v1/cases/${c.id}/notes`, { text: NOTE })).status, 201);
  const police = (await api.get('/api/v1/partners?type=police')).body.items[0];
  const r = await api.post(`/api/v1/cases/${c.id}/referrals`, { partner_id: police.id, service: police.services[0], reason: '需要出警', consent: { given: true } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await login(browser.page, srv.url, DEMO.operator);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const box = (page, selector) => page.locator(selector).first().evaluate((e) => {
  const r = e.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
});
const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

async function setLanguage(page, lang) {
  const now = await page.evaluate(() => document.documentElement.lang);
  if (now === lang) return;
  await page.locator('.userbox').getByRole('button', { name: lang === 'en' ? 'English' : '中文' }).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

// The intake with an empty form: away from it first (its teardown saves the draft), then this
// browser's intake drafts removed.
async function freshIntake(page) {
  await page.goto(`${srv.url}/#/follow-ups`);
  await page.locator('#view h1').waitFor();
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('weiquan:draft:intake')).forEach((k) => localStorage.removeItem(k)));
  await page.goto(`${srv.url}/#/intake`);
  await page.locator('.intake-form').waitFor();
}

test('a: after Ctrl+Enter the success banner shows below the sticky top bar', async () => {
  const { page } = browser;
  await freshIntake(page);
  // Two calls in a row, the second saved while scrolled down a little (as after typing further down
  // the form): the banner of the first is still there, so nothing shifts, and the new banner's link
  // is partly in view — under the bar — and focusing it scrolled nothing.
  for (const scrolled of [0, 60]) {
    await page.locator('[data-path="complainant.phone"]').fill(uniquePhone());
    await page.keyboard.press('Alt+Digit2');
    await page.locator('.catpick-search').fill('性骚扰');
    await page.locator('.catpick-search').press('Enter');
    await page.locator('[data-path="resolution"][value="open_case"]').check();
    await page.locator('[data-path="summary"]').fill(`上司多次性骚扰 ${scrolled}`);
    await page.locator('[data-path="summary"]').focus();
    await page.evaluate((y) => window.scrollTo(0, y), scrolled);
    await page.keyboard.press('Control+Enter');
    await page.locator('.result-banner a.result-case-link').waitFor();
    await page.waitForFunction(() => !document.querySelector('.intake-form [data-path="summary"]').value);
    await page.waitForFunction(() => {
      const y = window.scrollY;
      return new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(() => res(window.scrollY === y))));
    });
    const bar = await box(page, '.topbar');
    const banner = await box(page, '.result-banner');
    await screenshot(page, `desk-details-a-banner-${scrolled}`);
    assert.ok(banner.top >= bar.bottom - 0.5, `scrolled ${scrolled}: the banner (top ${banner.top}) is under the top bar (bottom ${bar.bottom})`);
    assert.ok(banner.bottom <= 768, 'the banner is in the viewport');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('result-case-link')), 'focus is on the new case number');
  }
});

for (const lang of ['zh-CN', 'en']) {
  test(`b: the follow-up chip does not overlap the result buttons (${lang})`, async () => {
    const { page } = browser;
    await setLanguage(page, lang);
    await freshIntake(page);
    await page.locator('[data-path="complainant.phone"]').fill((await api.get(`/api/v1/cases/${longCase.id}`)).body.persons[0].phone);
    const link = page.locator('.repeat-case .btn-ghost').first();
    await link.waitFor();
    await link.click();
    await page.locator('.followup .chip').waitFor();
    await page.locator('.form-footer').scrollIntoViewIfNeeded();
    await screenshot(page, `desk-details-b-footer-${lang}`);
    const parts = ['.form-footer label.radio-pill >> nth=0', '.form-footer label.radio-pill >> nth=1', '.followup .chip', '.followup button',
      '.form-footer-buttons button >> nth=0', '.form-footer-buttons button >> nth=1'];
    const boxes = [];
    for (const p of parts) boxes.push([p, await box(page, p)]);
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        assert.ok(!overlap(boxes[i][1], boxes[j][1]), `${boxes[i][0]} ${JSON.stringify(boxes[i][1])} overlaps ${boxes[j][0]} ${JSON.stringify(boxes[j][1])}`);
      }
    }
    await setLanguage(page, 'zh-CN');
  });
}

test('i: in English no label is cut on the intake (with a repeat caller) or the case page', async () => {
  const { page } = browser;
  await setLanguage(page, 'en');
  try {
    await freshIntake(page);
    await page.locator('[data-path="complainant.phone"]').fill((await api.get(`/api/v1/cases/${longCase.id}`)).body.persons[0].phone);
    await page.locator('.repeat-case .btn-ghost').first().waitFor();
    await screenshot(page, 'desk-details-i-intake-en');
    assert.deepEqual(await cutLabels(page), [], 'labels cut on the intake');
    await page.goto(`${srv.url}/#/cases/${longCase.id}`);
    await page.locator('.case-no-title').waitFor();
    await page.locator('.timeline li').first().waitFor();
    assert.deepEqual(await cutLabels(page), [], 'labels cut on the case page');
    // ASCII colons after the timeline's labels in English.
    const after = await page.locator('.tl-data dt').first().evaluate((e) => getComputedStyle(e, '::after').content);
    assert.equal(after, '":"');
  } finally {
    await setLanguage(page, 'zh-CN');
  }
});

// Text a reader cannot see whole: an element with text of its own that is wider than its box while
// the box clips it (an ellipsis), or that sticks out of a clipping ancestor; screen-reader-only text
// and the print form aside.
function cutLabels(page) {
  return page.evaluate(() => {
    const out = [];
    const clips = (e) => getComputedStyle(e).overflowX !== 'visible';
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.sr-only, [hidden], .print-sheet, script, style') || !el.getClientRects().length) continue;
      if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const what = `${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 40)}"`;
      if (clips(el) && el.scrollWidth > el.clientWidth + 1) out.push(`${what} overflows itself`);
      const r = el.getBoundingClientRect();
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (!clips(a)) continue;
        const b = a.getBoundingClientRect();
        if (r.right > b.right + 1 || r.left < b.left - 1) out.push(`${what} cut by ${a.tagName}.${a.className}`);
        break;
      }
    }
    return out;
  });
}

test("i: in English no label is cut on a supervisor's dashboard (top bar included); every tile is clickable", async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases`);
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('weiquan:draft:')).forEach((k) => localStorage.removeItem(k)));
  await logout(page);
  await login(page, srv.url, DEMO.supervisor);
  await setLanguage(page, 'en');
  try {
    await page.locator('.dash-kpi').first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'desk-details-i-dashboard-en');
    assert.deepEqual(await cutLabels(page), []);
    // Point 7's dashboard: every tile leads somewhere; the high-risk one to the high-risk list.
    const dead = await page.locator('.dash-kpi').evaluateAll((els) => els.filter((e) => !e.querySelector('.dash-kpi-value a, .dash-kpi-value button')).map((e) => e.id));
    assert.deepEqual(dead, [], 'tiles without a link');
    await page.locator('#dash-high-risk-total .dash-kpi-value button').click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('dash-high-risk-card'));
    const card = await box(page, '.dash-high-risk-card');
    assert.ok(card.top >= (await box(page, '.topbar')).bottom - 0.5 && card.top < 768, `the high-risk list in view (top ${card.top})`);
  } finally {
    await setLanguage(page, 'zh-CN');
    await logout(page);
    await login(page, srv.url, DEMO.operator);
  }
});

test('c: choosing 家庭暴力 ticks 提及暴力, which can be unticked again', async () => {
  const { page } = browser;
  await freshIntake(page);
  await page.keyboard.press('Alt+Digit2');
  const mentioned = page.locator('[data-path="dv.mentioned"]');
  assert.equal(await mentioned.isChecked(), false);
  await page.locator('.catpick-search').fill('家庭暴力');
  await page.locator('.catpick-search').press('Enter');
  assert.equal(await page.locator('.catpick-list input:checked, [data-path="category"]:checked').first().getAttribute('value'), 'marriage_family.domestic_violence');
  assert.equal(await mentioned.isChecked(), true, '提及暴力 is ticked');
  await mentioned.uncheck();
  await page.locator('[data-path="summary"]').fill('家暴咨询');
  assert.equal(await mentioned.isChecked(), false, 'unticking stays');
});

test("d: a wrong ID number's message says why", async () => {
  const { page } = browser;
  await freshIntake(page);
  await page.locator('[data-path="complainant.phone"]').fill(uniquePhone());
  await page.locator('[data-path="summary"]').fill('身份证号核对');
  await page.locator('[data-path="answer"]').fill('已解答。');
  await page.locator('[data-path="consultation_kind"][value="legal"]').check();
  const id = page.locator('[data-path="complainant.id_number"]');
  const message = page.locator('[data-field="complainant.id_number"] .field-error');
  for (const [number, why] of [['431023198503071234', /校验码/], ['43102319850307123', /18 位/], ['431023198502301236', /出生日期/], ['031023198503071239', /地区代码/]]) {
    await id.fill(number);
    await page.keyboard.press('Control+Enter');
    await message.waitFor();
    assert.match(await message.innerText(), why, number);
  }
  await id.fill('');
});

test('e: the print form has the notes and leaves out bookkeeping events', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases/${longCase.id}`);
  await page.locator('.timeline li').first().waitFor();
  await page.waitForFunction(() => document.querySelector('.print-events'));
  await page.emulateMedia({ media: 'print' });
  try {
    const text = await page.locator('.print-sheet').innerText();
    assert.match(text, new RegExp(NOTE), 'the note is printed');
    assert.match(text, /受理/, 'the workflow steps are printed');
    assert.doesNotMatch(text, /修改个案|分配承办人/, 'edits and assignments are not');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test('f: a long narrative shows folded, 展开全文 opens it', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases/${longCase.id}`);
  const narrative = page.locator('.case-narrative');
  await narrative.waitFor();
  const toggle = page.getByRole('button', { name: '展开全文' });
  await toggle.waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  const folded = await narrative.evaluate((e) => e.getBoundingClientRect().height);
  const lineHeight = await narrative.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
  assert.ok(folded <= lineHeight * 6.5, `folded to ~6 lines (${folded}px, line ${lineHeight}px)`);
  await screenshot(page, 'desk-details-f-folded');
  await toggle.click();
  const fold = page.getByRole('button', { name: '收起' });
  assert.equal(await fold.getAttribute('aria-expanded'), 'true');
  assert.ok((await narrative.evaluate((e) => e.getBoundingClientRect().height)) > folded * 2, 'unfolded shows it all');
  await fold.click();
  await toggle.waitFor();
});

test("g: an operator's case list is named for what it lists: the office's cases", async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases`);
  await page.locator('.cases-table').waitFor();
  const nav = await page.locator('.mainnav a').evaluateAll((els) => els.map((e) => e.firstChild.textContent.trim()));
  assert.deepEqual(nav, ['接听登记', '本单位个案', '回访']);
  await page.getByRole('heading', { level: 1, name: '本单位个案' }).waitFor();
  // The list holds cases she neither registered nor handles (the demo's, seeded for the office).
  const mine = (await api.get('/api/v1/cases?assignee_id=me&limit=200')).body.items.length;
  const all = (await api.get('/api/v1/cases?limit=200')).body.items.length;
  assert.ok(all > mine, `${all} office cases, ${mine} hers`);
});

test("h: the partner view names the handling worker and the office's number", async () => {
  const { page } = browser;
  await freshIntake(page); // no draft left to ask about at logout
  await page.goto(`${srv.url}/#/cases`);
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('weiquan:draft:')).forEach((k) => localStorage.removeItem(k)));
  await logout(page);
  await login(page, srv.url, DEMO.police);
  await page.goto(`${srv.url}/#/cases/${longCase.id}`);
  const card = page.locator('.handler-contact');
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /刘晓燕/);
  assert.match(text, /永兴县妇联/);
  // The office's own number (the demo seeds 永兴县妇联 with one; PATCH /api/v1/offices/{id}), as a link.
  assert.match(text, /0735-5521234/);
  assert.equal(await card.locator('a.handler-contact-phone').getAttribute('href'), 'tel:07355521234');
  // The timeline names the partner the case was referred to, not "#2" (partners have no partner list).
  await page.locator('.timeline .tl-data dd').first().waitFor();
  const ids = await page.locator('.timeline .tl-data dd').evaluateAll((els) => els.map((e) => e.textContent.trim()).filter((x) => /^#\d+$/.test(x)));
  assert.deepEqual(ids, []);
  await screenshot(page, 'desk-details-h-partner');
  await logout(page);
  await login(page, srv.url, DEMO.operator);
  browser.assertNoProblems();
});

// The ledger (台账) import done twice (issue #15 point 5), in Chinese: the pre-check lists each bad row's
// line and reason before anything is written (a "12345" phone refused with the intake's rule), the
// second import of the same ledger finds every row already imported and names their cases, nothing
// is written twice, and the rows not imported download as a CSV (the file's columns plus 原因).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, screenshot } from './helpers.mjs';

let srv;
let browser;
const TAG = String(Date.now()).slice(-6);

// Shanghai calendar date `days` before the server's today, as YYYY-MM-DD.
function shanghaiDate(daysAgo = 0) {
  const d = new Date(srv.now() + 8 * 3600000 - daysAgo * 86400000);
  return d.toISOString().slice(0, 10);
}

async function selectByText(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('台账重复导入：预检逐行列出原因和重复行，可下载未导入的行，不会重复登记', async () => {
  const { page } = browser;
  const key = `重复导入测试${TAG}`;
  // The dates once: computed again later, they would move on a day when the test runs across midnight.
  const [day20, day19, day18] = [20, 19, 18].map(shanghaiDate);
  const csv = '\uFEFF登记日期,来源,问题类别,诉求,姓名,电话,备注\r\n'
    + `${day20},来电,家庭暴力,${key}甲：丈夫酒后殴打,李女士,13907350011,\r\n`
    + `${day19},来电,家庭暴力,${key}乙：号码写错,陈女士,12345,\r\n`
    + `${day18},来访,离婚,${key}丙：咨询离婚,周女士,,=1+1\r\n`;

  await login(page, srv.url, DEMO.supervisor);
  await page.getByRole('link', { name: '台账导入' }).click();
  await page.getByRole('heading', { name: '台账导入', exact: true }).waitFor();
  // The help names the intake's phone rule and the duplicates.
  const help = page.locator('.imp-help');
  await help.getByText('110、12345 等服务号码不是本人电话').waitFor();
  await help.getByText('重复导入：已导入过的行').waitFor();
  await selectByText(page.getByLabel('导入到单位'), '永兴县妇联');

  // First import: the pre-check shows the bad phone's line and reason before anything is written.
  await page.locator('#imp-file').setInputFiles({ name: '永兴县台账.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.locator('#imp-map-ready', { hasText: '可导入 2 行，1 行有问题，0 行已导入过' }).waitFor();
  const preBad = page.locator('.imp-map .imp-rejected-table tbody tr');
  assert.equal(await preBad.count(), 1);
  assert.equal(await preBad.first().locator('td').first().innerText(), '3');
  assert.match(await preBad.first().innerText(), /电话“12345”不是有效的电话号码（手机，或带区号的固定电话）/);
  await page.getByRole('button', { name: '开始导入' }).click();
  const result = page.locator('.imp-result');
  await result.getByText('导入结果：永兴县台账.csv').waitFor();
  const stat = (k) => result.locator(`[data-stat="${k}"] dd`).innerText();
  assert.equal(await stat('imported'), '2');
  assert.equal(await stat('rejected'), '1');
  assert.equal(await stat('duplicates'), '0');

  // The same ledger again, saved under another name: the pre-check finds both imported rows.
  await page.locator('#imp-file').setInputFiles({ name: '永兴县台账（再次）.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.locator('#imp-map-ready', { hasText: '可导入 0 行，1 行有问题，2 行已导入过' }).waitFor();
  const dups = page.locator('.imp-map .imp-dup-table tbody tr');
  assert.equal(await dups.count(), 2);
  assert.deepEqual(await dups.evaluateAll((rows) => rows.map((r) => r.dataset.line)), ['2', '4']);
  for (let i = 0; i < 2; i += 1) {
    const text = await dups.nth(i).innerText();
    assert.match(text, /431023-\d{4}-\d{6}/, 'the case the row duplicates');
    assert.match(text, /该行已导入过/);
  }
  assert.equal(await page.locator('.imp-map .imp-rejected-table:not(.imp-dup-table) tbody tr').count(), 1);
  await page.locator('.imp-map .imp-dup-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'import-duplicates-precheck');

  // The download: the file's own columns plus 原因, the rejected row and both duplicates, formula-escaped.
  const link = page.locator('.imp-map #imp-download-rejected');
  assert.equal(await link.innerText(), '下载未导入的行（CSV，含原因列）');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), '永兴县台账（再次）-未导入的行.csv');
  const file = readFileSync(await download.path(), 'utf8');
  const lines = file.replace(/^\uFEFF/, '').split('\r\n');
  assert.equal(lines[0], '登记日期,来源,问题类别,诉求,姓名,电话,备注,原因');
  assert.equal(lines.length, 5, file); // header, 3 rows, the empty string after the last CRLF
  // The reasons in Chinese, as on the screen; the cells as written (the formula escaped by the server).
  assert.match(lines[1], new RegExp(`^${day20},来电,家庭暴力,${key}甲：丈夫酒后殴打,李女士,13907350011,,重复：该行已导入过（个案 431023-\\d{4}-\\d{6}）$`));
  assert.match(lines[2], /,12345,,电话“12345”不是有效的电话号码（手机，或带区号的固定电话）$/);
  assert.match(lines[3], /,'=1\+1,重复：该行已导入过（个案 431023-/);

  // Importing anyway writes nothing.
  await page.getByRole('button', { name: '开始导入' }).click();
  await result.getByText('导入结果：永兴县台账（再次）.csv').waitFor();
  assert.equal(await stat('imported'), '0');
  assert.equal(await stat('duplicates'), '2');
  assert.equal(await stat('rejected'), '1');
  assert.equal(await result.locator('.imp-dup-table tbody tr').count(), 2);
  await result.getByText('其中 2 行此前已导入过（重复），无需再导入。').waitFor();
  await result.locator('#imp-download-rejected').waitFor();
  await screenshot(page, 'import-duplicates-result');

  await page.goto(`${srv.url}/#/cases?q=${encodeURIComponent(key)}`);
  await page.locator('.cases-table tbody tr.case-row').first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.cases-table tbody tr.case-row').count(), 2, 'each row once');
  browser.assertNoProblems();
  await logout(page);
});

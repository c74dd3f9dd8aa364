// Attachments on the case page: upload by button and by drag-and-drop, the list with size, uploader
// and time, the download returning the same bytes, the timeline event, and refusals explained in
// Chinese (a type outside the allow-list, bytes that do not match the type, a file over 10 MB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, apiClient, createCase, uniquePhone } from './helpers.mjs';

let srv;
let browser;
let theCase;

// A real 1×1 PNG and a minimal one-page PDF, made here rather than read from fixtures.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
function pdf(text) {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>'];
  const stream = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

before(async () => {
  srv = await startServer({ cases: 10 });
  browser = await launchBrowser();
  const api = await apiClient(srv.url, DEMO.operator);
  theCase = await createCase(api, { phone: uniquePhone(), summary: '附件测试：验伤照片与报警回执', narrative: '当事人提供了验伤照片和报警回执。' });
  await login(browser.page, srv.url, DEMO.operator);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('files are uploaded by button and by drop, listed, downloadable with the same bytes, and on the timeline', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases/${theCase.id}`);
  const card = page.locator('section.attachments');
  await card.getByText('还没有附件。').waitFor();

  await page.locator('#att-file').setInputFiles({ name: '验伤照片.png', mimeType: 'image/png', buffer: PNG });
  const row = card.locator('.att-table tbody tr', { hasText: '验伤照片.png' });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, new RegExp(`${PNG.length} B`));
  assert.match(text, /刘晓燕（接线员）/);
  assert.match(text, /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  await card.locator('.att-upload.is-done').getByText('已上传').waitFor();
  const timeline = page.locator('.case-timeline');
  await timeline.locator('.tl-item', { hasText: '上传附件' }).getByText('验伤照片.png').waitFor();

  // The download link gives back exactly the uploaded bytes, as an attachment.
  const href = await row.locator('a').first().getAttribute('href');
  const res = await page.request.get(`${srv.url}${href}`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-disposition'], /^attachment;/);
  assert.ok(Buffer.compare(await res.body(), PNG) === 0, 'downloaded bytes equal the uploaded ones');

  // Drag and drop a PDF onto the card.
  const ruling = pdf('Ruling 2026-118');
  await page.evaluate(({ b64, name }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type: 'application/pdf' }));
    const zone = document.querySelector('.dropzone');
    zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { b64: ruling.toString('base64'), name: '报警回执.pdf' });
  const pdfRow = card.locator('.att-table tbody tr', { hasText: '报警回执.pdf' });
  await pdfRow.waitFor();
  const pdfHref = await pdfRow.locator('a').first().getAttribute('href');
  const pdfRes = await page.request.get(`${srv.url}${pdfHref}`);
  assert.equal(pdfRes.headers()['content-type'].split(';')[0], 'application/pdf');
  assert.ok(Buffer.compare(await pdfRes.body(), ruling) === 0);
  assert.equal(await card.locator('.att-table tbody tr').count(), 2);
  assert.equal(await page.locator('.dropzone.is-over').count(), 0);
  browser.assertNoProblems();
});

test('refused files are explained in Chinese and nothing is stored', async () => {
  const { page } = browser;
  await page.goto(`${srv.url}/#/cases/${theCase.id}`);
  const card = page.locator('section.attachments');
  await card.locator('.att-table tbody tr').first().waitFor();
  const before = await card.locator('.att-table tbody tr').count();

  await page.locator('#att-file').setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00not really a program') });
  await card.locator('.att-upload.is-error', { hasText: 'setup.exe' }).getByText('不支持此文件类型').waitFor();

  // Declared a PNG, but the bytes are text: the server checks and refuses.
  await page.locator('#att-file').setInputFiles({ name: '伪装图片.png', mimeType: 'image/png', buffer: Buffer.from('这不是图片') });
  await card.locator('.att-upload.is-error', { hasText: '伪装图片.png' }).getByText('文件内容与其类型不符').waitFor();

  // 10 MB handed to the browser over its debugging pipe: seconds on a machine whose cores are busy,
  // so more than the 10 s default (it timed out once with the load average at 9).
  await page.locator('#att-file').setInputFiles({ name: '超大扫描件.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]) }, { timeout: 60000 });
  await card.locator('.att-upload.is-error', { hasText: '超大扫描件.pdf' }).getByText('文件超过 10 MB').waitFor();

  const api = await apiClient(srv.url, DEMO.operator);
  const listed = (await api.get(`/api/v1/cases/${theCase.id}/attachments`)).body.items;
  assert.equal(listed.length, before, 'no refused file was stored');
  assert.equal(await card.locator('.att-table tbody tr').count(), before);
  browser.assertNoProblems();
});

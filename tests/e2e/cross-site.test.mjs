// Login CSRF (issue #16 finding 6): a page on another site auto-submits a text/plain form whose body
// is login JSON. Before the fix the victim's browser came back logged into the attacker's account
// (the answer set the session cookie); now the server refuses it and the desk stays logged out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login } from './helpers.mjs';

let srv;
let browser;
let evil;  // the attacker's site: another loopback address, so another site, not only another origin
const seen = [];  // the attacker's form posts, as the hotline server answered them (via the page)

function attackPage(target) {
  // enctype=text/plain sends "name=value": the name carries the JSON up to a dummy field, the value closes it.
  const name = `{"username":"${DEMO.operator.username}","password":"${DEMO.operator.password}","x":"`;
  return `<!doctype html><meta charset="utf-8"><title>抽奖</title>
<form id="f" method="post" enctype="text/plain" action="${target}/api/v1/session">
<input type="hidden" name='${name}' value='"}'></form>
<script>document.getElementById('f').submit()</script>`;
}

before(async () => {
  srv = await startServer({ cases: 5 });
  browser = await launchBrowser();
  evil = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attackPage(srv.url));
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.2', resolve));
});

after(async () => {
  await browser?.close();
  evil?.close();
  await srv?.stop();
});

test('a cross-site page posting a text/plain login form does not log the desk in', async () => {
  const { page } = browser;
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/session') && r.request().method() === 'POST') seen.push(r.status());
  });
  const { port } = evil.address();
  await page.goto(`http://127.0.0.2:${port}/`);
  await page.waitForURL(`${srv.url}/api/v1/session`);  // the form navigated to the server's answer
  assert.deepEqual(seen, [403], 'the server refuses the cross-site login');
  assert.match(await page.locator('body').innerText(), /cross-site request refused/);

  // The desk in the same browser is still logged out: the login form, and GET /api/v1/session is 401.
  await page.goto(`${srv.url}/`);
  await page.locator('.login-card').waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
  assert.equal(status, 401);
  const cookies = await browser.context.cookies(srv.url);
  assert.equal(cookies.filter((c) => c.name === 'hl_session').length, 0, 'no session cookie was set');

  // The desk's own (same-origin) login still works in that browser.
  await login(page, srv.url, DEMO.operator);
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/session')).status), 200);
  browser.assertNoProblems();
});

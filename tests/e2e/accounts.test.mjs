// 三员分立 (separation of duties, issue #16 finding 4) at the desk: the system administrator creates an
// operator account → 待批准, the account cannot log in, and her own 待审批 list shows it without 批准
// (not hers to decide); the security administrator approves it → the new operator logs in (and must
// choose her own password first); the security administrator asks to raise her to supervisor →
// pending, again without 批准 for the one who asked; the system administrator approves it; the
// supervisor's dashboard card 账户变更 shows both changes and who approved them; the audit administrator
// sees nothing but 审计日志, with the user.create rows, and 校验审计链 says the chain is intact; a case
// URL shows her no case content. Screenshots: accounts, accounts-create, approvals, audit, dashboard-account-changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO } from './server.mjs';
import { launchBrowser, login, logout, apiClient, createCase, uniquePhone, screenshot, axeViolations } from './helpers.mjs';

const NEW = { username: 'xinjie', display_name: '谢新洁', password: 'set-by-the-sysadmin-26' };
const OWN_PASSWORD = 'river-mountain-secret-27'; // not containing her username (the policy)

let srv;
let browser;
let theCase;

before(async () => {
  srv = await startServer({ cases: 5, config: { password_change_first_login: true } });
  browser = await launchBrowser();
  const op = await apiClient(srv.url, DEMO.operator);
  theCase = await createCase(op, { phone: uniquePhone(), summary: '审计员不应看到的个案摘要', narrative: '审计员不应看到的叙述。' });
  // More than one page (100 rows) of the audit log: every read of a case is audited.
  for (let i = 0; i < 110; i += 1) assert.equal((await op.get(`/api/v1/cases/${theCase.id}`)).status, 200);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function navTexts(page) {
  return page.locator('.mainnav a').evaluateAll((els) => els.map((e) => e.firstChild.textContent.trim()));
}

async function loginStatus(username, password) {
  const r = await fetch(`${srv.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return r.status;
}

async function serious(page, selector) {
  return (await axeViolations(page, selector)).filter((v) => ['serious', 'critical'].includes(v.impact));
}

const row = (page, username) => page.locator(`.acct-table tr[data-username="${username}"]`);
const pendingRow = (page, kind) => page.locator(`#appr-pending tr[data-kind="${kind}"]`, { hasText: NEW.username });

test('the system administrator creates an account: 待批准, no login, not hers to approve', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.admin);
  await page.getByRole('heading', { name: '系统管理', level: 1 }).waitFor();
  assert.deepEqual(await navTexts(page), ['系统管理', '账户管理', '待审批']);
  await page.locator('.mainnav a', { hasText: '账户管理' }).click();
  await page.getByRole('heading', { name: '账户管理', level: 1 }).waitFor();
  await row(page, DEMO.secadmin.username).waitFor();

  await page.getByRole('button', { name: '新建账户' }).click();
  const d = page.getByRole('dialog', { name: '新建账户' });
  await d.waitFor();
  // Caught before sending: an operator needs an office.
  await d.getByLabel('用户名').fill(NEW.username);
  await d.getByLabel('姓名').fill(NEW.display_name);
  await d.getByLabel('角色').selectOption({ label: '接线员' });
  await d.getByLabel('初始密码').fill(NEW.password);
  await d.getByRole('button', { name: /提交审批/ }).click();
  await d.locator('[data-field="office_id"] .field-error', { hasText: '此项必填' }).waitFor();
  // A username that is taken: the server's 409 beside the field, in Chinese.
  await d.getByLabel('所属单位').selectOption({ label: '永兴县妇联' });
  await d.getByLabel('用户名').fill('operator');
  await d.getByRole('button', { name: /提交审批/ }).click();
  await d.locator('[data-field="username"] .field-error', { hasText: '该用户名已被使用' }).waitFor();
  assert.deepEqual(await serious(page, 'dialog.dialog-account'), []);
  await screenshot(page, 'accounts-create');
  await d.getByLabel('用户名').fill(NEW.username);
  await d.getByRole('button', { name: /提交审批/ }).click();
  await d.waitFor({ state: 'detached' });

  await page.locator('.acct-notice', { hasText: '已提交，待安全管理员批准' }).waitFor();
  await row(page, NEW.username).locator('.acct-state', { hasText: '待批准' }).waitFor();
  assert.notEqual(await loginStatus(NEW.username, NEW.password), 200, 'an account awaiting approval cannot log in');
  assert.deepEqual(await serious(page, 'body'), []);
  await screenshot(page, 'accounts');

  await page.locator('.mainnav a', { hasText: '待审批' }).click();
  const r = pendingRow(page, 'user.create');
  await r.waitFor();
  assert.match(await r.innerText(), /新建账户[\s\S]*谢新洁（xinjie）[\s\S]*新建接线员账户（永兴县妇联）[\s\S]*系统管理员/);
  await r.getByText('须由另一位管理员审批').waitFor();
  assert.equal(await r.getByRole('button', { name: /批准/ }).count(), 0, 'the requester has no 批准');
  browser.assertNoProblems();
  await logout(page);
});

test('the security administrator approves it; the new operator logs in and must choose her password', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.secadmin);
  await page.getByRole('heading', { name: '账户管理', level: 1 }).waitFor();
  assert.deepEqual(await navTexts(page), ['账户管理', '待审批']);
  await page.locator('.mainnav a', { hasText: '待审批' }).click();
  const r = pendingRow(page, 'user.create');
  await r.getByRole('button', { name: '批准：谢新洁（xinjie）' }).click();
  await r.waitFor({ state: 'detached' });
  await page.locator('#appr-decided tr[data-state="approved"]', { hasText: NEW.username }).getByText('安全管理员').waitFor();
  await logout(page);

  await page.goto(`${srv.url}/#/login`);
  await page.getByLabel('用户名').fill(NEW.username);
  await page.getByLabel('密码').fill(NEW.password);
  await page.getByRole('button', { name: '登录' }).click();
  const d = page.getByRole('dialog', { name: '修改密码' });
  await d.waitFor();
  await d.getByLabel('当前密码', { exact: true }).fill(NEW.password);
  await d.getByLabel('新密码', { exact: true }).fill(OWN_PASSWORD);
  await d.getByLabel('再次输入新密码', { exact: true }).fill(OWN_PASSWORD);
  await page.keyboard.press('Enter');
  await d.waitFor({ state: 'detached' });
  await page.getByLabel('问题摘要').waitFor(); // an operator's desk: the intake form
  await logout(page);
  browser.assertNoProblems();
});

test('the security administrator asks to raise her to supervisor; the system administrator approves', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.secadmin);
  await page.getByRole('heading', { name: '账户管理', level: 1 }).waitFor();
  await row(page, NEW.username).getByRole('button', { name: '调整权限：谢新洁' }).click();
  const d = page.getByRole('dialog', { name: /调整权限/ });
  await d.waitFor();
  await d.getByLabel('角色').selectOption({ label: '部门负责人' });
  assert.equal(await d.getByLabel('所属单位').inputValue() !== '', true, 'her office stays chosen');
  await d.getByRole('button', { name: /提交审批/ }).click();
  await d.waitFor({ state: 'detached' });
  await page.locator('.acct-notice', { hasText: '已提交，待另一位管理员批准' }).waitFor();
  await row(page, NEW.username).locator('.acct-state', { hasText: '变更待批准' }).waitFor();
  assert.match(await row(page, NEW.username).innerText(), /接线员/, 'nothing changes until approved');

  await page.locator('.mainnav a', { hasText: '待审批' }).click();
  const r = pendingRow(page, 'user.grant');
  await r.getByText('接线员 → 部门负责人').waitFor();
  await r.getByText('须由另一位管理员审批').waitFor();
  assert.equal(await r.getByRole('button', { name: /批准/ }).count(), 0, 'her own request has no 批准');
  assert.deepEqual(await serious(page, 'body'), []);
  await screenshot(page, 'approvals');
  await logout(page);

  await login(page, srv.url, DEMO.admin);
  await page.locator('.mainnav a', { hasText: '待审批' }).click();
  await pendingRow(page, 'user.grant').getByRole('button', { name: '批准：谢新洁（xinjie）' }).click();
  const done = page.locator('#appr-decided tr[data-state="approved"][data-approval]', { hasText: '接线员 → 部门负责人' });
  await done.getByText('系统管理员').waitFor();
  await page.locator('.mainnav a', { hasText: '账户管理' }).click();
  await row(page, NEW.username).locator('td', { hasText: '部门负责人' }).waitFor();
  // Her 工号 needs no approval: the system administrator sets it in 修改资料, at once.
  await row(page, NEW.username).getByRole('button', { name: '修改资料：谢新洁' }).click();
  const details = page.getByRole('dialog', { name: /修改资料/ });
  await details.getByLabel('工号（呼叫中心坐席）').fill('A7788');
  await details.getByRole('button', { name: /保存/ }).click();
  await details.waitFor({ state: 'detached' });
  const sys = await apiClient(srv.url, DEMO.admin);
  const saved = (await sys.get('/api/v1/users')).body.items.find((u) => u.username === NEW.username);
  assert.equal(saved.agent_id, 'A7788');
  assert.equal(saved.role, 'supervisor', 'the details changed nothing else');
  browser.assertNoProblems();
  await logout(page);
});

test("the supervisor's dashboard lists the account changes and who approved them", async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.supervisor);
  const card = page.locator('.acx-card');
  await card.getByRole('heading', { name: '账户变更' }).waitFor();
  const created = card.locator('.acx-item[data-state="approved"]', { hasText: '新建接线员账户（永兴县妇联）' });
  await created.getByText('安全管理员批准').waitFor();
  assert.match(await created.innerText(), /谢新洁（xinjie）/);
  const raised = card.locator('.acx-item[data-state="approved"]', { hasText: '接线员 → 部门负责人' });
  await raised.getByText('系统管理员批准').waitFor();
  assert.equal(await card.getByRole('button').count(), 0, 'read-only: she decides nothing here');
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'dashboard-account-changes');
  browser.assertNoProblems();
  await logout(page);
});

test('the audit administrator sees only the audit log: user.create rows, an intact chain, no case content', async () => {
  const { page } = browser;
  await login(page, srv.url, DEMO.auditor);
  await page.getByRole('heading', { name: '审计日志', level: 1 }).waitFor();
  assert.deepEqual(await navTexts(page), ['审计日志']);
  await page.locator('#audit-table tbody tr.audit-row').first().waitFor();
  await page.getByLabel('操作（前缀）').fill('user.create');
  await page.getByRole('button', { name: '查询' }).click();
  // The unfiltered rows stay (aria-busy) until the filtered answer replaces them: wait for it.
  await page.waitForFunction(() => !document.querySelector('.audit-page[aria-busy="true"]'));
  // The request (by the system administrator) and its approval (by the security administrator).
  const created = page.locator('#audit-table tr.audit-row[data-action^="user.create"]');
  await created.filter({ hasText: '系统管理员' }).first().waitFor();
  await created.filter({ hasText: '安全管理员' }).first().waitFor();
  assert.equal(await page.locator('#audit-table tr.audit-row:not([data-action^="user.create"])').count(), 0, 'only the filtered action');
  await page.getByRole('button', { name: '校验审计链' }).click();
  await page.locator('#audit-verify-result.alert-success', { hasText: '审计链完整' }).waitFor();
  await screenshot(page, 'audit');
  // 更早 pages back: as many rows as the server has, each once (ids strictly falling).
  await page.getByRole('button', { name: '清除条件' }).click();
  await page.locator('#audit-table tr.audit-row').nth(99).waitFor();
  const more = page.getByRole('button', { name: '更早' });
  await more.click();
  await page.locator('#audit-table tr.audit-row').nth(100).waitFor();
  const ids = await page.locator('#audit-table tr.audit-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
  assert.ok(ids.every((id, i) => i === 0 || id < ids[i - 1]), 'newest first, no row twice');
  assert.deepEqual(await serious(page, 'body'), []);

  await page.goto(`${srv.url}/#/cases/${theCase.id}`);
  await page.getByRole('heading', { name: '未找到' }).waitFor();
  const text = await page.locator('#view').innerText();
  assert.ok(!text.includes(theCase.case_no) && !text.includes('审计员不应看到'), 'no case content');
  await page.goto(`${srv.url}/#/cases`);
  await page.getByRole('heading', { name: '未找到' }).waitFor();
  assert.deepEqual(await navTexts(page), ['审计日志']);
  browser.assertNoProblems();
  await logout(page);
});

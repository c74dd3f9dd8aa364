// 三员分立 (issue #16 finding 4) on the desk, under node: an approval of an account change in words
// (web/static/app/approval-text.js) — "接线员 → 部门负责人", a new account with its office, a
// second-factor reset — the accounts table's state, and the server's refusals in Chinese and English.
// node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeChange, accountText, accountState, kindText, stateText, refusalText, placeText } from '../../web/static/app/approval-text.js';
import { ApiError } from '../../web/static/app/api.js';
import { setLang } from '../../web/static/app/i18n.js';

globalThis.document ??= { documentElement: {} };

function inLang(lang, fn) {
  setLang(lang);
  try {
    return fn();
  } finally {
    setLang('zh-CN');
  }
}

const names = { offices: new Map([[3, '永兴县妇联'], [2, '郴州市妇联']]), partners: new Map([[9, '永兴县公安局']]) };
const grant = (change, before) => ({ id: 1, kind: 'user.grant', state: 'pending', change, before,
  user: { id: 7, username: 'wangfang', display_name: '王芳', role: before.role, office_id: before.office_id, office_name: '永兴县妇联' }, username: 'wangfang' });
const BEFORE = { role: 'operator', office_id: 3, partner_id: null, disabled: false };

test('a role raise reads "接线员 → 部门负责人", in English too', () => {
  const a = grant({ role: 'supervisor' }, BEFORE);
  assert.equal(describeChange(a, names), '接线员 → 部门负责人');
  assert.equal(inLang('en', () => describeChange(a, names)), 'Operator → Supervisor');
});

test('an office move names both offices; several changes are joined; an unknown office by its id', () => {
  assert.equal(describeChange(grant({ role: 'supervisor', office_id: 2 }, BEFORE), names), '接线员 → 部门负责人；永兴县妇联 → 郴州市妇联');
  assert.equal(describeChange(grant({ office_id: 44 }, BEFORE), names), '永兴县妇联 → 单位 #44');
  // Asked for what it already is: said, not left blank.
  assert.equal(describeChange(grant({ role: 'operator' }, BEFORE), names), '（无变化）');
});

test('re-enabling, a move to a partner, a reset and a new account', () => {
  assert.equal(describeChange(grant({ disabled: false }, { ...BEFORE, disabled: true }), names), '停用 → 启用');
  assert.equal(describeChange(grant({ role: 'partner', partner_id: 9 }, BEFORE), names), '接线员 → 合作单位；无 → 永兴县公安局');
  assert.equal(describeChange({ kind: 'user.second_factor_reset', change: {}, before: BEFORE }, names), '移除两步验证和恢复码，结束其登录');
  const create = { kind: 'user.create', change: { role: 'operator', office_id: 3 }, before: null };
  assert.equal(describeChange(create, names), '新建接线员账户（永兴县妇联）');
  assert.equal(describeChange({ kind: 'user.create', change: { role: 'auditor' }, before: null }, names), '新建审计管理员账户');
  assert.equal(inLang('en', () => describeChange(create, names)), 'New account: Operator (永兴县妇联)');
});

test('the account: name and username; the kept username once a rejected creation is gone', () => {
  assert.equal(accountText(grant({ role: 'supervisor' }, BEFORE)), '王芳（wangfang）');
  assert.equal(accountText({ user: null, username: 'xinren' }), 'xinren');
});

test('kinds, states and places in words', () => {
  assert.equal(kindText('user.create'), '新建账户');
  assert.equal(kindText('user.grant'), '权限变更');
  assert.equal(kindText('user.second_factor_reset'), '重置两步验证');
  assert.equal(stateText('pending'), '待审批');
  assert.equal(stateText('approved'), '已批准');
  assert.equal(stateText('rejected'), '已驳回');
  assert.equal(placeText('partner', null, 9, names), '永兴县公安局');
  assert.equal(placeText('secadmin', null, null, names), '');
});

test('an account row: 待批准 while a new account waits, 启用 with a change pending, 已停用', () => {
  assert.deepEqual(accountState({ disabled: true, approval_pending: true }), { key: 'awaiting', text: '待批准', pending: false });
  assert.deepEqual(accountState({ disabled: false, approval_pending: true }), { key: 'active', text: '启用', pending: true });
  assert.deepEqual(accountState({ disabled: true, approval_pending: false }), { key: 'disabled', text: '已停用', pending: false });
});

test("the server's refusals in the user's language; other errors left to errors.js", () => {
  const err = (status, code, message) => new ApiError(status, { error: { code, message } });
  assert.equal(refusalText(err(403, 'forbidden', 'you asked for this change: another person must decide')), '这是您提出的申请，须由另一位管理员审批。');
  assert.equal(refusalText(err(403, 'forbidden', "roles and grants are the security administrator's")), '角色和权限的调整由安全管理员提出。');
  assert.equal(inLang('en', () => refusalText(err(403, 'forbidden', 'you asked for this change: another person must decide'))),
    'You asked for this change: another administrator must decide.');
  assert.equal(refusalText(err(409, 'conflict', 'this change was already approved')), '该申请已被处理。');
  assert.equal(refusalText(err(409, 'conflict', 'another change to this account is awaiting approval')), '该账户已有一项待审批的变更，请先等待其处理。');
  assert.equal(refusalText(err(422, 'validation_failed', 'this user has no two-step verification')), '该用户没有启用两步验证，无需重置。');
  assert.equal(refusalText(err(403, 'forbidden', 'forbidden')), null);
  assert.equal(refusalText(err(500, 'internal', 'you asked for this change: another person must decide')), null);
});

// 三员分立 (separation of duties, issue #16 finding 4): an approval of an account change in words —
// what kind it is, what it changes ("接线员 → 部门负责人"), in which state — and the server's English
// refusals about it in the user's language. No DOM and no requests: unit-tested under node (tests/desk).
import { t, label } from './i18n.js';

export const ROLES = ['operator', 'supervisor', 'partner', 'sysadmin', 'secadmin', 'auditor'];
// The roles that belong to a federation office; a partner user belongs to a partner organisation;
// the three administrators to neither.
export const OFFICE_ROLES = ['operator', 'supervisor'];

export function kindText(kind) {
  return label('appr_kind', kind);
}

export function stateText(state) {
  return label('appr_state', state);
}

// "永兴县妇联" for an office id, from `names.offices` (id → name), else "单位 #7"; '—' for none.
function officeName(id, names) {
  if (id === null || id === undefined) return t('appr.none');
  return (names.offices && names.offices.get(Number(id))) || t('appr.office_n', { id });
}

function partnerName(id, names) {
  if (id === null || id === undefined) return t('appr.none');
  return (names.partners && names.partners.get(Number(id))) || t('appr.partner_n', { id });
}

// Where an account belongs, for a role and ids: the office for staff, the partner for partner users,
// nothing for the administrators.
export function placeText(role, officeId, partnerId, names = {}) {
  if (role === 'partner') return partnerId == null ? '' : partnerName(partnerId, names);
  if (OFFICE_ROLES.includes(role) || officeId != null) return officeId == null ? '' : officeName(officeId, names);
  return '';
}

const enabledText = (disabled) => t(disabled ? 'appr.disabled' : 'appr.enabled');

// The change an approval asks for, as one line. names: {offices: Map(id → name), partners: Map(id →
// name)} for the ids the change names (the server names only the account's present office).
export function describeChange(a, names = {}) {
  if (!a) return '';
  const change = a.change || {};
  if (a.kind === 'user.second_factor_reset') return t('appr.change_2fa');
  if (a.kind === 'user.create') {
    const place = placeText(change.role, change.office_id, change.partner_id, names);
    return t(place ? 'appr.change_create_at' : 'appr.change_create', { role: label('role', change.role), place });
  }
  const before = a.before || {};
  const parts = [];
  if ('role' in change && change.role !== before.role) parts.push(`${label('role', before.role)} → ${label('role', change.role)}`);
  if ('office_id' in change && change.office_id !== before.office_id) {
    parts.push(`${officeName(before.office_id, names)} → ${officeName(change.office_id, names)}`);
  }
  if ('partner_id' in change && change.partner_id !== before.partner_id) {
    parts.push(`${partnerName(before.partner_id, names)} → ${partnerName(change.partner_id, names)}`);
  }
  if ('disabled' in change && change.disabled !== before.disabled) {
    parts.push(`${enabledText(before.disabled)} → ${enabledText(change.disabled)}`);
  }
  return parts.length ? parts.join(t('common.semicolon')) : t('appr.change_none');
}

// The account an approval is about: "王芳（wangfang）", or the kept username once a rejected
// creation was removed.
export function accountText(a) {
  if (!a) return '';
  const u = a.user;
  if (u && u.display_name && u.display_name !== u.username) return t('appr.account', { name: u.display_name, username: u.username });
  return (u && u.username) || a.username || '—';
}

// An account's state in the accounts table: 待批准 (a new account before its approval), 已停用,
// 启用; `pending` says that a change to an account in use awaits approval.
export function accountState(u) {
  if (u.approval_pending && u.disabled) return { key: 'awaiting', text: t('acct.state_awaiting'), pending: false };
  return { key: u.disabled ? 'disabled' : 'active', text: t(u.disabled ? 'acct.state_disabled' : 'acct.state_active'), pending: Boolean(u.approval_pending) };
}

// The server's refusals about approvals and grants (casework/account_changes.cpp: 403 forbidden, 409
// conflict, a few 422), in the user's language; null for anything else (errors.js's errorMessage
// then speaks).
const REFUSALS = [
  [/^you asked for this change: another person must decide/, 'appr.err_requester'],
  [/^a change to your own account is another person's to decide/, 'appr.err_own_account'],
  [/^you may not change your own grants/, 'appr.err_own_grants'],
  [/^your role may not decide this change/, 'appr.err_role_decide'],
  [/^your role may not ask for this/, 'appr.err_role_ask'],
  [/^roles and grants are the security administrator's/, 'appr.err_grants_secadmin'],
  [/^accounts are created by a system administrator/, 'appr.err_create_sysadmin'],
  [/^an account's details are the system administrator's/, 'appr.err_details_sysadmin'],
  [/^this change was already (?:approved|rejected|decided)/, 'appr.err_decided'],
  [/^the account is gone/, 'appr.err_gone'],
  [/^another change to this account is awaiting approval/, 'appr.err_pending'],
  [/^use your recovery codes, or ask another administrator/, 'appr.err_own_2fa'],
  [/^this user has no two-step verification/, 'appr.err_no_2fa'],
  [/^nothing to change/, 'acct.grant_nothing'],
];

export function refusalText(e) {
  if (!e || !e.status || e.status >= 500) return null;
  const m = String(e.message || '');
  for (const [re, key] of REFUSALS) if (re.test(m)) return t(key);
  return null;
}

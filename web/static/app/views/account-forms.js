// The dialogs of 账户管理 (accounts.js): 新建账户 (the system administrator's; POST /api/v1/users →
// 202, the account waits, disabled, for a security administrator's approval) and 调整权限 (the security
// administrator's; PATCH /api/v1/users/{id} with role / office / partner / re-enabling → 202, nothing
// changes until another administrator approves). Field errors beside the fields, in Chinese.
import { h, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { openModal } from '../dialog.js';
import { field, showErrors, trimOrEmpty, clearErrorOnEdit, handleSubmit, showSaveError } from '../form.js';
import { fieldMessage } from '../errors.js';
import { ROLES, OFFICE_ROLES, refusalText } from '../approval-text.js';

// The server's words about an account's fields, in the user's language.
export function accountFieldMessage(message) {
  const text = String(message ?? '');
  if (/^taken$|username is taken/.test(text)) return t('acct.err_taken');
  if (/^the account has these grants already/.test(text)) return t('acct.grant_nothing');
  if (/^pending$/.test(text)) return t('appr.err_pending');
  return fieldMessage(message);
}

function translated(fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields || {})) out[k] = { text: accountFieldMessage(v) };
  return out;
}

function roleField(value) {
  const f = field({ path: 'role', label: t('acct.role'), kind: 'select', required: true,
    options: [{ value: '', label: t('ev.choose') }, ...ROLES.map((r) => ({ value: r, label: label('role', r) }))] });
  f.control.value = value || '';
  return f;
}

function officeField(offices, value) {
  const f = field({ path: 'office_id', label: t('acct.office'), kind: 'select', required: true,
    options: [{ value: '', label: t('ev.choose') }, ...offices.filter((o) => o.active !== false || o.id === value).map((o) => ({ value: String(o.id), label: o.name }))] });
  f.control.value = value == null ? '' : String(value);
  return f;
}

function partnerField(partners, value) {
  const f = field({ path: 'partner_id', label: t('acct.partner'), kind: 'select', required: true,
    options: [{ value: '', label: t('ev.choose') }, ...partners.filter((p) => p.active !== false || p.id === value).map((p) => ({ value: String(p.id), label: p.name }))] });
  f.control.value = value == null ? '' : String(value);
  return f;
}

// Shows the office select for office roles and the partner select for partner users.
function placeSwitch(role, office, partner) {
  const sync = () => {
    office.hidden = !OFFICE_ROLES.includes(role.control.value);
    partner.hidden = role.control.value !== 'partner';
  };
  role.control.addEventListener('change', sync);
  sync();
}

// Where the chosen role belongs: {office_id} or {partner_id} or {}; problems for a missing choice.
function readPlace(role, office, partner, problems) {
  if (OFFICE_ROLES.includes(role)) {
    if (!office.control.value) problems.office_id = { text: t('err.required') };
    return { office_id: Number(office.control.value) };
  }
  if (role === 'partner') {
    if (!partner.control.value) problems.partner_id = { text: t('err.required') };
    return { partner_id: Number(partner.control.value) };
  }
  return {};
}

function refused(form, errorBox, err) {
  const why = refusalText(err);
  if (why) {
    errorBox.textContent = why;
    errorBox.hidden = false;
    errorBox.focus();
    return;
  }
  const hasFields = Boolean(err.fields && Object.keys(err.fields).length);
  // A 409 naming a field (a username or 工号 taken) is about what was typed, not a stale record: the
  // box says to look at the marked fields instead of "someone else changed this record".
  const shown = hasFields && err.code === 'conflict' ? { ...err, code: 'validation_failed', status: 422 } : err;
  showSaveError(form, errorBox, shown, hasFields ? translated(err.fields) : null);
}

// 新建账户. Resolves with the 202 answer {user, approval}, or undefined when cancelled.
export function createAccountDialog({ offices, partners }) {
  return openModal({
    title: t('acct.create_title'),
    className: 'dialog-account',
    build: (dialog, close) => {
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const username = field({ path: 'username', label: t('acct.username'), required: true, hint: t('acct.username_hint'), attrs: { autocomplete: 'off', spellcheck: 'false' } });
      const name = field({ path: 'display_name', label: t('acct.display_name'), required: true, attrs: { autocomplete: 'off' } });
      const role = roleField('');
      const office = officeField(offices, null);
      const partner = partnerField(partners, null);
      const password = field({ path: 'password', label: t('acct.password'), kind: 'password', required: true, hint: t('acct.password_hint'), attrs: { autocomplete: 'new-password' } });
      placeSwitch(role, office, partner);
      const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('acct.create_submit'), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body acct-form', novalidate: true, dataset: { ctrlEnter: '1' } },
        errorBox,
        h('p', { class: 'muted small' }, t('acct.create_note')),
        h('div', { class: 'grid grid-2' }, username, name),
        h('div', { class: 'grid grid-2' }, role, h('div', null, office, partner)),
        password,
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')), submit));
      clearErrorOnEdit(form);
      handleSubmit(form, { submit, errorBox }, async () => {
        const problems = {};
        const body = { username: trimOrEmpty(username.control.value), display_name: trimOrEmpty(name.control.value), role: role.control.value, password: password.control.value };
        for (const k of ['username', 'display_name', 'role', 'password']) if (!body[k]) problems[k] = { text: t('err.required') };
        Object.assign(body, readPlace(body.role, office, partner, problems));
        if (Object.keys(problems).length) {
          showErrors(form, problems);
          return;
        }
        submit.disabled = true;
        try {
          close(await api.post('/api/v1/users', body, { expect: 202 }));
        } catch (err) {
          submit.disabled = false;
          refused(form, errorBox, err);
        }
      });
      return form;
    },
  });
}

// 调整权限 for `user`. Resolves with the 202 answer {user, approval}, or undefined when cancelled.
export function grantDialog(user, { offices, partners }) {
  return openModal({
    title: t('acct.grant_title', { name: user.display_name }),
    className: 'dialog-account',
    build: (dialog, close) => {
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const role = roleField(user.role);
      const office = officeField(offices, user.office_id);
      const partner = partnerField(partners, user.partner_id);
      placeSwitch(role, office, partner);
      const enableId = `acct-enable-${user.id}`;
      // Re-enabling is a grant (it needs approval); disabling is not asked here (停用 acts at once).
      const enable = user.disabled ? h('div', { class: 'field check', dataset: { field: 'disabled' } },
        h('input', { type: 'checkbox', id: enableId }), h('label', { for: enableId }, t('acct.enable')),
        h('div', { class: 'field-error', hidden: true })) : null;
      const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('acct.grant_submit'), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body acct-form', novalidate: true, dataset: { ctrlEnter: '1' } },
        errorBox,
        h('p', { class: 'muted small' }, t('acct.grant_note', { username: user.username })),
        h('div', { class: 'grid grid-2' }, role, h('div', null, office, partner)),
        enable,
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')), submit));
      clearErrorOnEdit(form);
      handleSubmit(form, { submit, errorBox }, async () => {
        const problems = {};
        const body = {};
        const r = role.control.value;
        if (!r) problems.role = { text: t('err.required') };
        if (r !== user.role) body.role = r;
        const place = readPlace(r, office, partner, problems);
        if ('office_id' in place && (place.office_id !== user.office_id || body.role)) body.office_id = place.office_id;
        if ('partner_id' in place && (place.partner_id !== user.partner_id || body.role)) body.partner_id = place.partner_id;
        if (enable && enable.querySelector('input').checked) body.disabled = false;
        if (Object.keys(problems).length) {
          showErrors(form, problems);
          return;
        }
        if (!Object.keys(body).length) {
          errorBox.textContent = t('acct.grant_nothing');
          errorBox.hidden = false;
          errorBox.focus();
          return;
        }
        submit.disabled = true;
        try {
          close(await api.patch(`/api/v1/users/${user.id}`, body, { expect: 202 }));
        } catch (err) {
          submit.disabled = false;
          refused(form, errorBox, err);
        }
      });
      return form;
    },
  });
}

// 修改资料 for `user` (the system administrator's): her name and her 工号 in the call-centre (a call
// for that agent pops at her desk). No approval: neither grants anything. Resolves with the account
// (200), or undefined when cancelled.
export function detailsDialog(user) {
  return openModal({
    title: t('acct.details_title', { name: user.display_name }),
    className: 'dialog-account',
    build: (dialog, close) => {
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const name = field({ path: 'display_name', label: t('acct.display_name'), required: true, attrs: { autocomplete: 'off' } });
      const agent = field({ path: 'agent_id', label: t('acct.agent_id'), hint: t('acct.agent_id_hint'), attrs: { autocomplete: 'off', spellcheck: 'false' } });
      name.control.value = user.display_name || '';
      agent.control.value = user.agent_id || '';
      const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body acct-form', novalidate: true, dataset: { ctrlEnter: '1' } },
        errorBox,
        h('p', { class: 'muted small' }, t('acct.details_note', { username: user.username })),
        h('div', { class: 'grid grid-2' }, name, agent),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')), submit));
      clearErrorOnEdit(form);
      handleSubmit(form, { submit, errorBox }, async () => {
        const body = {};
        const n = trimOrEmpty(name.control.value);
        const a = trimOrEmpty(agent.control.value);
        if (!n) {
          showErrors(form, { display_name: { text: t('err.required') } });
          return;
        }
        if (n !== user.display_name) body.display_name = n;
        if (a !== (user.agent_id || '')) body.agent_id = a;
        if (!Object.keys(body).length) {
          close(undefined);
          return;
        }
        submit.disabled = true;
        try {
          close(await api.patch(`/api/v1/users/${user.id}`, body, { expect: 200 }));
        } catch (err) {
          submit.disabled = false;
          refused(form, errorBox, err);
        }
      });
      return form;
    },
  });
}

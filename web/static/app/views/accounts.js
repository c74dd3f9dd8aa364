// 账户管理 — the accounts, for the system administrator (新建账户, 停用) and the security administrator
// (调整权限, 重置两步验证, 停用). 三员分立 (issue #16 finding 4): a new account, a change of role or
// office, re-enabling and a second-factor reset only take effect once another administrator approves
// them on 待审批 (approvals.js); this page says so and marks the account 待批准 meanwhile.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { confirmDialog, toast } from '../dialog.js';
import { errorMessage } from '../errors.js';
import { loadOffices, loadPartners, resetReferenceData } from '../reference.js';
import { accountState, placeText, refusalText } from '../approval-text.js';
import { createAccountDialog, grantDialog, detailsDialog } from './account-forms.js';

export default async function accountsView(root, ctx) {
  const me = ctx.user;
  const isSys = me.role === 'sysadmin';
  const isSec = me.role === 'secadmin';
  let users = [];
  let offices = [];
  let partners = [];
  let highlight = null;

  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  // The lasting word after a request was sent: it waits for someone else (role=status: read out).
  const notice = h('div', { class: 'alert alert-info acct-notice', role: 'status', hidden: true });
  const tbody = h('tbody');
  const count = h('p', { class: 'muted small', 'aria-live': 'polite' });
  const addBtn = isSys ? h('button', { type: 'button', class: 'btn btn-primary', id: 'acct-add', onclick: () => create() }, t('acct.add')) : null;
  replace(root, h('div', { class: 'accounts-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('acct.title')),
      h('p', { class: 'muted' }, t(isSys ? 'acct.intro_sysadmin' : 'acct.intro_secadmin')), addBtn),
    errorBox, notice,
    h('section', { class: 'card', 'aria-labelledby': 'acct-list-title' },
      h('h2', { class: 'card-title', id: 'acct-list-title', tabindex: '-1' }, t('acct.list')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact acct-table' },
        h('thead', null, h('tr', null, ['username', 'name', 'role', 'place', 'state', 'actions'].map((c) => h('th', { scope: 'col', class: `acct-col-${c}` }, t(`acct.col_${c}`))))),
        tbody)),
      count)));

  const names = () => ({
    offices: new Map(offices.map((o) => [o.id, o.name])),
    partners: new Map(partners.map((p) => [p.id, p.name])),
  });

  function row(u) {
    const st = accountState(u);
    const own = u.id === me.id;
    const actions = [];
    if (isSec && !own && !u.approval_pending) {
      actions.push(h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'grant' }, 'aria-label': t('acct.grant_named', { name: u.display_name }), onclick: () => grant(u) }, t('acct.grant')));
      actions.push(h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'reset-2fa' }, 'aria-label': t('acct.reset_2fa_named', { name: u.display_name }), onclick: () => reset2fa(u) }, t('acct.reset_2fa')));
    }
    if (isSys && !own && !u.approval_pending) {
      actions.push(h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'details' }, 'aria-label': t('acct.details_named', { name: u.display_name }), onclick: () => details(u) }, t('acct.details')));
    }
    if (isSys && !own && !u.disabled) {
      actions.push(h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'reset-2fa' }, 'aria-label': t('acct.reset_2fa_named', { name: u.display_name }), onclick: () => reset2fa(u) }, t('acct.reset_2fa')));
    }
    if ((isSys || isSec) && !own && !u.disabled) {
      actions.push(h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', dataset: { action: 'disable' }, 'aria-label': t('acct.disable_named', { name: u.display_name }), onclick: () => disable(u) }, t('acct.disable')));
    }
    return h('tr', { class: ['acct-row', u.disabled ? 'is-inactive' : null, u.id === highlight ? 'is-new' : null], dataset: { user: String(u.id), username: u.username } },
      h('td', { class: 'acct-username' }, h('code', null, u.username), own ? h('span', { class: 'muted small' }, ` ${t('acct.me')}`) : null),
      h('td', null, u.display_name),
      h('td', { class: 'nowrap' }, label('role', u.role)),
      h('td', null, placeText(u.role, u.office_id, u.partner_id, names()) || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'nowrap acct-state' },
        h('span', { class: ['badge', `acct-badge-${st.key}`] }, st.text),
        st.pending ? [' ', h('span', { class: 'badge acct-badge-awaiting' }, t('acct.state_change_pending'))] : null),
      h('td', { class: 'acct-actions nowrap' }, actions.length ? actions : h('span', { class: 'muted' }, '—')));
  }

  function render() {
    replace(tbody, users.length ? users.map(row) : h('tr', null, h('td', { colspan: 6, class: 'empty' }, t('acct.empty'))));
    count.textContent = t('acct.count', { n: users.length, pending: users.filter((u) => u.approval_pending).length });
    highlight = null;
  }

  async function load() {
    try {
      const res = await api.get('/api/v1/users');
      users = (res.items || []).slice().sort((a, b) => a.username.localeCompare(b.username));
      if (ctx.alive()) render();
    } catch (e) {
      showError(e);
    }
  }

  function showError(e) {
    errorBox.textContent = refusalText(e) || errorMessage(e);
    errorBox.hidden = false;
    errorBox.focus();
  }

  // After a request that waits for approval: the lasting notice, a toast, the row marked.
  async function submitted(res, key) {
    errorBox.hidden = true;
    const name = (res && res.user && res.user.display_name) || '';
    notice.textContent = t(key, { name });
    notice.hidden = false;
    toast(t(key, { name }), 'success');
    highlight = res && res.user ? res.user.id : null;
    await load();
  }

  function focusRow(id, action) {
    // The row's button, else its first one, else the list's heading: the focus never drops to <body>.
    const el = tbody.querySelector(`[data-user="${id}"] [data-action="${action}"]`) || tbody.querySelector(`[data-user="${id}"] button`)
      || root.querySelector('#acct-list-title');
    if (el) el.focus();
  }

  async function create() {
    const res = await createAccountDialog({ offices, partners });
    if (!res) {
      addBtn.focus();
      return;
    }
    await submitted(res, 'acct.created_pending');
    addBtn.focus();
  }

  async function grant(u) {
    const res = await grantDialog(u, { offices, partners });
    if (!res) {
      focusRow(u.id, 'grant');
      return;
    }
    await submitted(res, 'acct.grant_pending');
    focusRow(u.id, 'reset-2fa');
  }

  async function details(u) {
    const res = await detailsDialog(u);
    if (res) {
      errorBox.hidden = true;
      toast(t('acct.details_done', { name: res.display_name }), 'success');
      await load();
    }
    focusRow(u.id, 'details');
  }

  async function reset2fa(u) {
    if (!(await confirmDialog(t('acct.reset_2fa_confirm', { name: u.display_name }), { okLabel: t('acct.reset_2fa') }))) return;
    try {
      const res = await api.post(`/api/v1/users/${u.id}/second-factor-reset`, {}, { expect: 202 });
      await submitted({ ...res, user: u }, 'acct.reset_2fa_pending');
    } catch (e) {
      showError(e);
    }
  }

  async function disable(u) {
    if (!(await confirmDialog(t('acct.disable_confirm', { name: u.display_name }), { okLabel: t('acct.disable'), danger: true }))) return;
    try {
      await api.patch(`/api/v1/users/${u.id}`, { disabled: true });
      errorBox.hidden = true;
      toast(t('acct.disabled_done', { name: u.display_name }), 'success');
      resetReferenceData();
      await load();
      focusRow(u.id, 'grant');
    } catch (e) {
      showError(e);
    }
  }

  // Offices and partners name the accounts' places; without them the ids are shown.
  [offices, partners] = await Promise.all([loadOffices().catch(() => []), loadPartners().catch(() => [])]);
  if (!ctx.alive()) return;
  await load();
}

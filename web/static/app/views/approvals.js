// 待审批 — account changes that wait for a second administrator (三员分立, issue #16 finding 4): new
// accounts, changes of role or office, re-enabling, second-factor resets. Whoever may decide one (the
// server says so in `can_decide`: never the requester, never the account's holder) approves it or
// rejects it with a reason; the others see who must. Below, 近期已处理.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { openModal, toast } from '../dialog.js';
import { fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { loadOffices, loadPartners } from '../reference.js';
import { kindText, stateText, describeChange, accountText, refusalText } from '../approval-text.js';

// Asks why a request is rejected. Resolves with the reason ('' allowed) or undefined when cancelled.
function rejectDialog(a) {
  return openModal({
    title: t('appr.reject_title'),
    className: 'dialog-small dialog-reject',
    build: (dialog, close) => {
      const id = `appr-reason-${a.id}`;
      const reason = h('textarea', { id, class: 'input', rows: 3, maxlength: 500 });
      const form = h('form', { class: 'dialog-body', novalidate: true },
        h('p', null, t('appr.reject_what', { kind: kindText(a.kind), account: accountText(a) })),
        h('div', { class: 'field' }, h('label', { class: 'field-label', for: id }, t('appr.reason')), reason),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')),
          h('button', { type: 'submit', class: 'btn btn-danger' }, t('appr.reject'))));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        close(reason.value.trim());
      });
      return form;
    },
  });
}

export default async function approvalsView(root, ctx) {
  let offices = [];
  let partners = [];
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  const pendingBody = h('tbody');
  const decidedBody = h('tbody');
  const pendingCount = h('span', { class: 'muted small', id: 'appr-pending-count' });
  const head = (cols) => h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: `appr-col-${c}` }, t(`appr.col_${c}`)))));
  replace(root, h('div', { class: 'approvals-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('appr.title')), h('p', { class: 'muted' }, t('appr.intro'))),
    errorBox,
    h('section', { class: 'card', 'aria-labelledby': 'appr-pending-title' },
      h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title', id: 'appr-pending-title', tabindex: '-1' }, t('appr.pending')), pendingCount),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact appr-table', id: 'appr-pending' },
        head(['kind', 'account', 'change', 'requested', 'actions']), pendingBody))),
    h('section', { class: 'card', 'aria-labelledby': 'appr-decided-title' },
      h('h2', { class: 'card-title', id: 'appr-decided-title' }, t('appr.decided')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact appr-table', id: 'appr-decided' },
        head(['kind', 'account', 'change', 'requested', 'decided']), decidedBody)))));

  const names = () => ({ offices: new Map(offices.map((o) => [o.id, o.name])), partners: new Map(partners.map((p) => [p.id, p.name])) });
  const who = (person, at) => [h('div', null, person ? person.display_name : '—'), h('div', { class: 'muted small nowrap' }, fmtDateTime(at))];

  function cells(a) {
    return [
      h('td', { class: 'nowrap' }, kindText(a.kind)),
      h('td', { class: 'appr-account' }, accountText(a)),
      h('td', { class: 'appr-change' }, describeChange(a, names())),
      h('td', null, who(a.requested_by, a.requested_at)),
    ];
  }

  function pendingRow(a) {
    const actions = a.can_decide
      ? [h('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { action: 'approve' }, 'aria-label': t('appr.approve_named', { account: accountText(a) }), onclick: () => decide(a, 'approve') }, t('appr.approve')),
        h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', dataset: { action: 'reject' }, 'aria-label': t('appr.reject_named', { account: accountText(a) }), onclick: () => decide(a, 'reject') }, t('appr.reject'))]
      : h('span', { class: 'muted small appr-not-yours' }, t('appr.not_yours'));
    return h('tr', { class: 'appr-row', dataset: { approval: String(a.id), kind: a.kind } }, cells(a), h('td', { class: 'appr-actions nowrap' }, actions));
  }

  function decidedRow(a) {
    return h('tr', { class: 'appr-row', dataset: { approval: String(a.id), state: a.state } }, cells(a),
      h('td', null,
        h('span', { class: ['badge', `appr-badge-${a.state}`] }, stateText(a.state)), ' ', who(a.decided_by, a.decided_at),
        a.reason ? h('div', { class: 'small appr-reason' }, t('appr.reason_is', { reason: a.reason })) : null));
  }

  async function load() {
    try {
      const [pending, decided] = await Promise.all([api.get('/api/v1/approvals?state=pending'), api.get('/api/v1/approvals?state=decided')]);
      if (!ctx.alive()) return;
      const p = pending.items || [];
      const d = decided.items || [];
      pendingCount.textContent = t('appr.pending_count', { n: p.length });
      replace(pendingBody, p.length ? p.map(pendingRow) : h('tr', null, h('td', { colspan: 5, class: 'empty' }, t('appr.none_pending'))));
      replace(decidedBody, d.length ? d.map(decidedRow) : h('tr', null, h('td', { colspan: 5, class: 'empty' }, t('appr.none_decided'))));
    } catch (e) {
      showError(e);
    }
  }

  function showError(e) {
    errorBox.textContent = refusalText(e) || errorMessage(e);
    errorBox.hidden = false;
    errorBox.focus();
  }

  async function decide(a, how) {
    let body = {};
    if (how === 'reject') {
      const reason = await rejectDialog(a);
      if (reason === undefined) return;
      if (reason) body = { reason };
    }
    try {
      const done = await api.post(`/api/v1/approvals/${a.id}/${how}`, body);
      errorBox.hidden = true;
      toast(t(how === 'approve' ? 'appr.approved_done' : 'appr.rejected_done', { kind: kindText(done.kind || a.kind), account: accountText(done) || accountText(a) }), 'success');
    } catch (e) {
      await load(); // decided by someone else meanwhile: the list as it is now, and why in the box
      showError(e);
      return;
    }
    await load();
    // The focus stays in the list: the next request's first button, else the heading.
    const next = pendingBody.querySelector('button') || root.querySelector('#appr-pending-title');
    if (next) next.focus();
  }

  [offices, partners] = await Promise.all([loadOffices().catch(() => []), loadPartners().catch(() => [])]);
  if (!ctx.alive()) return;
  await load();
}

// 复查 / 复核 on the case page (staff): the requests and their answers, what the person may ask next
// (of which office, until when), and — for the office that takes that step — the form to record the
// request, and for the reviewing office's supervisor the form to record its answer. After the re-review
// the page says plainly that the matter is not accepted again (不再受理). Data: GET …/reviews (web/API.md).
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { field, radios } from '../form.js';
import { fmtDate, toLocalInput, localInputToIso } from '../format.js';
import { toast } from '../dialog.js';
import { inlineForm, clientError } from './dv-orders.js';

export function reviewCard({ caseId, user, onChanged }) {
  let state = null;  // {items, next, final}
  let open = null;   // {kind: 'request'} | {kind: 'decide', id}
  const el = h('section', { class: 'card review-card', id: 'case-reviews', 'aria-labelledby': 'case-reviews-title', hidden: true });

  const mine = (officeId) => user && user.office_id === officeId;

  function close() {
    open = null;
    render();
  }

  function requestForm(next) {
    const at = field({ path: 'requested_at', label: t('review.requested_at'), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
    at.control.value = toLocalInput();
    return inlineForm({
      className: 'review-request',
      title: t('review.request_title', { kind: label('review_kind', next.kind) }),
      fields: [at, field({ path: 'request', label: t('review.request'), kind: 'textarea', rows: 3, required: true, attrs: { maxlength: 1600 } })],
      submitLabel: t('review.request_submit'),
      onCancel: close,
      onSubmit: async (v) => {
        const problems = {};
        if (!localInputToIso(v.requested_at)) problems.requested_at = { text: t('err.required') };
        if (!String(v.request || '').trim()) problems.request = { text: t('err.required') };
        if (Object.keys(problems).length) throw clientError(problems);
        await api.post(`/api/v1/cases/${caseId}/reviews`, { kind: next.kind, requested_at: localInputToIso(v.requested_at), request: v.request.trim() }, { expect: 201 });
        toast(t('review.requested_toast', { kind: label('review_kind', next.kind) }), 'success');
        await reload();
        if (onChanged) onChanged();
      },
    });
  }

  function decideForm(r) {
    return inlineForm({
      className: 'review-decide',
      title: t('review.decide_title', { kind: label('review_kind', r.kind) }),
      fields: [radios({ path: 'decision', label: t('review.decision'), required: true,
        options: ['upheld', 'changed'].map((d) => ({ value: d, label: label('review_decision', d) })) }),
      field({ path: 'basis', label: t('review.basis'), kind: 'textarea', rows: 3, required: true, attrs: { maxlength: 1600 } }),
      field({ path: 'document_no', label: t('review.document_no'), attrs: { maxlength: 100 } })],
      submitLabel: t('review.decide_submit'),
      onCancel: close,
      onSubmit: async (v) => {
        const problems = {};
        if (!v.decision) problems.decision = { text: t('err.required') };
        if (!String(v.basis || '').trim()) problems.basis = { text: t('err.required') };
        if (Object.keys(problems).length) throw clientError(problems);
        const body = { decision: v.decision, basis: v.basis.trim() };
        if (String(v.document_no || '').trim()) body.document_no = v.document_no.trim();
        await api.post(`/api/v1/cases/${caseId}/reviews/${r.id}/decision`, body);
        toast(t('review.decided_toast', { kind: label('review_kind', r.kind) }), 'success');
        await reload();
        if (onChanged) onChanged();
      },
    });
  }

  function item(r) {
    const canDecide = !r.decided_at && user.role === 'supervisor' && mine(r.office.id);
    return h('li', { class: ['review-item', r.overdue ? 'is-overdue' : null], dataset: { kind: r.kind } },
      h('p', { class: 'review-head' },
        h('strong', null, label('review_kind', r.kind)), ' · ', r.office.name, ' · ', t('review.asked_on', { date: fmtDate(r.requested_at) }), ' · ',
        r.decided_at
          ? h('span', { class: `badge review-${r.decision}` }, label('review_decision', r.decision))
          : h('span', { class: ['badge', r.overdue ? 'badge-danger' : 'badge-muted'] },
            r.overdue ? t('review.overdue', { date: fmtDate(r.due_at) }) : t('review.due', { date: fmtDate(r.due_at) }))),
      h('p', { class: 'review-request-text' }, r.request),
      r.decided_at ? h('p', { class: 'review-answer' }, t('review.answered_on', { date: fmtDate(r.decided_at) }),
        r.document_no ? ` · ${t('review.doc_no', { no: r.document_no })}` : '', ' · ', r.basis) : null,
      canDecide && !(open && open.kind === 'decide' && open.id === r.id)
        ? h('div', { class: 'ref-actions' }, h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => { open = { kind: 'decide', id: r.id }; render(); } }, t('review.decide', { kind: label('review_kind', r.kind) })))
        : null,
      open && open.kind === 'decide' && open.id === r.id ? decideForm(r) : null);
  }

  function nextBlock(s) {
    if (s.final) return h('p', { class: 'alert alert-warn review-final', id: 'review-final' }, t('review.final'));
    const n = s.next;
    if (!n) return null;
    const kind = label('review_kind', n.kind);
    if (!n.window_open) return h('p', { class: 'muted review-window' }, t('review.window_closed', { kind, date: fmtDate(n.window_ends) }));
    const canRequest = ['operator', 'supervisor'].includes(user.role) && mine(n.office.id);
    return h('div', { class: 'review-next' },
      h('p', { class: 'review-window' }, t('review.window', { kind, office: n.office.name, date: fmtDate(n.window_ends) })),
      canRequest && !(open && open.kind === 'request')
        ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => { open = { kind: 'request' }; render(); } }, t('review.request_button', { kind }))
        : null,
      canRequest && open && open.kind === 'request' ? requestForm(n) : null);
  }

  function render() {
    const s = state;
    el.hidden = !s || (!s.items.length && !s.next && !s.final);
    if (el.hidden) return;
    replace(el, h('h2', { class: 'card-title', id: 'case-reviews-title' }, t('review.title')),
      s.items.length ? h('ul', { class: 'review-list' }, s.items.map(item)) : null,
      nextBlock(s));
    const f = el.querySelector('form input:not([type=hidden]), form textarea');
    if (open && f) f.focus();
  }

  async function reload() {
    state = await api.get(`/api/v1/cases/${caseId}/reviews`);
    open = null;
    render();
    return state;
  }

  return { el, load: reload };
}

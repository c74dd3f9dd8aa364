// The referrals of one case (GET /api/v1/referrals?case_id=): partner, service, status and the
// running deadline, with the responses the viewer may give. A partner user accepts, declines (with a
// reason), reports progress and completes (with the outcome); the referring office withdraws (with a
// reason). Every response is POST /api/v1/referrals/{id}/respond with the version read; a 409 keeps
// the form and what was typed and offers to reload.
import { h, replace, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { openModal } from '../dialog.js';
import { field, collect, showErrors, clearErrorOnEdit, trimOrEmpty, handleSubmit, showSaveError, showConflict } from '../form.js';
import { fmtDateTime, countdown } from '../format.js';
import { errorMessage } from '../errors.js';
import { hasStructuredOutcome, outcomeFields, outcomeInWords } from './referral-outcome.js';

export const OPEN_REFERRAL = new Set(['sent', 'accepted', 'in_progress']);

// The responses open to this user on this referral, in button order.
export function referralActions(ref, role) {
  if (role === 'partner') {
    if (ref.status === 'sent') return ['accept', 'decline'];
    if (ref.status === 'accepted' || ref.status === 'in_progress') return ['progress', 'complete'];
    return [];
  }
  if ((role === 'operator' || role === 'supervisor') && OPEN_REFERRAL.has(ref.status)) return ['withdraw'];
  return [];
}

const ACTION_CLASS = { accept: 'btn-primary', complete: 'btn-primary', progress: '', decline: 'btn-danger-outline', withdraw: 'btn-danger-outline' };

// The running deadline of a referral as a small block: "回复期限 11/25 17:00 · 剩余 2 天".
export function referralDue(ref) {
  if (!ref.due_at || !OPEN_REFERRAL.has(ref.status)) return null;
  const cd = countdown(ref.due_at);
  const overdue = ref.overdue || cd.overdue;
  return h('span', { class: ['ref-due', overdue ? 'is-overdue' : cd.soon ? 'is-soon' : null] },
    h('span', { class: 'ref-due-kind' }, ref.status === 'sent' ? t('referral.response_due') : t('referral.feedback_due')), ' ',
    h('time', { datetime: ref.due_at }, fmtDateTime(ref.due_at)), ' · ',
    h('span', { class: 'ref-due-left' }, cd.text));
}

// "逾期未答复" while the partner has not answered, "逾期未反馈" once it accepted and owes feedback.
export function overdueBadge(ref) {
  if (!OPEN_REFERRAL.has(ref.status) || !(ref.overdue || (ref.due_at && countdown(ref.due_at).overdue))) return null;
  const key = ref.status === 'sent' ? 'pd.badge_overdue_response' : 'pd.badge_overdue_feedback';
  return h('span', { class: 'badge badge-danger ref-overdue-badge', title: t(`${key}_title`) }, t(key));
}

function fieldsFor(action, structured) {
  if (action === 'complete' && structured)  // the result, then its text as an optional note
    return [...structured.nodes, field({ path: 'outcome', label: t('ro.text_optional'), kind: 'textarea', rows: 3, hint: t('ro.text_hint') })];
  switch (action) {
    case 'accept':
      return [field({ path: 'note', label: t('referral.note_optional'), kind: 'textarea', rows: 2 })];
    case 'decline':
      return [field({ path: 'decline_reason', label: t('referral.decline_reason'), kind: 'textarea', rows: 3, required: true, hint: t('referral.decline_hint') })];
    case 'progress':
      return [field({ path: 'note', label: t('referral.progress_note'), kind: 'textarea', rows: 4, required: true, hint: t('referral.progress_hint') })];
    case 'complete':
      return [field({ path: 'outcome', label: t('referral.outcome'), kind: 'textarea', rows: 4, required: true, hint: t('referral.outcome_hint') }),
        field({ path: 'note', label: t('referral.note_optional'), kind: 'textarea', rows: 2 })];
    case 'withdraw':
      return [field({ path: 'note', label: t('referral.withdraw_reason'), kind: 'textarea', rows: 3, required: true })];
    default:
      return [];
  }
}

const REQUIRED = { decline: 'decline_reason', progress: 'note', complete: 'outcome', withdraw: 'note' };

// Opens the form of one response. reload() fetches the referral again (after a 409) and returns it.
// Resolves with the updated referral, or undefined when cancelled.
export function openRespondDialog(ref, action, { reload, role } = {}) {
  let current = ref;
  return openModal({
    title: t(`referral.action_${action}`),
    className: `dialog-event dialog-referral dialog-referral-${action}`,
    build: (dialog, close) => {
      const structured = action === 'complete' && hasStructuredOutcome(ref.service) ? outcomeFields(ref.service) : null;
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const submit = h('button', { type: 'submit', class: ['btn', action === 'decline' || action === 'withdraw' ? 'btn-danger' : 'btn-primary'] },
        t(`referral.action_${action}`), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body event-form', novalidate: true, dataset: { ctrlEnter: '1', action } },
        h('p', { class: 'muted event-help' }, t(structured ? 'ro.help_complete' : `referral.help_${action}`, { partner: ref.partner.name, case_no: ref.case_no })),
        errorBox, fieldsFor(action, structured),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')),
          submit));
      clearErrorOnEdit(form);
      handleSubmit(form, { submit, errorBox }, async () => {
        const v = collect(form);
        const need = structured ? null : REQUIRED[action];
        if (need && !trimOrEmpty(v[need])) {
          showErrors(form, { [need]: { text: t('err.required') } });
          return;
        }
        const body = { action, version: current.version };
        if (structured) {
          const { result, problems } = structured.read(v);
          if (Object.keys(problems).length) {
            showErrors(form, problems);
            return;
          }
          body.result = result;
        }
        for (const k of ['note', 'outcome', 'decline_reason']) if (trimOrEmpty(v[k])) body[k] = trimOrEmpty(v[k]);
        submit.disabled = true;
        try {
          close(await api.post(`/api/v1/referrals/${current.id}/respond`, body));
        } catch (err) {
          submit.disabled = false;
          if (err.status === 409 && reload) {
            showConflict(errorBox, {
              title: t('referral.conflict'), reloadLabel: t('conflict.reload_keep'),
              reload: async () => {
                current = await reload();
                if (current && referralActions(current, role).includes(action)) return { ok: true, text: t('conflict.reloaded') };
                submit.disabled = true;
                return { ok: false, text: t('referral.action_gone', { status: label('referral_status', current ? current.status : '') }) };
              },
            });
          } else showSaveError(form, errorBox, err);
        }
      });
      return form;
    },
  });
}

// The card on the case page. onChanged(updatedReferral) runs after each response.
export function referralPanel({ caseId, role, onChanged }) {
  const list = h('ul', { class: 'referral-list' });
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const partnerView = role === 'partner';
  const el = h('section', { class: ['card', 'referrals-card', partnerView ? 'is-partner' : null], 'aria-labelledby': 'ref-title', hidden: true },
    h('h2', { class: 'card-title', id: 'ref-title' }, partnerView ? t('referral.card_partner') : t('referral.card')),
    errorBox, list);
  let items = [];

  // Only the newest question's answer is shown (the page's first one may come after a response's).
  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const res = await api.get(`/api/v1/referrals?case_id=${caseId}`);
      if (mine !== seq) return items;
      items = res.items || [];
      errorBox.hidden = true;
      render();
    } catch (e) {
      if (mine !== seq) return items;
      errorBox.textContent = errorMessage(e);
      errorBox.hidden = false;
      el.hidden = false;
    }
    return items;
  }

  async function act(ref, action) {
    const updated = await openRespondDialog(ref, action, {
      role,
      reload: async () => (await load()).find((x) => x.id === ref.id),
    });
    if (!updated) return;
    await load();
    if (onChanged) await onChanged(updated, action);
    const btn = el.querySelector(`[data-referral="${updated.id}"] .ref-actions button`);
    if (btn) btn.focus();
  }

  function row(ref) {
    const actions = referralActions(ref, role);
    return h('li', { class: ['referral-item', `is-${ref.status}`, ref.overdue && OPEN_REFERRAL.has(ref.status) ? 'is-overdue' : null], dataset: { referral: String(ref.id) } },
      h('div', { class: 'ref-head' },
        h('span', { class: 'ref-partner' }, ref.partner.name),
        h('span', { class: 'badge badge-muted' }, label('partner_type', ref.partner.type)),
        h('span', { class: `badge referral-${ref.status}` }, label('referral_status', ref.status)),
        overdueBadge(ref)),
      h('dl', { class: 'ref-facts' },
        fact(t('referral.service'), label('service', ref.service)),
        fact(t('referral.sent_at'), fmtDateTime(ref.sent_at)),
        ref.responded_at ? fact(t('referral.responded_at'), fmtDateTime(ref.responded_at)) : null,
        ref.completed_at ? fact(t('referral.completed_at'), fmtDateTime(ref.completed_at)) : null,
        fact(t('referral.consent'), ref.consent && ref.consent.given ? t('referral.consent_yes') : t('referral.consent_no'))),
      referralDue(ref),
      ref.reason ? h('p', { class: 'ref-text' }, h('span', { class: 'ref-label' }, t('referral.reason')), ref.reason) : null,
      ref.consent && !ref.consent.given && ref.consent.override_reason && !partnerView
        ? h('p', { class: 'ref-text' }, h('span', { class: 'ref-label' }, t('referral.override_reason')), ref.consent.override_reason) : null,
      ref.result ? h('p', { class: 'ref-text ref-result' }, h('span', { class: 'ref-label' }, t('ro.result_label')), outcomeInWords(ref.result)) : null,
      ref.outcome ? h('p', { class: 'ref-text ref-outcome' }, h('span', { class: 'ref-label' }, t(ref.result ? 'ro.text_label' : 'referral.outcome')), ref.outcome) : null,
      ref.decline_reason ? h('p', { class: 'ref-text' }, h('span', { class: 'ref-label' }, t('referral.decline_reason')), ref.decline_reason) : null,
      actions.length ? h('div', { class: 'ref-actions' }, actions.map((a) => h('button', {
        type: 'button', class: ['btn', 'btn-small', ACTION_CLASS[a]], dataset: { action: a }, onclick: () => act(ref, a),
      }, t(`referral.action_${a}`)))) : null);
  }

  function fact(k, v) {
    return h('div', null, h('dt', null, k), h('dd', null, v));
  }

  function render() {
    el.hidden = items.length === 0;
    replace(list, items.map(row));
  }

  return { el, load, items: () => items };
}

// 复议 of a protection-order ruling (反家庭暴力法 Art. 31) on the order's card: a party asks the court
// that ruled to reconsider it, once; then the court's result 维持 / 撤销 / 变更. The forms post to
// /api/v1/protection-orders/{id}/reconsideration[/decision]; what was asked and decided shows as one
// line under the order. A granted order stays in force meanwhile (the line says so); a revoked one
// shows 已撤销 instead of 有效. Before anyone asks, the line gives the last day to ask (5 days after the
// ruling, reconsideration_due); once it has passed, 申请复议 is no longer offered.
import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { field, radios } from '../form.js';
import { fmtDate, toLocalInput, localInputToIso } from '../format.js';
import { inlineForm, clientError } from './dv-orders.js';

const PARTIES = ['applicant', 'respondent'];
const RESULTS = ['upheld', 'revoked', 'varied'];

// Whether the time to ask for 复议 has run out (the server's reconsideration_due).
function pastDue(o, now = Date.now()) {
  return Boolean(o.reconsideration_due) && now > Date.parse(o.reconsideration_due);
}

// Which 复议 step the order offers: 'request' (ruled, none asked, still in time), 'decide' (asked, no
// result) or null.
export function reconsiderationStep(o) {
  if (!['granted', 'denied'].includes(o.status)) return null;
  if (!o.reconsideration) return pastDue(o) ? null : 'request';
  return o.reconsideration.result ? null : 'decide';
}

// Whether the order ended on 复议 (its grant revoked).
export function revokedOnReconsideration(o) {
  return o.status === 'granted' && o.reconsideration?.result === 'revoked';
}

// The 复议 line under the order: what was asked and decided, or the time left to ask; null unruled.
export function reconsiderationLine(o) {
  const r = o.reconsideration;
  if (!r && !o.reconsideration_due) return null;
  if (!r) {
    return h('div', { class: 'dv-po-sub dv-po-reconsideration' },
      h('span', { class: 'ref-label' }, t('dv.po_reconsideration'), t('common.colon')),
      t(pastDue(o) ? 'dv.po_rc_window_over' : 'dv.po_rc_window', { date: fmtDate(o.reconsideration_due) }));
  }
  const asked = t('dv.po_rc_asked', { by: label('dv_po_rc_by', r.applied_by), date: fmtDate(r.applied_at) });
  const outcome = r.result
    ? t('dv.po_rc_decided', { date: fmtDate(r.decided_at), result: label('dv_po_rc_result', r.result) })
    : t(o.status === 'granted' ? 'dv.po_rc_pending_in_force' : 'dv.po_rc_pending');
  return h('div', { class: 'dv-po-sub dv-po-reconsideration' },
    h('span', { class: 'ref-label' }, t('dv.po_reconsideration'), t('common.colon')), asked, t('common.semicolon'), outcome,
    r.note ? h('span', { class: 'muted' }, ` — ${r.note}`) : null);
}

// POSTs to the order's 复议 route with its version; a stale version reloads the order (onConflict).
async function post(o, tail, body, onConflict) {
  try {
    return await api.post(`/api/v1/protection-orders/${o.id}/reconsideration${tail}`, { version: o.version, ...body });
  } catch (err) {
    if (err.status === 409) err.onConflict = onConflict;
    throw err;
  }
}

// The form for the step the order offers; onDone(updated order), onCancel(), onConflict().
export function reconsiderationForm(o, { onDone, onCancel, onConflict }) {
  const at = (path, key) => {
    const f = field({ path, label: t(key), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
    f.control.value = toLocalInput();
    return f;
  };
  const note = field({ path: 'note', label: t('dv.po_rc_note'), kind: 'textarea', rows: 2, attrs: { maxlength: 2000 } });
  if (reconsiderationStep(o) === 'request') {
    return inlineForm({
      className: 'dv-po-reconsider',
      title: t('dv.po_rc_request_title'),
      fields: [radios({ path: 'applied_by', label: t('dv.po_rc_by'), required: true,
        options: PARTIES.map((p) => ({ value: p, label: label('dv_po_rc_by', p) })) }),
      at('applied_at', 'dv.po_rc_applied_at'), note, h('p', { class: 'field-hint' }, t('dv.po_rc_hint'))],
      submitLabel: t('dv.po_rc_request_submit'),
      onCancel,
      onSubmit: async (v) => {
        const problems = {};
        if (!v.applied_by) problems.applied_by = { text: t('err.required') };
        if (!localInputToIso(v.applied_at)) problems.applied_at = { text: t('err.required') };
        if (Object.keys(problems).length) throw clientError(problems);
        onDone(await post(o, '', { applied_by: v.applied_by, applied_at: localInputToIso(v.applied_at), note: v.note.trim() }, onConflict));
      },
    });
  }
  return inlineForm({
    className: 'dv-po-reconsider-decide',
    title: t('dv.po_rc_decide_title'),
    fields: [radios({ path: 'result', label: t('dv.po_rc_result'), required: true,
      options: RESULTS.map((r) => ({ value: r, label: label('dv_po_rc_result', r) })) }),
    at('decided_at', 'dv.po_rc_decided_at'), note],
    submitLabel: t('dv.po_rc_decide_submit'),
    onCancel,
    onSubmit: async (v) => {
      const problems = {};
      if (!v.result) problems.result = { text: t('err.required') };
      if (!localInputToIso(v.decided_at)) problems.decided_at = { text: t('err.required') };
      if (Object.keys(problems).length) throw clientError(problems);
      onDone(await post(o, '/decision', { result: v.result, decided_at: localInputToIso(v.decided_at), note: v.note.trim() }, onConflict));
    },
  });
}

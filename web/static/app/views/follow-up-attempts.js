// 回访未果 (issue #15 point 4): a call back that reached no result — 未接通, 改期 (with the new date),
// 拒绝回访 — is recorded as an attempt (POST /api/v1/cases/{id}/follow-up-attempts); it does not count
// as a follow-up done. After 未接通 / 改期 the case stays on the due list with its attempts shown; after
// 拒绝回访 it leaves the list (she is not called again).
import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { field } from '../form.js';
import { fmtDate, fmtDateTime } from '../format.js';

export const ATTEMPTS = ['no_answer', 'rescheduled', 'refused'];

// Radio pills for the attempts, in the same group (name, path) as the satisfaction pills: one choice.
export function attemptPills(name, path) {
  return ATTEMPTS.map((a) => h('label', { class: ['radio-pill', 'fu-attempt-pill', `fu-attempt-pill-${a}`] },
    h('input', { type: 'radio', name, value: a, dataset: { path } }), h('span', null, label('attempt_result', a))));
}

// The new date of a 改期, shown only while 改期 is chosen in `group`.
export function rescheduleField(group) {
  const el = field({ path: 'rescheduled_to', label: t('fu.rescheduled_to'), kind: 'date', required: true, className: 'fu-rescheduled-to' });
  const sync = () => { el.hidden = !group.querySelector('input[value="rescheduled"]:checked'); };
  group.addEventListener('change', sync);
  sync();
  return el;
}

export function isAttempt(value) {
  return ATTEMPTS.includes(value);
}

export function recordAttempt(caseId, body) {
  return api.post(`/api/v1/cases/${caseId}/follow-up-attempts`, body, { expect: 201 });
}

// "回访未果 2 次 · 最近：改期至 11月25日（11/23 10:00）" under the case in the list; null when none.
export function attemptLine(item) {
  const last = item.last_attempt;
  if (!item.attempts || !last) return null;
  const what = last.result === 'rescheduled'
    ? t('fu.rescheduled_line', { date: fmtDate(last.rescheduled_to) }) : label('attempt_result', last.result);
  return h('div', { class: 'small fu-attempts' },
    t('fu.attempts_line', { n: item.attempts, what, at: fmtDateTime(last.attempted_at) }));
}

// The structured outcome of a referral (issue #15 point 4; casework/referral_outcome.hpp): which
// results each service takes, the fields each result needs, the completion dialog's part for them and
// the outcome in words on the case page. A warning letter, an order's ruling or a shelter stay recorded
// here becomes the case's DV record on the server, so the period report counts it.
import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import { field, radios, trimOrEmpty } from '../form.js';
import { fmtDate } from '../format.js';

const POLICE = ['warning_letter_issued', 'warning_letter_not_issued', 'handled_otherwise'];
export const OUTCOME_KINDS = {
  police_response: POLICE,
  warning_letter: POLICE,
  protection_order: ['order_granted', 'order_denied'],
  legal_aid: ['legal_aid_granted', 'legal_aid_refused'],
  shelter: ['shelter_provided', 'shelter_not_provided'],
};

// The fields of each result: name → required.
const NEEDS = {
  warning_letter_issued: { date: true, document_no: true },
  order_granted: { date: true, until: true },
  order_denied: { date: true },
  shelter_provided: { date: true, until: false },
};

export function hasStructuredOutcome(service) {
  return Boolean(OUTCOME_KINDS[service]);
}

// The dialog's part: the result (radio buttons, arrow keys move between them), then only the fields
// the chosen result needs, labelled for it (出具日期 / 裁定日期 / 入住日期 …).
export function outcomeFields(service) {
  const kinds = OUTCOME_KINDS[service];
  const kind = radios({ path: 'result.kind', label: t('ro.kind'), required: true, className: 'ro-kind',
    options: kinds.map((k) => ({ value: k, label: label('referral_result', k) })) });
  const date = field({ path: 'result.date', label: t('ro.date'), kind: 'date', required: true, className: 'ro-date' });
  const until = field({ path: 'result.until', label: t('ro.until'), kind: 'date', className: 'ro-until' });
  const docNo = field({ path: 'result.document_no', label: t('ro.document_no'), required: true, className: 'ro-document-no',
    hint: t('ro.document_no_hint'), attrs: { autocomplete: 'off', maxlength: 60 } });
  const parts = { date, until, document_no: docNo };
  function chosen() {
    const on = kind.querySelector('input:checked');
    return on ? on.value : '';
  }
  function sync() {
    const k = chosen();
    const needs = NEEDS[k] || {};
    for (const [name, el] of Object.entries(parts)) {
      el.hidden = !(name in needs);
      const req = el.querySelector('.req');
      if (req) req.hidden = !needs[name];
      el.control.required = Boolean(needs[name]) || undefined;
      if (name !== 'document_no' && k) el.querySelector('.field-label').firstChild.textContent = t(`ro.${name}_${k}`);
    }
  }
  kind.addEventListener('change', sync);
  sync();
  return {
    nodes: [kind, date, until, docNo],
    // {result, problems}: the result for the request body, or the fields left empty.
    read(v) {
      const k = v['result.kind'];
      if (!k) return { problems: { 'result.kind': { text: t('ro.choose') } } };
      const result = { kind: k };
      const problems = {};
      for (const [name, required] of Object.entries(NEEDS[k] || {})) {
        const value = trimOrEmpty(v[`result.${name}`]);
        if (value) result[name] = value;
        else if (required) problems[`result.${name}`] = { text: t('err.required') };
      }
      return { result, problems };
    },
  };
}

// The outcome in words: "已出具告诫书（2026-11-22，永公(城)告字〔2026〕12号）", "裁定发出保护令（裁定 11/22，有效至 2027/5/21）".
export function outcomeInWords(result) {
  if (!result || !result.kind) return null;
  const bits = [];
  if (result.date) bits.push(t(`ro.short_date_${result.kind}`, { date: fmtDate(result.date) }));
  if (result.until) bits.push(t(`ro.short_until_${result.kind}`, { date: fmtDate(result.until) }));
  if (result.document_no) bits.push(t('ro.short_document_no', { no: result.document_no }));
  return label('referral_result', result.kind) + (bits.length ? t('ro.details', { details: bits.join(t('ro.sep')) }) : '');
}

// The 信访 procedure's parts of the event forms (web/API.md, "Cases"): the notice to the person (告知)
// that accept, decline, forward, delegate and an extension carry; the reply (答复); the target office
// of a 转送 / 交办 and the 交办 report's due date. Each builder returns {body, read(values) → {data,
// problems}, restore?} like the other event forms in case-actions.js.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { field, radios, checkbox, trimOrEmpty } from '../form.js';
import { loadOffices } from '../reference.js';
import { shanghaiParts } from '../format.js';

export const NOTICE_METHODS = ['in_person', 'phone', 'written', 'sms'];
export const REPLY_OPINIONS = ['support', 'explain', 'not_support'];
export const REASON_MAX = 1000;
export const REPORT_DAYS_MAX = 120;

export function today() {
  const p = shanghaiParts(new Date());
  return `${p.year}-${p.month}-${p.day}`;
}

// The usual way a person is told, from how she came: by phone for a call, in person for a visit.
function usualMethod(caseObj) {
  return { hotline: 'phone', walk_in: 'in_person' }[caseObj && caseObj.channel] || '';
}

function methodRadios(path, legend, chosen) {
  const group = radios({ path, label: legend, required: true, options: NOTICE_METHODS.map((m) => ({ value: m, label: t(`notice_method.${m}`) })) });
  if (chosen) group.querySelector(`input[value="${chosen}"]`).checked = true;
  return group;
}

// 告知: method, date (or told on the spot), document number for a written notice.
export function noticeFields(caseObj, { legend = t('pf.notice'), help = t('pf.notice_help') } = {}) {
  const method = methodRadios('notice_method', t('pf.notice_method'), usualMethod(caseObj));
  const spot = checkbox({ path: 'notice_on_the_spot', label: t('pf.notice_on_the_spot') });
  const date = field({ path: 'notice_at', label: t('pf.notice_at'), kind: 'date', required: true, attrs: { value: today(), max: today() } });
  const docNo = field({ path: 'notice_document_no', label: t('pf.notice_document_no'), required: true, hint: t('pf.document_no_hint') });
  const sync = () => {
    const written = method.querySelector('input:checked')?.value === 'written';
    docNo.hidden = !written;
    date.hidden = spot.querySelector('input').checked;
  };
  method.addEventListener('change', sync);
  spot.addEventListener('change', sync);
  sync();
  const box = h('fieldset', { class: 'notice-fields' }, h('legend', null, legend), h('p', { class: 'muted field-hint' }, help), method, spot, date, docNo);
  return {
    body: [box],
    restore: sync,
    read: (v) => {
      const data = { notice_method: v.notice_method };
      const problems = {};
      if (!v.notice_method) problems.notice_method = { text: t('err.required') };
      if (v.notice_on_the_spot) data.notice_on_the_spot = true;
      else if (!v.notice_at) problems.notice_at = { text: t('err.required') };
      else data.notice_at = v.notice_at;
      if (v.notice_method === 'written') {
        data.notice_document_no = trimOrEmpty(v.notice_document_no);
        if (!data.notice_document_no) problems.notice_document_no = { text: t('pf.document_no_required') };
      }
      return { data, problems };
    },
  };
}

// Several builders in one form: bodies in order, data and problems merged.
export function combine(...parts) {
  return {
    body: parts.flatMap((p) => p.body),
    restore: () => parts.forEach((p) => p.restore && p.restore()),
    read: (v) => parts.reduce((acc, p) => {
      const r = p.read(v);
      return { data: { ...acc.data, ...r.data }, problems: { ...acc.problems, ...r.problems } };
    }, { data: {}, problems: {} }),
  };
}

// Required text fields, sent trimmed.
export function texts(specs) {
  const body = specs.map((s) => field({ kind: 'textarea', rows: 3, required: true, ...s, attrs: { maxlength: REASON_MAX, ...(s.attrs || {}) } }));
  return {
    body,
    read: (v) => {
      const data = {};
      const problems = {};
      for (const s of specs) {
        data[s.path] = trimOrEmpty(v[s.path]);
        if (!data[s.path]) problems[s.path] = { text: t('err.required') };
      }
      return { data, problems };
    },
  };
}

// A whole number of days 1..max (extension, report due).
export function daysField(path, labelText, max, initial) {
  const f = field({ path, label: labelText, kind: 'number', required: true, hint: t('pf.days_hint', { max }), attrs: { min: 1, max, value: String(initial) } });
  return {
    body: [f],
    read: (v) => {
      const n = Number(v[path]);
      return { data: { [path]: n }, problems: Number.isInteger(n) && n >= 1 && n <= max ? {} : { [path]: { text: t('pf.days_hint', { max }) } } };
    },
  };
}

// 答复: date, method, opinion and its basis; a written reply names its document.
export function replyFields() {
  const date = field({ path: 'replied_at', label: t('pf.replied_at'), kind: 'date', required: true, attrs: { value: today(), max: today() } });
  const method = methodRadios('method', t('pf.reply_method'), '');
  const opinion = radios({ path: 'opinion', label: t('pf.opinion'), required: true, options: REPLY_OPINIONS.map((o) => ({ value: o, label: t(`opinion.${o}`) })) });
  const basis = field({ path: 'basis', label: t('pf.basis'), kind: 'textarea', rows: 4, required: true, hint: t('pf.basis_hint'), attrs: { maxlength: 5000 } });
  const docNo = field({ path: 'document_no', label: t('pf.reply_document_no'), required: true, hint: t('pf.document_no_hint') });
  const sync = () => { docNo.hidden = method.querySelector('input:checked')?.value !== 'written'; };
  method.addEventListener('change', sync);
  sync();
  return {
    body: [date, method, opinion, basis, docNo],
    restore: sync,
    read: (v) => {
      const data = { replied_at: v.replied_at, method: v.method, opinion: v.opinion, basis: trimOrEmpty(v.basis) };
      const problems = {};
      for (const k of ['replied_at', 'method', 'opinion', 'basis']) if (!data[k]) problems[k] = { text: t('err.required') };
      if (v.method === 'written') {
        data.document_no = trimOrEmpty(v.document_no);
        if (!data.document_no) problems.document_no = { text: t('pf.document_no_required') };
      }
      return { data, problems };
    },
  };
}

// The office a 转送 / 交办 goes to: any other active office (GET /api/v1/offices?scope=all), own
// subtree first. The user chose the kind by the button; the direction does not decide it.
export async function targetOffice(caseObj) {
  const officeId = caseObj.office_id ?? (caseObj.office && caseObj.office.id);
  let all;
  try {
    all = (await api.get('/api/v1/offices?scope=all')).items || [];
  } catch {
    all = await loadOffices();
  }
  const offices = all.filter((o) => o.active !== false && o.id !== officeId)
    .sort((a, b) => String(a.region_code).localeCompare(String(b.region_code)));
  const target = field({
    path: 'target_office_id', label: t('pf.target_office'), kind: 'select', required: true,
    options: [{ value: '', label: t('ev.choose') }, ...offices.map((o) => ({ value: String(o.id), label: `${o.name}（${o.region_code}）` }))],
  });
  // A level-skipping contact named the office with jurisdiction (越级访): it is the likely target.
  const named = caseObj.jurisdiction_office;
  if (named && offices.some((o) => o.id === named.id)) target.querySelector('select').value = String(named.id);
  return {
    body: [target],
    read: (v) => ({ data: { target_office_id: Number(v.target_office_id) || '' }, problems: v.target_office_id ? {} : { target_office_id: { text: t('err.required') } } }),
  };
}

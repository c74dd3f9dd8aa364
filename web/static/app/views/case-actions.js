// The small form behind each action button of the case page. Only events listed in the case's
// `available_events` get a button; each form asks for the event's data (web/API.md; the notice,
// reply and routing parts come from procedure-fields.js) and posts
// POST /api/v1/cases/{id}/transitions with the version the page read. A 409 keeps the form and
// what was typed, and offers to reload the case.
import { h, replace, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { openModal } from '../dialog.js';
import { field, radios, collect, showErrors, trimOrEmpty, handleSubmit, showSaveError, showConflict } from '../form.js';
import { loadPartners } from '../reference.js';
import { noticeFields, replyFields, targetOffice, texts, daysField, combine, REASON_MAX, REPORT_DAYS_MAX } from './procedure-fields.js';
import { localInputToIso, toLocalInput, yuanToFen } from '../format.js';

const SERVICES = ['protection_order', 'police_response', 'warning_letter', 'legal_aid', 'litigation_support', 'mediation',
  'shelter', 'relief', 'injury_exam', 'labour', 'schooling', 'other'];
const PARTNER_TYPES = ['police', 'court', 'procuratorate', 'justice', 'legal_aid', 'mediation_committee', 'civil_affairs',
  'health', 'labour', 'education', 'federation', 'other'];
export const CLOSURE_OUTCOMES = ['resolved', 'partly_resolved', 'mediation_agreement', 'referred_out', 'legal_proceedings', 'withdrawn', 'unreachable', 'other'];

// Order of the buttons, and which ones are the main action.
export const EVENT_ORDER = ['accept', 'answer', 'reply', 'refer', 'start_mediation', 'end_mediation', 'request_closure', 'approve_closure',
  'reject_closure', 'submit_report', 'accept_report', 'return_report', 'extend_handling', 'forward', 'delegate', 'decline', 'reopen'];
export const PRIMARY_EVENTS = new Set(['accept', 'reply', 'approve_closure', 'request_closure', 'submit_report', 'accept_report']);
export const DANGER_EVENTS = new Set(['decline', 'reject_closure', 'return_report']);

// Builds the event's fields; returns {body, read(values) → {data, problems}}.
async function buildFields(event, caseObj) {
  const req = true;
  switch (event) {
    case 'answer':
      return simple([field({ path: 'answer', label: t('ev.answer'), kind: 'textarea', rows: 4, required: req })]);
    case 'accept':
      return noticeFields(caseObj);
    case 'decline':
      return combine(simple([
        field({ path: 'reason', label: t('ev.decline_reason'), kind: 'textarea', rows: 3, required: req }),
        field({ path: 'referred_to', label: t('ev.referred_to'), required: req, hint: t('ev.referred_to_hint') })]), noticeFields(caseObj));
    case 'reply':
      return replyFields();
    case 'start_mediation': {
      const partners = (await loadPartners()).filter((p) => p.active && p.type === 'mediation_committee');
      const when = field({ path: 'scheduled_at', label: t('ev.scheduled_at'), kind: 'datetime-local', required: req });
      when.control.value = toLocalInput(new Date(Date.now() + 86400000)).replace(/T\d\d:\d\d$/, 'T09:00');
      return {
        body: [field({ path: 'mediator', label: t('ev.mediator'), required: req }), when,
          field({ path: 'place', label: t('ev.place') }),
          field({ path: 'partner_id', label: t('ev.mediation_partner'), kind: 'select', options: [{ value: '', label: t('ev.none') }, ...partners.map((p) => ({ value: String(p.id), label: p.name }))] })],
        read: (v) => {
          const data = { mediator: trimOrEmpty(v.mediator), scheduled_at: localInputToIso(v.scheduled_at) || '' };
          if (trimOrEmpty(v.place)) data.place = trimOrEmpty(v.place);
          if (v.partner_id) data.partner_id = Number(v.partner_id);
          const problems = {};
          if (!data.mediator) problems.mediator = { text: t('err.required') };
          if (!data.scheduled_at) problems.scheduled_at = { text: t('err.datetime') };
          return { data, problems };
        },
      };
    }
    case 'end_mediation':
      return {
        body: [radios({ path: 'outcome', label: t('ev.mediation_outcome'), required: req, options: ['agreement', 'failed'].map((o) => ({ value: o, label: label('mediation_result', o) })) }),
          field({ path: 'agreement_summary', label: t('ev.agreement_summary'), kind: 'textarea', rows: 3 })],
        read: (v) => {
          const data = { outcome: v.outcome };
          if (trimOrEmpty(v.agreement_summary)) data.agreement_summary = trimOrEmpty(v.agreement_summary);
          return { data, problems: v.outcome ? {} : { outcome: { text: t('err.required') } } };
        },
      };
    case 'request_closure':
      return {
        body: [
          field({ path: 'outcome', label: t('ev.closure_outcome'), kind: 'select', required: req, options: [{ value: '', label: t('ev.choose') }, ...CLOSURE_OUTCOMES.map((o) => ({ value: o, label: label('outcome', o) }))] }),
          field({ path: 'summary', label: t('ev.closure_summary'), kind: 'textarea', rows: 4, required: req }),
          field({ path: 'losses_avoided_fen', label: t('ev.losses_avoided'), hint: t('ev.losses_avoided_hint'), required: req, attrs: { inputmode: 'decimal', placeholder: '0.00' } }),
          // 挽回经济损失 is a figure of its own in the reports (not 避免经济损失): optional, in yuan.
          field({ path: 'losses_recovered_fen', label: t('ev.losses_recovered'), hint: t('ev.losses_recovered_hint'), attrs: { inputmode: 'decimal', placeholder: '0.00' } })],
        read: (v) => {
          const fen = yuanToFen(v.losses_avoided_fen === '' ? '' : v.losses_avoided_fen);
          const recovered = String(v.losses_recovered_fen ?? '').trim() === '' ? undefined : yuanToFen(v.losses_recovered_fen);
          const data = { outcome: v.outcome, summary: trimOrEmpty(v.summary), losses_avoided_fen: fen ?? '' };
          if (recovered !== undefined && recovered !== null) data.losses_recovered_fen = recovered;
          const problems = {};
          if (!data.outcome) problems.outcome = { text: t('err.required') };
          if (!data.summary) problems.summary = { text: t('err.required') };
          if (fen === null) problems.losses_avoided_fen = { text: t('err.money_yuan') };
          if (recovered === null) problems.losses_recovered_fen = { text: t('err.money_yuan') };
          return { data, problems };
        },
      };
    case 'reject_closure':
    case 'reopen':
      return simple([field({ path: 'reason', label: t(`ev.reason_${event}`), kind: 'textarea', rows: 3, required: req })]);
    case 'extend_handling':
      return combine(daysField('days', t('ev.days'), 30, 30),
        texts([{ path: 'reason', label: t('pf.extension_reason'), hint: t('pf.extension_reason_hint') }]),
        noticeFields(caseObj, { legend: t('pf.extension_notice'), help: t('pf.extension_notice_help') }));
    case 'forward':
      return combine(await targetOffice(caseObj),
        texts([{ path: 'reason', label: t('pd.transfer_reason'), hint: t('pd.transfer_reason_hint', { n: REASON_MAX }) }]),
        noticeFields(caseObj, { help: t('pf.notice_help_route') }));
    case 'delegate':
      return combine(await targetOffice(caseObj),
        texts([{ path: 'reason', label: t('pd.transfer_reason'), hint: t('pd.transfer_reason_hint', { n: REASON_MAX }) }]),
        daysField('report_due_days', t('pf.report_due_days'), REPORT_DAYS_MAX, 30),
        noticeFields(caseObj, { help: t('pf.notice_help_route') }));
    case 'return_report':
      return combine(texts([{ path: 'reason', label: t('pf.return_reason') }]),
        daysField('report_due_days', t('pf.report_due_days'), REPORT_DAYS_MAX, 15));
    case 'refer':
      return referFields();
    default:
      return simple([]);
  }
}

// Every field is required text, sent as typed (trimmed).
function simple(body) {
  return {
    body,
    read: (v) => {
      const data = {};
      const problems = {};
      for (const f of body) {
        const path = f.dataset.field;
        data[path] = trimOrEmpty(v[path]);
        if (!data[path]) problems[path] = { text: t('err.required') };
      }
      return { data, problems };
    },
  };
}

async function referFields() {
  const partners = (await loadPartners()).filter((p) => p.active);
  const typeSelect = field({
    path: 'partner_type', label: t('ev.partner_type'), kind: 'select',
    options: [{ value: '', label: t('common.all') }, ...PARTNER_TYPES.filter((pt) => partners.some((p) => p.type === pt)).map((pt) => ({ value: pt, label: label('partner_type', pt) }))],
  });
  typeSelect.control.dataset.path = 'partner_type';
  const partnerList = h('div', { class: 'partner-list', role: 'radiogroup', 'aria-label': t('ev.partner') });
  const partnerField = h('div', { class: 'field field-partner', dataset: { field: 'partner_id' } },
    h('span', { class: 'field-label' }, t('ev.partner'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    partnerList, h('div', { class: 'field-error', hidden: true }));
  const serviceField = field({
    path: 'service', label: t('ev.service'), kind: 'select', required: true,
    options: [{ value: '', label: t('ev.choose') }, ...SERVICES.map((s) => ({ value: s, label: label('service', s) }))],
  });
  const consent = radios({
    path: 'consent_given', label: t('ev.consent'), required: true,
    options: [{ value: 'true', label: t('ev.consent_yes') }, { value: 'false', label: t('ev.consent_no') }],
  });
  const override = field({ path: 'override_reason', label: t('ev.override_reason'), kind: 'textarea', rows: 2, required: true, hint: t('ev.override_hint') });
  override.hidden = true;
  const reason = field({ path: 'reason', label: t('ev.refer_reason'), kind: 'textarea', rows: 2 });

  function renderPartners() {
    const type = typeSelect.control.value;
    const checked = partnerList.querySelector('input:checked')?.value;
    replace(partnerList, partners.filter((p) => !type || p.type === type).map((p) => h('label', { class: 'partner-option' },
      h('input', { type: 'radio', name: 'partner-choice', value: String(p.id), dataset: { path: 'partner_id' }, checked: String(p.id) === checked }),
      h('span', { class: 'partner-main' }, h('span', { class: 'partner-name' }, p.name), h('span', { class: 'badge badge-muted' }, label('partner_type', p.type))),
      h('span', { class: 'partner-meta muted' }, (p.services || []).map((s) => label('service', s)).join('、'), p.phone ? ` · ${p.phone}` : '', p.working_hours ? ` · ${p.working_hours}` : ''))));
  }
  typeSelect.control.addEventListener('change', renderPartners);
  partnerList.addEventListener('change', (e) => {
    const p = partners.find((x) => String(x.id) === e.target.value);
    if (p && p.services && p.services.length && (!serviceField.control.value || !p.services.includes(serviceField.control.value))) serviceField.control.value = p.services[0];
  });
  consent.addEventListener('change', () => {
    override.hidden = collect(consent).consent_given !== 'false';
  });
  renderPartners();
  return {
    body: [h('div', { class: 'grid grid-2' }, typeSelect, serviceField), partnerField, consent, override, reason],
    restore: () => {
      renderPartners();
      override.hidden = collect(consent).consent_given !== 'false';
    },
    read: (v) => {
      const data = { partner_id: Number(v.partner_id) || '', service: v.service, consent_given: v.consent_given === 'true' };
      const problems = {};
      if (!v.partner_id) problems.partner_id = { text: t('ev.partner_required') };
      if (!v.service) problems.service = { text: t('err.required') };
      if (!v.consent_given) problems.consent_given = { text: t('err.required') };
      if (v.consent_given === 'false') {
        data.override_reason = trimOrEmpty(v.override_reason);
        if (!data.override_reason) problems.override_reason = { text: t('err.override_reason') };
      }
      if (trimOrEmpty(v.reason)) data.reason = trimOrEmpty(v.reason);
      return { data, problems };
    },
  };
}

// Opens the form of one event. getCase() returns the case as last loaded; reloadCase() fetches it
// again (and repaints the page). Resolves with the updated case, or undefined when cancelled.
export async function openEventDialog(event, { getCase, reloadCase }) {
  const fields = await buildFields(event, getCase());
  return openModal({
    title: t(`event.${event}`),
    className: `dialog-event dialog-event-${event}`,
    build: (dialog, close) => {
      const note = field({ path: '__note', label: t('ev.note'), kind: 'textarea', rows: 2, hint: t('ev.note_hint') });
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const submit = h('button', { type: 'submit', class: DANGER_EVENTS.has(event) ? 'btn btn-danger' : 'btn btn-primary' }, t(`event.${event}`), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body event-form', novalidate: true, dataset: { ctrlEnter: '1', event } },
        h('p', { class: 'muted event-help' }, t(`evhelp.${event}`)),
        errorBox, fields.body, note,
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')),
          submit));

      handleSubmit(form, { submit, errorBox }, async () => {
        const v = collect(form);
        const { data, problems } = fields.read(v);
        if (Object.keys(problems).length) {
          showErrors(form, problems);
          return;
        }
        submit.disabled = true;
        try {
          const c = getCase();
          const body = { event, version: c.version, data };
          if (trimOrEmpty(v.__note)) body.note = trimOrEmpty(v.__note);
          const updated = await api.post(`/api/v1/cases/${c.id}/transitions`, body);
          close(updated);
        } catch (err) {
          submit.disabled = false;
          if (err.status === 409) {
            showConflict(errorBox, {
              title: t('conflict.title'), body: t('conflict.body_event'), reloadLabel: t('conflict.reload_keep'),
              reload: async () => {
                const fresh = await reloadCase();
                if (fresh.available_events.includes(event)) return { ok: true, text: t('conflict.reloaded') };
                submit.disabled = true;
                return { ok: false, text: t('conflict.event_gone', { event: t(`event.${event}`), status: label('status', fresh.status) }) };
              },
            });
          } else showSaveError(form, errorBox, err);
        }
      });
      if (fields.restore) setTimeout(fields.restore, 0);
      return form;
    },
  });
}

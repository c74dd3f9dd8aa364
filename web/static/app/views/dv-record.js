// 家暴情况记录 — the case's DV record (GET/PUT /cases/{id}/dv, versioned): forms of violence, incident
// dates, frequency, injuries, children, weapons, relationship, living situation. A 409 keeps what the
// user typed and offers the latest version (fields the user did not touch take the latest values).
import { h, replace, uid, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { field, collect, fill, showErrors, clearErrorOnEdit, handleSubmit, showConflict } from '../form.js';
import { fmtDateTime } from '../format.js';
import { toast } from '../dialog.js';
import { FORMS, FREQUENCIES, RELATIONSHIPS, COHABITATION, triRadios, triToBool, boolToTri, showDvError, toDateInput } from './dv-common.js';

const TOUCH_KEYS = ['first_incident_at', 'latest_incident_at', 'frequency', 'injuries', 'children_present', 'children_harmed', 'weapons_used',
  'weapons', 'relationship', 'cohabitation', ...FORMS.map((f) => `forms.${f}`)];

// Record from the API → flat form values.
function toValues(rec) {
  const v = {
    first_incident_at: rec.first_incident_at || '',
    latest_incident_at: rec.latest_incident_at || '',
    frequency: rec.frequency || '',
    injuries: rec.injuries || '',
    children_present: boolToTri(rec.children_present),
    children_harmed: boolToTri(rec.children_harmed),
    weapons_used: boolToTri(rec.weapons_used),
    weapons: rec.weapons || '',
    relationship: rec.relationship || '',
    cohabitation: rec.cohabitation || '',
  };
  for (const f of FORMS) v[`forms.${f}`] = (rec.forms || []).includes(f);
  return v;
}

function toBody(v, version) {
  const s = (k) => (typeof v[k] === 'string' ? v[k].trim() : '');
  return {
    version,
    forms: FORMS.filter((f) => v[`forms.${f}`]),
    first_incident_at: s('first_incident_at') || null,
    latest_incident_at: s('latest_incident_at') || null,
    frequency: s('frequency') || null,
    injuries: s('injuries'),
    children_present: triToBool(v.children_present),
    children_harmed: triToBool(v.children_harmed),
    weapons_used: triToBool(v.weapons_used),
    weapons: s('weapons'),
    relationship: s('relationship') || null,
    cohabitation: s('cohabitation') || null,
  };
}

export function dvRecordCard({ caseId, onSaved }) {
  let record = null;
  let base = null; // the values when the form was (re)loaded, to tell the user's edits apart
  let readOnly = false;
  const el = h('section', { class: 'card dv-card dv-record', id: 'dv-record', 'aria-labelledby': 'dv-record-title' });
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  const meta = h('p', { class: 'dv-meta muted' });
  const today = toDateInput();

  const formsId = uid('dv-forms');
  const formsBox = h('fieldset', { class: 'field dv-forms', dataset: { field: 'forms' }, 'aria-describedby': `${formsId}-err` },
    h('legend', { class: 'field-label' }, t('dv.rec_forms')),
    h('div', { class: 'dv-check-grid' }, FORMS.map((f) => {
      const id = uid('dv-form');
      return h('span', { class: 'check-inline dv-check' },
        h('input', { type: 'checkbox', id, dataset: { path: `forms.${f}` }, value: f }),
        h('label', { for: id }, label('dv_form', f)));
    })),
    h('div', { class: 'field-error', id: `${formsId}-err`, hidden: true }));

  const select = (path, text, values, group) => field({
    path, label: text, kind: 'select',
    options: [{ value: '', label: t('dv.not_recorded') }, ...values.map((x) => ({ value: x, label: label(group, x) }))],
  });

  const saveButton = h('button', { type: 'submit', class: 'btn btn-primary' }, t('dv.rec_save'), kbd('Ctrl', 'Enter'));
  const form = h('form', { class: 'dv-form', novalidate: true, dataset: { ctrlEnter: '1' }, 'aria-labelledby': 'dv-record-title' },
    errorBox,
    formsBox,
    h('div', { class: 'grid grid-4' },
      field({ path: 'first_incident_at', label: t('dv.rec_first'), kind: 'date', attrs: { max: today } }),
      field({ path: 'latest_incident_at', label: t('dv.rec_latest'), kind: 'date', attrs: { max: today } }),
      select('frequency', t('dv.rec_frequency'), FREQUENCIES, 'dv_frequency'),
      select('relationship', t('dv.rec_relationship'), RELATIONSHIPS, 'dv_relationship')),
    h('div', { class: 'grid grid-4 dv-grid-gap' },
      triRadios({ path: 'children_present', legend: t('dv.rec_children_present') }),
      triRadios({ path: 'children_harmed', legend: t('dv.rec_children_harmed') }),
      triRadios({ path: 'weapons_used', legend: t('dv.rec_weapons_used') }),
      select('cohabitation', t('dv.rec_cohabitation'), COHABITATION, 'dv_cohabitation')),
    h('div', { class: 'grid grid-2 dv-grid-gap' },
      field({ path: 'injuries', label: t('dv.rec_injuries'), kind: 'textarea', rows: 2 }),
      field({ path: 'weapons', label: t('dv.rec_weapons'), kind: 'textarea', rows: 2 })),
    h('div', { class: 'form-actions' }, meta, saveButton));

  replace(el,
    h('div', { class: 'card-title-row' }, h('h3', { class: 'card-title', id: 'dv-record-title' }, t('dv.rec_title'))),
    form);

  function renderMeta() {
    replace(meta, record && record.version > 0
      ? t('dv.rec_meta', { version: record.version, at: fmtDateTime(record.updated_at), by: record.updated_by ? record.updated_by.display_name : '—' })
      : t('dv.rec_none'));
  }

  // Until the record has been read the form takes nothing: the answer would overwrite her ticks (the
  // section may be revealed, and the form shown, before it comes).
  function setReadOnly(ro) {
    readOnly = ro;
    for (const c of form.querySelectorAll('input, select, textarea, button')) c.disabled = ro || !record;
  }
  setReadOnly(false);

  async function load() {
    record = await api.get(`/api/v1/cases/${caseId}/dv`);
    base = toValues(record);
    fill(form, base);
    renderMeta();
    setReadOnly(readOnly);
    return record;
  }

  clearErrorOnEdit(form);
  handleSubmit(form, { submit: saveButton, errorBox }, async () => {
    if (readOnly) return;
    const v = collect(form);
    const body = toBody(v, record ? record.version : 0);
    if (body.first_incident_at && body.latest_incident_at && body.first_incident_at > body.latest_incident_at) {
      showErrors(form, { latest_incident_at: { text: t('dv.err_before_first') } });
      return;
    }
    saveButton.disabled = true;
    try {
      record = await api.api('PUT', `/api/v1/cases/${caseId}/dv`, body);
      base = toValues(record);
      fill(form, base);
      renderMeta();
      toast(t('dv.rec_saved'), 'success');
      if (onSaved) onSaved(record);
    } catch (err) {
      if (err.status === 409) {
        showConflict(errorBox, {
          title: t('dv.conflict_body'), body: t('dv.conflict_hint'), reloadLabel: t('dv.conflict_reload'), reloadClass: 'btn btn-small conflict-reload',
          reload: reloadKeeping,
        });
      } else showDvError(form, errorBox, err);
    } finally {
      saveButton.disabled = readOnly;
    }
  });

  // 409: fetch the latest record; what the user changed stays, the rest takes the latest values.
  async function reloadKeeping() {
    const typed = collect(form);
    const latest = await api.get(`/api/v1/cases/${caseId}/dv`);
    const latestValues = toValues(latest);
    const merged = {};
    for (const k of TOUCH_KEYS) merged[k] = typed[k] === base[k] ? latestValues[k] : typed[k];
    record = latest;
    base = latestValues;
    fill(form, merged);
    renderMeta();
    form.querySelector('input, select, textarea').focus();
    return { ok: true, text: t('dv.conflict_reloaded', { version: latest.version, by: latest.updated_by ? latest.updated_by.display_name : '—' }) };
  }

  return { el, load, setReadOnly, get record() { return record; } };
}

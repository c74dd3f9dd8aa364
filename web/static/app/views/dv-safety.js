// 安全计划 — the case's safety plan (GET/PUT /cases/{id}/safety-plan): steps with a done tick,
// emergency contacts, safe-contact rules (may we call, safe times, code word) and places to go.
// Every save is a new version; older versions can be opened read-only.
import { h, replace, uid, kbd } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { clearErrorOnEdit, handleSubmit } from '../form.js';
import { fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { toast } from '../dialog.js';
import { boolToTri, triToBool, showDvError } from './dv-common.js';

const GROUP_TITLES = { steps: 'dv.plan_steps', contacts: 'dv.plan_contacts', places: 'dv.plan_places' };
const blankStep = () => ({ text: '', done: false });
const blankContact = () => ({ name: '', phone: '', relation: '' });
const blankPlace = () => ({ name: '', address: '', note: '' });

function modelOf(plan) {
  const p = plan || {};
  const steps = (p.steps || []).map((s) => ({ text: s.text || '', done: Boolean(s.done) }));
  const contacts = (p.emergency_contacts || []).map((c) => ({ name: c.name || '', phone: c.phone || '', relation: c.relation || '' }));
  const places = (p.places || []).map((x) => (typeof x === 'string' ? { name: x, address: '', note: '' } : { name: x.name || '', address: x.address || '', note: x.note || '' }));
  const sc = p.safe_contact || {};
  return {
    steps: steps.length ? steps : [blankStep()],
    emergency_contacts: contacts.length ? contacts : [blankContact()],
    safe_contact: { ok_to_call: boolToTri(sc.ok_to_call), safe_times: sc.safe_times || '', code_word: sc.code_word || '' },
    places: places.length ? places : [blankPlace()],
  };
}

const blank = (o) => Object.values(o).every((v) => typeof v !== 'string' || v.trim() === '');

export function dvSafetyCard({ caseId, onSaved }) {
  let state = null; // GET answer for the current version
  let viewing = null; // GET answer for an older version, shown read-only
  let editing = null; // {model, version}
  let readOnly = false;
  const el = h('section', { class: 'card dv-card dv-safety', id: 'dv-safety', 'aria-labelledby': 'dv-safety-title' });

  function render() {
    if (editing) return renderForm();
    const shown = viewing || state;
    const plan = shown && shown.plan;
    const head = h('div', { class: 'card-title-row' },
      h('h3', { class: 'card-title', id: 'dv-safety-title' }, t('dv.plan_title'),
        state && state.version ? h('span', { class: 'badge badge-muted dv-plan-version' }, t('dv.plan_version', { v: state.version })) : null),
      !readOnly && !viewing ? h('button', { type: 'button', class: ['btn', 'btn-small', state && state.version ? null : 'btn-primary'], onclick: () => startEdit() },
        state && state.version ? t('dv.plan_edit') : t('dv.plan_create')) : null);
    replace(el, head,
      state && state.required && !state.version ? h('p', { class: 'alert alert-error dv-plan-required-inline' }, t('dv.plan_required_body')) : null,
      viewing ? h('div', { class: 'alert alert-info dv-plan-old', role: 'status' },
        t('dv.plan_viewing_old', { v: viewing.plan.version, current: state.version }), ' ',
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => { viewing = null; render(); el.querySelector('.dv-plan-versions button')?.focus(); } }, t('dv.plan_back_current'))) : null,
      plan ? planView(plan) : h('p', { class: 'muted' }, t('dv.plan_none')),
      versionsList());
  }

  function planView(plan) {
    const sc = plan.safe_contact || {};
    return h('div', { class: ['dv-plan', viewing ? 'is-old' : null] },
      h('p', { class: 'dv-meta muted' }, t('dv.plan_meta', { v: plan.version, at: fmtDateTime(plan.updated_at), by: plan.updated_by ? plan.updated_by.display_name : '—' })),
      h('div', { class: 'dv-plan-grid' },
        h('div', null,
          h('h4', { class: 'subhead' }, t('dv.plan_steps')),
          plan.steps && plan.steps.length
            ? h('ul', { class: 'dv-steps' }, plan.steps.map((s) => h('li', { class: s.done ? 'is-done' : null },
              h('span', { class: 'dv-step-tick', 'aria-hidden': 'true' }, s.done ? '☑' : '☐'),
              h('span', { class: 'sr-only' }, s.done ? t('dv.plan_done') : t('dv.plan_not_done')), ' ', s.text)))
            : h('p', { class: 'muted' }, '—'),
          h('h4', { class: 'subhead' }, t('dv.plan_places')),
          plan.places && plan.places.length
            ? h('ul', { class: 'dv-places' }, plan.places.map((p) => h('li', null, h('strong', null, p.name || p),
              p.address ? ` · ${p.address}` : '', p.note ? h('span', { class: 'muted' }, ` （${p.note}）`) : null)))
            : h('p', { class: 'muted' }, '—')),
        h('div', null,
          h('h4', { class: 'subhead' }, t('dv.plan_contacts')),
          plan.emergency_contacts && plan.emergency_contacts.length
            ? h('table', { class: 'table table-compact dv-contacts' },
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('dv.plan_contact_name')), h('th', { scope: 'col' }, t('dv.plan_contact_phone')), h('th', { scope: 'col' }, t('dv.plan_contact_relation')))),
              h('tbody', null, plan.emergency_contacts.map((c) => h('tr', null, h('td', null, c.name), h('td', { class: 'nowrap' }, c.phone || '—'), h('td', null, c.relation || '—')))))
            : h('p', { class: 'muted' }, '—'),
          h('h4', { class: 'subhead' }, t('dv.plan_safe_contact')),
          h('dl', { class: 'dv-dl' },
            h('div', null, h('dt', null, t('dv.plan_ok_to_call')), h('dd', null,
              sc.ok_to_call === true ? t('dv.yes') : sc.ok_to_call === false ? h('strong', { class: 'text-danger' }, t('dv.plan_no_call')) : t('dv.unknown'))),
            h('div', null, h('dt', null, t('dv.plan_safe_times')), h('dd', null, sc.safe_times || '—')),
            h('div', null, h('dt', null, t('dv.plan_code_word')), h('dd', { class: 'dv-code-word' }, sc.code_word || '—'))))));
  }

  function versionsList() {
    const versions = (state && state.versions) || [];
    if (!versions.length) return null;
    const shownVersion = viewing ? viewing.plan.version : state.version;
    return h('div', { class: 'dv-plan-versions' },
      h('h4', { class: 'subhead' }, t('dv.plan_versions')),
      h('ul', { class: 'dv-version-list' }, versions.map((v) => h('li', null,
        h('button', {
          type: 'button',
          class: ['btn', 'btn-small', 'btn-ghost', v.version === shownVersion ? 'is-current' : null],
          'aria-current': v.version === shownVersion ? 'true' : undefined,
          dataset: { version: v.version },
          onclick: () => showVersion(v.version),
        }, t('dv.plan_version', { v: v.version }), v.version === state.version ? ` ${t('dv.plan_current')}` : ''),
        h('span', { class: 'muted small' }, fmtDateTime(v.updated_at), ' · ', v.updated_by ? v.updated_by.display_name : '—')))));
  }

  async function showVersion(v) {
    if (v === state.version) {
      viewing = null;
      render();
      return;
    }
    try {
      viewing = await api.get(`/api/v1/cases/${caseId}/safety-plan?version=${v}`);
      render();
      el.querySelector('.dv-plan-old')?.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  function startEdit() {
    if (readOnly) return;
    viewing = null;
    editing = { model: modelOf(state && state.plan), version: state ? state.version : 0, latest: null };
    render();
    el.querySelector('input[type=text], input:not([type])')?.focus();
  }

  // ----- the form -----
  function renderForm() {
    const m = editing.model;
    const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
    const input = (path, labelText, value, onInput, attrs = {}) => {
      const id = uid('dv-sp');
      return h('div', { class: 'field', dataset: { field: path } },
        h('label', { for: id, class: 'field-label' }, labelText),
        h('input', { class: 'input', id, value, dataset: { path }, autocomplete: 'off', oninput: (e) => onInput(e.target.value), ...attrs }),
        h('div', { class: 'field-error', hidden: true }));
    };
    const removeButton = (list, i, what) => h('button', {
      type: 'button', class: 'btn btn-small btn-ghost dv-remove', 'aria-label': t('dv.plan_remove_n', { what: t(GROUP_TITLES[what]), n: i + 1 }),
      onclick: () => { list.splice(i, 1); renderForm(); el.querySelector(`[data-list="${what}"] .btn-add`)?.focus(); },
    }, '✕');
    const addButton = (list, make, what, text) => h('button', {
      type: 'button', class: 'btn btn-small btn-add',
      onclick: () => {
        list.push(make());
        renderForm();
        const rows = el.querySelectorAll(`[data-list="${what}"] .dv-row`);
        rows[rows.length - 1]?.querySelector('input:not([type=checkbox])')?.focus();
      },
    }, '＋ ', text);

    const stepRows = m.steps.map((s, i) => {
      const doneId = uid('dv-done');
      return h('div', { class: 'dv-row dv-row-step' },
        h('span', { class: 'check-inline dv-done' },
          h('input', { type: 'checkbox', id: doneId, checked: s.done, onchange: (e) => { s.done = e.target.checked; } }),
          h('label', { for: doneId }, t('dv.plan_done_tick'))),
        input(`steps[${i}].text`, t('dv.plan_step_n', { n: i + 1 }), s.text, (v) => { s.text = v; }, { maxlength: 1000 }),
        removeButton(m.steps, i, 'steps'));
    });
    const contactRows = m.emergency_contacts.map((c, i) => h('div', { class: 'dv-row dv-row-contact' },
      input(`emergency_contacts[${i}].name`, t('dv.plan_contact_name_n', { n: i + 1 }), c.name, (v) => { c.name = v; }, { maxlength: 100 }),
      input(`emergency_contacts[${i}].phone`, t('dv.plan_contact_phone_n', { n: i + 1 }), c.phone, (v) => { c.phone = v; }, { type: 'tel', inputmode: 'tel', maxlength: 40 }),
      input(`emergency_contacts[${i}].relation`, t('dv.plan_contact_relation_n', { n: i + 1 }), c.relation, (v) => { c.relation = v; }, { maxlength: 100 }),
      removeButton(m.emergency_contacts, i, 'contacts')));
    const placeRows = m.places.map((p, i) => h('div', { class: 'dv-row dv-row-place' },
      input(`places[${i}].name`, t('dv.plan_place_name_n', { n: i + 1 }), p.name, (v) => { p.name = v; }, { maxlength: 200 }),
      input(`places[${i}].address`, t('dv.plan_place_address'), p.address, (v) => { p.address = v; }, { maxlength: 500 }),
      input(`places[${i}].note`, t('dv.plan_place_note'), p.note, (v) => { p.note = v; }, { maxlength: 500 }),
      removeButton(m.places, i, 'places')));

    const okName = uid('dv-ok');
    const sc = m.safe_contact;
    const okRadios = h('fieldset', { class: 'field radios', dataset: { field: 'safe_contact.ok_to_call' } },
      h('legend', { class: 'field-label' }, t('dv.plan_ok_to_call')),
      h('div', { class: 'radio-row' }, [['yes', t('dv.yes')], ['no', t('dv.plan_no_call')], ['', t('dv.unknown')]].map(([value, text]) => h('label', { class: 'radio-pill' },
        h('input', { type: 'radio', name: okName, value, checked: sc.ok_to_call === value, onchange: () => { sc.ok_to_call = value; } }), h('span', null, text)))),
      h('div', { class: 'field-error', hidden: true }));

    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('dv.plan_save'), kbd('Ctrl', 'Enter'));
    const form = h('form', { class: 'dv-form dv-plan-form', novalidate: true, dataset: { ctrlEnter: '1' }, 'aria-labelledby': 'dv-safety-title' },
      errorBox,
      h('fieldset', { class: 'dv-group', dataset: { list: 'steps' } }, h('legend', { class: 'subhead' }, t('dv.plan_steps')),
        stepRows, addButton(m.steps, blankStep, 'steps', t('dv.plan_add_step'))),
      h('fieldset', { class: 'dv-group', dataset: { list: 'contacts' } }, h('legend', { class: 'subhead' }, t('dv.plan_contacts')),
        contactRows, addButton(m.emergency_contacts, blankContact, 'contacts', t('dv.plan_add_contact'))),
      h('fieldset', { class: 'dv-group' }, h('legend', { class: 'subhead' }, t('dv.plan_safe_contact')),
        h('div', { class: 'grid grid-3' }, okRadios,
          input('safe_contact.safe_times', t('dv.plan_safe_times'), sc.safe_times, (v) => { sc.safe_times = v; }, { maxlength: 200 }),
          input('safe_contact.code_word', t('dv.plan_code_word'), sc.code_word, (v) => { sc.code_word = v; }, { maxlength: 100 }))),
      h('fieldset', { class: 'dv-group', dataset: { list: 'places' } }, h('legend', { class: 'subhead' }, t('dv.plan_places')),
        placeRows, addButton(m.places, blankPlace, 'places', t('dv.plan_add_place'))),
      editing.latest ? h('div', { class: 'dv-latest' }, h('h4', { class: 'subhead' }, t('dv.plan_latest_saved')), planView(editing.latest)) : null,
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => { editing = null; render(); } }, t('common.cancel')),
        submit));
    handleSubmit(form, { submit, errorBox }, () => save(form, errorBox, submit));
    clearErrorOnEdit(form);
    if (editing.message) {
      errorBox.className = `alert ${editing.message.cls}`;
      replace(errorBox, ...editing.message.parts);
      errorBox.hidden = false;
    }
    replace(el, h('div', { class: 'card-title-row' }, h('h3', { class: 'card-title', id: 'dv-safety-title' }, state && state.version ? t('dv.plan_edit_title', { v: state.version + 1 }) : t('dv.plan_title'))), form);
  }

  async function save(form, errorBox, submit) {
    const m = editing.model;
    // Rows left entirely empty are dropped (and the form redrawn, so error paths match the rows).
    const before = m.steps.length + m.emergency_contacts.length + m.places.length;
    m.steps = m.steps.filter((s) => s.text.trim() !== '');
    m.emergency_contacts = m.emergency_contacts.filter((c) => !blank(c));
    m.places = m.places.filter((p) => !blank(p));
    editing.message = null;
    if (m.steps.length + m.emergency_contacts.length + m.places.length !== before) {
      renderForm();
      form = el.querySelector('form');
      errorBox = form.querySelector('.alert');
      submit = form.querySelector('button[type=submit]');
    }
    const body = {
      version: editing.version,
      steps: m.steps.map((s) => ({ text: s.text.trim(), done: s.done })),
      emergency_contacts: m.emergency_contacts.map((c) => ({ name: c.name.trim(), phone: c.phone.trim(), relation: c.relation.trim() })),
      safe_contact: { ok_to_call: triToBool(m.safe_contact.ok_to_call), safe_times: m.safe_contact.safe_times.trim(), code_word: m.safe_contact.code_word.trim() },
      places: m.places.map((p) => ({ name: p.name.trim(), address: p.address.trim(), note: p.note.trim() })),
    };
    submit.disabled = true;
    try {
      state = await api.api('PUT', `/api/v1/cases/${caseId}/safety-plan`, body);
      editing = null;
      viewing = null;
      render();
      toast(t('dv.plan_saved', { v: state.version }), 'success');
      if (onSaved) onSaved(state);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 409) {
        editing.message = {
          cls: 'alert-warn',
          parts: [h('strong', null, t('dv.plan_conflict')), ' ', t('dv.conflict_hint'), ' ',
            h('button', { type: 'button', class: 'btn btn-small conflict-reload', onclick: () => reloadKeeping() }, t('dv.conflict_reload'))],
        };
        renderForm();
        el.querySelector('.alert')?.focus();
        return;
      }
      showDvError(form, errorBox, err);
    }
  }

  async function reloadKeeping() {
    try {
      const latest = await api.get(`/api/v1/cases/${caseId}/safety-plan`);
      state = latest;
      editing.version = latest.version;
      editing.latest = latest.plan;
      editing.message = { cls: 'alert-info', parts: [t('dv.plan_reloaded', { v: latest.version })] };
      renderForm();
      if (onSaved) onSaved(state, { quiet: true });
      el.querySelector('form input:not([type=checkbox])')?.focus();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  async function load() {
    state = await api.get(`/api/v1/cases/${caseId}/safety-plan`);
    if (viewing && !state.versions.some((v) => v.version === viewing.plan.version)) viewing = null;
    if (!editing) render();
    return state;
  }

  function setReadOnly(ro) {
    readOnly = ro;
    if (ro) editing = null;
    if (state) render();
  }

  return {
    el, load, setReadOnly,
    get state() { return state; },
    openForm() {
      if (!editing) startEdit();
      el.scrollIntoView({ block: 'start' });
      el.querySelector('form input:not([type=checkbox])')?.focus();
    },
  };
}

// 合作单位名录 — the administrator's partner directory (issue 5): list with filters (type, active,
// name search), create and edit in a dialog (POST /api/v1/partners, PATCH /api/v1/partners/{id} with
// the version read; 422 beside the fields, 409 keeps what was typed and offers to reload), and
// deactivate / reactivate from the list. Administrators get every partner, inactive ones included,
// from GET /api/v1/partners.
import { h, replace, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { openModal, confirmDialog, toast } from '../dialog.js';
import { field, showErrors, trimOrEmpty, clearErrorOnEdit, handleSubmit, showSaveError, showConflict } from '../form.js';
import { errorMessage, fieldMessage } from '../errors.js';
import { resetReferenceData } from '../reference.js';
import { setQuery } from '../router.js';

export const PARTNER_TYPES = ['court', 'police', 'procuratorate', 'justice', 'legal_aid', 'mediation_committee', 'civil_affairs',
  'health', 'labour', 'education', 'federation', 'other'];
export const SERVICES = ['protection_order', 'police_response', 'warning_letter', 'legal_aid', 'litigation_support', 'mediation',
  'shelter', 'relief', 'injury_exam', 'labour', 'schooling', 'other'];

// The repository's English messages for partner fields, in the user's language.
const PARTNER_MESSAGES = [
  [/six-digit region codes/, 'pd.err_region_codes'],
  [/unknown partner type/, 'pd.err_type'],
  [/unknown service/, 'pd.err_service'],
  [/^1 to 200 bytes/, 'pd.err_name_length'],
  [/must be an array of strings/, 'err.type'],
];

export function partnerFieldMessage(message) {
  const text = String(message ?? '');
  for (const [re, key] of PARTNER_MESSAGES) if (re.test(text)) return t(key);
  return fieldMessage(text);
}

// "431023 431021，431000" → ['431023', '431021', '431000'] (spaces, commas, semicolons, 、).
export function splitCodes(text) {
  return String(text || '').split(/[\s,，;；、]+/).map((s) => s.trim()).filter(Boolean);
}

function translatedErrors(fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields || {})) out[k] = { text: partnerFieldMessage(v) };
  return out;
}

// The create / edit dialog. partner: null to create. offices: for the region-code shortcuts.
// reload(): fetches the directory again and returns it (after a 409). Resolves with the saved partner.
export function openPartnerForm(partner, { offices = [], reload } = {}) {
  let current = partner;
  const creating = !partner;
  return openModal({
    title: creating ? t('pd.form_create') : t('pd.form_edit'),
    className: 'dialog-partner',
    build: (dialog, close) => {
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const name = field({ path: 'name', label: t('pd.name'), required: true, attrs: { autocomplete: 'off' } });
      const type = field({
        path: 'type', label: t('pd.type'), kind: 'select', required: true,
        options: [{ value: '', label: t('ev.choose') }, ...PARTNER_TYPES.map((v) => ({ value: v, label: label('partner_type', v) }))],
      });
      const regions = field({ path: 'region_codes', label: t('pd.region_codes'), hint: t('pd.region_codes_hint'), attrs: { autocomplete: 'off', inputmode: 'numeric' } });
      // Shortcuts: the federation offices' own division codes, toggled into the field.
      const known = [...new Map(offices.map((o) => [o.region_code, o])).values()];
      const shortcutRow = known.length ? h('div', { class: 'pd-region-shortcuts', role: 'group', 'aria-label': t('pd.region_shortcuts') },
        h('span', { class: 'muted small' }, t('pd.region_shortcuts')),
        known.map((o) => h('button', {
          type: 'button', class: 'btn btn-small btn-ghost pd-region-btn', dataset: { code: o.region_code }, 'aria-pressed': 'false',
          onclick: () => {
            const codes = splitCodes(regions.control.value);
            const i = codes.indexOf(o.region_code);
            if (i >= 0) codes.splice(i, 1);
            else codes.push(o.region_code);
            regions.control.value = codes.join(' ');
            syncShortcuts();
          },
        }, `${o.name} ${o.region_code}`))) : null;
      if (shortcutRow) regions.insertBefore(shortcutRow, regions.querySelector('.field-error'));
      function syncShortcuts() {
        const codes = new Set(splitCodes(regions.control.value));
        for (const b of dialog.querySelectorAll('.pd-region-btn')) {
          const on = codes.has(b.dataset.code);
          b.setAttribute('aria-pressed', String(on));
          b.classList.toggle('is-on', on);
        }
      }
      regions.control.addEventListener('input', syncShortcuts);

      const services = h('fieldset', { class: 'field pd-services', dataset: { field: 'services' } },
        h('legend', { class: 'field-label' }, t('pd.services')),
        h('div', { class: 'pd-check-grid' }, SERVICES.map((s) => h('label', { class: 'check-inline' },
          h('input', { type: 'checkbox', name: 'pd-service', value: s }), label('service', s)))),
        h('div', { class: 'field-error', hidden: true }));
      const person = field({ path: 'contact_person', label: t('pd.contact_person'), attrs: { autocomplete: 'off' } });
      const phone = field({ path: 'phone', label: t('pd.phone'), kind: 'tel', attrs: { autocomplete: 'off' } });
      const hours = field({ path: 'working_hours', label: t('pd.working_hours'), hint: t('pd.working_hours_hint'), attrs: { autocomplete: 'off' } });
      const activeId = `pd-active-${Math.random().toString(36).slice(2)}`;
      const active = h('div', { class: 'field check', dataset: { field: 'active' } },
        h('input', { type: 'checkbox', id: activeId, checked: true }),
        h('label', { for: activeId }, t('pd.active_label')),
        h('div', { class: 'field-error', hidden: true }));
      const versionNote = h('p', { class: 'muted small pd-version' });

      function setValues(p) {
        name.control.value = p ? p.name : '';
        type.control.value = p ? p.type : '';
        regions.control.value = p ? (p.region_codes || []).join(' ') : '';
        for (const cb of services.querySelectorAll('input')) cb.checked = Boolean(p && (p.services || []).includes(cb.value));
        person.control.value = p ? p.contact_person || '' : '';
        phone.control.value = p ? p.phone || '' : '';
        hours.control.value = p ? p.working_hours || '' : '';
        active.querySelector('input').checked = p ? p.active !== false : true;
        syncShortcuts();
      }
      function showVersion() {
        versionNote.textContent = current ? t('pd.version', { v: current.version }) : '';
      }

      const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, creating ? t('pd.create') : t('common.save'), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body pd-form', novalidate: true, dataset: { ctrlEnter: '1' } },
        errorBox,
        h('div', { class: 'grid pd-grid-main' }, name, type),
        regions,
        services,
        h('fieldset', { class: 'pd-contact' },
          h('legend', { class: 'field-label' }, t('pd.contact')),
          h('div', { class: 'grid grid-3' }, person, phone, hours)),
        active,
        h('div', { class: 'dialog-actions' }, versionNote,
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')),
          submit));

      function read() {
        return {
          name: trimOrEmpty(name.control.value),
          type: type.control.value,
          region_codes: splitCodes(regions.control.value),
          services: [...services.querySelectorAll('input:checked')].map((cb) => cb.value),
          contact_person: trimOrEmpty(person.control.value),
          phone: trimOrEmpty(phone.control.value),
          working_hours: trimOrEmpty(hours.control.value),
          active: active.querySelector('input').checked,
        };
      }

      clearErrorOnEdit(form);
      handleSubmit(form, { submit, errorBox }, async () => {
        const body = read();
        const problems = {};
        if (!body.name) problems.name = { text: t('err.required') };
        if (!body.type) problems.type = { text: t('err.required') };
        if (Object.keys(problems).length) {
          showErrors(form, problems);
          return;
        }
        submit.disabled = true;
        try {
          const saved = creating
            ? await api.post('/api/v1/partners', body, { expect: 201 })
            : await api.patch(`/api/v1/partners/${current.id}`, { ...body, version: current.version });
          close(saved);
        } catch (err) {
          submit.disabled = false;
          if (err.status === 409 && !creating) {
            showConflict(errorBox, {
              title: t('pd.conflict'), reloadLabel: t('pd.reload_keep'),
              reload: async () => {
                const list = reload ? await reload() : [];
                const fresh = list.find((x) => x.id === current.id);
                if (!fresh) {
                  submit.disabled = true;
                  return { ok: false, text: t('err.not_found') };
                }
                current = fresh;
                showVersion();
                return { ok: true, text: t('pd.reloaded', { v: fresh.version }) };
              },
            });
          } else showSaveError(form, errorBox, err, err.fields ? translatedErrors(err.fields) : null);
        }
      });
      setValues(partner);
      showVersion();
      return form;
    },
  });
}

// The directory card on the admin page. Returns {el, load}.
export function partnerDirectory(ctx, { getOffices }) {
  const state = {
    type: PARTNER_TYPES.includes(ctx.query.get('type')) ? ctx.query.get('type') : '',
    active: ['active', 'inactive'].includes(ctx.query.get('active')) ? ctx.query.get('active') : '',
    q: ctx.query.get('q') || '',
  };
  let items = [];
  let highlight = null; // id of the partner just saved

  const typeSel = h('select', { id: 'pd-filter-type', class: 'input input-small' },
    h('option', { value: '' }, t('common.all')), PARTNER_TYPES.map((v) => h('option', { value: v }, label('partner_type', v))));
  const activeSel = h('select', { id: 'pd-filter-active', class: 'input input-small' },
    ['', 'active', 'inactive'].map((v) => h('option', { value: v }, v ? t(`pd.filter_${v}`) : t('common.all'))));
  const search = h('input', { id: 'pd-filter-q', type: 'search', class: 'input input-small', placeholder: t('pd.search_placeholder'), autocomplete: 'off' });
  typeSel.value = state.type;
  activeSel.value = state.active;
  search.value = state.q;

  const tbody = h('tbody');
  const count = h('p', { class: 'muted small pd-count', 'aria-live': 'polite' });
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const addBtn = h('button', { type: 'button', class: 'btn btn-primary btn-small', onclick: () => edit(null) }, t('pd.add'));
  const el = h('section', { class: 'card pd-directory', 'aria-labelledby': 'pd-title' },
    h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title', id: 'pd-title' }, t('admin.partners')), addBtn),
    h('form', { class: 'filters pd-filters', role: 'search', 'aria-label': t('pd.filters'), onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'filter' }, h('label', { class: 'filter-label', for: 'pd-filter-type' }, t('pd.type')), typeSel),
      h('div', { class: 'filter' }, h('label', { class: 'filter-label', for: 'pd-filter-active' }, t('pd.status')), activeSel),
      h('div', { class: 'filter filter-search' }, h('label', { class: 'filter-label', for: 'pd-filter-q' }, t('pd.search')), search)),
    errorBox,
    h('div', { class: 'table-wrap pd-table-wrap' }, h('table', { class: 'table table-compact pd-table' },
      h('thead', null, h('tr', null, ['name', 'type', 'regions', 'services', 'contact', 'hours', 'status', 'actions'].map((c) => h('th', { scope: 'col', class: `pd-col-${c}` }, t(`pd.col_${c}`))))),
      tbody)),
    count);

  function syncUrl() {
    const p = new URLSearchParams();
    for (const k of ['type', 'active', 'q']) if (state[k]) p.set(k, state[k]);
    setQuery('/admin', p);
  }

  function matches(p) {
    if (state.type && p.type !== state.type) return false;
    if (state.active === 'active' && !p.active) return false;
    if (state.active === 'inactive' && p.active) return false;
    const q = state.q.trim().toLowerCase();
    if (q && !`${p.name} ${p.contact_person || ''} ${p.phone || ''}`.toLowerCase().includes(q)) return false;
    return true;
  }

  function row(p) {
    return h('tr', { class: ['pd-row', p.active ? null : 'is-inactive', p.id === highlight ? 'is-new' : null], dataset: { partner: String(p.id) } },
      h('td', { class: 'pd-col-name' }, h('span', { class: 'pd-name' }, p.name)),
      h('td', { class: 'nowrap' }, label('partner_type', p.type)),
      h('td', { class: 'pd-codes' }, (p.region_codes || []).length ? p.region_codes.join(' ') : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'pd-services-cell' }, (p.services || []).length ? p.services.map((s) => h('span', { class: 'badge badge-muted' }, label('service', s))) : h('span', { class: 'muted' }, '—')),
      h('td', null, p.contact_person ? h('div', null, p.contact_person) : null, h('div', { class: 'nowrap' }, p.phone || (p.contact_person ? '' : '—'))),
      h('td', { class: 'pd-hours' }, p.working_hours || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'nowrap' }, h('span', { class: ['badge', p.active ? 'pd-badge-active' : 'badge-muted'] }, p.active ? t('pd.active') : t('pd.inactive'))),
      h('td', { class: 'pd-actions nowrap' },
        h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'edit' }, 'aria-label': t('pd.edit_named', { name: p.name }), onclick: () => edit(p) }, t('pd.edit')),
        h('button', {
          type: 'button', class: ['btn', 'btn-small', p.active ? 'btn-danger-outline' : null], dataset: { action: p.active ? 'deactivate' : 'activate' },
          'aria-label': t(p.active ? 'pd.deactivate_named' : 'pd.activate_named', { name: p.name }),
          onclick: () => toggle(p),
        }, p.active ? t('pd.deactivate') : t('pd.activate'))));
  }

  function render() {
    const shown = items.filter(matches);
    count.textContent = t('pd.showing', { shown: shown.length, total: items.length, active: items.filter((p) => p.active).length });
    replace(tbody, shown.length ? shown.map(row) : h('tr', null, h('td', { colspan: 8, class: 'empty' }, items.length ? t('pd.empty_filter') : t('pd.empty'))));
    highlight = null; // marked once, right after it was saved
  }

  async function load() {
    try {
      const res = await api.get('/api/v1/partners');
      items = res.items || [];
      errorBox.hidden = true;
      if (ctx.alive()) render();
    } catch (e) {
      errorBox.textContent = errorMessage(e);
      errorBox.hidden = false;
    }
    return items;
  }

  async function saved(p, message) {
    resetReferenceData();
    highlight = p.id;
    await load();
    toast(message, 'success');
    const rowEl = tbody.querySelector(`[data-partner="${p.id}"]`);
    if (rowEl) rowEl.scrollIntoView({ block: 'nearest' });
  }

  async function edit(p) {
    const result = await openPartnerForm(p, { offices: await getOffices(), reload: load });
    if (!result) return;
    await saved(result, p ? t('pd.saved', { name: result.name }) : t('pd.created', { name: result.name }));
    const btn = tbody.querySelector(`[data-partner="${result.id}"] [data-action="edit"]`);
    if (btn) btn.focus();
    else addBtn.focus();
  }

  async function toggle(p) {
    const activate = !p.active;
    if (!activate && !(await confirmDialog(t('pd.deactivate_confirm', { name: p.name }), { okLabel: t('pd.deactivate'), danger: true }))) return;
    try {
      const result = await api.patch(`/api/v1/partners/${p.id}`, { version: p.version, active: activate });
      await saved(result, activate ? t('pd.activated', { name: result.name }) : t('pd.deactivated', { name: result.name }));
      const btn = tbody.querySelector(`[data-partner="${result.id}"] [data-action="${activate ? 'deactivate' : 'activate'}"]`);
      if (btn) btn.focus();
    } catch (e) {
      errorBox.textContent = e.status === 409 ? t('pd.conflict_list') : errorMessage(e);
      errorBox.hidden = false;
      await load();
    }
  }

  typeSel.addEventListener('change', () => { state.type = typeSel.value; syncUrl(); render(); });
  activeSel.addEventListener('change', () => { state.active = activeSel.value; syncUrl(); render(); });
  search.addEventListener('input', () => { state.q = search.value; syncUrl(); render(); });

  render();
  return { el, load };
}

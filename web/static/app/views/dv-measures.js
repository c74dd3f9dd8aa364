// 告诫书 · 临时庇护 · 强制报告 — the smaller DV measures of a case: lists in time order and a small
// add form each (police partners for warning letters and reports, civil-affairs partners for shelter).
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { field } from '../form.js';
import { fmtDateTime, fmtDate, toLocalInput, localInputToIso } from '../format.js';
import { toast } from '../dialog.js';
import { REPORTER_TYPES, partnersOfType, partnerSelectOptions, toDateInput } from './dv-common.js';
import { inlineForm, clientError } from './dv-orders.js';

const KINDS = {
  warning: {
    path: 'warning-letters',
    title: 'dv.wl_title',
    add: 'dv.wl_add',
    none: 'dv.wl_none',
    toast: 'dv.wl_saved',
  },
  shelter: {
    path: 'shelter-stays',
    title: 'dv.sh_title',
    add: 'dv.sh_add',
    none: 'dv.sh_none',
    toast: 'dv.sh_saved',
  },
  report: {
    path: 'mandatory-reports',
    title: 'dv.mr_title',
    add: 'dv.mr_add',
    none: 'dv.mr_none',
    toast: 'dv.mr_saved',
  },
};

export function dvMeasuresCard({ caseId, onChanged }) {
  const data = { warning: [], shelter: [], report: [] };
  let police = [];
  let civil = [];
  let readOnly = false;
  let open = null; // which add form is open
  let ending = null; // the id of the shelter stay whose end is being recorded
  const el = h('section', { class: 'card dv-card dv-measures', id: 'dv-measures', 'aria-labelledby': 'dv-measures-title' });

  function itemText(kind, x) {
    if (kind === 'warning') {
      return [h('strong', null, fmtDateTime(x.issued_at)), ' ', x.police ? x.police.name : '—', x.note ? h('span', { class: 'muted' }, ` · ${x.note}`) : null];
    }
    if (kind === 'shelter') {
      return [h('strong', null, fmtDate(x.from), ' – ', x.to ? fmtDate(x.to) : t('dv.sh_ongoing')), ' ', x.partner ? x.partner.name : '—',
        !x.to ? h('span', { class: 'badge badge-warn' }, t('dv.sh_ongoing_badge')) : null,
        x.note ? h('span', { class: 'muted' }, ` · ${x.note}`) : null,
        !x.to && !readOnly && ending !== x.id
          ? [' ', h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { endStay: String(x.id) }, onclick: () => { ending = x.id; render(); el.querySelector('.dv-sh-end-form input')?.focus(); } }, t('dv.sh_end'))]
          : null,
        ending === x.id ? endForm(x) : null];
    }
    return [h('strong', null, fmtDateTime(x.reported_at)), ' ', label('dv_reporter', x.reporter_type), x.reporter_name ? `（${x.reporter_name}）` : '',
      x.police ? ` → ${x.police.name}` : '', x.note ? h('span', { class: 'muted' }, ` · ${x.note}`) : null];
  }

  // She left the shelter: POST /api/v1/shelter-stays/{id}/end {to}.
  function endForm(x) {
    const at = field({ path: 'to', label: t('dv.sh_end_at'), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
    at.control.value = toLocalInput();
    return inlineForm({
      className: 'dv-sh-end-form',
      fields: [at],
      submitLabel: t('dv.sh_end'),
      onCancel: () => { ending = null; render(); },
      onSubmit: async (v) => {
        if (!localInputToIso(v.to)) throw clientError({ to: { text: t('err.required') } });
        const updated = await api.post(`/api/v1/shelter-stays/${x.id}/end`, { to: localInputToIso(v.to) });
        data.shelter = data.shelter.map((s2) => (s2.id === x.id ? updated : s2));
        ending = null;
        render();
        toast(t('dv.sh_ended'), 'success');
        if (onChanged) onChanged();
      },
    });
  }

  function addForm(kind) {
    const close = () => { open = null; render(); el.querySelector(`[data-add="${kind}"]`)?.focus(); };
    const saved = (x) => {
      data[kind].push(x);
      open = null;
      render();
      toast(t(KINDS[kind].toast), 'success');
      if (onChanged) onChanged();
    };
    const post = (body) => api.post(`/api/v1/cases/${caseId}/${KINDS[kind].path}`, body, { expect: 201 });
    if (kind === 'warning') {
      const at = field({ path: 'issued_at', label: t('dv.wl_issued_at'), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
      at.control.value = toLocalInput();
      const p = field({ path: 'police_partner_id', label: t('dv.wl_police'), kind: 'select', options: partnerSelectOptions(police), required: true });
      if (police.length === 1) p.control.value = String(police[0].id);
      return inlineForm({
        className: 'dv-wl-form',
        fields: [h('div', { class: 'grid grid-3' }, p, at, field({ path: 'note', label: t('dv.note'), attrs: { maxlength: 1000 } }))],
        submitLabel: t('common.save'),
        onCancel: close,
        onSubmit: async (v) => {
          const problems = {};
          if (!v.police_partner_id) problems.police_partner_id = { text: t('err.required') };
          if (!localInputToIso(v.issued_at)) problems.issued_at = { text: t('err.required') };
          if (Object.keys(problems).length) throw clientError(problems);
          const body = { police_partner_id: Number(v.police_partner_id), issued_at: localInputToIso(v.issued_at) };
          if (v.note.trim()) body.note = v.note.trim();
          saved(await post(body));
        },
      });
    }
    if (kind === 'shelter') {
      const p = field({ path: 'partner_id', label: t('dv.sh_partner'), kind: 'select', options: partnerSelectOptions(civil), required: true });
      if (civil.length === 1) p.control.value = String(civil[0].id);
      const from = field({ path: 'from', label: t('dv.sh_from'), kind: 'date', required: true });
      from.control.value = toDateInput();
      return inlineForm({
        className: 'dv-sh-form',
        fields: [h('div', { class: 'grid grid-4' }, p, from,
          field({ path: 'to', label: t('dv.sh_to'), kind: 'date', hint: t('dv.sh_to_hint') }),
          field({ path: 'note', label: t('dv.note'), attrs: { maxlength: 1000 } }))],
        submitLabel: t('common.save'),
        onCancel: close,
        onSubmit: async (v) => {
          const problems = {};
          if (!v.partner_id) problems.partner_id = { text: t('err.required') };
          if (!v.from) problems.from = { text: t('err.required') };
          if (v.from && v.to && v.to < v.from) problems.to = { text: t('dv.err_before_from') };
          if (Object.keys(problems).length) throw clientError(problems);
          const body = { partner_id: Number(v.partner_id), from: v.from };
          if (v.to) body.to = v.to;
          if (v.note.trim()) body.note = v.note.trim();
          saved(await post(body));
        },
      });
    }
    const at = field({ path: 'reported_at', label: t('dv.mr_reported_at'), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
    at.control.value = toLocalInput();
    return inlineForm({
      className: 'dv-mr-form',
      fields: [h('div', { class: 'grid grid-3' },
        field({ path: 'reporter_type', label: t('dv.mr_reporter_type'), kind: 'select', required: true,
          options: [{ value: '', label: t('dv.choose') }, ...REPORTER_TYPES.map((r) => ({ value: r, label: label('dv_reporter', r) }))] }),
        field({ path: 'reporter_name', label: t('dv.mr_reporter_name'), attrs: { maxlength: 200 } }),
        at),
      h('div', { class: 'grid grid-2' },
        field({ path: 'police_partner_id', label: t('dv.mr_police'), kind: 'select', options: [{ value: '', label: t('dv.none_option') }, ...police.map((p) => ({ value: String(p.id), label: p.name }))] }),
        field({ path: 'note', label: t('dv.note'), attrs: { maxlength: 1000 } }))],
      submitLabel: t('common.save'),
      onCancel: close,
      onSubmit: async (v) => {
        const problems = {};
        if (!v.reporter_type) problems.reporter_type = { text: t('err.required') };
        if (!localInputToIso(v.reported_at)) problems.reported_at = { text: t('err.required') };
        if (Object.keys(problems).length) throw clientError(problems);
        const body = { reporter_type: v.reporter_type, reported_at: localInputToIso(v.reported_at) };
        if (v.reporter_name.trim()) body.reporter_name = v.reporter_name.trim();
        if (v.police_partner_id) body.police_partner_id = Number(v.police_partner_id);
        if (v.note.trim()) body.note = v.note.trim();
        saved(await post(body));
      },
    });
  }

  function block(kind) {
    const k = KINDS[kind];
    const items = data[kind];
    return h('div', { class: `dv-measure dv-measure-${kind}` },
      h('div', { class: 'dv-measure-head' },
        h('h4', { class: 'subhead' }, t(k.title), items.length ? h('span', { class: 'badge badge-muted' }, String(items.length)) : null),
        !readOnly && open !== kind ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { add: kind }, onclick: () => { open = kind; render(); el.querySelector('form select, form input')?.focus(); } }, '＋ ', t(k.add)) : null),
      open === kind && !readOnly ? addForm(kind) : null,
      items.length ? h('ul', { class: 'dv-measure-list' }, items.map((x) => h('li', null, itemText(kind, x)))) : open === kind ? null : h('p', { class: 'muted small' }, t(k.none)));
  }

  function render() {
    replace(el, h('h3', { class: 'card-title', id: 'dv-measures-title' }, t('dv.measures_title')),
      h('div', { class: 'dv-measures-grid' }, block('warning'), block('shelter'), block('report')));
  }

  async function load() {
    const base = `/api/v1/cases/${caseId}`;
    const [w, s, r, p, c] = await Promise.all([
      api.get(`${base}/warning-letters`), api.get(`${base}/shelter-stays`), api.get(`${base}/mandatory-reports`),
      partnersOfType('police').catch(() => []), partnersOfType('civil_affairs').catch(() => [])]);
    data.warning = w.items || [];
    data.shelter = s.items || [];
    data.report = r.items || [];
    police = p;
    civil = c;
    render();
  }

  function setReadOnly(ro) {
    readOnly = ro;
    if (ro) open = null;
    render();
  }

  return { el, load, setReadOnly };
}

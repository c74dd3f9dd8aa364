// 人身安全保护令 — protection orders of a case: the list with status, the court's acceptance (受理) and
// from it a live countdown to the ruling deadline (24 h in an emergency, 72 h otherwise; no clock runs
// before the acceptance), days to expiry once granted — in force through the whole of its last day;
// forms to apply, record the acceptance, rule (granted ≤ 6 months / denied / withdrawn), extend and
// log a violation; 复议 of the ruling (dv-order-reconsideration.js).
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { field, checkbox, radios, collect, showErrors, clearErrorOnEdit, handleSubmit } from '../form.js';
import { fmtDateTime, fmtDate, toLocalInput, localInputToIso } from '../format.js';
import { errorMessage } from '../errors.js';
import { toast } from '../dialog.js';
import { partnersOfType, partnerSelectOptions, preciseCountdown, tickWhileConnected, showDvError, toDateInput } from './dv-common.js';
import { reconsiderationStep, reconsiderationForm, reconsiderationLine, revokedOnReconsideration } from './dv-order-reconsideration.js';

// A small inline form: fields, Cancel and a submit button; 422 errors beside the fields.
export function inlineForm({ className, title, fields, submitLabel, onSubmit, onCancel }) {
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, submitLabel);
  const form = h('form', { class: ['dv-form', 'dv-inline-form', className], novalidate: true, dataset: { ctrlEnter: '1' }, 'aria-label': title },
    title ? h('h4', { class: 'subhead' }, title) : null,
    errorBox, fields,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => onCancel() }, t('common.cancel')),
      submit));
  clearErrorOnEdit(form);
  handleSubmit(form, { submit, errorBox }, async () => {
    submit.disabled = true;
    try {
      await onSubmit(collect(form), form);
    } catch (err) {
      if (err && err.clientFields) {
        showErrors(form, err.clientFields);
      } else if (err && err.status === 409) {
        replace(errorBox, t('dv.conflict_reloaded_short'));
        errorBox.hidden = false;
        errorBox.focus();
        if (err.onConflict) err.onConflict();
      } else showDvError(form, errorBox, err, { lead: errorMessage(err) });
    } finally {
      if (form.isConnected) submit.disabled = false;
    }
  });
  return form;
}

export function clientError(fields) {
  const e = new Error('client validation');
  e.clientFields = fields;
  return e;
}

export function dvOrdersCard({ caseId, onChanged }) {
  let orders = [];
  let courts = [];
  let readOnly = false;
  let openForm = null; // {kind: 'apply'|'rule'|'extend'|'violation', id?}
  const el = h('section', { class: 'card dv-card dv-orders', id: 'dv-orders', 'aria-labelledby': 'dv-orders-title' });
  const applyButton = h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => show({ kind: 'apply' }) }, t('dv.po_apply'));
  const formHost = h('div');
  const list = h('ul', { class: 'dv-po-list' });
  replace(el, h('div', { class: 'card-title-row' }, h('h3', { class: 'card-title', id: 'dv-orders-title' }, t('dv.po_title')), applyButton), formHost, list);

  let ticker = null;
  function tick() {
    for (const c of el.querySelectorAll('.dv-countdown')) {
      const cd = preciseCountdown(c.dataset.due);
      c.querySelector('.dv-countdown-text').textContent = cd.text;
      c.classList.toggle('is-overdue', cd.overdue);
      c.closest('.dv-po-item')?.classList.toggle('is-overdue', cd.overdue);
    }
  }

  function show(next) {
    openForm = next;
    render();
    const f = el.querySelector('form input:not([type=hidden]), form select');
    if (f) f.focus();
  }

  function close() {
    openForm = null;
    render();
  }

  function applyForm() {
    const court = field({ path: 'court_partner_id', label: t('dv.po_court'), kind: 'select', options: partnerSelectOptions(courts), required: true });
    const applied = field({ path: 'applied_at', label: t('dv.po_applied_at'), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
    applied.control.value = toLocalInput();
    const accepted = field({ path: 'court_accepted_at', label: t('dv.po_court_accepted_at'), kind: 'datetime-local', hint: t('dv.po_accepted_later_hint'), attrs: { max: toLocalInput() } });
    if (courts.length === 1) court.control.value = String(courts[0].id);
    return inlineForm({
      className: 'dv-po-apply',
      title: t('dv.po_apply_title'),
      fields: [h('div', { class: 'grid grid-3' }, court, applied, accepted), checkbox({ path: 'emergency', label: t('dv.po_emergency') }),
        h('p', { class: 'field-hint' }, t('dv.po_apply_hint'))],
      submitLabel: t('dv.po_apply_submit'),
      onCancel: close,
      onSubmit: async (v) => {
        const problems = {};
        if (!v.court_partner_id) problems.court_partner_id = { text: t('err.required') };
        if (!localInputToIso(v.applied_at)) problems.applied_at = { text: t('err.required') };
        if (Object.keys(problems).length) throw clientError(problems);
        const body = { court_partner_id: Number(v.court_partner_id), applied_at: localInputToIso(v.applied_at), emergency: Boolean(v.emergency) };
        if (localInputToIso(v.court_accepted_at)) body.court_accepted_at = localInputToIso(v.court_accepted_at);
        const o = await api.post(`/api/v1/cases/${caseId}/protection-orders`, body, { expect: 201 });
        orders.unshift(o);
        openForm = null;
        render();
        toast(o.ruling_due ? t('dv.po_applied_toast', { due: fmtDateTime(o.ruling_due) }) : t('dv.po_applied_awaiting_toast'), 'success');
        if (onChanged) onChanged();
      },
    });
  }

  async function patchOrder(o, body) {
    try {
      return await api.patch(`/api/v1/protection-orders/${o.id}`, { version: o.version, ...body });
    } catch (err) {
      if (err.status === 409) err.onConflict = () => reloadOne(o.id);
      throw err;
    }
  }

  function replaceOrder(updated) {
    orders = orders.map((x) => (x.id === updated.id ? updated : x));
  }

  async function reloadOne(id) {
    try {
      const fresh = await api.get(`/api/v1/protection-orders/${id}`);
      replaceOrder(fresh);
      const keep = el.querySelector(`.dv-po-item[data-order-id="${id}"] form`);
      // Redraw the item's facts but keep the open form (and what was typed in it).
      const item = el.querySelector(`.dv-po-item[data-order-id="${id}"]`);
      if (item) {
        const next = orderItem(fresh, keep);
        item.replaceWith(next);
      }
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  function acceptForm(o) {
    const at = field({ path: 'court_accepted_at', label: t('dv.po_court_accepted_at'), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
    at.control.value = toLocalInput();
    return inlineForm({
      className: 'dv-po-accept',
      title: t('dv.po_accept_title'),
      fields: [at, h('p', { class: 'field-hint' }, t('dv.po_apply_hint'))],
      submitLabel: t('dv.po_accept_submit'),
      onCancel: close,
      onSubmit: async (v) => {
        if (!localInputToIso(v.court_accepted_at)) throw clientError({ court_accepted_at: { text: t('err.required') } });
        const updated = await patchOrder(o, { court_accepted_at: localInputToIso(v.court_accepted_at) });
        replaceOrder(updated);
        openForm = null;
        render();
        toast(t('dv.po_applied_toast', { due: fmtDateTime(updated.ruling_due) }), 'success');
        if (onChanged) onChanged();
      },
    });
  }

  function ruleForm(o) {
    const status = radios({
      path: 'status', label: t('dv.po_ruling'), required: true,
      options: ['granted', 'denied', 'withdrawn'].map((s) => ({ value: s, label: label('dv_po_status', s) })),
    });
    const ruled = field({ path: 'ruled_at', label: t('dv.po_ruled_at'), kind: 'datetime-local', attrs: { max: toLocalInput() } });
    ruled.control.value = toLocalInput();
    const expires = field({ path: 'expires_at', label: t('dv.po_expires_at'), kind: 'date', hint: t('dv.po_expires_hint') });
    const form = inlineForm({
      className: 'dv-po-rule',
      title: t('dv.po_rule_title'),
      fields: [status, h('div', { class: 'grid grid-2' }, ruled, expires)],
      submitLabel: t('dv.po_rule_submit'),
      onCancel: close,
      onSubmit: async (v) => {
        if (!v.status) throw clientError({ status: { text: t('err.required') } });
        const body = { status: v.status };
        if (v.ruled_at) body.ruled_at = localInputToIso(v.ruled_at);
        if (v.status === 'granted') {
          if (!v.expires_at) throw clientError({ expires_at: { text: t('dv.err_expiry_required') } });
          body.expires_at = v.expires_at;
        }
        const updated = await patchOrder(o, body);
        replaceOrder(updated);
        openForm = null;
        render();
        toast(t('dv.po_ruled_toast', { status: label('dv_po_status', updated.status) }), 'success');
        if (onChanged) onChanged();
      },
    });
    const sync = () => { expires.hidden = collect(form).status !== 'granted'; };
    form.addEventListener('change', sync);
    sync();
    return form;
  }

  function extendForm(o) {
    const expires = field({ path: 'expires_at', label: t('dv.po_new_expiry'), kind: 'date', required: true, hint: t('dv.po_extend_hint'), attrs: { min: toDateInput(o.expires_at) } });
    return inlineForm({
      className: 'dv-po-extend',
      title: t('dv.po_extend_title'),
      fields: [expires],
      submitLabel: t('dv.po_extend_submit'),
      onCancel: close,
      onSubmit: async (v) => {
        if (!v.expires_at) throw clientError({ expires_at: { text: t('err.required') } });
        let updated;
        try {
          updated = await api.post(`/api/v1/protection-orders/${o.id}/extend`, { version: o.version, expires_at: v.expires_at });
        } catch (err) {
          if (err.status === 409) err.onConflict = () => reloadOne(o.id);
          throw err;
        }
        replaceOrder(updated);
        openForm = null;
        render();
        toast(t('dv.po_extended_toast', { date: fmtDate(updated.expires_at) }), 'success');
        if (onChanged) onChanged();
      },
    });
  }

  function violationForm(o) {
    const at = field({ path: 'violations[0].occurred_at', label: t('dv.po_violation_at'), kind: 'datetime-local', required: true, attrs: { max: toLocalInput() } });
    at.control.value = toLocalInput();
    return inlineForm({
      className: 'dv-po-violation',
      title: t('dv.po_violation_title'),
      fields: [h('div', { class: 'grid grid-2' }, at,
        field({ path: 'violations[0].police_response', label: t('dv.po_police_response'), attrs: { maxlength: 1000 } })),
      field({ path: 'violations[0].description', label: t('dv.po_violation_desc'), kind: 'textarea', rows: 2, required: true })],
      submitLabel: t('dv.po_violation_submit'),
      onCancel: close,
      onSubmit: async (v) => {
        const problems = {};
        if (!localInputToIso(v['violations[0].occurred_at'])) problems['violations[0].occurred_at'] = { text: t('err.required') };
        if (!String(v['violations[0].description'] || '').trim()) problems['violations[0].description'] = { text: t('err.required') };
        if (Object.keys(problems).length) throw clientError(problems);
        const updated = await patchOrder(o, {
          violations: [{
            occurred_at: localInputToIso(v['violations[0].occurred_at']),
            description: v['violations[0].description'].trim(),
            police_response: String(v['violations[0].police_response'] || '').trim(),
          }],
        });
        replaceOrder(updated);
        openForm = null;
        render();
        toast(t('dv.po_violation_toast'), 'success');
        if (onChanged) onChanged();
      },
    });
  }

  function orderItem(o, keepForm) {
    const fact = (k, v) => h('div', null, h('dt', null, k), h('dd', null, v));
    const cd = o.status === 'applied' && o.ruling_due ? preciseCountdown(o.ruling_due) : null;
    const awaitingAcceptance = o.status === 'applied' && !o.court_accepted_at;
    const actions = [];
    if (!readOnly && awaitingAcceptance) actions.push(h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => show({ kind: 'accept', id: o.id }) }, t('dv.po_accept')));
    if (!readOnly && o.status === 'applied') actions.push(h('button', { type: 'button', class: 'btn btn-small', onclick: () => show({ kind: 'rule', id: o.id }) }, t('dv.po_rule')));
    if (!readOnly && o.status === 'granted' && o.in_force) {
      actions.push(h('button', { type: 'button', class: 'btn btn-small', onclick: () => show({ kind: 'extend', id: o.id }) }, t('dv.po_extend')));
      actions.push(h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => show({ kind: 'violation', id: o.id }) }, t('dv.po_log_violation')));
    }
    const rcStep = readOnly ? null : reconsiderationStep(o);
    if (rcStep) actions.push(h('button', { type: 'button', class: 'btn btn-small', onclick: () => show({ kind: 'reconsideration', id: o.id }) }, t(`dv.po_rc_${rcStep}`)));
    let form = keepForm || null;
    if (!form && openForm && openForm.id === o.id) {
      if (openForm.kind === 'accept') form = acceptForm(o);
      if (openForm.kind === 'rule') form = ruleForm(o);
      if (openForm.kind === 'extend') form = extendForm(o);
      if (openForm.kind === 'violation') form = violationForm(o);
      if (openForm.kind === 'reconsideration' && reconsiderationStep(o)) {
        form = reconsiderationForm(o, {
          onCancel: close,
          onConflict: () => reloadOne(o.id),
          onDone: (updated) => {
            replaceOrder(updated);
            openForm = null;
            render();
            toast(updated.reconsideration.result
              ? t('dv.po_rc_decided_toast', { result: label('dv_po_rc_result', updated.reconsideration.result) })
              : t('dv.po_rc_requested_toast'), 'success');
            if (onChanged) onChanged();
          },
        });
      }
    }
    const expiringSoon = o.status === 'granted' && o.in_force && o.days_to_expiry !== null && o.days_to_expiry <= 14;
    return h('li', { class: ['dv-po-item', `is-${o.status}`, cd && cd.overdue ? 'is-overdue' : null], dataset: { orderId: o.id } },
      h('div', { class: 'ref-head' },
        h('span', { class: 'ref-partner' }, o.court ? o.court.name : '—'),
        h('span', { class: `badge dv-po-status dv-po-${o.status}` }, label('dv_po_status', o.status)),
        o.emergency ? h('span', { class: 'badge badge-danger' }, t('dv.po_emergency_badge')) : null,
        o.status === 'granted' ? h('span', { class: ['badge', o.in_force ? 'dv-in-force' : 'badge-muted'] },
          o.in_force ? t('dv.po_in_force') : revokedOnReconsideration(o) ? t('dv.po_revoked') : t('dv.po_expired')) : null),
      cd ? h('div', { class: ['dv-countdown', cd.overdue ? 'is-overdue' : null], dataset: { due: o.ruling_due }, role: 'timer', 'aria-live': 'off' },
        h('span', { class: 'dv-countdown-kind' }, t('dv.po_ruling_due', { hours: o.emergency ? 24 : 72 })),
        h('span', { class: 'dv-countdown-due' }, fmtDateTime(o.ruling_due)),
        h('strong', { class: 'dv-countdown-text' }, cd.text)) : null,
      awaitingAcceptance ? h('p', { class: 'dv-awaiting-acceptance muted' }, t('dv.po_awaiting_acceptance')) : null,
      h('dl', { class: 'ref-facts' },
        fact(t('dv.po_applied_at'), fmtDateTime(o.applied_at)),
        o.court_accepted_at ? fact(t('dv.po_court_accepted_at'), fmtDateTime(o.court_accepted_at)) : null,
        o.ruled_at ? fact(t('dv.po_ruled_at'), fmtDateTime(o.ruled_at)) : null,
        o.expires_at ? fact(t('dv.po_expires_at'), t('dv.po_through_day', { date: fmtDate(o.expires_at) })) : null,
        o.status === 'granted' && o.days_to_expiry !== null && o.days_to_expiry !== undefined
          ? fact(t('dv.po_days_left_label'), h('strong', { class: ['dv-days-left', expiringSoon ? 'text-danger' : null] }, t('dv.po_days_left', { n: o.days_to_expiry })))
          : null),
      o.extensions && o.extensions.length
        ? h('div', { class: 'dv-po-sub' }, h('span', { class: 'ref-label' }, t('dv.po_extensions'), t('common.colon')),
          o.extensions.map((x, i) => h('span', { class: 'dv-po-ext' }, i ? t('dv.list_sep') : '', t('dv.po_extension_item', { at: fmtDate(x.extended_at), from: fmtDate(x.previous_expires_at), to: fmtDate(x.expires_at) }))))
        : null,
      o.violations && o.violations.length
        ? h('div', { class: 'dv-po-sub' }, h('span', { class: 'ref-label' }, t('dv.po_violations'), t('common.colon')),
          h('ul', { class: 'dv-violations' }, o.violations.map((x) => h('li', null, h('strong', null, fmtDateTime(x.occurred_at)), ' ', x.description,
            x.police_response ? h('span', { class: 'muted' }, ` — ${t('dv.po_police_response')}${t('common.colon')}${x.police_response}`) : null))))
        : null,
      reconsiderationLine(o),
      actions.length ? h('div', { class: 'ref-actions' }, actions) : null,
      form);
  }

  function render() {
    applyButton.hidden = readOnly || (openForm && openForm.kind === 'apply');
    replace(formHost, openForm && openForm.kind === 'apply' && !readOnly ? applyForm() : null);
    replace(list, orders.length ? orders.map((o) => orderItem(o)) : h('li', { class: 'muted dv-empty' }, t('dv.po_none')));
  }

  async function load() {
    const [res, c] = await Promise.all([api.get(`/api/v1/cases/${caseId}/protection-orders`), partnersOfType('court').catch(() => [])]);
    orders = res.items || [];
    courts = c;
    render();
    // The countdowns tick every second while the card is on the page.
    if (!ticker && el.isConnected) ticker = tickWhileConnected(el, tick, 1000);
    return orders;
  }

  function setReadOnly(ro) {
    readOnly = ro;
    if (ro) openForm = null;
    render();
  }

  return { el, load, setReadOnly, get orders() { return orders; } };
}

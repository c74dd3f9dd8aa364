// The two lookups the intake form makes while the operator types: the repeat-caller panel beside the
// form (GET /api/v1/callers/lookup by the caller's number: earlier contacts and cases, which the
// contact can be linked to as a follow-up) and the DV repeat warning above it (GET
// /api/v1/dv/repeat-check). Each answers only its latest question: a slower earlier answer is dropped.
import { h, replace, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { trimOrEmpty } from '../form.js';
import { categoryName } from '../reference.js';
import { fmtDate } from '../format.js';
import { errorMessage } from '../errors.js';
import { digits } from '../intake-body.js';
import { dvRepeatWarning } from './dv-intake.js';

const IDLE = { phone: '', data: null, error: null, loading: false };

// isLinked(caseId): whether the contact is linked to that case; onLink(case) toggles the link;
// onSettled() runs whenever the panel shows an answer (or nothing to ask), not a pending lookup.
// alive(): whether the page is still shown. Returns {el, lookup(phone), lookupSoon(phone), reset(),
// render(), cancel()}.
export function repeatCallerPanel({ categories, alive, isLinked, onLink, onSettled }) {
  const body = h('div', { class: 'repeat-body' });
  const el = h('section', { class: 'card repeat-panel', 'aria-live': 'polite', 'aria-labelledby': 'repeat-title' },
    h('h2', { class: 'card-title', id: 'repeat-title' }, t('repeat.title')), body);
  let seq = 0;
  let last = IDLE;

  function caseItem(c) {
    return h('li', { class: ['repeat-case', isLinked(c.id) ? 'is-linked' : null] },
      h('div', { class: 'repeat-case-head' },
        h('a', { href: `#/cases/${c.id}`, target: '_blank', rel: 'noopener', class: 'case-no' }, c.case_no),
        h('span', { class: `badge status-${c.status}` }, label('status', c.status)),
        h('span', { class: `badge risk-${c.risk_level || 'none'}` }, t('risk.prefix'), label('risk', c.risk_level || 'none'))),
      h('div', { class: 'repeat-case-meta' }, categoryName(categories, c.category), ' · ', t('repeat.received', { date: fmtDate(c.received_at) })),
      c.status !== 'closed'
        ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => onLink(c) }, isLinked(c.id) ? t('repeat.unlink') : t('repeat.link'))
        : null);
  }

  function render() {
    const { phone, data, error, loading } = last;
    if (!loading) onSettled();
    if (!phone) {
      replace(body, h('p', { class: 'muted' }, t('repeat.idle')));
      return;
    }
    if (loading) {
      replace(body, h('p', { class: 'muted' }, t('repeat.loading', { phone })));
      return;
    }
    if (error && error.status === 422) {
      replace(body, h('p', { class: 'muted' }, t('repeat.invalid', { phone })));
      return;
    }
    if (error) {
      replace(body, h('p', { class: 'alert alert-error' }, t('repeat.error', { message: errorMessage(error) })));
      return;
    }
    const cases = data.prior_cases || [];
    if (!data.prior_contacts && !cases.length) {
      replace(body, h('p', { class: 'repeat-none' }, t('repeat.none', { phone })));
      return;
    }
    replace(body,
      h('div', { class: 'repeat-alert' },
        h('span', { class: 'badge badge-warn' }, t('repeat.badge')),
        h('span', null, t('repeat.summary', { contacts: data.prior_contacts, cases: cases.length }))),
      cases.length ? h('ul', { class: 'repeat-cases' }, cases.map(caseItem)) : null);
  }

  async function lookup(phone) {
    const mine = ++seq;
    if (digits(phone).length < 7) {
      last = IDLE;
      render();
      return;
    }
    last = { phone, data: null, error: null, loading: true };
    render();
    try {
      const data = await api.get(`/api/v1/callers/lookup${api.qs({ phone })}`);
      if (mine !== seq || !alive()) return;
      last = { phone, data, error: null, loading: false };
    } catch (e) {
      if (mine !== seq || !alive()) return;
      last = { phone, data: null, error: e, loading: false };
    }
    render();
  }

  const lookupSoon = debounce(lookup, 350);
  return {
    el,
    lookup,
    lookupSoon,
    render,
    // A new call: nothing asked yet.
    reset() {
      last = IDLE;
      render();
    },
    cancel: () => lookupSoon.cancel(),
  };
}

// The DV repeat warning asks the server by the caller's phone and the ID numbers typed for the
// complainant and the victim: DV cases of the same person in the last 12 Shanghai calendar months,
// whatever else she called about since. readValues() returns the form's values; the warning (or
// nothing) goes into host. Returns {check(), checkSoon(), cancel()}.
export function dvRepeatCheck({ host, readValues, alive }) {
  let seq = 0;
  async function check() {
    const mine = ++seq;
    const v = readValues();
    const phone = digits(v['complainant.phone']).length >= 7 ? trimOrEmpty(v['complainant.phone']) : '';
    const ids = ['complainant.id_number', 'victim.id_number'].map((k) => trimOrEmpty(v[k])).filter((x) => x.length === 18 || x.length === 15);
    const queries = ids.length ? ids.map((id, i) => ({ phone: i === 0 ? phone : '', id_number: id })) : phone ? [{ phone }] : [];
    const found = new Map();
    for (const q of queries) {
      try {
        const r = await api.get(`/api/v1/dv/repeat-check${api.qs(q)}`);
        for (const c of r.previous_cases || []) found.set(c.id, c);
      } catch {
        // An unreadable number is explained beside its field on save; the warning just stays off.
      }
    }
    if (mine !== seq || !alive()) return;
    replace(host, found.size ? dvRepeatWarning([...found.values()]) : null);
  }
  const checkSoon = debounce(check, 400);
  return { check, checkSoon, cancel: () => checkSoon.cancel() };
}

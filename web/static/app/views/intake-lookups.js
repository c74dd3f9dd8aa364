// The two lookups the intake form makes while the operator types: the repeat-caller panel beside the
// form (GET /api/v1/callers/lookup by the caller's number: earlier cases, which the contact can be
// linked to as a follow-up, the latest contacts — date, what it was about, how it ended, its case —
// and the name she gave, which the form takes) and the DV repeat warning above it (GET
// /api/v1/dv/repeat-check). Each answers only its latest question: a slower earlier answer is dropped.
import { h, replace, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { trimOrEmpty } from '../form.js';
import { categoryName } from '../reference.js';
import { fmtDate, fmtDateTime, personParams } from '../format.js';
import { errorMessage } from '../errors.js';
import { digits } from '../intake-body.js';
import { dvRepeatWarning } from './dv-intake.js';

const IDLE = { phone: '', data: null, error: null, loading: false };

// isLinked(caseId): whether the contact is linked to that case; onLink(case) toggles the link;
// onSettled() runs whenever the panel shows an answer (or nothing to ask), not a pending lookup;
// onCallerName(name) gets the name last given with an answered number ('' when none or no answer).
// alive(): whether the page is still shown. Returns {el, lookup(phone), lookupSoon(phone), reset(),
// render(), cancel()}.
// Repeat (重复访): onCandidates(cases) gets the earlier cases that make this contact a repeat (open or
// closed within 12 months) whenever the panel settles; repeatRef() is the one chosen (null: a new
// matter) and onRepeatChoice(case|null) changes it.
export function repeatCallerPanel({ categories, alive, isLinked, onLink, onSettled, onCallerName = () => {},
  repeatRef = () => null, onCandidates = () => {}, onRepeatChoice = () => {} }) {
  const body = h('div', { class: 'repeat-body' });
  // The person and her contact as the form's channel names them (来电人 / 重复来电, 来访人 / 重复来访 …).
  let words = personParams('hotline');
  const title = h('h2', { class: 'card-title', id: 'repeat-title' }, t('repeat.title', words));
  const el = h('section', { class: 'card repeat-panel', 'aria-live': 'polite', 'aria-labelledby': 'repeat-title' }, title, body);
  let seq = 0;
  let last = IDLE;

  function caseItem(c) {
    return h('li', { class: ['repeat-case', isLinked(c.id) ? 'is-linked' : null] },
      h('div', { class: 'repeat-case-head' },
        h('a', { href: `#/cases/${c.id}`, target: '_blank', rel: 'noopener', class: 'case-no' }, c.case_no),
        h('span', { class: `badge status-${c.status}` }, label('status', c.status)),
        h('span', { class: `badge risk-${c.risk_level || 'none'}` }, t('risk.prefix'), label('risk', c.risk_level || 'none'))),
      h('div', { class: 'repeat-case-meta' }, categoryName(categories, c.category), ' · ', t('repeat.received', { date: fmtDate(c.received_at) })),
      c.no_further_acceptance ? h('p', { class: 'alert alert-warn repeat-final', role: 'note' }, t('rep.no_further_acceptance')) : null,
      h('div', { class: ['repeat-case-reason', c.repeat_candidate ? null : 'muted'] },
        c.repeat_candidate ? h('span', { class: 'badge badge-warn' }, t('flags.repeat'), ' · ', t(`rep.reason.${c.repeat_reason}`)) : t('rep.not_candidate')),
      c.status !== 'closed'
        ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => onLink(c) }, isLinked(c.id) ? t('repeat.unlink') : t('repeat.link', words))
        : null);
  }

  // An earlier contact: when, how, what about, and how it ended — the case it opened or joined (a
  // link) or what was answered on the spot.
  function contactItem(c) {
    const ended = c.case
      ? [h('a', { href: `#/cases/${c.case.id}`, target: '_blank', rel: 'noopener', class: 'case-no' }, c.case.case_no),
        h('span', { class: `badge status-${c.case.status}` }, label('status', c.case.status)),
        c.case.outcome ? h('span', null, label('outcome', c.case.outcome)) : null]
      : [h('span', null, t(`repeat.resolution.${c.resolution}`))];
    return h('li', { class: 'repeat-contact' },
      h('div', { class: 'repeat-contact-meta' },
        h('time', { datetime: c.received_at }, fmtDateTime(c.received_at)), ' · ', label('channel', c.channel),
        c.call_type ? [' · ', label('call_type', c.call_type)] : null),
      c.summary ? h('div', { class: 'repeat-contact-summary' }, c.summary) : null,
      h('div', { class: 'repeat-contact-outcome' }, h('span', { class: 'muted' }, t('repeat.outcome')), ended),
      !c.case && c.answer ? h('div', { class: 'repeat-contact-answer' }, c.answer) : null);
  }

  // Link as a repeat of one of the candidates (the chosen one checked) or record a new matter:
  // native radios, so the arrow keys move between them.
  function repeatChoice(candidates) {
    const chosen = repeatRef();
    const option = (ref, text) => h('label', { class: 'radio-line' },
      h('input', { type: 'radio', name: 'repeat-choice', value: ref ? String(ref.id) : 'new', checked: ref ? Boolean(chosen && chosen.id === ref.id) : !chosen,
        onchange: () => onRepeatChoice(ref) }), h('span', null, text));
    return h('fieldset', { class: 'repeat-choice' },
      h('legend', null, t('rep.choice_legend')),
      candidates.map((c) => option({ id: c.id, case_no: c.case_no },
        c.no_further_acceptance ? `${t('rep.link_repeat', { case_no: c.case_no })}（${t('rep.final_short')}）` : t('rep.link_repeat', { case_no: c.case_no }))),
      option(null, t('rep.new_matter')));
  }

  function render() {
    const { phone, data, error, loading } = last;
    if (!loading) {
      onCandidates(data ? (data.prior_cases || []).filter((c) => c.repeat_candidate) : []);
      onSettled();
    }
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
      replace(body, h('p', { class: 'repeat-none' }, t('repeat.none', { ...words, phone })));
      return;
    }
    const contacts = data.contacts || [];
    replace(body,
      h('div', { class: 'repeat-alert' },
        h('span', { class: 'badge badge-warn repeat-badge' }, t('repeat.badge', words)),
        h('span', null, t('repeat.summary', { contacts: data.prior_contacts, cases: cases.length }))),
      data.caller_name ? h('p', { class: 'repeat-name' }, t('repeat.caller_name', { name: data.caller_name })) : null,
      cases.length ? h('ul', { class: 'repeat-cases' }, cases.map(caseItem)) : null,
      cases.some((c) => c.repeat_candidate) ? repeatChoice(cases.filter((c) => c.repeat_candidate)) : null,
      contacts.length ? [
        h('h3', { class: 'repeat-subtitle', id: 'repeat-history-title' }, t('repeat.history', { n: contacts.length })),
        h('ol', { class: 'repeat-contacts', 'aria-labelledby': 'repeat-history-title' }, contacts.map(contactItem))] : null);
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
      onCallerName(data.caller_name || '');
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
    // The form's channel: renames the person in the title and the badge (no new lookup).
    setChannel(channel) {
      words = personParams(channel);
      title.textContent = t('repeat.title', words);
      const badge = body.querySelector('.repeat-badge');
      if (badge) badge.textContent = t('repeat.badge', words);
    },
    // A new call: nothing asked yet, and no answer still on its way (or a typed number still
    // waiting for its lookup) may bring the previous caller back.
    reset() {
      seq += 1;
      lookupSoon.cancel();
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

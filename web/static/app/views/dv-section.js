// The DV section of the case page (staff only; partners get 404 from every DV endpoint and never see
// it). Shown for domestic-violence cases and for any case that already has a DV record or a risk
// assessment; otherwise one small button reveals it. Also the flags at the top of the case page:
// repeat victimisation, high/extreme risk, and "safety plan required".
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { DV_CATEGORY, HIGH_LEVELS, loadInstrument, levelBadge } from './dv-common.js';
import { dvRecordCard } from './dv-record.js';
import { dvRiskCard } from './dv-risk.js';
import { dvSafetyCard } from './dv-safety.js';
import { dvOrdersCard } from './dv-orders.js';
import { dvMeasuresCard } from './dv-measures.js';

export const STAFF_ROLES = new Set(['operator', 'supervisor']);

export function dvSection({ caseId, caseObj, onRiskChanged, onChanged }) {
  let c = caseObj;
  let visible = false;
  let loaded = false;
  let repeat = null;
  let started = false; // load() has run: setCase() may reveal the section from then on
  const flag = h('div', { class: 'dv-flags', id: 'dv-flags' });
  const el = h('section', { class: 'dv-section', id: 'dv-section', 'aria-labelledby': 'dv-section-title' });
  const changed = () => { if (onChanged) onChanged(); };

  const record = dvRecordCard({ caseId, onSaved: changed });
  const risk = dvRiskCard({
    caseId,
    onAssessed: async () => {
      await safety.load().catch(() => {});
      renderFlags();
      if (onRiskChanged) onRiskChanged();
    },
  });
  const safety = dvSafetyCard({ caseId, onSaved: (s, opts) => { renderFlags(); if (!(opts && opts.quiet)) changed(); } });
  const orders = dvOrdersCard({ caseId, onChanged: changed });
  const measures = dvMeasuresCard({ caseId, onChanged: changed });

  function closed() {
    return c.status === 'closed';
  }

  // Nothing is written here on a forwarded case (已转送: the receiving office records it) or on a case
  // this office only follows. On a closed case the DV record and risk assessments are read-only, but
  // the measures outlive the case (DOMAIN.md): orders, letters, shelter, reports and the safety plan.
  function nothingWritable() {
    return c.status === 'forwarded' || Boolean(c.read_only);
  }

  function renderSection() {
    if (!visible) {
      replace(el, h('div', { class: 'dv-reveal card' },
        h('span', { class: 'muted' }, t('dv.reveal_hint')),
        h('button', { type: 'button', class: 'btn btn-small', id: 'dv-reveal', onclick: () => reveal(true) }, t('dv.reveal'))));
      return;
    }
    replace(el,
      h('div', { class: 'dv-section-head' },
        h('h2', { class: 'dv-section-title', id: 'dv-section-title' }, t('dv.section_title')),
        h('nav', { class: 'dv-jump', 'aria-label': t('dv.jump_label') },
          [['dv-risk', 'dv.risk_title'], ['dv-safety', 'dv.plan_title'], ['dv-orders', 'dv.po_title'], ['dv-record', 'dv.rec_title'], ['dv-measures', 'dv.measures_title']]
            .map(([id, key]) => h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => jump(id) }, t(key))))),
      closed() && !nothingWritable() ? h('p', { class: 'alert alert-info', id: 'dv-closed-note' }, t('dv.closed_note')) : null,
      risk.el, safety.el, orders.el, record.el, measures.el);
  }

  function jump(id) {
    const target = el.querySelector(`#${id}`);
    if (!target) return;
    target.scrollIntoView({ block: 'start' });
    const focusable = target.querySelector('h3');
    if (focusable) {
      focusable.setAttribute('tabindex', '-1');
      focusable.focus();
    }
  }

  function renderFlags() {
    const parts = [];
    if (repeat && repeat.repeat && repeat.previous_cases.length) {
      parts.push(h('div', { class: 'alert alert-error dv-repeat', role: 'alert' },
        h('strong', null, t('dv.repeat_title')), ' ',
        t('dv.repeat_body', { n: repeat.previous_cases.length, since: fmtDate(repeat.window_start) }),
        h('ul', { class: 'dv-repeat-list' }, repeat.previous_cases.map((p) => h('li', null,
          h('a', { href: `#/cases/${p.id}`, class: 'case-no' }, p.case_no), ' ',
          h('span', { class: `badge status-${p.status}` }, label('status', p.status)), ' ',
          levelBadge(p.risk_level), ' ',
          h('span', { class: 'muted' }, t('dv.repeat_received', { date: fmtDate(p.received_at) })))))));
    }
    const level = c.risk_level;
    const last = risk.items[risk.items.length - 1];
    if (HIGH_LEVELS.has(level)) {
      parts.push(h('div', { class: ['dv-risk-flag', `dv-risk-flag-${level}`], role: 'status', dataset: { level } },
        h('span', { class: 'dv-flag-icon', 'aria-hidden': 'true' }, '⚠'),
        h('strong', null, t(level === 'extreme' ? 'dv.flag_extreme' : 'dv.flag_high')),
        last ? h('span', null, t('dv.flag_detail', { score: last.score, at: fmtDateTime(last.assessed_at) })) : null,
        safety.state ? h('span', { class: safety.state.version ? null : 'dv-flag-missing' }, '· ',
          safety.state.version ? t('dv.flag_plan_ok', { v: safety.state.version }) : t('dv.flag_plan_missing')) : null,
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => { reveal(false); jump('dv-risk'); } }, t('dv.flag_view'))));
    }
    const s = safety.state;
    if (s && s.required && !s.version && !closed()) {
      parts.push(h('div', { class: 'dv-plan-required', role: 'alert', id: 'dv-plan-required' },
        h('strong', { class: 'dv-plan-required-title' }, t('dv.plan_required')),
        h('span', null, t('dv.plan_required_body')),
        h('button', { type: 'button', class: 'btn btn-danger btn-small', onclick: () => { reveal(false); safety.openForm(); } }, t('dv.plan_create'))));
    }
    replace(flag, parts);
  }

  // Loads the cards once, whoever asks first (the page's load() or her click on the reveal button).
  let resting = null;
  function loadRest() {
    resting ??= (async () => {
      const inst = await loadInstrument();
      await Promise.all([record.load(), risk.load(inst), safety.load(), orders.load(), measures.load()]);
      loaded = true;
      applyReadOnly();
    })().catch((e) => {
      resting = null; // asked again, it tries again
      throw e;
    });
    return resting;
  }

  function applyReadOnly() {
    const facts = closed() || nothingWritable();
    const measuresRo = nothingWritable();
    record.setReadOnly(facts);
    risk.setReadOnly(facts);
    safety.setReadOnly(measuresRo);
    orders.setReadOnly(measuresRo);
    measures.setReadOnly(measuresRo);
  }

  async function reveal(focus) {
    if (visible) return;
    visible = true;
    renderSection();
    if (!loaded) {
      try {
        await loadRest();
      } catch (e) {
        el.append(h('p', { class: 'alert alert-error' }, errorMessage(e)));
      }
      renderFlags();
    }
    if (focus) el.querySelector('#dv-section-title')?.setAttribute('tabindex', '-1');
    if (focus) el.querySelector('#dv-section-title')?.focus();
  }

  async function load() {
    started = true;
    // What decides whether the section shows: the category, an existing record or assessment.
    const [rec, assessments, rep] = await Promise.all([
      api.get(`/api/v1/cases/${caseId}/dv`),
      api.get(`/api/v1/cases/${caseId}/risk-assessments`),
      api.get(`/api/v1/cases/${caseId}/dv/repeat`).catch(() => null),
    ]);
    repeat = rep;
    // Revealed by her while these were on their way: it stays open (the cards load once, in place).
    if (!visible) {
      visible = c.category === DV_CATEGORY || rec.version > 0 || (assessments.items || []).length > 0 || (c.risk_level && c.risk_level !== 'none');
      renderSection();
    }
    if (visible) await loadRest();
    renderFlags();
  }

  function setCase(next) {
    const wasClosed = closed();
    c = next;
    if (!started) return;
    if (!visible && c.category === DV_CATEGORY) reveal(false);
    else if (visible && loaded && wasClosed !== closed()) {
      renderSection();
      applyReadOnly();
    }
    if (loaded || repeat) renderFlags();
  }

  renderSection();
  return { el, flag, load, setCase };
}

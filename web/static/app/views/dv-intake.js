// The DV part of the intake form: a "violence mentioned" tick; when it is set or the category is
// domestic violence, screening questions (forms of violence, children present, weapons) and a
// collapsible risk checklist the operator can run during the call (live score and level). Every
// control is bound to a `dv.*` path, so the intake draft keeps the answers. After the intake has
// opened a case, saveIntakeDv() writes the DV record and the risk assessment.
// Also the repeat-victimisation warning from the caller lookup (a DV case in the last 12 months).
import { h, replace, uid } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { errorMessage } from '../errors.js';
import { DV_CATEGORY, FORMS, riskChecklist, triRadios, triToBool, levelBadge, scoreOf } from './dv-common.js';

export function dvRelevant(values) {
  return values.category === DV_CATEGORY || Boolean(values['dv.mentioned']);
}

function riskAnswers(values, inst) {
  const out = {};
  for (const item of (inst && inst.items) || []) {
    const v = values[`dv.risk.${item.code}`];
    if (v === 'yes' || v === 'no') out[item.code] = v === 'yes';
  }
  return out;
}

function screeningAnswered(values) {
  return FORMS.some((f) => values[`dv.forms.${f}`]) || ['dv.children_present', 'dv.weapons_used'].some((k) => values[k] === 'yes' || values[k] === 'no');
}

export function dvIntakePanel({ inst }) {
  const mentionedId = uid('dv-mentioned');
  const mentioned = h('span', { class: 'check-inline dv-mentioned', dataset: { field: 'dv.mentioned' } },
    h('input', { type: 'checkbox', id: mentionedId, dataset: { path: 'dv.mentioned' } }),
    h('label', { for: mentionedId }, t('dv.intake_mentioned')));
  const formsBox = h('fieldset', { class: 'field dv-forms', dataset: { field: 'dv.forms' } },
    h('legend', { class: 'field-label' }, t('dv.rec_forms')),
    h('div', { class: 'dv-check-grid' }, FORMS.map((f) => {
      const id = uid('dv-iform');
      return h('span', { class: 'check-inline dv-check' },
        h('input', { type: 'checkbox', id, dataset: { path: `dv.forms.${f}` } }),
        h('label', { for: id }, label('dv_form', f)));
    })));
  const summaryScore = h('span', { class: 'dv-intake-score' });
  let checklist = null;
  let details = null;
  if (inst) {
    checklist = riskChecklist({ inst, pathPrefix: 'dv.risk', idPrefix: 'intake-risk', onChange: () => showScore() });
    details = h('details', { class: 'dv-intake-risk' },
      h('summary', null, h('span', { class: 'dv-intake-risk-title' }, t('dv.intake_risk')), summaryScore),
      h('p', { class: 'field-hint' }, t('dv.intake_risk_hint')),
      checklist.el);
  }
  const body = h('div', { class: 'dv-intake-body' },
    h('p', { class: 'field-hint' }, t('dv.intake_hint')),
    formsBox,
    h('div', { class: 'grid grid-2 dv-grid-gap' },
      triRadios({ path: 'dv.children_present', legend: t('dv.rec_children_present') }),
      triRadios({ path: 'dv.weapons_used', legend: t('dv.rec_weapons_used') })),
    details || h('p', { class: 'muted' }, t('dv.intake_no_instrument')));
  const el = h('section', { class: 'section dv-intake', 'aria-labelledby': 'dv-intake-title' },
    h('div', { class: 'dv-intake-head' },
      h('h2', { class: 'section-title', id: 'dv-intake-title' }, t('dv.intake_title')),
      mentioned),
    body);

  function showScore() {
    if (!checklist) return;
    const r = checklist.update();
    replace(summaryScore, r.answered
      ? [t('dv.intake_score', { score: r.score, n: r.answered }), ' ', levelBadge(r.level)]
      : h('span', { class: 'muted' }, t('dv.intake_not_started')));
    el.classList.toggle('is-high', r.answered > 0 && (r.level === 'high' || r.level === 'extreme'));
  }

  function sync(values) {
    const show = dvRelevant(values);
    body.hidden = !show;
    el.classList.toggle('is-open', show);
    // A restored draft with answers opens the checklist again.
    if (details && show && !details.open && Object.keys(riskAnswers(values, inst)).length) details.open = true;
    showScore();
  }

  // The operator chose a category: 家庭暴力 ticks "violence mentioned" (she can untick it again; a
  // restored draft keeps her choice, as this runs only on a choice in the picker).
  function categoryChosen(code) {
    if (code === DV_CATEGORY) mentioned.querySelector('input').checked = true;
  }

  return { el, sync, categoryChosen };
}

// After the intake opened case `caseId`: the DV record from the screening answers and, when any
// item was answered, the risk assessment. Never throws: {record, assessment, errors: [text]}.
export async function saveIntakeDv(caseId, values, inst) {
  const out = { record: null, assessment: null, errors: [] };
  if (!dvRelevant(values)) return out;
  if (screeningAnswered(values)) {
    try {
      out.record = await api.api('PUT', `/api/v1/cases/${caseId}/dv`, {
        version: 0,
        forms: FORMS.filter((f) => values[`dv.forms.${f}`]),
        children_present: triToBool(values['dv.children_present']),
        weapons_used: triToBool(values['dv.weapons_used']),
      });
    } catch (e) {
      out.errors.push(t('dv.intake_record_failed', { message: errorMessage(e) }));
    }
  }
  const answers = riskAnswers(values, inst);
  if (inst && Object.keys(answers).length) {
    try {
      out.assessment = await api.post(`/api/v1/cases/${caseId}/risk-assessments`, { answers, instrument_version: inst.version }, { expect: 201 });
    } catch (e) {
      out.errors.push(t('dv.intake_risk_failed', { message: errorMessage(e), score: scoreOf(inst, answers).score }));
    }
  }
  return out;
}

// The line added to the intake's result banner.
export function dvResultNote(result, caseRef) {
  if (!result || (!result.record && !result.assessment && !result.errors.length)) return null;
  if (result.errors.length) {
    return h('div', { class: 'alert alert-warn dv-intake-result' }, result.errors.join(' '), ' ',
      h('a', { href: `#/cases/${caseRef.id}` }, t('dv.intake_fix_on_case')));
  }
  const a = result.assessment;
  return h('div', { class: 'dv-intake-result' },
    t('dv.intake_saved'),
    result.record ? t('dv.intake_saved_record') : null,
    result.record && a ? t('dv.list_sep') : null,
    a ? [t('dv.intake_saved_risk', { score: a.score }), ' ', levelBadge(a.level)] : null,
    a && (a.level === 'high' || a.level === 'extreme') ? h('strong', { class: 'text-danger' }, ' ', t('dv.intake_plan_needed')) : null);
}

// The same person's DV cases of the last 12 months (from GET /api/v1/dv/repeat-check, which already
// keeps only DV cases in that window) → a prominent warning, newest first.
export function dvRepeatWarning(previousCases) {
  const hits = [...(previousCases || [])].sort((a, b) => String(b.received_at).localeCompare(String(a.received_at)));
  if (!hits.length) return null;
  return h('div', { class: 'alert alert-error dv-intake-repeat', role: 'alert' },
    h('strong', { class: 'dv-intake-repeat-title' }, t('dv.intake_repeat_title')), ' ',
    t('dv.intake_repeat_body', { n: hits.length }),
    h('ul', { class: 'dv-repeat-list' }, hits.map((c) => h('li', null,
      h('a', { href: `#/cases/${c.id}`, target: '_blank', rel: 'noopener', class: 'case-no' }, c.case_no), ' ',
      h('span', { class: `badge status-${c.status}` }, label('status', c.status)), ' ',
      levelBadge(c.risk_level), ' ',
      h('span', { class: 'muted' }, t('dv.repeat_received', { date: fmtDate(c.received_at) }))))));
}

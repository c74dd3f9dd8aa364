// Domestic-violence module, shared pieces: the vocabularies (in the legal order the API lists them),
// the risk instrument (loaded once) with its live score, the yes/no checklist used on the case page
// and in the intake form, the countdown for protection-order rulings, and the translation of the DV
// endpoints' 422 messages.
import { h, uid, replace } from '../dom.js';
import { t, label, getLang } from '../i18n.js';
import * as api from '../api.js';
import { loadPartners } from '../reference.js';
import { fieldMessage, errorMessage } from '../errors.js';
import { showErrors } from '../form.js';
import { shanghaiParts, fmtDateTime, fmtDate } from '../format.js';

export const DV_CATEGORY = 'marriage_family.domestic_violence';
export const FORMS = ['beating', 'binding', 'maiming', 'restricting_freedom', 'starving_freezing', 'frequent_insults', 'defamation', 'threats',
  'stalking', 'harassment'];
export const FREQUENCIES = ['once', 'occasional', 'monthly', 'weekly', 'daily'];
export const RELATIONSHIPS = ['spouse', 'former_spouse', 'cohabiting_partner', 'former_partner', 'parent', 'child', 'sibling', 'in_law',
  'other_family', 'guardian', 'other'];
export const COHABITATION = ['cohabiting', 'separated'];
export const REPORTER_TYPES = ['school', 'kindergarten', 'hospital', 'residents_committee', 'villagers_committee', 'social_work',
  'relief_agency', 'welfare_agency', 'other'];
export const LEVELS = ['general', 'elevated', 'high', 'extreme'];
export const HIGH_LEVELS = new Set(['high', 'extreme']);

let instrument = null;
export function loadInstrument() {
  if (!instrument) instrument = api.get('/api/v1/dv/instrument').catch((e) => { instrument = null; throw e; });
  return instrument;
}

export async function partnersOfType(type) {
  const list = await loadPartners();
  return list.filter((p) => p.type === type && p.active !== false);
}

export function itemText(item) {
  return getLang() === 'en' ? item.text_en : item.text_zh;
}

export function instrumentName(inst) {
  return getLang() === 'en' ? inst.name_en : inst.name_zh;
}

// The level of a score: the threshold row with the largest min_score ≤ score.
export function levelFor(inst, score) {
  let best = null;
  for (const l of inst.levels || []) if (l.min_score <= score && (!best || l.min_score > best.min_score)) best = l;
  return best ? best.level : 'general';
}

// answers: {code: true|false} (unanswered items absent) → {score, level, answered, yes}
export function scoreOf(inst, answers) {
  let score = 0;
  let answered = 0;
  let yes = 0;
  for (const item of inst.items || []) {
    const a = answers[item.code];
    if (a === true || a === false) answered += 1;
    if (a === true) {
      score += Number(item.weight) || 0;
      yes += 1;
    }
  }
  return { score, level: levelFor(inst, score), answered, yes };
}

export function levelBadge(level, { large = false, score } = {}) {
  const lv = level || 'none';
  return h('span', { class: ['badge', large ? 'badge-lg' : null, `risk-${lv}`, 'dv-level'], dataset: { level: lv } },
    t('risk.prefix'), label('risk', lv), score !== undefined && score !== null ? h('span', { class: 'dv-level-score' }, t('dv.risk_score_short', { score })) : null);
}

// "yes" / "no" / "" (unknown) ⇄ true / false / null
export function triToBool(v) {
  return v === 'yes' ? true : v === 'no' ? false : null;
}
export function boolToTri(b) {
  return b === true ? 'yes' : b === false ? 'no' : '';
}

// A yes / no / unknown radio group bound to `path` (values 'yes' | 'no' | '').
export function triRadios({ path, legend, unknown = true, className }) {
  const name = uid('dv-tri');
  const errId = `${name}-err`;
  const opts = [['yes', t('dv.yes')], ['no', t('dv.no')]];
  if (unknown) opts.push(['', t('dv.unknown')]);
  return h('fieldset', { class: ['field', 'radios', 'dv-tri', className], dataset: { field: path }, 'aria-describedby': errId },
    h('legend', { class: 'field-label' }, legend),
    h('div', { class: 'radio-row' }, opts.map(([value, text]) => h('label', { class: 'radio-pill' },
      h('input', { type: 'radio', name, value, dataset: { path } }), h('span', null, text)))),
    h('div', { class: 'field-error', id: errId, hidden: true }));
}

// The risk checklist: one yes/no pair per item of the instrument, the live score and level beside it.
// Radios are bound to `${pathPrefix}.${code}` so a form's collect()/fill() (and the intake draft)
// keep the answers. onChange({score, level, answered}) after every tick.
export function riskChecklist({ inst, pathPrefix = 'risk', onChange, idPrefix = 'risk' }) {
  const items = [...(inst.items || [])].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0));
  const scoreValue = h('strong', { class: 'dv-score-value' }, '0');
  const levelHost = h('span', { class: 'dv-score-level' });
  const answeredText = h('span', { class: 'dv-score-answered muted' });
  const bar = scoreBar(inst);
  const summary = h('div', { class: 'dv-score', role: 'status', 'aria-live': 'polite', id: uid(`${idPrefix}-score`) },
    h('span', { class: 'dv-score-label' }, t('dv.risk_live_score')), scoreValue, h('span', { class: 'muted' }, `/ ${inst.max_score}`),
    levelHost, answeredText, bar.el);
  const rows = items.map((item, i) => {
    const name = uid(`${idPrefix}-item`);
    const legendId = `${name}-legend`;
    const path = `${pathPrefix}.${item.code}`;
    return h('div', { class: 'dv-risk-item', role: 'radiogroup', 'aria-labelledby': legendId, dataset: { field: path, code: item.code } },
      h('span', { class: 'dv-risk-num', 'aria-hidden': 'true' }, String(i + 1)),
      h('span', { class: 'dv-risk-text', id: legendId }, itemText(item),
        h('span', { class: 'dv-risk-weight', title: t('dv.risk_weight_title') }, t('dv.risk_weight', { n: item.weight }))),
      h('span', { class: 'dv-risk-answers' },
        h('label', { class: 'radio-pill dv-yes' }, h('input', { type: 'radio', name, value: 'yes', dataset: { path } }), h('span', null, t('dv.yes'))),
        h('label', { class: 'radio-pill dv-no' }, h('input', { type: 'radio', name, value: 'no', dataset: { path } }), h('span', null, t('dv.no')))));
  });
  const list = h('div', { class: 'dv-risk-list' }, rows);
  const el = h('div', { class: 'dv-checklist' }, summary, list);

  function answers() {
    const out = {};
    for (const item of items) {
      const checked = list.querySelector(`input[data-path="${CSS.escape(`${pathPrefix}.${item.code}`)}"]:checked`);
      if (checked) out[item.code] = checked.value === 'yes';
    }
    return out;
  }

  function update() {
    const r = scoreOf(inst, answers());
    scoreValue.textContent = String(r.score);
    levelHost.replaceChildren(levelBadge(r.answered ? r.level : 'none'));
    answeredText.textContent = t('dv.risk_answered', { n: r.answered, total: items.length });
    bar.set(r.score);
    for (const row of rows) row.classList.toggle('is-yes', Boolean(row.querySelector('input[value="yes"]:checked')));
    el.dataset.score = String(r.score);
    el.dataset.level = r.answered ? r.level : 'none';
    return r;
  }

  list.addEventListener('change', () => {
    const r = update();
    if (onChange) onChange(r);
  });

  function reset() {
    for (const input of list.querySelectorAll('input')) input.checked = false;
    update();
  }

  function setAnswers(map) {
    for (const input of list.querySelectorAll('input')) {
      const code = input.dataset.path.slice(pathPrefix.length + 1);
      input.checked = code in map && (map[code] ? 'yes' : 'no') === input.value;
    }
    update();
  }

  update();
  return { el, answers, update, reset, setAnswers, summary };
}

// A horizontal bar 0…max_score with the level bands, and a marker at the score (SVG, no inline style).
function scoreBar(inst) {
  const NS = 'http://www.w3.org/2000/svg';
  const max = Math.max(1, Number(inst.max_score) || 1);
  const W = 200;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} 12`);
  svg.setAttribute('class', 'dv-score-bar');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const l of inst.levels || []) {
    const r = document.createElementNS(NS, 'rect');
    const from = Math.min(max, l.min_score);
    const to = l.max_score === null || l.max_score === undefined ? max : Math.min(max, l.max_score + 1);
    r.setAttribute('x', String((from / max) * W));
    r.setAttribute('y', '3');
    r.setAttribute('width', String(Math.max(0, ((to - from) / max) * W)));
    r.setAttribute('height', '6');
    r.setAttribute('class', `dv-band dv-band-${l.level}`);
    svg.append(r);
  }
  const marker = document.createElementNS(NS, 'rect');
  marker.setAttribute('y', '0');
  marker.setAttribute('width', '3');
  marker.setAttribute('height', '12');
  marker.setAttribute('class', 'dv-score-marker');
  svg.append(marker);
  return {
    el: svg,
    set(score) {
      marker.setAttribute('x', String(Math.min(W - 3, (Math.min(score, max) / max) * W)));
    },
  };
}

// ---------- time ----------

// Shanghai calendar date of an instant, "YYYY-MM-DD" (for <input type="date">).
export function toDateInput(dateOrIso = new Date()) {
  const d = typeof dateOrIso === 'string' ? new Date(dateOrIso) : dateOrIso;
  if (Number.isNaN(d.getTime())) return '';
  const p = shanghaiParts(d);
  return `${p.year}-${p.month}-${p.day}`;
}

// A live countdown with seconds: {text, overdue}.
export function preciseCountdown(dueIso, now = Date.now()) {
  const due = new Date(dueIso).getTime();
  if (Number.isNaN(due)) return { text: '—', overdue: false };
  let s = Math.floor((due - now) / 1000);
  const overdue = s < 0;
  s = Math.abs(s);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const span = d > 0 ? t('dv.time_dhms', { d, h: hh, m: mm, s: ss }) : t('dv.time_hms', { h: hh, m: mm, s: ss });
  return { text: overdue ? t('dv.time_overdue_by', { span }) : t('dv.time_left', { span }), overdue };
}

// Starts a ticker calling fn every `ms` until `el` leaves the document.
export function tickWhileConnected(el, fn, ms = 1000) {
  const id = setInterval(() => {
    if (!el.isConnected) {
      clearInterval(id);
      return;
    }
    fn();
  }, ms);
  return () => clearInterval(id);
}

// ---------- errors ----------

const DV_PATTERNS = [
  [/^an order lasts at most 6 months: its last day at the latest (.+)$/, 'dv.err_six_months'],
  [/^at most 6 months after the extension date: at the latest (.+)$/, 'dv.err_six_months'],
  [/^must not end before the day of the ruling/, 'dv.err_after_ruling'],
  [/^more than 5 days after the ruling: 复议 is asked by (.+)$/, 'dv.err_reconsideration_late', (m) => ({ last: m[1] })],
  [/^must be a day later than the current last day/, 'dv.err_after_expiry'],
  [/^must not be before the court's acceptance/, 'dv.err_before_accepted'],
  [/^already recorded/, 'dv.err_already_recorded'],
  [/^only while the application awaits a ruling/, 'dv.err_awaiting_ruling_only'],
  [/^must fall while the order was in force/, 'dv.err_in_force'],
  [/^must not be before first_incident_at/, 'dv.err_before_first'],
  [/^must not be before from/, 'dv.err_before_from'],
  [/^must not be before the application/, 'dv.err_before_applied'],
  [/^must not be in the future/, 'err.future'],
  [/^not an active civil-affairs partner/, 'dv.err_civil_affairs'],
  [/^not an active court/, 'dv.err_court'],
  [/^not an active police partner/, 'dv.err_police'],
  [/^a phone number \(digits/, 'err.phone'],
  [/^required to grant an order/, 'dv.err_expiry_required'],
  [/^unknown form of violence/, 'err.one_of'],
  [/^unknown item of instrument/, 'dv.err_unknown_item'],
  [/^1 to (\d+) bytes/, 'err.required_too_long', (m) => ({ n: Math.floor(Number(m[1]) / 3) })],
  [/^at most (\d+) (contacts|places|steps|per request)/, 'err.at_most', (m) => ({ n: m[1] })],
  [/^one of /, 'err.one_of'],
];

export function dvFieldText(message) {
  const text = String(message ?? '');
  for (const [re, key, params] of DV_PATTERNS) {
    const m = re.exec(text);
    if (m) {
      if (key === 'dv.err_six_months') return t(key, { latest: m[1] });
      return t(key, params ? params(m) : undefined);
    }
  }
  return fieldMessage(text);
}

// 422 fields → the {path: {text}} map that form.showErrors() puts beside the fields.
export function dvFieldErrors(err) {
  const out = {};
  for (const [k, v] of Object.entries((err && err.fields) || {})) out[k] = { text: dvFieldText(v) };
  return out;
}

// A list of the messages showErrors() could not place, as one line for the form's error box.
export function unplacedText(unplaced) {
  return unplaced.map((u) => `${u.path}: ${u.text}`).join(t('dv.list_sep'));
}

// A refused DV save on its form: a 422's messages beside their fields, those with no field here in
// the box (after `lead`, if given); any other error in the box, which then takes the focus.
export function showDvError(form, box, err, { lead } = {}) {
  if (err && err.status === 422 && err.fields && Object.keys(err.fields).length) {
    const unplaced = showErrors(form, dvFieldErrors(err));
    if (unplaced.length) {
      replace(box, lead ? [lead, ' '] : null, unplacedText(unplaced));
      box.hidden = false;
    }
    return;
  }
  replace(box, errorMessage(err));
  box.hidden = false;
  box.focus();
}

export function partnerSelectOptions(partners) {
  return [{ value: '', label: t('dv.choose') }, ...partners.map((p) => ({ value: String(p.id), label: p.name }))];
}

// ---------- timeline ----------

export const DV_EVENTS = new Set(['dv_record_updated', 'risk_assessed', 'safety_plan_updated', 'protection_order_applied', 'protection_order_court_accepted', 'protection_order_granted',
  'protection_order_denied', 'protection_order_withdrawn', 'protection_order_violation', 'protection_order_extended',
  'protection_order_reconsideration_requested', 'protection_order_reconsideration_decided', 'warning_letter',
  'shelter_stay', 'mandatory_report']);
const DV_DATA_KEYS = ['fields', 'score', 'level', 'previous_level', 'instrument_version', 'version', 'court', 'status', 'applied_at', 'emergency',
  'court_accepted_at', 'ruling_due', 'ruled_at', 'expires_at', 'previous_expires_at', 'occurred_at', 'police_response', 'issued_at', 'police', 'shelter', 'from', 'to',
  'reported_at', 'reporter_type', 'reporter_name', 'ruling', 'reconsideration_by', 'result', 'decided_at'];
const RECORD_FIELD_KEYS = {
  forms: 'dv.rec_forms', first_incident_at: 'dv.rec_first', latest_incident_at: 'dv.rec_latest', frequency: 'dv.rec_frequency',
  injuries: 'dv.rec_injuries', children_present: 'dv.rec_children_present', children_harmed: 'dv.rec_children_harmed',
  weapons_used: 'dv.rec_weapons_used', weapons: 'dv.rec_weapons', relationship: 'dv.rec_relationship', cohabitation: 'dv.rec_cohabitation',
};

function dvDataValue(k, v) {
  // An order's expiry is its last day, in force through the whole of it.
  if (k === 'expires_at' || k === 'previous_expires_at') return t('dv.po_through_day', { date: fmtDate(v) });
  if (/_at$|_due$|^from$|^to$/.test(k)) return fmtDateTime(v);
  if (k === 'level' || k === 'previous_level') return label('risk', v);
  if (k === 'emergency') return v === 'true' || v === true ? t('dv.yes') : t('dv.no');
  if (k === 'reporter_type') return label('dv_reporter', v);
  if (k === 'status' || k === 'ruling') return label('dv_po_status', v);
  if (k === 'reconsideration_by') return label('dv_po_rc_by', v);
  if (k === 'result') return label('dv_po_rc_result', v);
  if (k === 'fields') return v === '(created)' ? t('dv.data_created') : String(v).split(',').map((f) => (RECORD_FIELD_KEYS[f] ? t(RECORD_FIELD_KEYS[f]) : f)).join('、');
  return String(v);
}


// The data of a DV event on the case timeline as [label, value] pairs (ids left out), or null for
// any other event.
export function dvTimelineData(event, data) {
  if (!DV_EVENTS.has(event)) return null;
  return DV_DATA_KEYS.filter((k) => data && data[k] !== undefined && data[k] !== null && data[k] !== '')
    .map((k) => [t(`dv.data_${k}`), dvDataValue(k, data[k])]);
}

// 危险性评估 — the risk checklist on the case page (live score and level while ticking, POST
// risk-assessments), and the reassessment history: a small hand-drawn SVG chart of the score over
// time on the level bands, and the list of assessments.
import { h, replace, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { field, showErrors, handleSubmit } from '../form.js';
import { fmtDateTime, fmtDate } from '../format.js';
import { errorMessage } from '../errors.js';
import { toast } from '../dialog.js';
import { riskChecklist, levelBadge, itemText, instrumentName, dvFieldErrors, unplacedText } from './dv-common.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// Score over time (one point per assessment, evenly spaced, oldest left) on the level bands. The
// scale ends a little above the extreme threshold (or the highest score) rather than at the
// instrument's maximum, so the bands that matter get the room.
export function riskChart(inst, items) {
  const W = 800;
  const H = 190;
  const pad = { l: 34, r: 60, t: 14, b: 28 };
  const top = Math.max(0, ...(inst.levels || []).map((l) => l.min_score));
  const instMax = Number(inst.max_score) || 1;
  const maxScore = Math.max(1, Math.min(instMax, Math.max(top + 6, ...items.map((a) => a.score + 3))), ...items.map((a) => a.score));
  const innerW = W - pad.l - pad.r;
  const innerH = H - pad.t - pad.b;
  const y = (s) => pad.t + innerH - (Math.min(s, maxScore) / maxScore) * innerH;
  const x = (i) => pad.l + 12 + (items.length === 1 ? (innerW - 24) / 2 : (i / (items.length - 1)) * (innerW - 24));
  const last = items[items.length - 1];
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'dv-chart', role: 'img', focusable: 'false',
    'aria-label': t('dv.chart_label', { n: items.length, score: last ? last.score : 0, level: last ? label('risk', last.level) : '—' }),
  });
  root.append(svg('title', {}, t('dv.chart_title')));
  // level bands, named at their right edge
  for (const l of inst.levels || []) {
    const hi = l.max_score === null || l.max_score === undefined ? maxScore : Math.min(maxScore, l.max_score + 1);
    const lo = Math.min(maxScore, l.min_score);
    if (hi <= lo) continue;
    root.append(svg('rect', { x: pad.l, y: y(hi), width: innerW, height: y(lo) - y(hi), class: `dv-band dv-band-${l.level}` }));
    root.append(svg('text', { x: pad.l + innerW + 6, y: (y(hi) + y(lo)) / 2 + 4, class: `dv-band-label dv-band-label-${l.level}` }, label('risk', l.level)));
  }
  // y axis ticks at the level thresholds
  const ticks = [...new Set([0, ...(inst.levels || []).map((l) => l.min_score).filter((s) => s < maxScore)])];
  for (const s of ticks) {
    root.append(svg('line', { x1: pad.l - 4, x2: pad.l, y1: y(s), y2: y(s), class: 'dv-axis' }));
    root.append(svg('text', { x: pad.l - 6, y: y(s) + 4, class: 'dv-tick', 'text-anchor': 'end' }, s));
  }
  root.append(svg('line', { x1: pad.l, x2: pad.l, y1: pad.t, y2: pad.t + innerH, class: 'dv-axis' }));
  root.append(svg('line', { x1: pad.l, x2: pad.l + innerW, y1: pad.t + innerH, y2: pad.t + innerH, class: 'dv-axis' }));
  if (items.length > 1) {
    root.append(svg('polyline', { points: items.map((a, i) => `${x(i)},${y(a.score)}`).join(' '), class: 'dv-line' }));
  }
  // Dates under the points; with several assessments on one day, the time too.
  const days = items.map((a) => fmtDate(a.assessed_at));
  const sameDay = new Set(days).size < days.length;
  const every = Math.max(1, Math.ceil(items.length / (sameDay ? 6 : 9)));
  items.forEach((a, i) => {
    root.append(svg('circle', { cx: x(i), cy: y(a.score), r: 5, class: `dv-point dv-point-${a.level}` },
      svg('title', {}, `${fmtDateTime(a.assessed_at)} · ${a.score} · ${label('risk', a.level)}`)));
    root.append(svg('text', { x: x(i), y: y(a.score) - 9, class: 'dv-point-label', 'text-anchor': 'middle' }, a.score));
    if (i % every === 0 || i === items.length - 1) {
      const anchor = items.length > 1 && i === 0 ? 'start' : items.length > 1 && i === items.length - 1 ? 'end' : 'middle';
      root.append(svg('text', { x: anchor === 'start' ? x(i) - 12 : anchor === 'end' ? x(i) + 12 : x(i), y: H - 8, class: 'dv-tick', 'text-anchor': anchor },
        sameDay ? fmtDateTime(a.assessed_at) : days[i]));
    }
  });
  return root;
}

export function dvRiskCard({ caseId, onAssessed }) {
  let inst = null;
  let items = [];
  let readOnly = false;
  const el = h('section', { class: 'card dv-card dv-risk', id: 'dv-risk', 'aria-labelledby': 'dv-risk-title' });
  const historyHost = h('div', { class: 'dv-history' });
  const formHost = h('div', { class: 'dv-risk-form-host' });
  const newButton = h('button', { type: 'button', class: 'btn btn-primary btn-small', onclick: () => openForm() }, t('dv.risk_new'));
  const currentHost = h('span', { class: 'dv-risk-current' });

  replace(el,
    h('div', { class: 'card-title-row' },
      h('h3', { class: 'card-title', id: 'dv-risk-title' }, t('dv.risk_title'), ' ', currentHost),
      newButton),
    formHost,
    historyHost);

  function renderHistory() {
    const last = items[items.length - 1];
    replace(currentHost, last ? levelBadge(last.level, { score: last.score }) : h('span', { class: 'badge risk-none' }, t('dv.risk_not_assessed')));
    if (!items.length) {
      replace(historyHost, h('p', { class: 'muted' }, t('dv.risk_none')));
      return;
    }
    const codeText = (code) => {
      const it = (inst.items || []).find((x) => x.code === code);
      return it ? itemText(it) : code;
    };
    const rows = [...items].reverse();
    replace(historyHost,
      h('h4', { class: 'subhead' }, t('dv.risk_history')),
      h('figure', { class: 'dv-chart-box' }, riskChart(inst, items),
        h('figcaption', { class: 'field-hint' }, t('dv.chart_caption'))),
      h('table', { class: 'table table-compact dv-risk-table' },
        h('thead', null, h('tr', null, ['at', 'score', 'level', 'yes', 'assessor'].map((k) => h('th', { scope: 'col' }, t(`dv.risk_col_${k}`))))),
        h('tbody', null, rows.map((a) => {
          // in the instrument's order (codes the active instrument lacks go last)
          const codes = (inst.items || []).map((x) => x.code);
          const yes = Object.entries(a.answers || {}).filter(([, v]) => v === true).map(([k]) => k)
            .sort((p, q) => (codes.indexOf(p) + 1 || 999) - (codes.indexOf(q) + 1 || 999));
          return h('tr', { dataset: { assessmentId: a.id } },
            h('td', { class: 'nowrap' }, fmtDateTime(a.assessed_at)),
            h('td', { class: 'num' }, a.score),
            h('td', null, levelBadge(a.level)),
            h('td', { class: 'dv-risk-yes' }, yes.length ? yes.map(codeText).join(t('dv.list_sep')) : '—', a.note ? h('div', { class: 'muted small' }, a.note) : null),
            h('td', null, a.assessor ? a.assessor.display_name : '—'));
        }))));
  }

  function openForm() {
    if (readOnly || !inst) return;
    newButton.hidden = true;
    const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
    const checklist = riskChecklist({ inst, pathPrefix: 'answers', idPrefix: 'case-risk' });
    const note = field({ path: 'note', label: t('dv.risk_note'), attrs: { maxlength: 1000, autocomplete: 'off' } });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('dv.risk_submit'), kbd('Ctrl', 'Enter'));
    const form = h('form', { class: 'dv-form dv-risk-form', novalidate: true, dataset: { ctrlEnter: '1', field: 'answers' }, 'aria-label': t('dv.risk_form') },
      h('p', { class: 'field-hint' }, instrumentName(inst), ' · ', t('dv.risk_version', { v: inst.version }), ' · ', t('dv.risk_form_hint')),
      errorBox, checklist.el, note,
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => closeForm() }, t('common.cancel')),
        submit));
    handleSubmit(form, { submit, errorBox }, async () => {
      const answers = checklist.answers();
      if (!Object.keys(answers).length) {
        replace(errorBox, t('dv.risk_need_answer'));
        errorBox.hidden = false;
        errorBox.focus();
        return;
      }
      submit.disabled = true;
      try {
        const body = { answers, instrument_version: inst.version };
        const noteText = note.control.value.trim();
        if (noteText) body.note = noteText;
        const a = await api.post(`/api/v1/cases/${caseId}/risk-assessments`, body, { expect: 201 });
        items.push(a);
        closeForm();
        renderHistory();
        toast(t('dv.risk_saved', { score: a.score, level: label('risk', a.level) }), 'success');
        if (onAssessed) onAssessed(a);
      } catch (err) {
        const unplaced = err.fields && Object.keys(err.fields).length ? showErrors(form, dvFieldErrors(err)) : [];
        replace(errorBox, errorMessage(err), unplaced.length ? ` ${unplacedText(unplaced)}` : '');
        if (err.fields && err.fields.instrument_version) {
          // The instrument was replaced while the form was open: load the active one.
          inst = await api.get('/api/v1/dv/instrument').catch(() => inst);
          errorBox.append(' ', t('dv.risk_instrument_changed'));
        }
        errorBox.hidden = false;
        errorBox.focus();
      } finally {
        submit.disabled = false;
      }
    });
    replace(formHost, form);
    const first = form.querySelector('input[type=radio]');
    if (first) first.focus();
  }

  function closeForm() {
    replace(formHost);
    newButton.hidden = readOnly;
    newButton.focus();
  }

  async function load(instrument) {
    inst = instrument;
    const res = await api.get(`/api/v1/cases/${caseId}/risk-assessments`);
    items = res.items || [];
    renderHistory();
    return res;
  }

  function setReadOnly(ro) {
    readOnly = ro;
    newButton.hidden = ro || formHost.childElementCount > 0;
    if (ro) replace(formHost);
  }

  return { el, load, setReadOnly, openForm, get items() { return items; } };
}

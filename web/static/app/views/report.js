// 统计报表 (supervisor): the federation's period report (GET /api/v1/reports) for a month, quarter,
// half-year, year or any range of dates, 本级 or 本级及下级, for her office or one below it; CSV and
// XLSX as plain same-origin links (the session cookie goes along); 打印 prints the sheet alone (print
// rules in css/supervision.css and css/report.css); 报送 files the report after a confirmation, and an
// office with offices below sees their filings and sums (汇总). The choice lives in the hash
// (#/reports?period=…&scope=…&office_id=…); the old #/reports/monthly?month=… opens that month here.
// A change in her scope (the live event stream) does not move the numbers under her eyes: a notice
// says they may have changed, and 刷新 reloads them.
import { h, replace, clear } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { loadOffices } from '../reference.js';
import { shanghaiParts, fmtDateTime } from '../format.js';
import { errorMessage, fieldMessage } from '../errors.js';
import { setQuery } from '../router.js';
import { onChange, throttled } from '../live.js';
import { confirmDialog, toast } from '../dialog.js';
import { ownSubtree, officeSelect } from './sup-common.js';
import { KINDS, parsePeriod, periodKey, periodOfKind, defaultPeriod, hasEnded, periodLabel } from '../report-period.js';
import { reportSheet, summaryCard, reportTitle } from './report-tables.js';
import { chartHost, drawSeries } from './report-chart.js';

function today() {
  const p = shanghaiParts();
  return `${p.year}-${p.month}-${p.day}`;
}

// The hash's choice, or the defaults: last month, 本级及下级, her own office.
function initialState(q, offices, user) {
  let period = parsePeriod(q.get('period')) ? q.get('period') : null;
  // #/reports/monthly?month=2026-10&subtree=false (links from before the period report).
  if (!period && parsePeriod(q.get('month'))?.kind === 'month') period = q.get('month');
  const scope = q.get('scope') === 'office' || q.get('subtree') === 'false' ? 'office' : 'subtree';
  const office = offices.some((o) => String(o.id) === q.get('office_id')) ? q.get('office_id') : String(user.office_id);
  return { period: period || defaultPeriod(today()), scope, office_id: office };
}

function yearOptions(selected) {
  const now = Number(today().slice(0, 4));
  const years = [];
  for (let y = now; y >= Math.max(2000, now - 10); y -= 1) years.push(y);
  if (!years.includes(selected)) years.push(selected);
  return years.sort((a, b) => b - a);
}

function partOptions(kind) {
  if (kind === 'month') return Array.from({ length: 12 }, (_, i) => [i + 1, t('rep.part_month', { n: i + 1 })]);
  if (kind === 'quarter') return [1, 2, 3, 4].map((n) => [n, t(`rep.part_q${n}`)]);
  if (kind === 'half') return [[1, t('rep.part_h1')], [2, t('rep.part_h2')]];
  return [];
}

export default async function reportView(root, ctx) {
  const offices = ownSubtree(await loadOffices(), ctx.user.office_id);
  if (!ctx.alive()) return undefined;
  const state = initialState(ctx.query, offices, ctx.user);
  let disposeChart = null;
  let disposed = false;

  // --- the period picker: kind, then year + month/quarter/half, or two dates ---
  const kindSel = h('select', { id: 'r-kind', class: 'input input-small' },
    KINDS.map((k) => h('option', { value: k }, t(`rep.kind_${k}`))));
  const yearSel = h('select', { id: 'r-year', class: 'input input-small' });
  const partSel = h('select', { id: 'r-part', class: 'input input-small' });
  const partLabel = h('label', { for: 'r-part', class: 'filter-label' });
  const fromIn = h('input', { type: 'date', id: 'r-from', class: 'input input-small', min: '2000-01-01', max: '2100-12-31' });
  const toIn = h('input', { type: 'date', id: 'r-to', class: 'input input-small', min: '2000-01-01', max: '2100-12-31' });
  const yearBox = h('div', { class: 'filter' }, h('label', { for: 'r-year', class: 'filter-label' }, t('rep.year')), yearSel);
  const partBox = h('div', { class: 'filter' }, partLabel, partSel);
  const fromBox = h('div', { class: 'filter' }, h('label', { for: 'r-from', class: 'filter-label' }, t('rep.from')), fromIn);
  const toBox = h('div', { class: 'filter' }, h('label', { for: 'r-to', class: 'filter-label' }, t('rep.to')), toIn);
  const periodBox = h('fieldset', { class: 'filter rep-period' },
    h('legend', { class: 'sr-only' }, t('rep.period_picker')),
    h('div', { class: 'rep-period-row' },
      h('div', { class: 'filter' }, h('label', { for: 'r-kind', class: 'filter-label' }, t('rep.kind')), kindSel),
      yearBox, partBox, fromBox, toBox));
  const officeBox = offices.length > 1
    ? h('div', { class: 'filter' }, h('label', { for: 'r-office', class: 'filter-label' }, t('rep.unit')),
      officeSelect({ id: 'r-office', offices, value: state.office_id }))
    : null;
  const officeSel = officeBox ? officeBox.querySelector('select') : null;
  const scopeBox = h('fieldset', { class: 'filter sup-scope' },
    h('legend', { class: 'filter-label' }, t('rep.scope')),
    h('div', { class: 'radio-row' }, [['office', t('rep.scope_office')], ['subtree', t('rep.scope_subtree')]].map(([v, text]) =>
      h('label', { class: 'radio-pill' }, h('input', { type: 'radio', name: 'r-scope', value: v, checked: state.scope === v }), h('span', null, text)))));
  const csv = h('a', { class: 'btn btn-small', download: '', id: 'rep-csv' }, t('rep.csv'));
  const xlsx = h('a', { class: 'btn btn-small', download: '', id: 'rep-xlsx' }, t('rep.xlsx'));
  const printBtn = h('button', { type: 'button', class: 'btn btn-small', onclick: () => window.print() }, t('rep.print'));
  const fileBtn = h('button', { type: 'button', class: 'btn btn-small btn-primary', id: 'rep-file', onclick: () => fileReport() }, t('rep.file'));
  const fileHint = h('span', { class: 'muted small rep-file-hint', id: 'rep-file-hint' });
  const controls = h('form', { class: 'filters sup-controls rep-controls', 'aria-label': t('rep.controls') },
    periodBox, officeBox, scopeBox,
    h('div', { class: 'filter filter-buttons sup-exports' }, csv, xlsx, printBtn, fileBtn));
  controls.addEventListener('submit', (e) => { e.preventDefault(); read(); });
  controls.addEventListener('change', (e) => {
    if (e.target === kindSel) switchKind();
    read();
  });

  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'muted sup-status', 'aria-live': 'polite' });
  const stale = h('p', { class: 'alert alert-info rep-stale sup-noprint', role: 'status', hidden: true },
    t('rep.stale'), ' ', h('button', { type: 'button', class: 'btn btn-small', onclick: () => load() }, t('rep.refresh')));
  const sheet = h('div', { class: 'report-sheet' });
  const summaryHost = h('div', { class: 'rep-summary-host' });

  replace(root, h('div', { class: 'sup-page report-page' },
    h('div', { class: 'page-head sup-noprint' }, h('h1', { class: 'page-title' }, t('rep.page_title')), status),
    controls, h('p', { class: 'rep-file-row sup-noprint' }, fileHint), stale, errorBox, sheet, summaryHost));

  // Shows the controls of the state's period.
  function showPeriod() {
    const p = parsePeriod(state.period);
    kindSel.value = p.kind;
    const ranged = p.kind === 'range';
    yearBox.hidden = ranged;
    partBox.hidden = ranged || p.kind === 'year';
    fromBox.hidden = !ranged;
    toBox.hidden = !ranged;
    replace(yearSel, yearOptions(p.year).map((y) => h('option', { value: String(y) }, t('rep.year_value', { year: y }))));
    yearSel.value = String(p.year);
    partLabel.textContent = t(`rep.part_label_${p.kind}`);
    replace(partSel, partOptions(p.kind).map(([v, text]) => h('option', { value: String(v) }, text)));
    if (p.part) partSel.value = String(p.part);
    fromIn.value = p.from;
    toIn.value = p.to;
  }

  // Another kind keeps the period's first day: 2026-Q3 → month 2026-07, half 2026-H2, year 2026.
  function switchKind() {
    const p = parsePeriod(state.period);
    state.period = periodOfKind(kindSel.value, p.from, kindSel.value === 'range' ? `${p.from}..${p.to}` : null);
    showPeriod();
  }

  // Reads the controls; loads when the period they name is valid (a half-typed date waits).
  function read() {
    const kind = kindSel.value;
    const key = periodKey({ kind, year: yearSel.value, part: partSel.value, from: fromIn.value, to: toIn.value });
    if (!key) {
      if (kind === 'range' && fromIn.value && toIn.value) showError(t('rep.bad_range'));
      return;
    }
    state.period = key;
    state.office_id = officeSel ? officeSel.value : String(ctx.user.office_id);
    const checked = scopeBox.querySelector('input:checked');
    state.scope = checked ? checked.value : 'subtree';
    load();
  }

  function params() {
    return { period: state.period, scope: state.scope, office_id: state.office_id };
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  // The server's error in the user's language; a bad period names why.
  function explain(e) {
    if (e.fields && e.fields.period) return fieldMessage(e.fields.period);
    return errorMessage(e);
  }

  const hasChildren = (id) => offices.some((o) => String(o.parent_id) === String(id));

  let seq = 0;
  let current = null;
  async function load() {
    const mine = ++seq;
    setQuery('/reports', new URLSearchParams(params()));
    const query = api.qs(params());
    csv.href = `/api/v1/reports.csv${query}`;
    xlsx.href = `/api/v1/reports.xlsx${query}`;
    const ended = hasEnded(state.period, today());
    // 报送 files the report shown and its dialog names it: none until this period's report is here.
    fileBtn.disabled = true;
    fileHint.textContent = ended ? '' : t('rep.file_not_ended');
    errorBox.hidden = true;
    stale.hidden = true;
    status.textContent = t('rep.loading');
    sheet.classList.add('is-loading');
    try {
      const [r, s] = await Promise.all([
        api.get(`/api/v1/reports${query}`),
        hasChildren(state.office_id) ? api.get(`/api/v1/reports/filings${query}`) : Promise.resolve(null),
      ]);
      if (mine !== seq || !ctx.alive()) return;
      current = r;
      fileBtn.disabled = !ended;
      if (disposeChart) disposeChart();
      disposeChart = null;
      const host = chartHost();
      replace(sheet, reportSheet(r, { chartHost: host, ended }));
      replace(summaryHost, s && s.children.length ? summaryCard(s, r) : []);
      status.textContent = t('rep.as_of_status', { time: fmtDateTime(r.as_of) });
      document.title = `${reportTitle(r)} · ${t('app.name')}`;
      const dispose = await drawSeries(host, r.series);
      if (disposed || mine !== seq) {
        if (dispose) dispose();
      } else disposeChart = dispose;
      sheet.dataset.loaded = String(Number(sheet.dataset.loaded || 0) + 1);
    } catch (e) {
      if (mine !== seq || !ctx.alive()) return;
      clear(sheet);
      clear(summaryHost);
      current = null;
      fileBtn.disabled = true;
      status.textContent = '';
      showError(explain(e));
    } finally {
      if (mine === seq) sheet.classList.remove('is-loading');
    }
  }

  // 报送: stores the report as it stands as the filed version (a correction when filed before).
  async function fileReport() {
    if (!current) return;
    const again = Boolean(current.filed);
    const message = t(again ? 'rep.file_confirm_again' : 'rep.file_confirm', {
      title: reportTitle(current),
      scope: current.scope === 'office' ? t('rep.scope_office') : t('rep.scope_subtree'),
      n: again ? current.filed.version + 1 : 1,
    });
    if (!(await confirmDialog(message, { okLabel: t('rep.file_ok') }))) return;
    fileBtn.disabled = true;
    try {
      const f = await api.post('/api/v1/reports/filings', params(), { expect: 201 });
      if (!ctx.alive()) return;
      toast(t('rep.filed_toast', { period: periodLabel(state.period), n: f.version }), 'success');
      await load();
    } catch (e) {
      if (!ctx.alive()) return;
      showError(`${t('rep.file_failed')} ${explain(e)}`);
      fileBtn.disabled = !hasEnded(state.period, today());
    }
  }

  const stopLive = onChange(throttled(() => {
    if (!disposed && current) stale.hidden = false;
  }, 1000));

  showPeriod();
  await load();
  return () => {
    disposed = true;
    stopLive();
    if (disposeChart) disposeChart();
  };
}

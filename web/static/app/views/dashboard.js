// 监督看板 — the supervisor's dashboard: open-case aging (ECharts stacked bars + the same numbers as a
// table of links), overdue counts per deadline, the oldest cases, high-risk DV cases (those without a
// safety plan first), protection orders about to expire, intake per day and channel, and this
// month's figures of the period report (dashboard-kpis.js). Every number opens the matching filtered case list.
// It follows the live event stream: any change in the supervisor's scope re-fetches the numbers.
// Charts by ECharts (views/echarts.js), loaded on first use; the links by dashboard-links.js.
import { h, replace } from '../dom.js';
import { t, label, getLang } from '../i18n.js';
import * as api from '../api.js';
import { onChange, throttled } from '../live.js';
import { loadCategories, categoryName } from '../reference.js';
import { fmtDate, fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { navigate, setQuery } from '../router.js';
import { renderKpis } from './dashboard-kpis.js';
import { loadECharts, CHART_TEXT } from './echarts.js';
import { shanghaiDay, addDays, monthOf, bucketRange, bucketLabel, casesHref, groupFilter } from './dashboard-links.js';
import { accountChangesTile } from './account-changes-tile.js';

const GROUPS = ['status', 'category', 'assignee', 'partner', 'office'];
const RISK_RANK = { extreme: 0, high: 1 };
const HIGH_RISK_SHOWN = 12;
// Age buckets, youngest to oldest: a cool-to-hot ramp, every step distinct for colour-blind readers too.
const BUCKET_COLOURS = ['#9cc3e4', '#4f8fc6', '#f3c969', '#ec9a4c', '#d2583a', '#8e1b16'];
const CHANNEL_COLOURS = {
  hotline: '#1f4e79', walk_in: '#0e7490', letter: '#a15c07', online: '#6941c6',
  agent: '#067647', screening: '#c2410c', transfer_in: '#64748b',
};
function num(n, href, attrs = {}) {
  const text = n === null || n === undefined ? '—' : String(n);
  if (!href || !n) return h('span', { class: ['dash-num', n ? null : 'is-zero'], ...attrs }, text);
  return h('a', { href, class: 'dash-num', ...attrs }, text);
}

// ---------- the view ----------

export default async function dashboardView(root, ctx) {
  const categories = await loadCategories().catch(() => []);
  if (!ctx.alive()) return undefined;

  const state = {
    groupBy: GROUPS.includes(ctx.query.get('group_by')) ? ctx.query.get('group_by') : 'status',
    aging: null,
    intake: null, // null: not loaded; false: the endpoint is not there (404)
  };
  const charts = { aging: null, intake: null };
  let echarts = null;
  let disposed = false;

  // --- skeleton ---
  const liveTime = h('time', { id: 'dash-updated-at' }, '—');
  const live = h('p', { class: 'dash-live', id: 'dash-live' },
    h('span', { class: 'dash-live-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'dash-live-text' }, t('dash.live')), ' · ', t('dash.updated_at'), ' ', liveTime);
  const officeName = h('span', { class: 'dash-office muted' }, ctx.user.office_name || '');
  const refreshBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => refresh() }, t('dash.refresh'));
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });

  const kpis = h('section', { class: 'dash-kpis', 'aria-label': t('dash.kpis') });

  const groupSwitch = h('div', { class: 'dash-switch', role: 'group', 'aria-label': t('dash.group_by') },
    GROUPS.map((g) => h('button', {
      type: 'button', class: 'dash-switch-btn', dataset: { group: g }, 'aria-pressed': String(g === state.groupBy),
      onclick: () => setGroup(g),
    }, t(`dash.group_${g}`))));
  const agingChart = h('div', { class: 'dash-chart dash-chart-aging', id: 'dash-aging-chart', role: 'img', 'aria-label': t('dash.aging_chart') });
  const agingTableWrap = h('div', { class: 'dash-table-wrap' });
  const agingNote = h('p', { class: 'dash-note muted small' });
  const agingCard = h('section', { class: 'card dash-card dash-aging', 'aria-labelledby': 'dash-aging-title' },
    h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title', id: 'dash-aging-title' }, t('dash.aging_title')), groupSwitch),
    agingChart, agingTableWrap, agingNote);

  const intakeChart = h('div', { class: 'dash-chart dash-chart-intake', id: 'dash-intake-chart', role: 'img', 'aria-label': t('dash.intake_chart') });
  const intakeEmpty = h('p', { class: 'dash-empty muted', id: 'dash-intake-empty', hidden: true }, t('dash.intake_unavailable'));
  const intakeSum = h('span', { class: 'muted small', id: 'dash-intake-sum' });
  const intakeCard = h('section', { class: 'card dash-card dash-intake', 'aria-labelledby': 'dash-intake-title' },
    h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title', id: 'dash-intake-title' }, t('dash.intake_title')), intakeSum),
    intakeChart, intakeEmpty, h('p', { class: 'dash-note muted small' }, t('dash.intake_note')));

  const highRiskBody = h('tbody');
  const highRiskTable = h('table', { class: 'table table-compact dash-hr-table', id: 'dash-high-risk' },
    h('caption', { class: 'sr-only' }, t('dash.high_risk_title')), highRiskBody);
  const highRiskEmpty = h('p', { class: 'dash-empty muted', hidden: true }, t('dash.high_risk_none'));
  const highRiskCount = h('span', { class: 'muted small', id: 'dash-high-risk-count' });
  const highRiskMore = h('p', { class: 'dash-more small', hidden: true });
  const highRiskCard = h('section', { class: 'card dash-card dash-high-risk-card', 'aria-labelledby': 'dash-hr-title' },
    h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title', id: 'dash-hr-title' }, t('dash.high_risk_title')), highRiskCount),
    h('div', { class: 'dash-scroll' }, highRiskTable, highRiskEmpty), highRiskMore);

  const expiringBody = h('tbody');
  const expiringTable = h('table', { class: 'table table-compact dash-po-table', id: 'dash-expiring' },
    h('caption', { class: 'sr-only' }, t('dash.expiring_title')), expiringBody);
  const expiringEmpty = h('p', { class: 'dash-empty muted', hidden: true }, t('dash.expiring_none'));
  const expiringCard = h('section', { class: 'card dash-card', 'aria-labelledby': 'dash-po-title' },
    h('h2', { class: 'card-title', id: 'dash-po-title' }, t('dash.expiring_title')),
    h('div', { class: 'dash-scroll dash-scroll-short' }, expiringTable, expiringEmpty));

  const overdueList = h('dl', { class: 'dash-deadlines', id: 'dash-overdue-by-deadline' });
  const oldestBody = h('tbody');
  const oldestTable = h('table', { class: 'table table-compact dash-oldest-table', id: 'dash-oldest' },
    h('caption', { class: 'sr-only' }, t('dash.oldest_title')),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('dash.col_case')), h('th', { scope: 'col' }, t('dash.col_status')),
      h('th', { scope: 'col', class: 'num' }, t('dash.col_age')), h('th', { scope: 'col', class: 'num' }, t('dash.col_overdue_days')))),
    oldestBody);
  const overdueCard = h('section', { class: 'card dash-card', 'aria-labelledby': 'dash-overdue-title' },
    h('h2', { class: 'card-title', id: 'dash-overdue-title' }, t('dash.overdue_title')), overdueList,
    h('h3', { class: 'dash-subtitle' }, t('dash.oldest_title')),
    h('div', { class: 'dash-scroll' }, oldestTable));

  const accountChanges = accountChangesTile(); // 账户变更: loaded once, apart from the case stream

  replace(root, h('div', { class: 'dash-page' },
    h('div', { class: 'page-head dash-head' },
      h('h1', { class: 'page-title' }, t('dash.title')), officeName, live, refreshBtn),
    errorBox, kpis,
    h('div', { class: 'dash-grid' },
      h('div', { class: 'dash-col' }, agingCard, intakeCard),
      h('div', { class: 'dash-col' }, highRiskCard, expiringCard, overdueCard, accountChanges.el))));

  // --- charts ---
  const resizer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
    for (const c of Object.values(charts)) if (c) c.resize();
  });

  // The ECharts instance of a chart element, made on first use (once the element is shown, so that
  // it has a size). null when the script could not be loaded: the tables still show every number.
  async function chartFor(key, el) {
    if (charts[key]) return charts[key];
    if (!echarts) {
      try {
        echarts = await loadECharts();
      } catch (e) {
        console.warn(e);
        el.classList.add('is-unavailable');
        return null;
      }
    }
    if (disposed || charts[key]) return charts[key];
    const chart = echarts.init(el, null, { renderer: 'canvas', locale: getLang() === 'en' ? 'EN' : 'ZH' });
    charts[key] = chart;
    if (key === 'aging') {
      chart.on('click', (p) => {
        const a = state.aging;
        const row = a && a.rows[p.dataIndex];
        const href = row ? cellHref(a, row.key, p.seriesIndex) : null;
        if (href) navigate(href.slice(1));
      });
    } else {
      chart.on('click', (p) => {
        const d = state.intake;
        const day = d && d.days[p.dataIndex];
        const series = d && d.series[p.seriesIndex];
        if (day) navigate(casesHref({ channel: series ? series.channel : undefined, received_from: day, received_to: day }).slice(1));
      });
    }
    if (resizer) resizer.observe(el);
    return chart;
  }

  function cellHref(aging, key, bucketIndex) {
    const f = groupFilter(state.groupBy, key);
    if (!f) return null;
    return casesHref({ ...f, ...bucketRange(aging.buckets[bucketIndex], shanghaiDay(aging.as_of)) });
  }

  function rowLabel(row) {
    if (row.key === 'none') return t(`dash.none_${state.groupBy}`);
    if (state.groupBy === 'status') return label('status', row.key);
    if (state.groupBy === 'category') return categoryName(categories, row.key) || row.label;
    return row.label;
  }

  // --- renderers ---
  function renderAgingTable(aging) {
    const head = h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t(`dash.group_${state.groupBy}`)),
      aging.buckets.map((b, i) => h('th', { scope: 'col', class: 'num' },
        h('span', { class: `dash-swatch dash-swatch-${i}`, 'aria-hidden': 'true' }), bucketLabel(b))),
      h('th', { scope: 'col', class: 'num' }, t('dash.col_overdue')),
      h('th', { scope: 'col', class: 'num' }, t('dash.col_total'))));
    const line = (row, isTotal) => {
      const f = groupFilter(state.groupBy, row.key);
      const attrs = (extra) => ({ dataset: { key: row.key, ...extra } });
      return h('tr', { class: isTotal ? 'dash-total-row' : null },
        h('th', { scope: 'row', class: 'dash-row-label', title: isTotal ? undefined : rowLabel(row) }, isTotal ? t('dash.total') : rowLabel(row)),
        row.counts.map((n, i) => h('td', { class: 'num' },
          num(n, f ? cellHref(aging, row.key, i) : null, attrs({ bucket: String(i) })))),
        h('td', { class: 'num' }, num(row.overdue, f ? casesHref({ ...f, overdue: 'true', sort: 'due_asc' }) : null, attrs({ col: 'overdue' }))),
        h('td', { class: 'num' }, num(row.total, f ? casesHref(f) : null, attrs({ col: 'total' }))));
    };
    const table = h('table', { class: 'table table-compact dash-aging-table', id: 'dash-aging-table' },
      h('caption', { class: 'sr-only' }, t('dash.aging_table', { group: t(`dash.group_${state.groupBy}`) })),
      head,
      h('tbody', null, aging.rows.map((r) => line(r, false))),
      h('tfoot', null, line(aging.totals, true)));
    replace(agingTableWrap, table);
    const notes = [t('dash.note_status_total')];
    if (state.groupBy === 'partner') notes.push(t('dash.note_partner'));
    agingNote.textContent = notes.join(' ');
  }

  async function renderAgingChart(aging) {
    const n = aging.rows.length;
    agingChart.classList.toggle('is-rows-m', n > 5 && n <= 8);
    agingChart.classList.toggle('is-rows-l', n > 8);
    const chart = await chartFor('aging', agingChart);
    if (!chart || disposed) return;
    const labels = aging.rows.map(rowLabel);
    chart.resize();
    chart.setOption({
      animation: false,
      textStyle: CHART_TEXT,
      aria: { enabled: true, label: { description: t('dash.aging_chart') } },
      color: BUCKET_COLOURS,
      grid: { left: 8, right: 24, top: 30, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { ...CHART_TEXT, fontSize: 12 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText', confine: true },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#e8edf2' } }, axisLabel: { color: '#5a6877' } },
      yAxis: {
        type: 'category', inverse: true, data: labels,
        axisLabel: { color: '#1b2633', width: 130, overflow: 'truncate' }, axisTick: { show: false },
      },
      series: aging.buckets.map((b, i) => ({
        name: bucketLabel(b), type: 'bar', stack: 'age', barMaxWidth: 22,
        emphasis: { focus: 'series' }, cursor: 'pointer',
        data: aging.rows.map((r) => r.counts[i]),
      })),
    }, { notMerge: true });
  }

  async function renderIntake(data) {
    state.intake = data;
    const none = !data || !data.days || data.days.length === 0;
    intakeEmpty.hidden = !none;
    intakeChart.hidden = none;
    if (none) {
      intakeEmpty.textContent = data ? t('dash.intake_empty') : t('dash.intake_unavailable');
      intakeSum.textContent = '';
      return;
    }
    const total = (data.total || []).reduce((a, b) => a + b, 0);
    intakeSum.textContent = t('dash.intake_sum', { n: total, days: data.days.length });
    const chart = await chartFor('intake', intakeChart);
    if (!chart || disposed) return;
    chart.resize();
    const series = data.series || [];
    chart.setOption({
      animation: false,
      textStyle: CHART_TEXT,
      aria: { enabled: true, label: { description: t('dash.intake_chart') } },
      grid: { left: 8, right: 16, top: 30, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { ...CHART_TEXT, fontSize: 12 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText', confine: true },
      xAxis: { type: 'category', data: data.days.map((d) => d.slice(5)), axisLabel: { color: '#5a6877' }, axisTick: { alignWithLabel: true } },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#e8edf2' } }, axisLabel: { color: '#5a6877' } },
      series: series.map((s) => ({
        name: label('channel', s.channel), type: 'bar', stack: 'intake', barMaxWidth: 18, cursor: 'pointer',
        itemStyle: { color: CHANNEL_COLOURS[s.channel] || '#94a3b8' },
        data: s.counts,
      })),
    }, { notMerge: true });
  }

  function renderOverdue(aging) {
    const o = aging.overdue_by_deadline || {};
    const item = (kind, href) => [
      h('dt', null, t(`dash.deadline_${kind}`)),
      h('dd', null, num(o[kind] ?? 0, href, { dataset: { deadline: kind } }))];
    replace(overdueList,
      item('acceptance', casesHref({ status: 'registered', overdue: 'true', sort: 'due_asc' })),
      item('handling', casesHref({ overdue: 'true', sort: 'due_asc' })),
      item('referral_response', null),
      item('protection_order_ruling', null));
    replace(oldestBody, (aging.oldest || []).map((c) => h('tr', { class: c.overdue ? 'row-overdue' : null, dataset: { caseId: c.id } },
      h('td', null, h('a', { href: `#/cases/${c.id}`, class: 'case-no' }, c.case_no)),
      h('td', null, h('span', { class: `badge status-${c.status}` }, label('status', c.status))),
      h('td', { class: 'num' }, t('dash.days_value', { n: c.age_days })),
      h('td', { class: ['num', c.overdue_days ? 'text-danger' : 'muted'] }, c.overdue_days ? t('dash.days_value', { n: c.overdue_days }) : '—'))));
    if (!(aging.oldest || []).length) oldestBody.append(h('tr', null, h('td', { colspan: 4, class: 'empty muted' }, t('dash.oldest_none'))));
  }

  function renderHighRisk(rows, truncated) {
    highRiskCount.textContent = t('dash.high_risk_count', { n: rows.length });
    highRiskEmpty.hidden = rows.length > 0;
    highRiskTable.hidden = rows.length === 0;
    replace(highRiskBody, rows.slice(0, HIGH_RISK_SHOWN).map((r) => h('tr', {
      class: ['dash-hr-row', r.breach ? 'is-breach' : null], dataset: { caseId: r.id, risk: r.risk_level, breach: String(r.breach) },
    },
    h('td', null, h('a', { href: `#/cases/${r.id}`, class: 'case-no' }, r.case_no),
      h('div', { class: 'small muted nowrap' }, r.assessed_at ? t('dash.assessed_on', { date: fmtDate(r.assessed_at) }) : t('dash.received_on', { date: fmtDate(r.received_at) }))),
    h('td', { class: 'dash-hr-risk' }, h('span', { class: `badge risk-${r.risk_level}` }, label('risk', r.risk_level)),
      r.breach ? h('span', { class: 'badge dash-flag' }, t('dash.no_safety_plan')) : h('span', { class: 'muted small' }, t('dash.has_safety_plan'))),
    h('td', { class: 'dash-hr-status' }, h('span', { class: `badge status-${r.status}` }, label('status', r.status)),
      h('div', { class: 'small muted dash-hr-assignee' }, r.assignee ? r.assignee.display_name : t('dash.none_assignee'))))));
    const more = rows.length > HIGH_RISK_SHOWN || truncated;
    highRiskMore.hidden = !more;
    replace(highRiskMore, more ? [
      t('dash.high_risk_more', { n: Math.max(0, rows.length - HIGH_RISK_SHOWN) }), ' ',
      h('a', { href: casesHref({ risk_level: 'extreme' }) }, label('risk', 'extreme')), ' · ',
      h('a', { href: casesHref({ risk_level: 'high' }) }, label('risk', 'high'))] : []);
  }

  function renderExpiring(items) {
    expiringEmpty.hidden = items.length > 0;
    expiringTable.hidden = items.length === 0;
    replace(expiringBody, items.map((o) => h('tr', { dataset: { caseId: o.case_id } },
      h('td', null, h('a', { href: `#/cases/${o.case_id}`, class: 'case-no' }, o.case_no)),
      h('td', { class: 'dash-po-court' }, o.court ? o.court.name : '—'),
      h('td', { class: 'nowrap' }, fmtDateTime(o.expires_at)),
      h('td', { class: ['nowrap', 'num', o.days_to_expiry !== null && o.days_to_expiry <= 3 ? 'text-danger' : 'text-warn'] },
        t('dash.expires_in', { n: o.days_to_expiry ?? '—' })))));
  }

  // --- data ---
  // Most urgent first: extreme before high; without a safety plan (a breach) before with one; then
  // the newest assessment (breaches) or receipt (the others) first.
  function highRiskRows(breaches, extreme, high) {
    const byId = new Map();
    for (const b of breaches.items || []) byId.set(b.id, { ...b, breach: true });
    for (const list of [extreme, high]) {
      for (const c of list.items || []) {
        if (c.status === 'closed' || byId.has(c.id)) continue;
        byId.set(c.id, { id: c.id, case_no: c.case_no, status: c.status, risk_level: c.risk_level, received_at: c.received_at, assessed_at: null, assignee: c.assignee, breach: false });
      }
    }
    const time = (r) => new Date(r.assessed_at || r.received_at).getTime() || 0;
    return [...byId.values()]
      .filter((r) => r.risk_level in RISK_RANK)
      .sort((a, b) => (RISK_RANK[a.risk_level] - RISK_RANK[b.risk_level]) || (Number(b.breach) - Number(a.breach)) || (time(b) - time(a)) || (b.id - a.id));
  }

  // A part of the page that may be missing (the intake series until the server has it; a report
  // that fails): false for 404, null for another error; the rest of the dashboard still shows.
  const optional = (p) => p.catch((e) => {
    if (e instanceof api.ApiError && e.status === 404) return false;
    console.warn(e);
    return null;
  });

  let seq = 0;
  let running = null;
  let again = false;
  async function refresh() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await load();
      } while (again && !disposed && ctx.alive());
    })().finally(() => { running = null; });
    return running;
  }

  async function load() {
    const mySeq = ++seq;
    const groupBy = state.groupBy;
    root.querySelector('.dash-page').setAttribute('aria-busy', 'true');
    try {
      const thisMonth = monthOf(shanghaiDay());
      const [aging, breaches, extreme, high, expiring, intake, report, previous] = await Promise.all([
        api.get(`/api/v1/dashboard/aging${api.qs({ group_by: groupBy })}`),
        api.get('/api/v1/dv/breaches'),
        api.get('/api/v1/cases?risk_level=extreme&limit=200'),
        api.get('/api/v1/cases?risk_level=high&limit=200'),
        api.get('/api/v1/dv/expiring?days=14'),
        optional(api.get('/api/v1/dashboard/intake-daily?days=30')),
        optional(api.get(`/api/v1/reports?period=${thisMonth}`)),
        optional(api.get(`/api/v1/reports?period=${monthOf(thisMonth + '-01', -1)}`)),
      ]);
      if (disposed || !ctx.alive() || mySeq !== seq || groupBy !== state.groupBy) return;
      errorBox.hidden = true;
      state.aging = aging;
      const hr = highRiskRows(breaches, extreme, high);
      renderKpis(kpis, { aging, report: report || null, previous: previous || null, highRisk: hr, month: thisMonth });
      renderAgingTable(aging);
      renderOverdue(aging);
      renderHighRisk(hr, Boolean(extreme.next_cursor || high.next_cursor));
      renderExpiring(expiring.items || []);
      await Promise.all([renderAgingChart(aging), renderIntake(intake)]);
      if (disposed || !ctx.alive() || mySeq !== seq) return;
      liveTime.textContent = new Intl.DateTimeFormat(getLang(), { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date());
      liveTime.setAttribute('datetime', new Date().toISOString());
      root.querySelector('.dash-page').dataset.loaded = String(Number(root.querySelector('.dash-page').dataset.loaded || 0) + 1);
    } catch (e) {
      if (disposed || !ctx.alive() || mySeq !== seq) return;
      errorBox.textContent = `${t('dash.load_failed')} ${errorMessage(e)}`;
      errorBox.hidden = false;
    } finally {
      if (mySeq === seq && !disposed) root.querySelector('.dash-page')?.removeAttribute('aria-busy');
    }
  }

  function setGroup(g) {
    if (g === state.groupBy) return;
    state.groupBy = g;
    for (const b of groupSwitch.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.group === g));
    setQuery('/dashboard', new URLSearchParams(g === 'status' ? {} : { group_by: g }));
    refresh();
  }

  const stopLive = onChange(throttled(() => {
    if (!disposed) refresh();
  }, 800));

  accountChanges.load();
  await refresh();

  return () => {
    disposed = true;
    stopLive();
    if (resizer) resizer.disconnect();
    for (const c of Object.values(charts)) if (c) c.dispose();
  };
}

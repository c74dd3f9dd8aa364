// The dashboard's tiles (主要指标). The month's figures come from the period report of this month
// (GET /api/v1/reports?period=YYYY-MM, 本级及下级), the same numbers the 统计报表 view shows, so the
// closure-rate and the closed tiles cannot disagree: 办结率 is the share of this month's accepted
// cases closed by now, 本月办结 the cases closed this month whenever accepted (issue #15 point 7).
// Every tile opens what it counts: a case list, or this month's report.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

// The value of a figure of a period report (null when the report or the figure is missing).
export function figure(report, key) {
  if (!report) return null;
  for (const s of report.sections) for (const f of s.figures) if (f.key === key) return f.value;
  return null;
}

function casesHref(params) {
  return `#/cases?${new URLSearchParams(params).toString()}`;
}

// Percentages as the report gives them (97.5 = 97.5 %), one decimal on a tile.
const pct = (v) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(1)}%`);
const count = (v) => (v === null || v === undefined ? '—' : String(v));

// `report` / `previous`: this and last month's period reports (null when not available).
export function renderKpis(kpis, { aging, report, previous, highRisk, month }) {
  const monthHref = `#/reports?period=${month}`;
  const compare = (key, fmt, better) => {
    const cur = figure(report, key);
    const prev = figure(previous, key);
    if (cur === null || prev === null) return null;
    const diff = cur - prev;
    const dir = Math.abs(diff) < 1e-9 ? 'same' : (diff > 0) === (better === 'up') ? 'better' : 'worse';
    const arrow = Math.abs(diff) < 1e-9 ? '＝' : diff > 0 ? '▲' : '▼';
    return h('span', { class: ['dash-kpi-compare', `is-${dir}`], title: t('dash.vs_previous') }, `${arrow} ${t('dash.prev_month')} ${fmt(prev)}`);
  };
  // `hint`: what the tile counts, in full (the tile's own line is short).
  const tile = (id, title, value, sub, href, extra, hint) => h('div', { class: 'dash-kpi', id, title: hint },
    h('div', { class: 'dash-kpi-label' }, title),
    h('div', { class: 'dash-kpi-value' }, typeof href === 'function'
      ? h('button', { type: 'button', class: 'dash-kpi-jump', onclick: href }, value)
      : href ? h('a', { href }, value) : value),
    sub ? h('div', { class: 'dash-kpi-sub muted' }, sub) : null,
    extra || null);
  const breaches = highRisk.filter((r) => r.breach).length;
  const duban = aging.supervisions || { open: 0, overdue: 0 };
  const unavailable = t('dash.monthly_unavailable');
  replace(kpis,
    tile('dash-open-total', t('dash.kpi_open'), String(aging.totals.total), t('dash.kpi_open_sub'), casesHref({ status: 'open', sort: 'received_asc' })),
    tile('dash-overdue-total', t('dash.kpi_overdue'), String(aging.totals.overdue), t('dash.kpi_overdue_sub'), casesHref({ overdue: 'true', sort: 'due_asc' })),
    tile('dash-closure-rate', t('dash.kpi_closure_rate'), pct(figure(report, 'rates.closure')),
      report ? t('dash.kpi_closure_rate_sub', { accepted: count(figure(report, 'cases.accepted')) }) : unavailable,
      monthHref, compare('rates.closure', pct, 'up'), t('dash.kpi_closure_rate_hint')),
    tile('dash-closed', t('dash.kpi_closed'), report ? t('dash.kpi_closed_value', { n: count(figure(report, 'cases.closed')) }) : '—',
      report ? t('dash.kpi_closed_sub') : unavailable, monthHref, compare('cases.closed', count, 'up'), t('dash.kpi_closed_hint')),
    tile('dash-satisfaction', t('dash.kpi_satisfaction'), pct(figure(report, 'follow_up.satisfaction')),
      report ? t('dash.kpi_satisfaction_sub', { n: count(figure(report, 'follow_up.done')) }) : '', monthHref,
      compare('follow_up.satisfaction', pct, 'up')),
    tile('dash-high-risk-total', t('dash.kpi_high_risk'), String(highRisk.length),
      breaches ? h('span', { class: 'text-danger' }, t('dash.kpi_breaches', { n: breaches })) : t('dash.kpi_no_breaches'),
      // Clickable like the others (issue #15): the list of these cases is the high-risk card on
      // this page (the case list cannot filter "high or extreme" in one go).
      () => {
        const card = document.querySelector('.dash-high-risk-card');
        if (!card) return;
        card.scrollIntoView({ block: 'start' });
        card.setAttribute('tabindex', '-1');
        card.focus({ preventScroll: true });
      }),
    // 督办 on the scope's cases not answered yet; the overdue ones in red (issue #13).
    tile('dash-duban', t('dash.kpi_duban'), String(duban.open), duban.overdue
      ? h('span', { class: 'text-danger dash-duban-overdue' }, t('dash.kpi_duban_overdue', { n: duban.overdue }))
      : t('dash.kpi_duban_none_overdue'), casesHref({ supervised: '1', sort: 'due_asc' })));
}

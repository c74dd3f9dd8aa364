// The period report's chart: contacts per month (件 as bars, 人次 as a line) from the report's `series`.
// ECharts is the vendored copy the dashboard loads (/vendor/echarts.min.js, canvas renderer, richText
// tooltips: the CSP forbids the inline styles of the SVG renderer and HTML tooltips). The series
// table beside the chart holds the same numbers, for screen readers and for when ECharts is missing.
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { loadECharts, CHART_TEXT } from './echarts.js';

export function chartHost() {
  return h('div', { class: 'rep-chart', id: 'rep-chart', role: 'img', 'aria-label': t('rep.chart_label') });
}

// Draws `series` into `el`; returns a dispose function (null when ECharts could not be loaded).
export async function drawSeries(el, series) {
  let echarts;
  try {
    echarts = await loadECharts();
  } catch (e) {
    console.warn(e);
    el.classList.add('is-unavailable');
    return null;
  }
  if (!el.isConnected) return null;
  const chart = echarts.init(el, null, { renderer: 'canvas', locale: getLang() === 'en' ? 'EN' : 'ZH' });
  chart.setOption({
    animation: false,
    textStyle: CHART_TEXT,
    aria: { enabled: true, label: { description: t('rep.chart_label') } },
    grid: { left: 8, right: 16, top: 32, bottom: 4, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { ...CHART_TEXT, fontSize: 12 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText', confine: true },
    xAxis: { type: 'category', data: series.map((s) => s.month), axisLabel: { color: '#5a6877' }, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#e8edf2' } }, axisLabel: { color: '#5a6877' } },
    series: [
      { name: t('rep.col_items'), type: 'bar', barMaxWidth: 36, itemStyle: { color: '#1f4e79' }, data: series.map((s) => s.items) },
      { name: t('rep.col_persons'), type: 'line', symbolSize: 7, itemStyle: { color: '#c2410c' }, lineStyle: { color: '#c2410c' }, data: series.map((s) => s.person_times) },
    ],
  }, { notMerge: true });
  const resizer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => chart.resize());
  if (resizer) resizer.observe(el);
  el.dataset.drawn = 'true';
  return () => {
    if (resizer) resizer.disconnect();
    chart.dispose();
  };
}

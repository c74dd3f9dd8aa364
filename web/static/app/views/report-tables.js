// The period report's sheet (统计报表) as the server's JSON gives it: every section and figure with the
// name, unit and definition of the server's one definitions table (casework/report_figures.cpp) — this
// file holds no list of figure labels —, definitions as numbered footnotes, the 问题类别 × channel
// tables, the monthly series as a table (the chart is report-chart.js), the filing state with the
// changes since filing, and the 汇总 of the filings of the offices below.
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { fmtDateTime, fmtDate } from '../format.js';
import { user } from '../session.js';
import { periodLabel } from '../report-period.js';

const ZH_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

// A figure's value as its unit says: % with two decimals, 元 with two, counts as integers; null → —.
export function fmtFigure(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '—';
  const n = Number(value);
  if (unit === '%') return `${n.toFixed(2)}%`;
  if (unit === '元') return n.toLocaleString(getLang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return n.toLocaleString(getLang());
}

function sectionTitle(index, name) {
  const n = getLang() === 'en' ? String(index + 1) : ZH_NUMERALS[index] || String(index + 1);
  return t('rep.section_title', { n, name });
}

export function reportTitle(r) {
  return t('rep.title', { office: r.office.name, period: periodLabel(r.period.key), kind: t(`rep.kind_title_${r.period.kind}`) });
}

// One table per section: 指标 | 单位 | 数值 | 注. `notes` collects the footnotes in order.
function sectionTable(section, index, notes) {
  const rows = section.figures.map((f) => {
    notes.push(f);
    const n = notes.length;
    return h('tr', { dataset: { figure: f.key } },
      h('th', { scope: 'row', title: f.definition }, f.name),
      h('td', { class: 'rep-unit' }, f.unit),
      h('td', { class: ['num', f.unit === '%' ? 'sup-rate' : null], dataset: { value: f.key } }, fmtFigure(f.value, f.unit)),
      h('td', { class: 'rep-fn-ref' }, h('button', { type: 'button', class: 'rep-fn-btn', dataset: { note: String(n) }, 'aria-label': t('rep.note_ref', { n }), onclick: jumpToNote }, `[${n}]`)));
  });
  return h('table', { class: ['table', 'sup-report-table', 'rep-section'], dataset: { section: section.key } },
    h('caption', null, sectionTitle(index, section.name)),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('rep.col_figure')),
      h('th', { scope: 'col', class: 'rep-unit' }, t('rep.col_unit')),
      h('th', { scope: 'col', class: 'num' }, t('rep.col_value')),
      h('th', { scope: 'col', class: 'rep-fn-ref' }, t('rep.col_note')))),
    h('tbody', null, rows));
}

// A footnote mark scrolls to its note (a button: the hash is the route, not an anchor).
function jumpToNote(e) {
  e.preventDefault();
  const note = document.getElementById(`rep-fn-${e.currentTarget.dataset.note}`);
  if (note) {
    note.scrollIntoView({ block: 'center' });
    note.focus();
  }
}

// 问题类别 × channel: `which` is 'contacts' or 'cases'; a first-level row sums its second-level rows.
function categoryTable(cat, which) {
  const id = `rep-cat-${which}`;
  return h('div', { class: 'rep-scroll', role: 'region', tabindex: '0', 'aria-labelledby': `${id}-caption` },
    h('table', { class: 'table sup-report-table rep-cat-table', id, dataset: { table: `categories-${which}` } },
      h('caption', { id: `${id}-caption` }, t(`rep.cat_${which}`)),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('rep.col_category')),
        cat.channels.map((c) => h('th', { scope: 'col', class: 'num', dataset: { channel: c.code } }, c.name)),
        h('th', { scope: 'col', class: 'num' }, t('rep.col_total')))),
      h('tbody', null, cat.rows.map((row) => h('tr', {
        class: row.level === 1 ? 'rep-cat-l1' : 'rep-cat-l2', dataset: { category: row.code ?? 'none' },
      },
      h('th', { scope: 'row' }, row.code === null ? t('rep.cat_none') : row.name),
      row[which].map((n, i) => h('td', { class: 'num', dataset: { channel: cat.channels[i].code } }, fmtFigure(n))),
      h('td', { class: 'num rep-total' }, fmtFigure(row[`${which}_total`])))))));
}

function seriesTable(series) {
  return h('table', { class: 'table sup-report-table rep-series-table', dataset: { table: 'series' } },
    h('caption', null, t('rep.series_table')),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('rep.col_month')),
      h('th', { scope: 'col', class: 'num' }, t('rep.col_items')),
      h('th', { scope: 'col', class: 'num' }, t('rep.col_persons')))),
    h('tbody', null, series.map((s) => h('tr', { dataset: { month: s.month } },
      h('th', { scope: 'row' }, s.month), h('td', { class: 'num' }, fmtFigure(s.items)), h('td', { class: 'num' }, fmtFigure(s.person_times))))));
}

// 已报送 <time> <who> and the figures whose live value differs from the filed one; or not filed yet.
export function filingBlock(r, { ended }) {
  const f = r.filed;
  if (!f) {
    return h('div', { class: 'rep-filing is-unfiled', id: 'rep-filing' },
      h('p', { class: 'rep-filing-state' }, ended ? t('rep.unfiled') : t('rep.unfiled_open')));
  }
  const who = f.filed_by ? f.filed_by.name : '—';
  const changes = f.changes || [];
  return h('div', { class: ['rep-filing', 'is-filed', changes.length ? 'has-changes' : null], id: 'rep-filing' },
    h('p', { class: 'rep-filing-state' },
      h('strong', null, t('rep.filed', { time: fmtDateTime(f.filed_at), who })),
      f.version > 1 ? ` ${t('rep.filed_version', { n: f.version })}` : null),
    changes.length === 0
      ? h('p', { class: 'muted small rep-no-changes' }, t('rep.no_changes'))
      : h('table', { class: 'table sup-report-table rep-changes', id: 'rep-changes' },
        h('caption', null, t('rep.changes', { n: changes.length })),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('rep.col_figure')),
          h('th', { scope: 'col', class: 'num' }, t('rep.col_filed')),
          h('th', { scope: 'col', class: 'num' }, t('rep.col_live')))),
        h('tbody', null, changes.map((c) => {
          const unit = unitOf(r, c.key);
          return h('tr', { dataset: { figure: c.key } },
            h('th', { scope: 'row' }, c.name),
            h('td', { class: 'num' }, fmtFigure(c.filed, unit)),
            h('td', { class: 'num rep-live' }, fmtFigure(c.live, unit)));
        }))));
}

function unitOf(r, key) {
  for (const s of r.sections) for (const f of s.figures) if (f.key === key) return f.unit;
  return null;
}

// The whole sheet. `chartHost`: the element the chart is drawn into (placed beside the series table).
export function reportSheet(r, { chartHost, ended }) {
  const notes = [];
  const sections = r.sections.map((s, i) => sectionTable(s, i, notes));
  const scope = r.scope === 'office' ? t('rep.scope_office') : t('rep.scope_subtree');
  return h('article', { class: 'card sup-sheet rep-sheet', 'aria-labelledby': 'rep-sheet-title' },
    h('h2', { class: 'sup-sheet-title', id: 'rep-sheet-title' }, reportTitle(r)),
    h('dl', { class: 'sup-sheet-meta rep-meta' },
      h('div', null, h('dt', null, t('rep.unit')), h('dd', null, `${r.office.name}（${r.office.region_code}）`)),
      h('div', null, h('dt', null, t('rep.period')), h('dd', null, t('rep.period_value', { from: r.period.from, to: r.period.to }))),
      h('div', null, h('dt', null, t('rep.scope')), h('dd', { id: 'rep-scope-value' }, scope)),
      h('div', null, h('dt', null, t('rep.as_of')), h('dd', { id: 'rep-as-of' }, fmtDateTime(r.as_of)))),
    filingBlock(r, { ended }),
    h('div', { class: 'sup-sheet-grid rep-grid' }, sections),
    h('section', { class: 'rep-block', 'aria-labelledby': 'rep-cat-title' },
      h('h3', { class: 'rep-block-title', id: 'rep-cat-title' }, t('rep.cat_title')),
      categoryTable(r.categories, 'contacts'),
      categoryTable(r.categories, 'cases')),
    h('section', { class: 'rep-block rep-series', 'aria-labelledby': 'rep-series-title' },
      h('h3', { class: 'rep-block-title', id: 'rep-series-title' }, t('rep.series_title')),
      h('div', { class: 'rep-series-row' }, chartHost, seriesTable(r.series))),
    h('section', { class: 'rep-block rep-notes-block', 'aria-labelledby': 'rep-notes-title' },
      h('h3', { class: 'rep-block-title', id: 'rep-notes-title' }, t('rep.notes_title')),
      h('ol', { class: 'rep-notes' }, notes.map((f, i) => h('li', { id: `rep-fn-${i + 1}`, tabindex: '-1', dataset: { figure: f.key } },
        h('span', { class: 'rep-note-name' }, f.name), t('common.colon'), f.definition))),
      h('p', { class: 'small rep-as-of-note' }, t('rep.as_of_note', { time: fmtDateTime(r.as_of) }))),
    // As the XLSX: 制表人 is who prints it, 审核人 is signed by hand, 报送日期 the filing in force.
    h('div', { class: 'sup-sign' }, h('span', null, t('rep.sign_maker'), user()?.display_name || ''),
      h('span', null, t('rep.sign_reviewer')),
      h('span', null, t('rep.sign_date'), r.filed ? t('rep.sign_filed', { date: fmtDate(r.filed.filed_at), version: r.filed.version }) : '')));
}

// 汇总: the offices directly below with their filing in force (or none) beside their live figures,
// and the sums of the filed and of the live figures (GET /api/v1/reports/filings).
export function summaryCard(s, report) {
  const live = new Map();
  if (report) for (const sec of report.sections) for (const f of sec.figures) live.set(f.key, f.value);
  const filedSum = new Map((s.sum.filed || []).map((f) => [f.key, f.value]));
  const byChild = s.children.map((c) => ({ ...c, filedValues: new Map(((c.filed && c.filed.figures) || []).map((f) => [f.key, f.value])) }));
  const head = h('tr', null,
    h('th', { scope: 'col' }, t('rep.col_figure')),
    byChild.map((c) => h('th', { scope: 'col', class: 'num', dataset: { office: String(c.office.id) } },
      c.office.name,
      h('div', { class: 'small rep-child-state' }, c.filed
        ? t('rep.child_filed', { time: fmtDateTime(c.filed.filed_at), n: c.filed.version })
        : t('rep.child_unfiled')))),
    h('th', { scope: 'col', class: 'num' }, t('rep.sum_filed')),
    h('th', { scope: 'col', class: 'num' }, t('rep.sum_live')),
    report ? h('th', { scope: 'col', class: 'num' }, t('rep.this_report')) : null);
  const rows = s.sum.live.map((f) => h('tr', { dataset: { figure: f.key } },
    h('th', { scope: 'row', title: f.definition }, f.name),
    byChild.map((c) => {
      const lv = c.live ? c.live[f.key] : null;
      if (!c.filed) return h('td', { class: 'num muted', dataset: { office: String(c.office.id) } }, h('span', { class: 'rep-live' }, fmtFigure(lv, f.unit)));
      const fv = c.filedValues.get(f.key);
      return h('td', { class: 'num', dataset: { office: String(c.office.id) } }, fmtFigure(fv, f.unit),
        fv !== lv ? h('div', { class: 'small rep-live rep-differs' }, t('rep.live_now', { value: fmtFigure(lv, f.unit) })) : null);
    }),
    h('td', { class: 'num rep-total', dataset: { col: 'sum-filed' } }, filedSum.has(f.key) ? fmtFigure(filedSum.get(f.key), f.unit) : '—'),
    h('td', { class: 'num', dataset: { col: 'sum-live' } }, fmtFigure(f.value, f.unit)),
    report ? h('td', { class: 'num', dataset: { col: 'report' } }, fmtFigure(live.get(f.key), f.unit)) : null));
  return h('section', { class: 'card rep-summary sup-noprint', id: 'rep-summary', 'aria-labelledby': 'rep-summary-title' },
    h('h2', { class: 'card-title', id: 'rep-summary-title' }, t('rep.summary_title', { n: s.filed_count, total: s.children.length })),
    h('p', { class: 'muted small' }, t('rep.summary_note')),
    h('div', { class: 'rep-scroll', role: 'region', tabindex: '0', 'aria-labelledby': 'rep-summary-title' },
      h('table', { class: 'table sup-report-table rep-summary-table', id: 'rep-summary-table' }, h('thead', null, head), h('tbody', null, rows))));
}

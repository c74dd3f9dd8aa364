// 维权工作统计月报 (supervisor): month, office of the own subtree and scope (本级及下级 / 仅本级) →
// GET /api/v1/reports/monthly shown in the official layout; CSV and XLSX are plain same-origin links
// (the session cookie goes along); 打印 prints only the report sheet as a clean A4 table (print rules
// in css/supervision.css). The choice lives in the hash (#/reports/monthly?month=…&office_id=…).
import { h, replace, clear } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { loadOffices } from '../reference.js';
import { fmtDateTime, shanghaiParts } from '../format.js';
import { errorMessage } from '../errors.js';
import { setQuery } from '../router.js';
import { ownSubtree, officeSelect, fmtInt, fmtRate, fmtYuan, fmtDays } from './sup-common.js';

const CHANNELS = ['hotline', 'walk_in', 'letter', 'online', 'agent', 'screening', 'transfer_in'];

export function previousMonth(now = new Date()) {
  const p = shanghaiParts(now);
  let y = Number(p.year);
  let m = Number(p.month) - 1;
  if (m === 0) {
    m = 12;
    y -= 1;
  }
  return `${y}-${String(m).padStart(2, '0')}`;
}

export function monthLabel(month) {
  const [y, m] = String(month).split('-');
  return t('sup.m_month', { year: y, month: String(Number(m)) });
}

export default async function monthlyView(root, ctx) {
  const offices = ownSubtree(await loadOffices(), ctx.user.office_id);
  if (!ctx.alive()) return undefined;

  const q = ctx.query;
  const state = {
    month: /^\d{4}-\d{2}$/.test(q.get('month') || '') ? q.get('month') : previousMonth(),
    office_id: offices.some((o) => String(o.id) === q.get('office_id')) ? q.get('office_id') : String(ctx.user.office_id),
    subtree: q.get('subtree') === 'false' ? 'false' : 'true',
  };

  const monthInput = h('input', { type: 'month', id: 'm-month', class: 'input input-small', value: state.month, required: true, max: previousMonthOrCurrent() });
  const officeSel = officeSelect({ id: 'm-office', offices, value: state.office_id });
  const scopeName = 'm-scope';
  const scope = h('fieldset', { class: 'filter sup-scope' },
    h('legend', { class: 'filter-label' }, t('sup.m_scope')),
    h('div', { class: 'radio-row' },
      [['true', t('sup.m_scope_subtree')], ['false', t('sup.m_scope_own')]].map(([v, text]) => h('label', { class: 'radio-pill' },
        h('input', { type: 'radio', name: scopeName, value: v, checked: state.subtree === v }), h('span', null, text)))));
  const csv = h('a', { class: 'btn btn-small', download: '' }, t('sup.m_csv'));
  const xlsx = h('a', { class: 'btn btn-small', download: '' }, t('sup.m_xlsx'));
  const printBtn = h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => window.print() }, t('sup.m_print'));
  const controls = h('form', { class: 'filters sup-controls', 'aria-label': t('sup.m_controls') },
    h('div', { class: 'filter' }, h('label', { for: 'm-month', class: 'filter-label' }, t('sup.m_month_label')), monthInput),
    h('div', { class: 'filter' }, h('label', { for: 'm-office', class: 'filter-label' }, t('sup.m_office')), officeSel),
    scope,
    h('div', { class: 'filter filter-buttons sup-exports' }, csv, xlsx, printBtn));
  controls.addEventListener('submit', (e) => { e.preventDefault(); read(); load(); });
  controls.addEventListener('change', () => { read(); load(); });

  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'muted sup-status', 'aria-live': 'polite' });
  const sheet = h('div', { class: 'monthly-sheet' });

  replace(root, h('div', { class: 'sup-page monthly-page' },
    h('div', { class: 'page-head sup-noprint' }, h('h1', { class: 'page-title' }, t('sup.m_title')), status),
    controls, errorBox, sheet));

  function read() {
    if (/^\d{4}-\d{2}$/.test(monthInput.value)) state.month = monthInput.value;
    state.office_id = officeSel.value;
    const checked = scope.querySelector('input:checked');
    state.subtree = checked ? checked.value : 'true';
  }

  function params() {
    return { month: state.month, office_id: state.office_id, subtree: state.subtree };
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    setQuery('/reports/monthly', new URLSearchParams(params()));
    const query = api.qs(params());
    csv.href = `/api/v1/reports/monthly.csv${query}`;
    xlsx.href = `/api/v1/reports/monthly.xlsx${query}`;
    errorBox.hidden = true;
    status.textContent = t('sup.loading');
    sheet.classList.add('is-loading');
    try {
      const r = await api.get(`/api/v1/reports/monthly${query}`);
      if (mine !== seq || !ctx.alive()) return;
      renderSheet(r);
      status.textContent = t('sup.m_as_of', { time: fmtDateTime(r.as_of) });
    } catch (e) {
      if (mine !== seq || !ctx.alive()) return;
      clear(sheet);
      status.textContent = '';
      errorBox.textContent = e.status === 422 ? t('sup.m_bad_month') : errorMessage(e);
      errorBox.hidden = false;
    } finally {
      if (mine === seq) sheet.classList.remove('is-loading');
    }
  }

  function renderSheet(r) {
    const title = t('sup.m_print_title', { office: r.office.name, month: monthLabel(r.month) });
    const item = (key, text, value, extra) => h('tr', null,
      h('th', { scope: 'row' }, text), h('td', { class: ['num', extra], dataset: { item: key } }, value));
    // A two-column table of the report: item and value.
    const itemTable = (name, caption, ...rows) => h('table', { class: 'table sup-report-table', dataset: { table: name } },
      h('caption', null, caption),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('sup.m_col_item')), h('th', { scope: 'col', class: 'num' }, t('sup.m_col_value')))),
      h('tbody', null, rows));

    // 来信来访来电 by channel: 件 and 人次.
    const contacts = h('table', { class: 'table sup-report-table', dataset: { table: 'contacts' } },
      h('caption', null, t('sup.m_sec_contacts')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('sup.m_col_channel')),
        h('th', { scope: 'col', class: 'num' }, t('sup.m_col_matters')),
        h('th', { scope: 'col', class: 'num' }, t('sup.m_col_person_times')))),
      h('tbody', null,
        CHANNELS.map((ch) => {
          const row = r.contacts.by_channel.find((x) => x.channel === ch) || { matters: 0, person_times: 0 };
          return h('tr', { dataset: { channel: ch } },
            h('th', { scope: 'row' }, label('channel', ch)),
            h('td', { class: 'num', dataset: { item: `contacts.${ch}.matters` } }, fmtInt(row.matters)),
            h('td', { class: 'num', dataset: { item: `contacts.${ch}.person_times` } }, fmtInt(row.person_times)));
        }),
        h('tr', { class: 'sup-total-row' },
          h('th', { scope: 'row' }, t('sup.m_total')),
          h('td', { class: 'num', dataset: { item: 'contacts.total.matters' } }, fmtInt(r.contacts.total.matters)),
          h('td', { class: 'num', dataset: { item: 'contacts.total.person_times' } }, fmtInt(r.contacts.total.person_times))),
        h('tr', null,
          h('th', { scope: 'row' }, t('sup.m_consultations')),
          h('td', { class: 'num', dataset: { item: 'consultations.matters' } }, fmtInt(r.consultations.matters)),
          h('td', { class: 'num', dataset: { item: 'consultations.person_times' } }, fmtInt(r.consultations.person_times)))));

    const cases = itemTable('cases', t('sup.m_sec_cases'),
      item('cases.opened', t('sup.m_opened'), fmtInt(r.cases.opened)),
      item('cases.accepted', t('sup.m_accepted'), fmtInt(r.cases.accepted)),
      item('cases.closed', t('sup.m_closed'), fmtInt(r.cases.closed)),
      item('cases.declined', t('sup.m_declined'), fmtInt(r.cases.declined)),
      item('closure_rate.closed', t('sup.m_cohort_closed', { n: fmtInt(r.closure_rate.accepted) }), fmtInt(r.closure_rate.closed)),
      item('closure_rate.rate', t('sup.m_closure_rate'), fmtRate(r.closure_rate.rate), 'sup-rate'),
      item('handling_rate.received', t('sup.m_received'), fmtInt(r.handling_rate.received)),
      item('handling_rate.handled', t('sup.m_handled'), fmtInt(r.handling_rate.handled)),
      item('handling_rate.rate', t('sup.m_handling_rate'), fmtRate(r.handling_rate.rate), 'sup-rate'),
      item('legal_aid_referrals', t('sup.m_legal_aid'), fmtInt(r.legal_aid_referrals)),
      item('losses_avoided_fen', t('sup.m_losses'), fmtYuan(r.losses_avoided_fen)),
      item('avg_days_to_close', t('sup.m_avg_days'), fmtDays(r.avg_days_to_close)));

    const dv = r.dv || {};
    const dvTable = itemTable('dv', t('sup.m_sec_dv'),
      item('dv.protection_orders_applied', t('sup.m_po_applied'), fmtInt(dv.protection_orders_applied)),
      item('dv.protection_orders_granted', t('sup.m_po_granted'), fmtInt(dv.protection_orders_granted)),
      item('dv.warning_letters', t('sup.m_warning_letters'), fmtInt(dv.warning_letters)),
      item('dv.shelter_stays', t('sup.m_shelters'), fmtInt(dv.shelter_stays)),
      item('dv.mandatory_reports', t('sup.m_mandatory_reports'), fmtInt(dv.mandatory_reports)));

    const s = r.satisfaction;
    const satisfaction = itemTable('satisfaction', t('sup.m_sec_satisfaction'),
      item('satisfaction.follow_ups', t('sup.m_follow_ups'), fmtInt(s.follow_ups)),
      item('satisfaction.satisfied', t('sup.sat_satisfied'), fmtInt(s.satisfied)),
      item('satisfaction.basically_satisfied', t('sup.sat_basically_satisfied'), fmtInt(s.basically_satisfied)),
      item('satisfaction.dissatisfied', t('sup.sat_dissatisfied'), fmtInt(s.dissatisfied)),
      item('satisfaction.rate', t('sup.m_satisfaction_rate'), fmtRate(s.rate), 'sup-rate'));

    replace(sheet, h('article', { class: 'card sup-sheet', 'aria-labelledby': 'm-sheet-title' },
      h('h2', { class: 'sup-sheet-title', id: 'm-sheet-title' }, title),
      h('dl', { class: 'sup-sheet-meta' },
        h('div', null, h('dt', null, t('sup.m_unit')), h('dd', null, `${r.office.name}（${r.office.region_code}）`)),
        h('div', null, h('dt', null, t('sup.m_scope')), h('dd', null, r.subtree ? t('sup.m_scope_subtree') : t('sup.m_scope_own'))),
        h('div', null, h('dt', null, t('sup.m_period')), h('dd', null, t('sup.m_period_value', { from: r.from.slice(0, 10), to: lastDay(r.to) }))),
        h('div', null, h('dt', null, t('sup.m_made')), h('dd', null, fmtDateTime(r.as_of)))),
      h('div', { class: 'sup-sheet-grid' }, contacts, cases, dvTable, satisfaction),
      dv.available === false ? h('p', { class: 'muted small' }, t('sup.m_dv_unavailable')) : null,
      h('p', { class: 'muted small sup-sheet-note' }, t('sup.m_note')),
      h('div', { class: 'sup-sign' }, h('span', null, t('sup.m_sign_maker')), h('span', null, t('sup.m_sign_reviewer')), h('span', null, t('sup.m_sign_date')))));
  }

  await load();
  return undefined;
}

// The report's `to` is the next month's first day 00:00: the last day covered is the day before.
function lastDay(toIso) {
  const d = new Date(`${toIso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function previousMonthOrCurrent() {
  const p = shanghaiParts();
  return `${p.year}-${p.month}`;
}

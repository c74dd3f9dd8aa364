// 我的转介 — a partner organisation's home: the referrals sent to it (GET /api/v1/referrals, the
// server's order: open ones first, by due date), filtered by status, overdue ones standing out.
// Each row opens the partner view of the case, where the referral is answered.
// Live (live.js): a change to a case referred to this organisation re-reads the list; a referral
// that was not there before appears at once, marked "新转介" until the page is left.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { setQuery } from '../router.js';
import { fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { OPEN_REFERRAL, referralDue, overdueBadge } from './referral-panel.js';
import { onChange, throttled } from '../live.js';

// Filter chips: key → which referrals it shows.
const FILTERS = [
  ['open', (r) => OPEN_REFERRAL.has(r.status)],
  ['sent', (r) => r.status === 'sent'],
  ['active', (r) => r.status === 'accepted' || r.status === 'in_progress'],
  ['overdue', (r) => OPEN_REFERRAL.has(r.status) && r.overdue],
  ['completed', (r) => r.status === 'completed'],
  ['declined', (r) => r.status === 'declined'],
  ['all', () => true],
];

export default async function referralsView(root, ctx) {
  const tbody = h('tbody');
  const chips = h('div', { class: 'status-chips', role: 'group', 'aria-label': t('referrals.filter') });
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const count = h('p', { class: 'muted small', 'aria-live': 'polite' });
  let filter = FILTERS.some(([k]) => k === ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  let items = [];
  let known = null; // ids seen so far; null until the first answer
  const fresh = new Set();
  const liveNote = h('p', { class: 'sr-only', 'aria-live': 'polite' });
  replace(root, h('div', { class: 'referrals-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('referrals.title')),
      h('p', { class: 'muted' }, t('referrals.intro', { org: ctx.user.partner_name || '' }))),
    errorBox, chips, liveNote,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table referrals-table' },
      h('thead', null, h('tr', null, ['case_no', 'status', 'service', 'sent_at', 'due', 'reason'].map((c) => h('th', { scope: 'col' }, t(`referrals.col_${c}`))))),
      tbody)),
    h('div', { class: 'list-foot' }, count,
      h('p', { class: 'legend muted' }, h('span', { class: 'legend-swatch swatch-overdue', 'aria-hidden': 'true' }), t('referrals.legend_overdue')))));

  function render() {
    replace(chips, FILTERS.map(([key, test]) => h('button', {
      type: 'button', class: ['chip-btn', key === filter ? 'is-active' : null], 'aria-pressed': String(key === filter), dataset: { filter: key },
      onclick: () => {
        filter = key;
        setQuery('/referrals', new URLSearchParams(key === 'open' ? '' : `status=${key}`));
        render();
      },
    }, t(`referrals.filter_${key}`), h('span', { class: 'chip-count' }, String(items.filter(test).length)))));
    const test = FILTERS.find(([k]) => k === filter)[1];
    const shown = items.filter(test);
    count.textContent = t('referrals.showing', { shown: shown.length, total: items.length });
    replace(tbody, shown.length
      ? shown.map((r) => {
        const overdue = OPEN_REFERRAL.has(r.status) && r.overdue;
        const isNew = fresh.has(r.id);
        return h('tr', { class: [overdue ? 'row-overdue' : null, `ref-row-${r.status}`, isNew ? 'is-new' : null], dataset: { referral: String(r.id) } },
          h('td', { class: 'case-no' }, h('a', { href: `#/cases/${r.case_id}` }, r.case_no),
            isNew ? [' ', h('span', { class: 'badge live-new-badge' }, t('pd.referral_new'))] : null),
          h('td', null, h('span', { class: `badge referral-${r.status}` }, label('referral_status', r.status)),
            overdue ? [' ', overdueBadge(r)] : null),
          h('td', null, label('service', r.service)),
          h('td', { class: 'nowrap' }, fmtDateTime(r.sent_at)),
          h('td', { class: 'nowrap' }, referralDue(r) || (r.completed_at ? t('referrals.completed_on', { at: fmtDateTime(r.completed_at) }) : '—')),
          h('td', { class: 'col-summary' }, r.reason || h('span', { class: 'muted' }, '—')));
      })
      : h('tr', null, h('td', { colspan: 6, class: 'empty' }, items.length ? t('referrals.empty_filter') : t('referrals.empty'))));
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const res = await api.get('/api/v1/referrals');
      if (!ctx.alive() || mine !== seq) return;
      items = res.items || [];
      const added = known ? items.filter((r) => !known.has(r.id)) : [];
      for (const r of added) fresh.add(r.id);
      known = new Set(items.map((r) => r.id));
      errorBox.hidden = true;
      // Focus stays where it was: rows are rebuilt, so a focused case link is found again by id.
      const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('tr[data-referral]');
      const focusId = focused && tbody.contains(focused) ? focused.dataset.referral : null;
      render();
      if (focusId) tbody.querySelector(`tr[data-referral="${focusId}"] a`)?.focus({ preventScroll: true });
      if (added.length) liveNote.textContent = t('pd.referral_new_count', { n: added.length });
    } catch (e) {
      if (!ctx.alive() || mine !== seq) return;
      errorBox.textContent = errorMessage(e);
      errorBox.hidden = false;
    }
  }

  render();
  const stop = onChange(throttled(() => { if (ctx.alive()) load(); }, 500));
  await load();
  return stop;
}

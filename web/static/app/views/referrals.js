// 我的转介 — what a partner agency user sees: the cases referred to its organisation (placeholder
// list; replying to referrals comes with the referrals API).
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { loadCategories, categoryName } from '../reference.js';
import { fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';

export default async function referralsView(root, ctx) {
  const tbody = h('tbody');
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  replace(root, h('div', { class: 'referrals-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('referrals.title')),
      h('p', { class: 'muted' }, t('referrals.intro', { org: ctx.user.partner_name || '' }))),
    errorBox,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['case_no', 'received', 'category', 'summary', 'status'].map((c) => h('th', { scope: 'col' }, t(`cases.col_${c}`))))),
      tbody))));
  try {
    const [categories, res] = await Promise.all([loadCategories().catch(() => []), api.get('/api/v1/cases?limit=100')]);
    if (!ctx.alive()) return;
    replace(tbody, res.items.length
      ? res.items.map((c) => h('tr', null,
        h('td', { class: 'case-no' }, c.case_no),
        h('td', { class: 'nowrap' }, fmtDateTime(c.received_at)),
        h('td', null, categoryName(categories, c.category)),
        h('td', null, c.summary || '—'),
        h('td', null, h('span', { class: `badge status-${c.status}` }, label('status', c.status)))))
      : h('tr', null, h('td', { colspan: 5, class: 'empty' }, t('referrals.empty'))));
  } catch (e) {
    if (!ctx.alive()) return;
    errorBox.textContent = errorMessage(e);
    errorBox.hidden = false;
  }
}

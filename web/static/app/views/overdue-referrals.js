// 逾期转介 — the referring office's view of the partners that have not answered in time
// (GET /api/v1/referrals?overdue=true: open referrals of cases in the user's subtree whose running
// deadline has passed — the response while `sent`, the feedback once accepted). Shown on the case
// list as a banner "N 个转介逾期未答复" that opens a small list; #/cases?referrals=overdue opens it.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { OPEN_REFERRAL, referralDue } from './referral-panel.js';

// expanded: open the list at once; onToggle(open) keeps the page's URL in step.
export function overdueReferrals({ expanded = false, onToggle } = {}) {
  let items = [];
  let open = expanded;
  const text = h('span', { class: 'ovr-text' });
  const toggle = h('button', {
    type: 'button', class: 'btn btn-small ovr-toggle', 'aria-expanded': String(open), 'aria-controls': 'ovr-list',
    onclick: () => setOpen(!open),
  });
  const tbody = h('tbody');
  const list = h('div', { class: 'ovr-list', id: 'ovr-list', hidden: !open },
    h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact ovr-table' },
      h('caption', { class: 'sr-only' }, t('pd.overdue_list')),
      h('thead', null, h('tr', null, ['case_no', 'partner', 'service', 'status', 'sent_at', 'due'].map((c) => h('th', { scope: 'col' }, t(`pd.ovr_col_${c}`))))),
      tbody)));
  const banner = h('div', { class: 'alert alert-warn ovr-banner', role: 'status' },
    h('span', { class: 'ovr-icon', 'aria-hidden': 'true' }, '!'), text, toggle);
  const el = h('section', { class: 'ovr', 'aria-label': t('pd.overdue_list'), hidden: true }, banner, list);

  function setOpen(next) {
    open = next;
    list.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? t('pd.overdue_hide') : t('pd.overdue_show');
    if (onToggle) onToggle(open);
  }

  function render() {
    const unanswered = items.filter((r) => r.status === 'sent').length;
    const feedback = items.length - unanswered;
    el.hidden = items.length === 0;
    toggle.hidden = false;
    el.dataset.count = String(items.length);
    replace(text,
      unanswered ? h('strong', { class: 'ovr-unanswered' }, t('pd.overdue_unanswered', { n: unanswered })) : null,
      unanswered && feedback ? t('pd.overdue_sep') : null,
      feedback ? h('strong', { class: 'ovr-feedback' }, t('pd.overdue_feedback', { n: feedback })) : null);
    toggle.textContent = open ? t('pd.overdue_hide') : t('pd.overdue_show');
    replace(tbody, items.map((r) => h('tr', { class: 'row-overdue', dataset: { referral: String(r.id) } },
      h('td', { class: 'nowrap' }, h('a', { href: `#/cases/${r.case_id}`, class: 'case-no' }, r.case_no)),
      h('td', null, r.partner.name, ' ', h('span', { class: 'badge badge-muted' }, label('partner_type', r.partner.type))),
      h('td', { class: 'nowrap' }, label('service', r.service)),
      h('td', { class: 'nowrap' }, h('span', { class: `badge referral-${r.status}` }, label('referral_status', r.status))),
      h('td', { class: 'nowrap' }, fmtDateTime(r.sent_at)),
      h('td', { class: 'nowrap' }, referralDue(r) || '—'))));
  }

  async function load() {
    try {
      const res = await api.get('/api/v1/referrals?overdue=true');
      items = (res.items || []).filter((r) => OPEN_REFERRAL.has(r.status) && r.overdue);
      render();
    } catch (e) {
      // The banner is a helper on the case list: a failure here must not hide the list itself.
      el.hidden = false;
      toggle.hidden = true;
      replace(text, errorMessage(e));
    }
    return items;
  }

  return { el, load, count: () => items.length };
}

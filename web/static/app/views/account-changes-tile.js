// 账户变更 — the supervisor dashboard's card of the account changes of the last 30 days (三员分立,
// issue #16 finding 4): the administrators create accounts and change grants, and the supervisor sees
// what was asked about the accounts of her offices (and those without an office: partners and
// administrators), whether it was approved and by whom. Read-only: she decides nothing here.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { loadOffices, loadPartners } from '../reference.js';
import { kindText, stateText, describeChange, accountText } from '../approval-text.js';

const DAYS = 30;

// Returns {el, load}: load() fetches the pending and the last 30 days' decided approvals.
export function accountChangesTile() {
  const list = h('ul', { class: 'acx-list', id: 'dash-account-changes' });
  const empty = h('p', { class: 'dash-empty muted', hidden: true }, t('acx.none'));
  const countEl = h('span', { class: 'muted small', id: 'dash-account-changes-count' });
  const errorBox = h('p', { class: 'alert alert-error small', role: 'alert', hidden: true });
  const el = h('section', { class: 'card dash-card acx-card', 'aria-labelledby': 'dash-acx-title' },
    h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title', id: 'dash-acx-title' }, t('acx.title')), countEl),
    errorBox, h('div', { class: 'dash-scroll dash-scroll-short' }, list, empty));

  function line(a, names) {
    const who = a.state === 'pending' ? t('acx.requested_by', { name: a.requested_by ? a.requested_by.display_name : '—' })
      : t(a.state === 'approved' ? 'acx.approved_by' : 'acx.rejected_by', { name: a.decided_by ? a.decided_by.display_name : '—' });
    return h('li', { class: 'acx-item', dataset: { approval: String(a.id), state: a.state } },
      h('div', { class: 'acx-line' },
        h('span', { class: 'acx-account' }, accountText(a)), ' ',
        h('span', { class: 'muted small' }, kindText(a.kind)), ' ',
        h('span', { class: ['badge', `appr-badge-${a.state}`] }, stateText(a.state))),
      h('div', { class: 'acx-change small' }, describeChange(a, names)),
      h('div', { class: 'muted small' }, who, ' · ', fmtDateTime(a.decided_at || a.requested_at)));
  }

  async function load() {
    try {
      const since = Date.now() - DAYS * 86400000;
      const [pending, decided, offices, partners] = await Promise.all([
        api.get('/api/v1/approvals?state=pending'),
        api.get(`/api/v1/approvals${api.qs({ state: 'decided', since })}`),
        loadOffices().catch(() => []),
        loadPartners().catch(() => []),
      ]);
      const names = { offices: new Map(offices.map((o) => [o.id, o.name])), partners: new Map(partners.map((p) => [p.id, p.name])) };
      const items = [...(pending.items || []), ...(decided.items || [])];
      errorBox.hidden = true;
      countEl.textContent = t('acx.count', { n: items.length, pending: (pending.items || []).length });
      // All of them, in a scrolling box: a month's account changes are few.
      replace(list, items.map((a) => line(a, names)));
      empty.hidden = items.length > 0;
    } catch (e) {
      errorBox.textContent = errorMessage(e);
      errorBox.hidden = false;
    }
  }

  return { el, load };
}

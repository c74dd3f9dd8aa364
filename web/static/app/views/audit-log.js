// 审计日志 — the audit administrator's only page (三员分立, issue #16 finding 4): the audit log, newest
// first, filtered by local days, an action prefix ("user." or "case.read") and a user id, paged back
// with 更早 (before_id); and 校验审计链, the server's check of the log's keyed hash chain
// (GET /api/v1/audit/verify). The auditor reads who did what, never case content.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { fmtDateTime } from '../format.js';
import { errorMessage } from '../errors.js';
import { setQuery } from '../router.js';

const FILTERS = ['from', 'to', 'action', 'actor_id'];
const PAGE = 100;

// A row's detail as one line: the server's text, or its object as compact JSON.
export function detailText(detail) {
  if (detail === null || detail === undefined || detail === '') return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

export default async function auditLogView(root, ctx) {
  const state = Object.fromEntries(FILTERS.map((k) => [k, ctx.query.get(k) || '']));
  let nextBefore = null;
  let shown = 0;

  const input = (k, attrs) => {
    const el = h('input', { id: `audit-${k}`, class: 'input input-small', value: state[k], autocomplete: 'off', ...attrs });
    return h('div', { class: 'filter' }, h('label', { class: 'filter-label', for: el.id }, t(`audit.filter_${k}`)), el);
  };
  const form = h('form', { class: 'filters audit-filters', role: 'search', 'aria-label': t('audit.filters') },
    input('from', { type: 'date' }), input('to', { type: 'date' }),
    input('action', { type: 'text', placeholder: 'user.', list: 'audit-actions', spellcheck: 'false' }),
    h('datalist', { id: 'audit-actions' }, ['user.', 'user.create', 'user.grant', 'user.second_factor_reset', 'user.update', 'session.', 'case.read', 'case.', 'audit.'].map((v) => h('option', { value: v }))),
    input('actor_id', { type: 'number', min: '1', step: '1', inputmode: 'numeric' }),
    h('div', { class: 'filter filter-buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('audit.apply')),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => clearFilters() }, t('audit.clear'))));
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  const verifyBox = h('div', { class: 'alert', role: 'status', hidden: true, id: 'audit-verify-result' });
  const verifyBtn = h('button', { type: 'button', class: 'btn', id: 'audit-verify', onclick: () => verify() }, t('audit.verify'));
  const tbody = h('tbody');
  const count = h('p', { class: 'muted small', id: 'audit-count', 'aria-live': 'polite' });
  const moreBtn = h('button', { type: 'button', class: 'btn', id: 'audit-more', hidden: true, onclick: () => more() }, t('audit.more'));
  const table = h('table', { class: 'table table-compact audit-table', id: 'audit-table' },
    h('caption', { class: 'sr-only' }, t('audit.title')),
    h('thead', null, h('tr', null, ['at', 'actor', 'action', 'object', 'detail', 'ip'].map((c) => h('th', { scope: 'col', class: `audit-col-${c}` }, t(`audit.col_${c}`))))),
    tbody);
  replace(root, h('div', { class: 'audit-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('audit.title')), h('p', { class: 'muted' }, t('audit.intro')), verifyBtn),
    verifyBox, errorBox,
    h('section', { class: 'card', 'aria-label': t('audit.title') }, form,
      h('div', { class: 'table-wrap audit-table-wrap' }, table),
      h('div', { class: 'audit-foot' }, count, moreBtn))));

  const value = (k) => root.querySelector(`#audit-${k}`).value.trim();

  function row(r) {
    const actor = r.actor ? [h('div', null, r.actor.display_name || r.actor.username), h('div', { class: 'muted small' }, `${r.actor.username} · #${r.actor.id}`)]
      : h('span', { class: 'muted' }, t('audit.system'));
    const detail = detailText(r.detail);
    return h('tr', { class: 'audit-row', dataset: { id: String(r.id), action: r.action } },
      h('td', { class: 'nowrap' }, fmtDateTime(r.at), h('div', { class: 'muted small' }, `#${r.id}`)),
      h('td', null, actor),
      h('td', { class: 'nowrap' }, h('code', null, r.action)),
      h('td', { class: 'nowrap' }, r.object_type ? `${r.object_type}${r.object_id != null && r.object_id !== '' ? ` #${r.object_id}` : ''}` : '—'),
      h('td', { class: 'audit-detail' }, detail || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'nowrap' }, r.ip || '—'));
  }

  function query(before) {
    return api.qs({ from: state.from, to: state.to, action: state.action, actor_id: state.actor_id, before_id: before, limit: PAGE });
  }

  // append: the next page (更早) below what is shown; else the list anew. Only the newest question's
  // answer is shown: the first, unfiltered page arriving after her filter's would replace it.
  let seq = 0;
  async function load(append = false) {
    const mine = ++seq;
    root.querySelector('.audit-page').setAttribute('aria-busy', 'true');
    try {
      const res = await api.get(`/api/v1/audit${query(append ? nextBefore : null)}`);
      if (!ctx.alive() || mine !== seq) return;
      errorBox.hidden = true;
      const items = res.items || [];
      if (append) tbody.append(...items.map(row));
      else replace(tbody, items.length ? items.map(row) : h('tr', null, h('td', { colspan: 6, class: 'empty' }, t('audit.empty'))));
      shown = (append ? shown : 0) + items.length;
      nextBefore = res.next_before_id ?? null;
      moreBtn.hidden = nextBefore === null;
      count.textContent = t(nextBefore === null ? 'audit.count_all' : 'audit.count_more', { n: shown });
      if (append && items.length) tbody.querySelector(`[data-id="${items[0].id}"] td`)?.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      if (!ctx.alive() || mine !== seq) return;
      errorBox.textContent = errorMessage(e);
      errorBox.hidden = false;
      errorBox.focus();
    } finally {
      if (mine === seq) root.querySelector('.audit-page')?.removeAttribute('aria-busy');
    }
  }

  function more() {
    load(true).then(() => moreBtn.hidden || moreBtn.focus());
  }

  function syncUrl() {
    const p = new URLSearchParams();
    for (const k of FILTERS) if (state[k]) p.set(k, state[k]);
    setQuery('/audit', p);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const k of FILTERS) state[k] = value(k);
    syncUrl();
    load();
  });

  function clearFilters() {
    for (const k of FILTERS) {
      state[k] = '';
      root.querySelector(`#audit-${k}`).value = '';
    }
    syncUrl();
    load();
  }

  async function verify() {
    verifyBtn.disabled = true;
    verifyBox.hidden = true;
    try {
      const v = await api.get('/api/v1/audit/verify');
      verifyBox.className = `alert ${v.ok ? 'alert-success' : 'alert-error'}`;
      verifyBox.textContent = v.ok
        ? t('audit.verify_ok', { n: v.rows_checked, last: v.last_id ?? '—' })
        : t('audit.verify_broken', { n: v.rows_checked, id: v.first_broken_id ?? '—', reason: v.reason || '' });
    } catch (e) {
      verifyBox.className = 'alert alert-error';
      verifyBox.textContent = errorMessage(e);
    } finally {
      verifyBox.hidden = false;
      verifyBtn.disabled = false;
    }
  }

  await load();
}

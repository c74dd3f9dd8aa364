// 个案列表 — filters, Chinese substring search, sort, cursor paging, counts per status.
// The filters live in the hash query (#/cases?status=…&q=…) so a reload or a shared link keeps them.
//
// Live updates (live.js): a change in the user's scope refreshes the rows already shown, in place —
// same filters, same scroll position, focus kept on the same case, new rows briefly highlighted —
// but never while the operator is busy with the list: typing a search not yet applied, the pointer
// over the table (about to click a row), a dialog open, or more pages loaded than one request can
// bring back. Then a bar "有新的变动 · 刷新" waits, and the refresh happens when she is done (or
// when she presses it). Overdue referral responses of the office show as a banner above the list.
import { h, replace, kbd, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { loadCategories, loadUsers, loadOffices, loadPartners, categoryName, categoryPath } from '../reference.js';
import { fmtDateTime, fmtDate, countdown } from '../format.js';
import { errorMessage } from '../errors.js';
import { navigate, setQuery } from '../router.js';
import { onChange, throttled } from '../live.js';
import { overdueReferrals } from './overdue-referrals.js';

const STATUSES = ['registered', 'in_progress', 'referred', 'mediation', 'pending_closure', 'delegated', 'closed', 'forwarded'];
const CHANNELS = ['hotline', 'walk_in', 'letter', 'online', 'agent', 'screening', 'transfer_in'];
const RISKS = ['none', 'general', 'elevated', 'high', 'extreme'];
const SORTS = ['received_desc', 'received_asc', 'due_asc'];
// office_id and partner_id have no control of their own: they arrive from the dashboard's links and
// show as a removable note above the list.
const FILTER_KEYS = ['q', 'status', 'category', 'channel', 'risk_level', 'overdue', 'supervised', 'assignee_id', 'received_from', 'received_to', 'sort', 'office_id', 'partner_id'];
export const HIGH_RISK = new Set(['high', 'extreme']);

function select(name, labelText, options) {
  const id = `filter-${name}`;
  return h('div', { class: 'filter' },
    h('label', { for: id, class: 'filter-label' }, labelText),
    h('select', { id, name, class: 'input input-small' }, options.map((o) => (o.group
      ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value }, x.label)))
      : h('option', { value: o.value }, o.label)))));
}

export default async function casesView(root, ctx) {
  const [categories, users] = await Promise.all([
    loadCategories(),
    ctx.user.role === 'supervisor' ? loadUsers().catch(() => []) : Promise.resolve([]),
  ]);
  if (!ctx.alive()) return undefined;

  const state = {};
  for (const k of FILTER_KEYS) state[k] = ctx.query.get(k) || '';

  const parents = categories.filter((c) => !c.parent_code);
  const searchInput = h('input', {
    id: 'filter-q', name: 'q', type: 'search', class: 'input search-input',
    placeholder: t('cases.search_placeholder'), autocomplete: 'off', value: state.q,
  });
  const assigneeOptions = [{ value: '', label: t('cases.assignee_all') }, { value: 'me', label: t('cases.assignee_me') }, { value: 'none', label: t('cases.assignee_none') },
    ...users.filter((u) => ['operator', 'supervisor'].includes(u.role) && !u.disabled).map((u) => ({ value: String(u.id), label: u.display_name }))];
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': t('cases.filters') },
    h('div', { class: 'filter filter-search' },
      h('label', { for: 'filter-q', class: 'filter-label' }, t('cases.search'), ' ', kbd('Alt', 'F')),
      searchInput),
    select('status', t('cases.status'), [{ value: '', label: t('common.all') }, { value: 'open', label: t('cases.status_open') }, ...STATUSES.map((s) => ({ value: s, label: label('status', s) }))]),
    select('category', t('cases.category'), [{ value: '', label: t('common.all') },
      ...parents.map((p) => ({ group: categoryName(categories, p.code), options: categories.filter((c) => c.parent_code === p.code).map((c) => ({ value: c.code, label: categoryName(categories, c.code) })) }))]),
    select('channel', t('cases.channel'), [{ value: '', label: t('common.all') }, ...CHANNELS.map((c) => ({ value: c, label: label('channel', c) }))]),
    select('risk_level', t('cases.risk'), [{ value: '', label: t('common.all') }, ...RISKS.map((r) => ({ value: r, label: label('risk', r) }))]),
    select('assignee_id', t('cases.assignee'), assigneeOptions),
    h('div', { class: 'filter filter-dates' },
      h('span', { class: 'filter-label', id: 'received-label' }, t('cases.received_between')),
      h('div', { class: 'date-range' },
        h('input', { type: 'date', name: 'received_from', class: 'input input-small', 'aria-label': t('cases.received_from'), value: state.received_from }),
        h('span', { 'aria-hidden': 'true' }, '–'),
        h('input', { type: 'date', name: 'received_to', class: 'input input-small', 'aria-label': t('cases.received_to'), value: state.received_to }))),
    h('div', { class: 'filter filter-check' },
      h('label', { class: 'check-inline' }, h('input', { type: 'checkbox', name: 'overdue', checked: state.overdue === 'true' }), t('cases.overdue_only')),
      h('label', { class: 'check-inline' }, h('input', { type: 'checkbox', name: 'supervised', checked: state.supervised === '1' }), t('cases.supervised_only'))),
    select('sort', t('cases.sort'), SORTS.map((s) => ({ value: s, label: t(`sort.${s}`) }))),
    h('div', { class: 'filter filter-buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('cases.apply')),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => resetFilters() }, t('cases.reset'))));
  for (const k of ['status', 'category', 'channel', 'risk_level', 'assignee_id', 'sort']) filters.elements[k].value = state[k] || (k === 'sort' ? 'received_desc' : '');

  const chips = h('div', { class: 'status-chips', role: 'group', 'aria-label': t('cases.counts') });
  const scopeNote = h('p', { class: 'scope-note muted', hidden: true });
  const summaryLine = h('p', { class: 'list-summary muted', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const table = h('table', { class: 'table cases-table' },
    h('caption', { class: 'sr-only' }, t('cases.title')),
    h('thead', null, h('tr', null,
      ['case_no', 'received', 'channel', 'category', 'summary', 'status', 'risk', 'assignee', 'due', 'age'].map((c) => h('th', { scope: 'col', class: `col-${c}` }, t(`cases.col_${c}`))))),
    tbody);
  const more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => loadPage(true) }, t('cases.more'));
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const legend = h('p', { class: 'legend muted' },
    h('span', { class: 'legend-swatch swatch-overdue', 'aria-hidden': 'true' }), t('cases.legend_overdue'), ' ',
    h('span', { class: 'legend-swatch swatch-risk', 'aria-hidden': 'true' }), t('cases.legend_risk'));

  let showOverdueReferrals = ctx.query.get('referrals') === 'overdue';
  const overdue = overdueReferrals({
    expanded: showOverdueReferrals,
    onToggle: (open) => {
      showOverdueReferrals = open;
      syncUrl();
    },
  });
  const liveButton = h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => refreshNow() }, t('pd.live_refresh'));
  const liveBar = h('div', { class: 'live-bar', role: 'status', hidden: true },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }), h('span', null, t('pd.live_changes')), liveButton,
    h('span', { class: 'live-hint' }, t('pd.live_paused')));
  const tableWrap = h('div', { class: 'table-wrap' }, table);

  const title = t('cases.title');
  replace(root, h('div', { class: 'cases-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, title), summaryLine),
    overdue.el,
    filters, chips, scopeNote, errorBox, liveBar,
    tableWrap,
    h('div', { class: 'list-foot' }, legend, more)));

  let cursor = null;
  let seq = 0;
  let loaded = 0;
  // Her own load still on its way (加载更多, new filters): a live refresh waits for it — started now,
  // it would drop its answer (加载更多 did nothing) — and runs right after it.
  let ownLoad = 0;

  function params(withStatus = true) {
    const p = {};
    for (const k of FILTER_KEYS) if (state[k] && (withStatus || k !== 'status')) p[k] = state[k];
    return p;
  }

  function syncUrl() {
    const p = new URLSearchParams(params());
    if (showOverdueReferrals) p.set('referrals', 'overdue');
    setQuery('/cases', p);
  }

  function readForm() {
    state.q = searchInput.value.trim();
    for (const k of ['status', 'category', 'channel', 'risk_level', 'assignee_id', 'sort', 'received_from', 'received_to']) state[k] = filters.elements[k].value;
    if (state.sort === 'received_desc') state.sort = '';
    state.overdue = filters.elements.overdue.checked ? 'true' : '';
    state.supervised = filters.elements.supervised.checked ? '1' : '';
  }

  function renderChips(counts) {
    const total = Object.values(counts || {}).reduce((a, b) => a + b, 0);
    const chip = (value, text, n) => h('button', {
      type: 'button', class: ['chip-btn', state.status === value ? 'is-active' : null, value ? `chip-status-${value}` : null], dataset: { status: value },
      'aria-pressed': String(state.status === value),
      onclick: () => { filters.elements.status.value = value; apply(); },
    }, text, h('span', { class: 'chip-count' }, counts ? String(n) : '—'));
    const open = total - ((counts && counts.closed) || 0);
    replace(chips, chip('', t('common.all'), total), chip('open', t('cases.chip_open'), open),
      STATUSES.map((s) => chip(s, label('status', s), (counts && counts[s]) || 0)));
  }

  // office_id / partner_id from a dashboard link: named, and removable with one click.
  async function renderScopeNote() {
    const parts = [];
    if (state.office_id) {
      const o = (await loadOffices().catch(() => [])).find((x) => String(x.id) === state.office_id);
      parts.push(t('cases.scope_office', { name: o ? o.name : `#${state.office_id}` }));
    }
    if (state.partner_id) {
      const p = (await loadPartners().catch(() => [])).find((x) => String(x.id) === state.partner_id);
      parts.push(t('cases.scope_partner', { name: p ? p.name : `#${state.partner_id}` }));
    }
    if (!ctx.alive()) return;
    scopeNote.hidden = !parts.length;
    replace(scopeNote, t('cases.scope_filter', { what: parts.join('、') }), ' ',
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => { state.office_id = ''; state.partner_id = ''; renderScopeNote(); apply(); } }, t('cases.scope_clear')));
  }

  function row(c) {
    const highRisk = HIGH_RISK.has(c.risk_level);
    const due = c.due_at ? countdown(c.due_at) : null;
    const tr = h('tr', {
      class: ['case-row', c.overdue ? 'row-overdue' : null, highRisk ? 'row-risk' : null, c.urgency === 'emergency' ? 'row-emergency' : null],
      dataset: { caseId: c.id },
    },
    h('td', { class: 'col-case_no' }, h('a', { href: `#/cases/${c.id}`, class: 'case-no' }, c.case_no),
      c.supervised ? h('span', { class: 'badge duban-badge', title: t('cases.supervised_hint') }, t('cases.supervised_badge')) : null),
    h('td', { class: 'col-received nowrap' }, fmtDateTime(c.received_at)),
    h('td', { class: 'col-channel' }, label('channel', c.channel)),
    h('td', { class: 'col-category', title: categoryPath(categories, c.category) }, categoryName(categories, c.category)),
    h('td', { class: 'col-summary' }, h('span', { class: 'clamp' }, c.summary || '—'),
      c.urgency && c.urgency !== 'normal' ? h('span', { class: `badge urgency-badge urgency-${c.urgency}` }, label('urgency', c.urgency)) : null),
    h('td', { class: 'col-status' }, h('span', { class: `badge status-${c.status}` }, label('status', c.status))),
    h('td', { class: 'col-risk' }, c.risk_level && c.risk_level !== 'none' ? h('span', { class: `badge risk-${c.risk_level}` }, label('risk', c.risk_level)) : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'col-assignee' }, c.assignee ? c.assignee.display_name : h('span', { class: 'muted' }, t('cases.unassigned'))),
    h('td', { class: ['col-due', 'nowrap', c.overdue ? 'is-overdue' : null] },
      c.due_at && c.status !== 'closed'
        ? [h('div', null, fmtDate(c.due_at)), h('div', { class: ['small', c.overdue || due.overdue ? 'text-danger' : due.soon ? 'text-warn' : 'muted'] }, c.overdue && !due.overdue ? t('cases.overdue') : due.text)]
        : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'col-age num' }, String(c.age_days ?? '—')));
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a, button')) return;
      navigate(`/cases/${c.id}`);
    });
    return tr;
  }

  // append: the next page after the cursor; live: the rows already shown again, kept in place.
  async function loadPage(append, { live = false } = {}) {
    const mySeq = ++seq;
    if (!live) ownLoad = mySeq;
    if (!live) errorBox.hidden = true;
    more.disabled = true;
    const limit = live ? Math.min(200, Math.max(50, loaded)) : 50;
    if (!append && !live) {
      cursor = null;
      loaded = 0;
      table.setAttribute('aria-busy', 'true');
    }
    if (!append) pending = false;
    try {
      const res = await api.get(`/api/v1/cases${api.qs({ ...params(), limit, cursor: append ? cursor : undefined })}`);
      if (mySeq !== seq || !ctx.alive()) return;
      if (live) {
        liveReplace(res.items);
        loaded = res.items.length;
      } else {
        if (!append) replace(tbody);
        for (const c of res.items) tbody.append(row(c));
        loaded += res.items.length;
      }
      cursor = res.next_cursor;
      more.hidden = !cursor;
      const chipFocus = live && chips.contains(document.activeElement) ? document.activeElement.dataset.status : null;
      // A two-character word in a million cases: the server lists the newest matches without
      // counting them all (counts_exact false); the chips then show no numbers.
      renderChips(res.counts_exact === false ? null : res.counts);
      if (chipFocus !== null) chips.querySelector(`[data-status="${chipFocus}"]`)?.focus();
      liveBar.hidden = true;
      const counts = res.counts || {};
      const total = state.status === 'open'
        ? Object.entries(counts).filter(([s]) => s !== 'closed').reduce((a, [, n]) => a + n, 0)
        : state.status ? counts[state.status] || 0 : Object.values(counts).reduce((a, b) => a + b, 0);
      summaryLine.textContent = res.counts_exact === false
        ? t('cases.showing_uncounted', { shown: loaded })
        : t('cases.showing', { shown: loaded, total });
      if (!loaded) tbody.append(h('tr', null, h('td', { colspan: 10, class: 'empty' }, t('cases.empty'))));
    } catch (e) {
      if (mySeq !== seq || !ctx.alive()) return;
      if (live) {
        // A failed background refresh leaves the list as it was and offers the refresh again.
        pending = true;
        liveBar.hidden = false;
        return;
      }
      errorBox.textContent = errorMessage(e);
      if (e.fields) errorBox.textContent += ` ${Object.keys(e.fields).join(', ')}`;
      errorBox.hidden = false;
    } finally {
      if (mySeq === seq) {
        more.disabled = false;
        table.removeAttribute('aria-busy');
      }
      if (ownLoad === mySeq) {
        ownLoad = 0;
        maybeRefresh();
      }
    }
  }

  // Swaps the shown rows for fresh ones without moving the page: scroll position and the focused
  // case stay; rows that were not there before are marked new for a while — through the next
  // refreshes too (a case taken in and accepted a second apart is two refreshes, and the second
  // must not take the mark away before she has seen it).
  const FRESH_MS = 30000;
  const freshSince = new Map(); // case id → when a refresh first showed it
  function liveReplace(items) {
    const before = new Set([...tbody.querySelectorAll('tr.case-row')].map((tr) => tr.dataset.caseId));
    const focusedRow = tbody.contains(document.activeElement) ? document.activeElement.closest('tr.case-row') : null;
    const focusId = focusedRow ? focusedRow.dataset.caseId : null;
    const scrollY = window.scrollY;
    const wrapTop = tableWrap.scrollTop;
    const now = Date.now();
    for (const [id, since] of freshSince) if (now - since >= FRESH_MS) freshSince.delete(id);
    const rows = items.map((c) => {
      const tr = row(c);
      const id = String(c.id);
      if (before.size && !before.has(id) && !freshSince.has(id)) freshSince.set(id, now);
      if (freshSince.has(id)) {
        tr.classList.add('is-fresh');
        tr.querySelector('.col-case_no').append(h('span', { class: 'badge live-new-badge' }, t('pd.live_new')));
      }
      return tr;
    });
    replace(tbody, rows);
    window.scrollTo(window.scrollX, scrollY);
    tableWrap.scrollTop = wrapTop;
    if (focusId) tbody.querySelector(`tr[data-case-id="${focusId}"] a.case-no`)?.focus({ preventScroll: true });
  }

  // --- live updates ---
  let pending = false;
  let pointerInTable = false;
  let lastPointed = 0;
  let lastTyped = 0;
  let idleTimer = null;
  const TYPING_MS = 3000;
  const POINTING_MS = 4000;

  // Checks again once the user may have become idle.
  function recheckSoon(ms) {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(maybeRefresh, ms + 50);
  }

  function busy() {
    if (ownLoad) return true;
    if (document.querySelector('dialog[open]')) return true;
    // A pointer resting over the list for a while is not "about to click".
    if (pointerInTable && Date.now() - lastPointed < POINTING_MS) return true;
    if (loaded > 200) return true;
    if (document.activeElement === searchInput && (searchInput.value.trim() !== state.q || Date.now() - lastTyped < TYPING_MS)) return true;
    return false;
  }

  function refreshNow() {
    pending = false;
    liveBar.hidden = true;
    loadPage(false, { live: loaded > 0 && loaded <= 200 });
  }

  // Called when a change arrives and whenever the user stops being busy.
  function maybeRefresh() {
    if (!pending || !ctx.alive()) return;
    if (document.hidden) return; // refreshed on visibilitychange
    if (busy()) {
      liveBar.hidden = false;
      recheckSoon(Math.max(TYPING_MS, POINTING_MS));
      return;
    }
    loadPage(false, { live: loaded > 0 });
  }

  const onLiveChange = throttled(() => {
    if (!ctx.alive()) return;
    pending = true;
    overdue.load();
    maybeRefresh();
  }, 800);
  const stopLive = onChange(onLiveChange);
  const onTableEnter = () => { pointerInTable = true; };
  const onTableMove = () => { pointerInTable = true; lastPointed = Date.now(); };
  const onTableLeave = () => { pointerInTable = false; maybeRefresh(); };
  tableWrap.addEventListener('pointerenter', onTableEnter);
  tableWrap.addEventListener('pointermove', onTableMove);
  tableWrap.addEventListener('pointerleave', onTableLeave);
  searchInput.addEventListener('input', () => {
    lastTyped = Date.now();
    if (pending) recheckSoon(TYPING_MS);
  });
  searchInput.addEventListener('blur', () => setTimeout(maybeRefresh, 0));
  const onVisible = () => { if (!document.hidden) maybeRefresh(); };
  document.addEventListener('visibilitychange', onVisible);
  // Overdue is also a matter of time passing (no event): look again every minute.
  const overdueTimer = setInterval(() => { if (!document.hidden) overdue.load(); }, 60000);

  function apply() {
    readForm();
    if (state.q && [...state.q].length < 2) {
      errorBox.textContent = t('cases.q_too_short');
      errorBox.hidden = false;
      return;
    }
    syncUrl();
    loadPage(false);
  }

  function resetFilters() {
    filters.reset();
    searchInput.value = '';
    for (const k of ['status', 'category', 'channel', 'risk_level', 'assignee_id', 'received_from', 'received_to']) filters.elements[k].value = '';
    state.office_id = '';
    state.partner_id = '';
    filters.elements.sort.value = 'received_desc';
    filters.elements.overdue.checked = false;
    filters.elements.supervised.checked = false;
    apply();
  }

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  filters.addEventListener('change', (e) => {
    if (e.target !== searchInput) apply();
  });
  const searchSoon = debounce(() => {
    const q = searchInput.value.trim();
    if (q === '' || [...q].length >= 2) apply();
  }, 450);
  searchInput.addEventListener('input', searchSoon);

  const onKey = (e) => {
    if (e.altKey && !e.ctrlKey && e.code === 'KeyF') {
      e.preventDefault();
      searchInput.focus();
      searchInput.select();
    }
  };
  document.addEventListener('keydown', onKey);

  renderChips(null);
  renderScopeNote();
  await Promise.all([loadPage(false), overdue.load()]);
  // The search takes the focus, unless she has gone to a control of the page meanwhile.
  if (ctx.alive() && !ctx.query.toString() && !(root.contains(document.activeElement) && document.activeElement !== root)) searchInput.focus();
  return () => {
    searchSoon.cancel();
    document.removeEventListener('keydown', onKey);
    stopLive();
    clearTimeout(idleTimer);
    clearInterval(overdueTimer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

// 工作量 (supervisor): each operator's and supervisor's open cases by status and overdue, then the
// unassigned ones (GET /api/v1/dashboard/workload). A count opens the case list filtered to that
// person; 调整承办人 loads the person's open cases, and the chosen ones are reassigned one by one
// (PATCH /api/v1/cases/{id} {version, assignee_id}) with a result per case — a 409 means someone
// changed that case meanwhile and it was left as it is.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { openModal, toast } from '../dialog.js';
import { loadOffices } from '../reference.js';
import { fmtDate, fmtDateTime } from '../format.js';
import { errorMessage, fieldMessage } from '../errors.js';
import { setQuery } from '../router.js';
import { ownSubtree, officeSelect, selfAndAncestors, fmtInt, OPEN_STATUSES } from './sup-common.js';

export default async function workloadView(root, ctx) {
  const [allOffices, usersRes] = await Promise.all([loadOffices(), api.get('/api/v1/users').catch(() => ({ items: [] }))]);
  if (!ctx.alive()) return undefined;
  const offices = ownSubtree(allOffices, ctx.user.office_id);
  const staff = (usersRes.items || []).filter((u) => ['operator', 'supervisor'].includes(u.role) && !u.disabled);
  const officeName = (id) => (allOffices.find((o) => o.id === id) || {}).name || '';

  let officeId = offices.some((o) => String(o.id) === ctx.query.get('office_id')) ? ctx.query.get('office_id') : String(ctx.user.office_id);
  const officeSel = officeSelect({ id: 'w-office', offices, value: officeId, onchange: () => { officeId = officeSel.value; load(); } });
  const status = h('p', { class: 'muted sup-status', 'aria-live': 'polite' });
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const tfoot = h('tfoot');
  const cols = ['person', 'office', ...OPEN_STATUSES, 'open', 'overdue', 'actions'];
  const table = h('table', { class: 'table workload-table' },
    h('caption', { class: 'sr-only' }, t('sup.w_title')),
    h('thead', null, h('tr', null, cols.map((c) => h('th', {
      scope: 'col', class: [`wl-col-${c}`, OPEN_STATUSES.includes(c) || c === 'open' || c === 'overdue' ? 'num' : null],
    }, OPEN_STATUSES.includes(c) ? label('status', c) : c === 'actions' ? h('span', { class: 'sr-only' }, t('sup.w_col_actions')) : t(`sup.w_col_${c}`))))),
    tbody, tfoot);

  replace(root, h('div', { class: 'sup-page workload-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('sup.w_title')), status),
    h('div', { class: 'filters' },
      h('div', { class: 'filter' }, h('label', { for: 'w-office', class: 'filter-label' }, t('sup.w_office')), officeSel),
      h('p', { class: 'muted small sup-filter-note' }, t('sup.w_hint'))),
    errorBox,
    h('div', { class: 'table-wrap' }, table)));

  // A count as a link to the case list filtered to that person (and status / overdue).
  function countCell(n, userId, extra, cls) {
    const text = fmtInt(n);
    const content = userId && n > 0
      ? h('a', { href: `#/cases?${new URLSearchParams({ assignee_id: String(userId), ...extra })}`, class: 'wl-count' }, text)
      : h('span', { class: n > 0 ? null : 'muted' }, text);
    return h('td', { class: ['num', cls] }, content);
  }

  function row(it) {
    const u = it.user;
    return h('tr', { dataset: { userId: String(u.id) }, class: u.disabled ? 'wl-disabled' : null },
      h('th', { scope: 'row', class: 'wl-person' }, u.display_name,
        u.disabled ? h('span', { class: 'badge badge-warn' }, t('sup.w_disabled')) : null,
        h('span', { class: 'small muted wl-role' }, label('role', u.role))),
      h('td', { class: 'wl-office' }, u.office_name || officeName(u.office_id)),
      OPEN_STATUSES.map((s) => countCell(it.by_status[s] || 0, u.id, { status: s }, `wl-${s}`)),
      countCell(it.open, u.id, { status: 'open' }, 'wl-open'),
      countCell(it.overdue, u.id, { overdue: 'true' }, it.overdue > 0 ? 'wl-overdue text-danger' : 'wl-overdue'),
      h('td', { class: 'wl-actions' }, it.open > 0
        ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => reassignDialog(it), 'aria-label': t('sup.w_reassign_for', { name: u.display_name }) }, t('sup.w_reassign'))
        : null));
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    setQuery('/workload', new URLSearchParams(officeId === String(ctx.user.office_id) ? {} : { office_id: officeId }));
    errorBox.hidden = true;
    status.textContent = t('sup.loading');
    try {
      const r = await api.get(`/api/v1/dashboard/workload${api.qs({ office_id: officeId })}`);
      if (mine !== seq || !ctx.alive()) return;
      replace(tbody, r.items.length ? r.items.map(row) : h('tr', null, h('td', { class: 'empty muted', colspan: String(cols.length) }, t('sup.w_empty'))));
      const un = r.unassigned || { open: 0, by_status: {}, overdue: 0 };
      const total = { open: un.open, overdue: un.overdue, by_status: { ...un.by_status } };
      for (const it of r.items) {
        total.open += it.open;
        total.overdue += it.overdue;
        for (const s of OPEN_STATUSES) total.by_status[s] = (total.by_status[s] || 0) + (it.by_status[s] || 0);
      }
      replace(tfoot,
        h('tr', { class: 'wl-unassigned', dataset: { userId: 'none' } },
          h('th', { scope: 'row' }, t('sup.unassigned')), h('td', { class: 'muted small' }, t('sup.w_unassigned_hint')),
          OPEN_STATUSES.map((s) => countCell(un.by_status[s] || 0, 'none', { status: s }, `wl-${s}`)),
          countCell(un.open, 'none', { status: 'open' }, 'wl-open'),
          countCell(un.overdue, 'none', { overdue: 'true' }, un.overdue > 0 ? 'wl-overdue text-danger' : 'wl-overdue'),
          h('td', { class: 'wl-actions' }, un.open > 0
            ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => reassignDialog({ ...un, user: { id: 'none', display_name: t('sup.unassigned') } }), 'aria-label': t('sup.w_reassign_for', { name: t('sup.unassigned') }) }, t('sup.w_reassign'))
            : null)),
        h('tr', { class: 'wl-total' },
          h('th', { scope: 'row' }, t('sup.w_total')), h('td'),
          OPEN_STATUSES.map((s) => h('td', { class: 'num' }, fmtInt(total.by_status[s] || 0))),
          h('td', { class: 'num' }, fmtInt(total.open)), h('td', { class: 'num' }, fmtInt(total.overdue)), h('td')));
      status.textContent = t('sup.w_as_of', { office: r.office.name, time: fmtDateTime(r.as_of) });
    } catch (e) {
      if (mine !== seq || !ctx.alive()) return;
      status.textContent = '';
      errorBox.textContent = errorMessage(e);
      errorBox.hidden = false;
    }
  }

  // The person's open cases (every open status, all pages).
  async function openCasesOf(userId) {
    const out = [];
    await Promise.all(OPEN_STATUSES.map(async (s) => {
      let cursor = null;
      do {
        const r = await api.get(`/api/v1/cases${api.qs({ assignee_id: userId, status: s, sort: 'due_asc', limit: 200, cursor })}`);
        out.push(...r.items);
        cursor = r.next_cursor;
      } while (cursor && out.length < 2000);
    }));
    return out.sort((a, b) => (OPEN_STATUSES.indexOf(a.status) - OPEN_STATUSES.indexOf(b.status)) || String(a.case_no).localeCompare(String(b.case_no)));
  }

  function reassignDialog(it) {
    const from = it.user;
    return openModal({
      title: t('sup.w_reassign_title', { name: from.display_name }),
      className: 'dialog-reassign',
      build: (dialog, close) => {
        const errorBox2 = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
        const listBody = h('tbody');
        const all = h('input', { type: 'checkbox', id: 'ra-all', 'aria-label': t('sup.w_select_all') });
        const target = h('select', { id: 'ra-target', class: 'input', required: true });
        const targetHint = h('div', { class: 'field-hint', id: 'ra-target-hint' }, t('sup.w_target_hint'));
        target.setAttribute('aria-describedby', 'ra-target-hint');
        const count = h('span', { class: 'muted small', 'aria-live': 'polite' });
        const submit = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, t('sup.w_do_reassign', { n: 0 }));
        const results = h('ul', { class: 'ra-results', 'aria-live': 'polite', hidden: true });
        const form = h('form', { class: 'dialog-body', novalidate: true },
          errorBox2,
          h('div', { class: 'ra-list table-wrap' },
            h('table', { class: 'table table-compact ra-table' },
              h('caption', { class: 'sr-only' }, t('sup.w_cases_of', { name: from.display_name })),
              h('thead', null, h('tr', null,
                h('th', { scope: 'col', class: 'ra-check' }, all),
                ['case_no', 'status', 'summary', 'received', 'due'].map((c) => h('th', { scope: 'col' }, t(`sup.w_ra_${c}`))))),
              listBody)),
          h('div', { class: 'ra-bottom' },
            h('div', { class: 'field ra-target' }, h('label', { for: 'ra-target', class: 'field-label' }, t('sup.w_target'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), target, targetHint),
            count),
          results,
          h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close(true) }, t('common.close')), submit));

        let cases = [];
        const boxes = () => [...listBody.querySelectorAll('input[type=checkbox]')];
        const chosen = () => boxes().filter((b) => b.checked).map((b) => cases.find((c) => String(c.id) === b.value)).filter(Boolean);

        // Only staff of the chosen cases' office or an office above it may hold them.
        function refreshTargets() {
          const sel = chosen();
          const officeIds = (sel.length ? sel : cases).map((c) => c.office_id);
          const ok = staff.filter((u) => u.id !== from.id && officeIds.every((oid) => selfAndAncestors(allOffices, oid).has(u.office_id)));
          const prev = target.value;
          replace(target, h('option', { value: '' }, t('sup.w_target_choose')),
            ok.map((u) => h('option', { value: String(u.id) }, `${u.display_name} · ${officeName(u.office_id)}`)));
          if (ok.some((u) => String(u.id) === prev)) target.value = prev;
          const n = sel.length;
          submit.textContent = t('sup.w_do_reassign', { n });
          submit.disabled = n === 0 || !target.value;
          count.textContent = t('sup.w_selected', { n, total: cases.length });
          all.checked = n > 0 && n === cases.length;
          all.indeterminate = n > 0 && n < cases.length;
          if (!ok.length) targetHint.textContent = t('sup.w_target_none');
          else targetHint.textContent = t('sup.w_target_hint');
        }
        target.addEventListener('change', refreshTargets);
        all.addEventListener('change', () => { for (const b of boxes()) b.checked = all.checked; refreshTargets(); });
        listBody.addEventListener('change', refreshTargets);

        async function loadCases() {
          replace(listBody, h('tr', null, h('td', { colspan: '6', class: 'muted' }, t('sup.loading'))));
          try {
            cases = await openCasesOf(from.id);
            replace(listBody, cases.length ? cases.map((c) => h('tr', { dataset: { caseId: String(c.id) }, class: c.overdue ? 'row-overdue' : null },
              h('td', { class: 'ra-check' }, h('input', { type: 'checkbox', id: `ra-c-${c.id}`, value: String(c.id) })),
              h('td', { class: 'nowrap' }, h('label', { for: `ra-c-${c.id}`, class: 'case-no' }, c.case_no)),
              h('td', null, h('span', { class: `badge status-${c.status}` }, label('status', c.status))),
              h('td', { class: 'ra-summary' }, h('span', { class: 'clamp' }, c.summary || '—')),
              h('td', { class: 'nowrap' }, fmtDate(c.received_at)),
              h('td', { class: ['nowrap', c.overdue ? 'text-danger' : null] }, c.due_at ? fmtDate(c.due_at) : '—', c.overdue ? ` ${t('sup.w_overdue')}` : '')))
              : h('tr', null, h('td', { colspan: '6', class: 'muted' }, t('sup.w_no_cases'))));
            refreshTargets();
          } catch (e) {
            errorBox2.textContent = errorMessage(e);
            errorBox2.hidden = false;
          }
        }

        form.addEventListener('submit', async (e) => {
          e.preventDefault();
          const sel = chosen();
          const to = Number(target.value);
          if (!sel.length || !to) return;
          submit.disabled = true;
          errorBox2.hidden = true;
          const toName = (staff.find((u) => u.id === to) || {}).display_name || '';
          replace(results);
          results.hidden = false;
          let okCount = 0;
          for (const c of sel) {
            const li = h('li', { class: 'ra-result is-pending', dataset: { caseId: String(c.id) } }, h('span', { class: 'case-no' }, c.case_no), ' ', h('span', { class: 'ra-msg' }, t('sup.w_ra_working')));
            results.append(li);
            const msg = li.querySelector('.ra-msg');
            try {
              await api.patch(`/api/v1/cases/${c.id}`, { version: c.version, assignee_id: to });
              okCount += 1;
              li.className = 'ra-result is-ok';
              msg.textContent = t('sup.w_ra_ok', { name: toName });
            } catch (err) {
              li.className = 'ra-result is-error';
              if (err.status === 409) msg.textContent = t('sup.w_ra_conflict');
              else if (err.status === 422 && err.fields && err.fields.assignee_id) msg.textContent = fieldMessage(err.fields.assignee_id);
              else msg.textContent = errorMessage(err);
            }
          }
          const failed = sel.length - okCount;
          results.prepend(h('li', { class: ['ra-summary-line', failed ? 'text-warn' : null] }, t('sup.w_ra_done', { ok: okCount, failed })));
          if (okCount) toast(t('sup.w_ra_toast', { n: okCount, name: toName }), 'success');
          await Promise.all([loadCases(), load()]);
        });

        loadCases();
        return form;
      },
    });
  }

  await load();
  return undefined;
}

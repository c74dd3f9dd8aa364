// 回访 (operators and supervisors): closed cases due for a follow-up call (day 7 to 90 after closure)
// and those whose latest follow-up was 不满意. Recording a follow-up posts
// /api/v1/cases/{id}/follow-ups; a dissatisfied answer suggests reopening, which only a supervisor
// decides (transition `reopen` with a reason) — an operator is told to report it.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { openModal, toast } from '../dialog.js';
import { field, showErrors, trimOrEmpty, handleSubmit } from '../form.js';
import { fmtDate, fmtDateTime, toLocalInput, localInputToIso, personRoleLabel } from '../format.js';
import { errorMessage, fieldMessage } from '../errors.js';
import { setQuery } from '../router.js';
import { outcomeLabel, satisfactionLabel } from './sup-common.js';
import { phoneWithRules, hasRules } from '../safe-contact.js';
import { attemptPills, rescheduleField, isAttempt, recordAttempt, attemptLine } from './follow-up-attempts.js';

const STATES = ['due', 'dissatisfied'];
const SATISFACTION = ['satisfied', 'basically_satisfied', 'dissatisfied'];
const PAGE = 50;

export default async function followUpsView(root, ctx) {
  const supervisor = ctx.user.role === 'supervisor';
  let state = STATES.includes(ctx.query.get('state')) ? ctx.query.get('state') : 'due';

  const tabs = STATES.map((s) => h('button', {
    type: 'button', role: 'tab', id: `fu-tab-${s}`, class: 'sup-tab', 'aria-controls': 'fu-panel', dataset: { state: s },
    onclick: () => select(s),
  }, t(`sup.f_tab_${s}`), h('span', { class: 'chip-count', dataset: { count: s } }, '·')));
  const tablist = h('div', { class: 'sup-tabs', role: 'tablist', 'aria-label': t('sup.f_title') }, tabs);
  tablist.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = STATES.indexOf(state);
    const next = STATES[(i + (e.key === 'ArrowRight' ? 1 : STATES.length - 1)) % STATES.length];
    select(next);
    tabs[STATES.indexOf(next)].focus();
  });

  const intro = h('p', { class: 'muted sup-intro' });
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'table fu-table' }, h('caption', { class: 'sr-only' }, t('sup.f_title')), thead, tbody);
  const more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => loadPage(true) }, t('sup.more'));
  const summary = h('p', { class: 'muted list-summary', 'aria-live': 'polite' });
  const panel = h('div', { id: 'fu-panel', role: 'tabpanel' }, intro, errorBox, h('div', { class: 'table-wrap' }, table), h('div', { class: 'list-foot' }, summary, more));

  replace(root, h('div', { class: 'sup-page follow-ups-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('sup.f_title'))),
    tablist, panel));

  let cursor = null;
  let seq = 0;
  let shown = 0;

  function select(s) {
    if (s === state && shown) return;
    state = s;
    setQuery('/follow-ups', new URLSearchParams(s === 'due' ? {} : { state: s }));
    loadPage(false);
  }

  function head() {
    const cols = ['case_no', 'summary', 'closed', 'days', 'outcome', 'assignee', state === 'dissatisfied' ? 'latest' : null, 'actions'].filter(Boolean);
    replace(thead, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: [`fu-col-${c}`, c === 'days' ? 'num' : null] },
      c === 'actions' ? h('span', { class: 'sr-only' }, t('sup.f_col_actions')) : t(`sup.f_col_${c}`)))));
    return cols.length;
  }

  function row(item) {
    const c = item.case;
    const latest = item.latest_follow_up;
    const actions = h('div', { class: 'fu-actions' },
      h('button', { type: 'button', class: ['btn', 'btn-small', state === 'due' ? 'btn-primary' : null], onclick: () => recordDialog(item),
        'aria-label': t('sup.f_record_for', { case_no: c.case_no }) }, t('sup.f_record')));
    if (state === 'dissatisfied') {
      if (supervisor) actions.append(h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => reopenDialog(item),
        'aria-label': t('sup.f_reopen_for', { case_no: c.case_no }) }, t('sup.f_reopen')));
      else actions.append(h('span', { class: 'small text-warn fu-needs-supervisor' }, t('sup.f_supervisor_decides')));
    }
    return h('tr', { dataset: { caseId: String(c.id) }, class: state === 'dissatisfied' ? 'fu-row-dissatisfied' : null },
      h('td', { class: 'nowrap' }, h('a', { href: `#/cases/${c.id}`, class: 'case-no' }, c.case_no)),
      h('td', { class: 'fu-summary' }, h('span', { class: 'clamp' }, c.summary || '—'), attemptLine(item)),
      h('td', { class: 'nowrap' }, fmtDate(item.closed_at)),
      h('td', { class: 'num' }, String(item.days_since_closure)),
      h('td', null, outcomeLabel(item.outcome)),
      h('td', null, c.assignee ? c.assignee.display_name : h('span', { class: 'muted' }, t('sup.unassigned'))),
      state === 'dissatisfied' ? h('td', { class: 'fu-latest' },
        latest ? [h('span', { class: `badge sup-sat-${latest.satisfaction}` }, satisfactionLabel(latest.satisfaction)), ' ',
          h('span', { class: 'small muted' }, fmtDateTime(latest.contacted_at)),
          latest.note ? h('div', { class: 'small' }, latest.note) : null] : '—') : null,
      h('td', { class: 'fu-actions-cell' }, actions));
  }

  async function loadPage(append) {
    const mine = ++seq;
    errorBox.hidden = true;
    for (const tab of tabs) {
      const on = tab.dataset.state === state;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      tab.classList.toggle('is-active', on);
    }
    intro.textContent = t(`sup.f_intro_${state}`);
    const ncols = head();
    if (!append) {
      cursor = null;
      shown = 0;
    }
    more.disabled = true;
    try {
      const r = await api.get(`/api/v1/follow-ups${api.qs({ state, limit: PAGE, cursor: append ? cursor : null })}`);
      if (mine !== seq || !ctx.alive()) return;
      const rows = r.items.map(row);
      if (append) tbody.append(...rows);
      else if (rows.length) replace(tbody, rows);
      else replace(tbody, h('tr', null, h('td', { class: 'empty muted', colspan: String(ncols) }, t(`sup.f_empty_${state}`))));
      shown += r.items.length;
      cursor = r.next_cursor;
      more.hidden = !cursor;
      summary.textContent = t('sup.f_summary', { shown, total: r.total });
      const badge = tablist.querySelector(`[data-count="${state}"]`);
      if (badge) badge.textContent = String(r.total);
    } catch (e) {
      if (mine !== seq || !ctx.alive()) return;
      errorBox.textContent = errorMessage(e);
      errorBox.hidden = false;
    } finally {
      more.disabled = false;
    }
  }

  async function refreshCounts() {
    // The other tab's count, so both badges are right after a follow-up moves a case between them.
    const other = STATES.find((s) => s !== state);
    try {
      const r = await api.get(`/api/v1/follow-ups${api.qs({ state: other, limit: 1 })}`);
      const badge = tablist.querySelector(`[data-count="${other}"]`);
      if (badge && ctx.alive()) badge.textContent = String(r.total);
    } catch {
      /* the badge keeps its last value */
    }
  }

  function recordDialog(item) {
    const c = item.case;
    return openModal({
      title: t('sup.f_record_title', { case_no: c.case_no }),
      className: 'dialog-follow-up',
      build: (dialog, close) => {
        const errorBox2 = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
        const name = `fu-sat-${c.id}`;
        const sat = h('fieldset', { class: 'field radios', dataset: { field: 'satisfaction' } },
          h('legend', { class: 'field-label' }, t('fu.result_legend'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
          h('div', { class: 'radio-row' }, attemptPills(name, 'satisfaction'), SATISFACTION.map((s) => h('label', { class: ['radio-pill', `sup-sat-pill sup-sat-pill-${s}`] },
            h('input', { type: 'radio', name, value: s, dataset: { path: 'satisfaction' } }), h('span', null, t(`sup.sat_${s}`))))),
          h('div', { class: 'field-error', hidden: true }));
        const resched = rescheduleField(sat);
        const note = field({ path: 'note', label: t('sup.f_note'), kind: 'textarea', rows: 3, hint: t('sup.f_note_hint') });
        const when = field({ path: 'contacted_at', label: t('sup.f_contacted_at'), kind: 'datetime-local', required: true });
        when.control.value = toLocalInput(new Date());
        when.control.max = toLocalInput(new Date(Date.now() + 60000));
        const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('sup.f_save'));
        const form = h('form', { class: 'dialog-body', novalidate: true },
          h('p', { class: 'small muted' }, t('sup.f_case_line', { summary: c.summary || '—', closed: fmtDate(item.closed_at), outcome: outcomeLabel(item.outcome) })),
          callbackPanel(c.id), errorBox2, sat, resched, note, when,
          h('div', { class: 'dialog-actions' },
            h('button', { type: 'button', class: 'btn', onclick: () => close(false) }, t('common.cancel')), submit));
        handleSubmit(form, { submit, errorBox: errorBox2 }, async () => {
          const checked = form.querySelector(`input[name="${name}"]:checked`);
          const contacted = localInputToIso(when.control.value);
          const problems = {};
          if (!checked) problems.satisfaction = { text: t('sup.f_choose_satisfaction') };
          if (!contacted) problems.contacted_at = { text: t('err.datetime') };
          const attempt = checked && isAttempt(checked.value);
          if (attempt && checked.value === 'rescheduled' && !resched.control.value) problems.rescheduled_to = { text: t('err.required') };
          if (Object.keys(problems).length) {
            showErrors(form, problems);
            return;
          }
          const body = attempt ? { result: checked.value, attempted_at: contacted } : { satisfaction: checked.value, contacted_at: contacted };
          if (attempt && checked.value === 'rescheduled') body.rescheduled_to = resched.control.value;
          if (trimOrEmpty(note.control.value)) body.note = trimOrEmpty(note.control.value);
          submit.disabled = true;
          try {
            const fu = attempt ? await recordAttempt(c.id, body) : await api.post(`/api/v1/cases/${c.id}/follow-ups`, body, { expect: 201 });
            if (attempt) {
              close(true);
              toast(fu.result === 'refused' ? t('fu.refusal_saved', { case_no: c.case_no })
                : t('fu.attempt_saved', { case_no: c.case_no, what: label('attempt_result', fu.result) }), 'success');
            } else if (fu.reopen_suggested) {
              showSuggestion(form, close);
            } else {
              close(true);
              toast(t('sup.f_saved', { case_no: c.case_no }), 'success');
            }
            loadPage(false);
            refreshCounts();
          } catch (err) {
            const f = Object.fromEntries(Object.entries((err.status === 422 && err.fields) || {})
              .map(([k, v]) => [k === 'result' ? 'satisfaction' : k === 'attempted_at' ? 'contacted_at' : k, v]));
            const unplaced = showErrors(form, Object.fromEntries(Object.entries(f).map(([k, v]) => [k, { text: followUpFieldMessage(k, v) }])));
            if (err.code === 'transition_not_allowed') errorBox2.textContent = t('sup.f_not_closed');
            else errorBox2.textContent = unplaced.length ? unplaced.map((u) => u.text).join(' ') : errorMessage(err);
            if (err.code === 'transition_not_allowed' || unplaced.length || !Object.keys(f).length) errorBox2.hidden = false;
          } finally {
            submit.disabled = false;
          }
        });

        // The answer was 不满意: the case may be reopened (重新办理) — by a supervisor only.
        function showSuggestion(formEl, closeFn) {
          replace(formEl,
            h('div', { class: 'alert alert-warn', role: 'alert' },
              h('strong', null, t('sup.f_dissatisfied_recorded')), ' ',
              supervisor ? t('sup.f_reopen_suggested_supervisor') : t('sup.f_reopen_suggested_operator')),
            h('div', { class: 'dialog-actions' },
              h('button', { type: 'button', class: 'btn', autofocus: true, onclick: () => closeFn(true) }, t('common.close')),
              supervisor ? h('button', { type: 'button', class: 'btn btn-danger', onclick: () => { closeFn(true); reopenDialog(item); } }, t('sup.f_reopen')) : null));
          const first = formEl.querySelector('button');
          if (first) first.focus();
        }
        return form;
      },
    });
  }

  function reopenDialog(item) {
    const c = item.case;
    return openModal({
      title: t('sup.f_reopen_title', { case_no: c.case_no }),
      className: 'dialog-small',
      build: (dialog, close) => {
        const errorBox2 = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
        const reason = field({ path: 'reason', label: t('sup.f_reopen_reason'), kind: 'textarea', rows: 3, required: true });
        const latest = item.latest_follow_up;
        if (latest && latest.note) reason.control.value = t('sup.f_reopen_reason_default', { note: latest.note });
        const submit = h('button', { type: 'submit', class: 'btn btn-danger' }, t('sup.f_reopen'));
        const form = h('form', { class: 'dialog-body', novalidate: true },
          h('p', { class: 'small' }, t('sup.f_reopen_help')), errorBox2, reason,
          h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close(false) }, t('common.cancel')), submit));
        handleSubmit(form, { submit, errorBox: errorBox2 }, async () => {
          const text = trimOrEmpty(reason.control.value);
          if (!text) {
            showErrors(form, { reason: { text: t('err.required') } });
            return;
          }
          submit.disabled = true;
          try {
            // The version of the case as it is now (a follow-up may have changed it since the list).
            const fresh = await api.get(`/api/v1/cases/${c.id}`);
            const r = await api.post(`/api/v1/cases/${c.id}/transitions`, { event: 'reopen', version: fresh.version, data: { reason: text } });
            close(true);
            toast(t('sup.f_reopened', { case_no: c.case_no, status: label('status', r.status) }), 'success');
            loadPage(false);
            refreshCounts();
          } catch (err) {
            errorBox2.textContent = err.status === 409 ? t('sup.f_reopen_conflict') : errorMessage(err);
            errorBox2.hidden = false;
          } finally {
            submit.disabled = false;
          }
        });
        return form;
      },
    });
  }

  await loadPage(false);
  refreshCounts();
  return undefined;
}

// Whom to call back and how: the complainant's and victim's numbers with their safe-contact rules,
// read from the case itself (GET /cases/{id}, an audited read) only when the dialog opens, so the list
// of due cases never carries phone numbers.
function callbackPanel(caseId) {
  const body = h('div', { class: 'fu-callback-body', 'aria-live': 'polite' }, h('p', { class: 'small muted' }, t('safe.callback_loading')));
  const panel = h('section', { class: 'fu-callback', 'aria-labelledby': `fu-callback-${caseId}` },
    h('h3', { class: 'fu-callback-title', id: `fu-callback-${caseId}` }, t('safe.callback_title')), body);
  api.get(`/api/v1/cases/${caseId}`).then((full) => {
    const people = (full.persons || []).filter((p) => hasRules(p) && (p.phone || p.safe_contact.ok_to_call === false));
    replace(body, people.length
      ? h('ul', { class: 'fu-callback-list' }, people.map((p) => h('li', null,
        h('span', { class: 'fu-callback-who' }, personRoleLabel(p.role, full.channel), p.name ? ` ${p.name}` : ''), phoneWithRules(p))))
      : h('p', { class: 'small muted' }, t('safe.callback_none')));
  }).catch((e) => {
    replace(body, h('p', { class: 'small text-danger' }, t('safe.callback_error', { message: errorMessage(e) })));
  });
  return panel;
}

function followUpFieldMessage(path, message) {
  const m = String(message || '');
  if (path === 'contacted_at' && /future/.test(m)) return t('sup.f_err_future');
  if (path === 'contacted_at' && /before/.test(m)) return t('sup.f_err_before_closure');
  return fieldMessage(m);
}

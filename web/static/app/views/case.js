// 个案详情 — header with deadlines counting down, actions for the transitions the user may take
// now, the case text (editable, with 409 handling that keeps the user's text), persons, notes, the
// timeline, and the printable registration form (登记表).
import { h, replace, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import * as store from '../store.js';
import { loadCategories, loadPartners, categoryPath } from '../reference.js';
import { fmtDateTime, fmtDate, countdown, fenToYuan, personRoleLabel } from '../format.js';
import { placeLabel } from '../place-picker.js';
import { errorMessage } from '../errors.js';
import { handleSubmit, showConflict } from '../form.js';
import { toast } from '../dialog.js';
import { openEventDialog, EVENT_ORDER, PRIMARY_EVENTS, DANGER_EVENTS } from './case-actions.js';
import { procedurePanel } from './case-procedure.js';
import { reviewCard } from './case-review.js';
import { intakeFlags } from './case-intake-flags.js';
import { supervisionPanel } from './case-supervision.js';
import { legalHoldPanel } from './case-legal-hold.js';
import { notFound } from './notfound.js';
import { HIGH_RISK } from './cases.js';
import { attachmentsCard } from './attachments.js';
import { referralPanel } from './referral-panel.js';
import { dvSection, STAFF_ROLES } from './dv-section.js';
import { phoneWithRules } from '../safe-contact.js';
import { renderPrintSheet } from './case-print.js';
import { foldedText } from './long-text.js';
import { handlerContactCard } from './case-contact.js';
import { timelineRenderer } from './case-timeline.js';

export default async function caseView(root, ctx) {
  const id = Number(ctx.params[0]);
  // A partner user gets the partner view of a case referred to the organisation (the server decides
  // which cases: any other is 404): no workflow buttons, no notes or print form, but the referral's
  // responses on top.
  const partnerView = ctx.user.role === 'partner';
  let caseObj;
  try {
    caseObj = await api.get(`/api/v1/cases/${id}`);
  } catch (e) {
    if (!ctx.alive()) return undefined;
    if (e.status === 404 || e.status === 403) {
      notFound(root, t('notfound.case'));
      return undefined;
    }
    replace(root, h('div', { class: 'alert alert-error', role: 'alert' }, errorMessage(e)));
    return undefined;
  }
  // read_only: this office follows a case it assigned or forwarded (交办 / 转送), or reads the
  // original of one it received; nothing here can be changed, so no forms are offered.
  const readOnly = Boolean(caseObj.read_only);
  // 存档: the server refuses notes and uploads on an archived case, so none are offered (DV measures,
  // which outlive the case, still are).
  const archived = Boolean(caseObj.archived_at);
  const [categories, partners, offices] = await Promise.all([loadCategories(), loadPartners().catch(() => []),
    partnerView ? Promise.resolve([]) : api.get('/api/v1/offices?scope=all').then((r) => r.items).catch(() => [])]);
  if (!ctx.alive()) return undefined;

  const timers = [];
  const header = h('header', { class: 'case-header card' });
  const actions = h('div', { class: 'case-actions', role: 'toolbar', 'aria-label': t('case.actions') });
  const matter = h('section', { class: 'card case-matter', 'aria-labelledby': 'matter-title' });
  const persons = h('section', { class: 'card', 'aria-labelledby': 'persons-title' });
  const timelineList = h('ol', { class: 'timeline' });
  // The timeline scrolls on its own (sticky beside the case): tabindex lets a keyboard user focus it
  // and scroll it with the arrow keys (WCAG 2.1.1, axe scrollable-region-focusable).
  const timelineBox = h('section', { class: 'card case-timeline', 'aria-labelledby': 'timeline-title', tabindex: '0' },
    h('h2', { class: 'card-title', id: 'timeline-title' }, t('case.timeline')), timelineList);
  const printSheet = h('section', { class: 'print-sheet', 'aria-hidden': 'true' });
  let timeline = [];
  const timelineItem = timelineRenderer({ partners, offices, categories, currentTimeline: () => timeline });

  // ----- notes (with a local draft per case) -----
  const noteKey = `draft:note:${ctx.user.id}:${id}`;
  const noteInput = h('textarea', { class: 'input', rows: 3, id: 'note-text', dataset: { path: 'text' } });
  noteInput.value = store.load(noteKey, '') || '';
  noteInput.addEventListener('input', () => store.save(noteKey, noteInput.value));
  const noteError = h('div', { class: 'field-error', hidden: true });
  const noteForm = h('form', { class: 'note-form', dataset: { ctrlEnter: '1' } },
    h('label', { for: 'note-text', class: 'field-label' }, t('case.add_note')), noteInput, noteError,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('case.save_note'), kbd('Ctrl', 'Enter'))));
  noteForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = noteInput.value.trim();
    noteError.hidden = true;
    if (!text) {
      noteError.textContent = t('err.required');
      noteError.hidden = false;
      noteInput.focus();
      return;
    }
    try {
      await api.post(`/api/v1/cases/${id}/notes`, { text }, { expect: 201 });
      noteInput.value = '';
      store.remove(noteKey);
      toast(t('case.note_saved'), 'success');
      await loadTimeline();
    } catch (err) {
      noteError.textContent = errorMessage(err);
      noteError.hidden = false;
    }
  });
  const notesCard = h('section', { class: 'card', 'aria-label': t('case.notes') }, h('h2', { class: 'card-title' }, t('case.notes')), noteForm);

  const attachments = attachmentsCard({ caseId: id, onUploaded: () => loadTimeline(), readOnly: readOnly || archived });
  const referrals = referralPanel({
    caseId: id,
    role: readOnly ? 'viewer' : ctx.user.role,
    onChanged: async (ref, action) => {
      toast(t('referral.done', { action: t(`referral.action_${action}`), status: label('referral_status', ref.status) }), 'success');
      // A partner's access ends with its referral (declined or completed): back to its referral list.
      if (partnerView && !['sent', 'accepted', 'in_progress'].includes(ref.status)) {
        location.hash = '#/referrals';
        return;
      }
      await reloadCase();
    },
  });

  // 复查 / 复核 of the reply (staff; the card stays hidden until there is something to show).
  const reviews = !partnerView && STAFF_ROLES.has(ctx.user.role)
    ? reviewCard({ caseId: id, user: ctx.user, onChanged: () => loadTimeline() })
    : null;

  // Domestic-violence section and its flags (staff only: partners get 404 from the DV endpoints).
  // 督办 (staff): banners, the answer form and the "督办" action; also on a case read through a 交办 grant,
  // whose sending office may supervise it.
  const contact = partnerView ? handlerContactCard() : null;
  const duban = !partnerView ? supervisionPanel({ onChanged: () => reloadCase() }) : null;
  const legalHold = !partnerView ? legalHoldPanel({ user: ctx.user, onChanged: () => reloadCase() }) : null;

  const dv = !partnerView && !readOnly && STAFF_ROLES.has(ctx.user.role)
    ? dvSection({ caseId: id, caseObj, onRiskChanged: () => reloadCase(), onChanged: () => loadTimeline() })
    : null;

  replace(root, h('div', { class: ['case-page', partnerView ? 'is-partner-view' : null] },
    header, duban ? duban.el : null, legalHold ? legalHold.el : null, dv ? dv.flag : null, partnerView || readOnly ? null : actions,
    h('div', { class: 'case-columns' },
      h('div', { class: 'case-main' }, partnerView
        ? [referrals.el, contact.el, matter, persons, attachments.el]
        : [matter, reviews ? reviews.el : null, dv ? dv.el : null, referrals.el, persons, readOnly || archived ? null : notesCard, attachments.el]),
      h('div', { class: 'case-side' }, timelineBox)),
    partnerView ? null : printSheet));

  // ----- header -----
  function renderHeader() {
    const c = caseObj;
    if (dv) dv.setCase(c);
    const deadlineItems = (c.deadlines || []).map((d) => {
      const cd = countdown(d.due_at);
      return h('li', { class: ['deadline', d.overdue || cd.overdue ? 'is-overdue' : cd.soon ? 'is-soon' : null] },
        h('span', { class: 'deadline-kind' }, label('deadline', d.kind)),
        h('span', { class: 'deadline-due' }, fmtDateTime(d.due_at)),
        h('span', { class: 'deadline-left', dataset: { due: d.due_at } }, cd.text));
    });
    replace(header,
      h('div', { class: 'case-title-row' },
        partnerView ? h('a', { href: '#/referrals', class: 'back-link' }, '‹ ', t('case.back_referrals'))
          : h('a', { href: '#/cases', class: 'back-link' }, '‹ ', t('case.back')),
        h('h1', { class: 'case-no-title' }, h('span', { class: 'sr-only' }, t('case.case_no')), c.case_no),
        h('span', { class: `badge badge-lg status-${c.status}` }, label('status', c.status)),
        // Partners get no risk level (it stays with the office): no badge rather than a misleading "none".
        partnerView ? null : c.risk_level && c.risk_level !== 'none' ? h('span', { class: `badge badge-lg risk-${c.risk_level}` }, t('risk.prefix'), label('risk', c.risk_level)) : h('span', { class: 'badge badge-lg badge-muted' }, t('risk.prefix'), label('risk', 'none')),
        c.urgency && c.urgency !== 'normal' ? h('span', { class: `badge badge-lg urgency-badge urgency-${c.urgency}` }, label('urgency', c.urgency)) : null,
        c.overdue ? h('span', { class: 'badge badge-lg badge-danger' }, t('cases.overdue')) : null,
        c.archived_at ? h('span', { class: 'badge badge-lg badge-muted', id: 'case-archived', title: t('case.archived_hint') }, t('case.archived', { date: fmtDate(c.archived_at) })) : null),
      h('dl', { class: 'case-meta' },
        meta(t('case.category'), categoryPath(categories, c.category)),
        meta(t('case.channel'), label('channel', c.channel)),
        meta(t('case.received_at'), fmtDateTime(c.received_at)),
        meta(t('case.office'), c.office ? c.office.name : '—'),
        meta(t('case.assignee'), c.assignee ? c.assignee.display_name : t('cases.unassigned')),
        partnerView ? null : meta(t('case.age'), t('case.age_days', { n: c.age_days })),
        c.accepted_at ? meta(t('case.accepted_at'), fmtDateTime(c.accepted_at)) : null,
        c.closed_at ? meta(t('case.closed_at'), fmtDateTime(c.closed_at)) : null),
      deadlineItems.length && !partnerView ? h('div', { class: 'deadlines' }, h('h2', { class: 'sr-only' }, t('case.deadlines')), h('ul', { class: 'deadline-list' }, deadlineItems)) : null,
      transferNotes(c),
      partnerView ? null : procedurePanel(c),
      partnerView ? null : intakeFlags(c, runEvent),
      // Staff see the DV section's own, more prominent risk flag below the header instead.
      HIGH_RISK.has(c.risk_level) && !partnerView && !dv ? h('p', { class: 'alert alert-warn' }, t('case.high_risk_note')) : null);
  }

  // Where a transferred case went and where it came from, with the other side's current status, so
  // the sending office sees the feedback and the receiving one the original.
  function transferNotes(c) {
    if (partnerView) return null;
    const link = (l) => h('a', { href: `#/cases/${l.id}` }, l.case_no);
    const notes = [];
    if (c.read_only) notes.push(h('p', { class: 'alert alert-info transfer-note', id: 'case-read-only' }, t('case.read_only', { office: c.office ? c.office.name : '—' })));
    if (c.transferred_to) {
      const l = c.transferred_to;
      notes.push(h('p', { class: 'alert alert-info transfer-note', id: 'case-transferred-to' },
        t(c.status === 'delegated' ? 'case.delegated_to' : 'case.transferred_to', { office: l.office.name }), ' ', link(l), ' · ', t('case.transfer_status'), ' ',
        h('span', { class: `badge status-${l.status}` }, label('status', l.status)),
        l.closed_at ? ` · ${t('case.closed_at')} ${fmtDateTime(l.closed_at)}` : ''));
    }
    if (c.transferred_from) {
      const l = c.transferred_from;
      notes.push(h('p', { class: 'alert alert-muted transfer-note', id: 'case-transferred-from' },
        t(c.received && c.received.mode === 'delegate' ? 'case.delegated_from' : 'case.transferred_from', { office: l.office.name }), ' ', link(l)));
    }
    return notes.length ? h('div', { class: 'transfer-notes' }, notes) : null;
  }

  function meta(k, v) {
    return h('div', { class: 'meta-item' }, h('dt', null, k), h('dd', null, v));
  }

  function tickDeadlines() {
    for (const el of header.querySelectorAll('.deadline-left')) el.textContent = countdown(el.dataset.due).text;
  }

  // ----- actions -----
  function renderActions() {
    const c = caseObj;
    const events = EVENT_ORDER.filter((e) => (c.available_events || []).includes(e));
    const extra = [];
    if (!c.assignee && !['closed', 'forwarded'].includes(c.status) && ctx.user.role === 'operator' && !c.read_only) {
      extra.push(h('button', { type: 'button', class: 'btn', onclick: () => takeCase() }, t('case.take')));
    }
    replace(actions,
      h('div', { class: 'action-buttons' },
        events.length ? events.map((e) => h('button', {
          type: 'button',
          class: ['btn', PRIMARY_EVENTS.has(e) ? 'btn-primary' : DANGER_EVENTS.has(e) ? 'btn-danger-outline' : null],
          dataset: { event: e },
          onclick: () => runEvent(e),
        }, t(`event.${e}`))) : h('span', { class: 'muted' }, t('case.no_actions')),
        extra),
      h('div', { class: 'action-tools' },
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => window.print() }, t('case.print'))));
  }

  async function runEvent(event) {
    const updated = await openEventDialog(event, { getCase: () => caseObj, reloadCase });
    if (!updated || !ctx.alive()) return;
    caseObj = updated;
    renderAll();
    toast(t('case.event_done', { event: t(`event.${event}`), status: label('status', updated.status) }), 'success');
    await Promise.all([loadTimeline(), referrals.load()]);
    const btn = actions.querySelector('button');
    if (btn) btn.focus();
  }

  async function takeCase() {
    try {
      caseObj = await api.patch(`/api/v1/cases/${id}`, { version: caseObj.version, assignee_id: ctx.user.id });
      renderAll();
      await loadTimeline();
    } catch (e) {
      if (e.status === 409) {
        toast(t('conflict.title'), 'warn');
        await reloadCase();
      } else toast(errorMessage(e), 'error');
    }
  }

  // Asked again after each of her actions, so two answers can be on their way: the older one, arriving
  // last, must not bring back the case as it was before the newer action. Its caller gets what it read.
  let caseSeq = 0;
  async function reloadCase() {
    const mine = ++caseSeq;
    const fresh = await api.get(`/api/v1/cases/${id}`);
    if (mine !== caseSeq) return fresh;
    caseObj = fresh;
    if (ctx.alive()) {
      renderHeader();
      if (duban) duban.render(caseObj);
      if (legalHold) legalHold.render(caseObj);
      renderActions();
      renderPersons();
      renderPrint();
      renderMatterView(false);
      loadTimeline();
      referrals.load();
    }
    return caseObj;
  }

  // ----- summary / narrative, editable -----
  let editing = null; // {summary, narrative} typed by the user while editing
  const editKey = `draft:case-edit:${ctx.user.id}:${id}`;
  function renderMatterView(force = true) {
    if (editing && !force) {
      // Keep the editor (and the typed text); only the "latest version" hint changes.
      const latest = matter.querySelector('.latest-version');
      if (latest) replace(latest, t('conflict.latest', { version: caseObj.version }), h('blockquote', null, caseObj.summary));
      return;
    }
    const c = caseObj;
    const canEdit = ['operator', 'supervisor'].includes(ctx.user.role) && !['closed', 'forwarded'].includes(c.status) && !c.read_only;
    replace(matter,
      h('div', { class: 'card-title-row' },
        h('h2', { class: 'card-title', id: 'matter-title' }, t('case.matter')),
        canEdit ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => startEdit() }, t('case.edit')) : null),
      h('p', { class: 'case-summary' }, c.summary || '—'),
      c.narrative ? foldedText(c.narrative, { className: 'case-narrative' }) : h('div', { class: 'case-narrative' }, h('span', { class: 'muted' }, t('case.no_narrative'))),
      closureBlock(c));
  }

  function closureBlock(c) {
    if (!c.outcome && !c.closure_summary && !c.decline_reason) return null;
    return h('dl', { class: 'closure' },
      c.outcome ? meta(t('case.outcome'), label('outcome', c.outcome)) : null,
      c.closure_summary ? meta(t('case.closure_summary'), c.closure_summary) : null,
      c.losses_avoided_fen !== null && c.losses_avoided_fen !== undefined ? meta(t('case.losses_avoided'), fenToYuan(c.losses_avoided_fen)) : null,
      c.decline_reason ? meta(t('case.decline_reason'), c.decline_reason) : null);
  }

  function startEdit(saved) {
    const c = caseObj;
    // base: the text as it was when editing began, to tell the user's changes from other people's.
    editing = saved || store.load(editKey) || { summary: c.summary || '', narrative: c.narrative || '', version: c.version };
    if (!editing.base) editing.base = { summary: c.summary || '', narrative: c.narrative || '' };
    const summary = h('input', { class: 'input', id: 'edit-summary', maxlength: 160, value: editing.summary });
    const narrative = h('textarea', { class: 'input', id: 'edit-narrative', rows: 8 });
    narrative.value = editing.narrative;
    const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
    const keep = () => {
      editing.summary = summary.value;
      editing.narrative = narrative.value;
      store.save(editKey, editing);
    };
    summary.addEventListener('input', keep);
    narrative.addEventListener('input', keep);
    const form = h('form', { class: 'edit-form', dataset: { ctrlEnter: '1' } },
      errorBox,
      h('div', { class: 'field' }, h('label', { for: 'edit-summary', class: 'field-label' }, t('intake.summary')), summary),
      h('div', { class: 'field' }, h('label', { for: 'edit-narrative', class: 'field-label' }, t('intake.narrative')), narrative),
      h('div', { class: 'latest-version muted' }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => { editing = null; store.remove(editKey); renderMatterView(); } }, t('common.cancel')),
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'), kbd('Ctrl', 'Enter'))));
    handleSubmit(form, { errorBox }, async () => {
      keep();
      try {
        caseObj = await api.patch(`/api/v1/cases/${id}`, { version: editing.version, summary: summary.value.trim(), narrative: narrative.value });
        editing = null;
        store.remove(editKey);
        renderAll();
        toast(t('case.saved'), 'success');
        loadTimeline();
      } catch (err) {
        if (err.status === 409) {
          showConflict(errorBox, {
            title: t('conflict.title'), body: t('conflict.body_edit'), reloadLabel: t('conflict.reload_keep'), reloadClass: 'btn btn-small conflict-reload',
            reload: async () => {
              await reloadCase();
              // Fields this user did not touch take the latest text; touched ones stay as typed.
              for (const [k, input] of [['summary', summary], ['narrative', narrative]]) {
                if (input.value === editing.base[k]) input.value = caseObj[k] || '';
              }
              editing.base = { summary: caseObj.summary || '', narrative: caseObj.narrative || '' };
              editing.version = caseObj.version;
              keep();
              const latest = form.querySelector('.latest-version');
              replace(latest, h('div', null, t('conflict.latest_text')), h('blockquote', null, caseObj.summary), h('blockquote', { class: 'clamp-5' }, caseObj.narrative || '—'));
              summary.focus();
              return { ok: true, text: t('conflict.reloaded_edit', { version: caseObj.version }) };
            },
          });
          return;
        }
        replace(errorBox, errorMessage(err), err.fields ? ` (${Object.entries(err.fields).map(([k, v]) => `${k}: ${v}`).join('; ')})` : '');
        errorBox.hidden = false;
        errorBox.focus();
      }
    });
    replace(matter, h('h2', { class: 'card-title', id: 'matter-title' }, t('case.edit_matter')), form);
    summary.focus();
  }

  // ----- persons -----
  // The complainant is named as the case's channel names her (来电人 / 来访人 / 来信人 …).
  function roleLabel(role) {
    return personRoleLabel(role, caseObj.channel);
  }

  function renderPersons() {
    const list = caseObj.persons || [];
    replace(persons,
      h('h2', { class: 'card-title', id: 'persons-title' }, t('case.persons')),
      list.length
        ? h('table', { class: 'table table-compact' },
          h('thead', null, h('tr', null, ['role', 'name', 'gender', 'age', 'phone', 'relationship', partnerView ? null : 'region'].filter(Boolean).map((k) => h('th', { scope: 'col' }, t(`person.col_${k}`))))),
          h('tbody', null, list.map((p) => h('tr', null,
            h('td', null, roleLabel(p.role)),
            h('td', null, p.name || '—'),
            h('td', null, label('gender', p.gender)),
            h('td', { class: 'num' }, p.age ?? '—'),
            h('td', { class: 'person-phone' }, phoneWithRules(p)),
            h('td', null, p.relationship || '—'),
            partnerView ? null : h('td', { class: 'person-region' }, placeLabel(p.region_code))))))
        : h('p', { class: 'muted' }, t('case.no_persons')),
      partnerView && list.some((p) => /\*/.test(p.phone || '')) ? h('p', { class: 'field-hint phones-masked' }, t('case.phones_masked')) : null);
  }

  // Asked again after every change she makes, also while an earlier answer is on its way (the page's
  // first one): only the newest question's answer is shown, an older one arriving last would drop
  // what she just did.
  let timelineSeq = 0;
  async function loadTimeline() {
    const mine = ++timelineSeq;
    try {
      const res = await api.get(`/api/v1/cases/${id}/timeline`);
      if (!ctx.alive() || mine !== timelineSeq) return;
      timeline = res.items || [];
      const items = [...timeline].reverse();
      replace(timelineList, items.length ? items.map(timelineItem) : h('li', { class: 'muted' }, t('case.timeline_empty')));
      renderPrint();
    } catch (e) {
      if (ctx.alive() && mine === timelineSeq) replace(timelineList, h('li', { class: 'alert alert-error' }, errorMessage(e)));
    }
  }

  // ----- printable registration form (views/case-print.js) -----
  function renderPrint() {
    renderPrintSheet(printSheet, { c: caseObj, timeline, categories });
  }

  function renderAll() {
    renderHeader();
    if (duban) duban.render(caseObj);
    if (legalHold) legalHold.render(caseObj);
    if (contact) contact.render(caseObj);
    renderActions();
    renderMatterView();
    renderPersons();
    renderPrint();
  }

  renderAll();
  const savedEdit = store.load(editKey);
  if (savedEdit && ['operator', 'supervisor'].includes(ctx.user.role)) startEdit(savedEdit);
  await Promise.all([loadTimeline(), referrals.load(), attachments.load(),
    reviews ? reviews.load().catch((e) => { reviews.el.hidden = false; reviews.el.append(h('p', { class: 'alert alert-error' }, errorMessage(e))); }) : null,
    dv ? dv.load().catch((e) => dv.el.append(h('p', { class: 'alert alert-error' }, errorMessage(e)))) : null]);
  timers.push(setInterval(tickDeadlines, 30000));
  document.title = `${caseObj.case_no} · ${t('app.name')}`;
  return () => timers.forEach(clearInterval);
}

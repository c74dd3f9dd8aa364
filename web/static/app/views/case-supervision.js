// 督办 on the case page (issue #13): a banner for each open 督办 (the supervising office, its note, the
// due date — red once overdue), the answer form (督办回复) for the handling office, the answered ones
// below it, and a "督办" button with its dialog (note, due date) for a supervisor of an office above or
// of the office that assigned the case (交办). The server decides who may do what (`may_supervise`,
// `may_answer_supervision` of the case, web/API.md); this module only shows it.
import { h, replace, kbd } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, fmtDateTime, shanghaiParts } from '../format.js';
import { openModal, toast } from '../dialog.js';
import { field, collect, showErrors, clearErrorOnEdit, handleSubmit, showSaveError, trimOrEmpty } from '../form.js';

const TEXT_MAX = 5000;

// YYYY-MM-DD of the Shanghai day `days` after today.
function shanghaiDate(days) {
  const p = shanghaiParts(new Date(Date.now() + days * 86400000));
  return `${p.year}-${p.month}-${p.day}`;
}

function dueText(s) {
  return h('span', { class: ['duban-due', s.overdue ? 'is-overdue' : null] },
    t('duban.due', { date: fmtDate(s.due_at) }), s.overdue ? [' ', h('strong', { class: 'badge badge-danger' }, t('duban.overdue'))] : null);
}

// Opens the dialog; resolves with the new 督办, or undefined when cancelled.
function openSuperviseDialog(caseObj) {
  return openModal({
    title: t('duban.dialog_title'),
    className: 'dialog-duban',
    build: (dialog, close) => {
      const note = field({ path: 'note', label: t('duban.note'), kind: 'textarea', rows: 4, required: true, hint: t('duban.note_hint'), attrs: { maxlength: TEXT_MAX } });
      const due = field({ path: 'due_date', label: t('duban.due_date'), kind: 'date', required: true, hint: t('duban.due_hint'), attrs: { min: shanghaiDate(1) } });
      due.control.value = shanghaiDate(7);
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('duban.submit'), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body duban-form', novalidate: true, dataset: { ctrlEnter: '1' } },
        h('p', { class: 'muted' }, t('duban.help', { no: caseObj.case_no, office: caseObj.office ? caseObj.office.name : '' })),
        errorBox, note, due,
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')),
          submit));
      clearErrorOnEdit(form);
      handleSubmit(form, { submit, errorBox }, async () => {
        const v = collect(form);
        const problems = {};
        if (!trimOrEmpty(v.note)) problems.note = t('err.required');
        if (!v.due_date) problems.due_date = t('err.required');
        else if (v.due_date < shanghaiDate(1)) problems.due_date = t('duban.err_after_today');
        if (Object.keys(problems).length) {
          showErrors(form, problems);
          return;
        }
        submit.disabled = true;
        try {
          close(await api.post(`/api/v1/cases/${caseObj.id}/supervisions`, { note: trimOrEmpty(v.note), due_date: v.due_date }, { expect: 201 }));
        } catch (err) {
          submit.disabled = false;
          showSaveError(form, errorBox, err);
        }
      });
      return form;
    },
  });
}

function answerForm(caseObj, s, onChanged) {
  const input = field({ path: 'answer', label: t('duban.answer_label'), kind: 'textarea', rows: 3, required: true, attrs: { maxlength: TEXT_MAX } });
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('duban.answer_submit'), kbd('Ctrl', 'Enter'));
  const form = h('form', { class: 'duban-answer', novalidate: true, dataset: { ctrlEnter: '1', supervisionId: s.id } },
    errorBox, input, h('div', { class: 'form-actions' }, submit));
  clearErrorOnEdit(form);
  handleSubmit(form, { submit, errorBox }, async () => {
    const text = trimOrEmpty(collect(form).answer);
    if (!text) {
      showErrors(form, { answer: t('err.required') });
      return;
    }
    submit.disabled = true;
    try {
      await api.post(`/api/v1/cases/${caseObj.id}/supervisions/${s.id}/answer`, { answer: text });
      toast(t('duban.answered'), 'success');
      await onChanged();
    } catch (err) {
      submit.disabled = false;
      showSaveError(form, errorBox, err);
    }
  });
  return form;
}

function openBanner(caseObj, s, onChanged) {
  return h('section', { class: ['alert', 'duban-banner', s.overdue ? 'alert-error' : 'alert-warn'], role: 'region', 'aria-label': t('duban.banner_label'), dataset: { supervisionId: s.id } },
    h('div', { class: 'duban-head' },
      h('strong', { class: 'duban-title' }, t('duban.title_from', { office: s.office.name })), ' · ', dueText(s)),
    h('p', { class: 'duban-note' }, s.note),
    h('p', { class: 'duban-meta small' }, t('duban.by', { name: s.supervisor ? s.supervisor.display_name : '—', at: fmtDateTime(s.created_at) })),
    caseObj.may_answer_supervision ? answerForm(caseObj, s, onChanged) : h('p', { class: 'muted small' }, t('duban.awaiting_answer')));
}

function answeredItem(s) {
  return h('li', { class: 'duban-answered-item', dataset: { supervisionId: s.id } },
    h('div', null, h('strong', null, t('duban.title_from', { office: s.office.name })), ' · ', t('duban.due', { date: fmtDate(s.due_at) }), ' ',
      h('span', { class: ['badge', s.on_time ? 'badge-ok' : 'badge-danger'] }, s.on_time ? t('duban.on_time') : t('duban.late'))),
    h('p', { class: 'duban-note muted' }, s.note),
    h('p', null, h('span', { class: 'duban-answer-label' }, t('duban.answer_label'), t('common.colon')), s.answer),
    h('p', { class: 'small muted' }, t('duban.answered_by', { name: s.answered_by ? s.answered_by.display_name : '—', at: fmtDateTime(s.answered_at) })));
}

// The panel: render(caseObj) after every reload of the case; onChanged() reloads the case.
export function supervisionPanel({ onChanged }) {
  const el = h('div', { class: 'duban-panel' });
  function render(caseObj) {
    const list = caseObj.supervisions || [];
    const open = list.filter((s) => s.open);
    const answered = list.filter((s) => !s.open);
    const button = caseObj.may_supervise
      ? h('button', {
        type: 'button', class: 'btn btn-small duban-open-btn',
        onclick: async () => {
          const created = await openSuperviseDialog(caseObj);
          if (created) {
            toast(t('duban.opened'), 'success');
            await onChanged();
          }
        },
      }, t('duban.action'))
      : null;
    el.hidden = !list.length && !button;
    replace(el,
      open.map((s) => openBanner(caseObj, s, onChanged)),
      answered.length
        ? h('details', { class: 'card duban-history' }, h('summary', null, t('duban.answered_list', { n: answered.length })),
          h('ul', { class: 'duban-answered' }, answered.map(answeredItem)))
        : null,
      button ? h('div', { class: 'duban-actions' }, button, ' ', h('span', { class: 'muted small' }, t('duban.action_hint'))) : null);
  }
  return { el, render };
}

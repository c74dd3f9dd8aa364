// 法律保留 (legal hold) on the case page (issue #16, retention): while a case is held, the retention
// sweep leaves its personal data alone however long ago it was archived. A supervisor sets it with a
// reason (a lawsuit, a police inquiry) and releases it; other staff see that it is held. A case whose
// personal data were already anonymised says so instead. The server decides who may (web/API.md,
// "Retention and legal hold"); this module only shows it.
import { h, replace, kbd } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { fmtDateTime } from '../format.js';
import { openModal, confirmDialog, toast } from '../dialog.js';
import { field, showErrors, clearErrorOnEdit, handleSubmit, showSaveError, trimOrEmpty } from '../form.js';
import { errorMessage } from '../errors.js';

function openHoldDialog(caseObj) {
  return openModal({
    title: t('hold.dialog_title'),
    className: 'dialog-small',
    build: (dialog, close) => {
      const reason = field({ path: 'reason', label: t('hold.reason'), kind: 'textarea', rows: 3, required: true, hint: t('hold.reason_hint'), attrs: { maxlength: 1000 } });
      const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
      const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('hold.submit'), kbd('Ctrl', 'Enter'));
      const form = h('form', { class: 'dialog-body', novalidate: true, dataset: { ctrlEnter: '1' } },
        h('p', { class: 'muted' }, t('hold.help', { no: caseObj.case_no })),
        errorBox, reason,
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, t('common.cancel')), submit));
      clearErrorOnEdit(form);
      handleSubmit(form, { submit, errorBox }, async () => {
        const text = trimOrEmpty(reason.control.value);
        if (!text) {
          showErrors(form, { reason: { text: t('err.required') } });
          return;
        }
        submit.disabled = true;
        try {
          close(await api.post(`/api/v1/cases/${caseObj.id}/legal-hold`, { reason: text }, { expect: 201 }));
        } catch (err) {
          submit.disabled = false;
          showSaveError(form, errorBox, err);
        }
      });
      return form;
    },
  });
}

// Returns {el, render(caseObj)}; onChanged() after a hold was set or released.
export function legalHoldPanel({ user, onChanged }) {
  const el = h('div', { class: 'legal-hold', hidden: true });
  const supervisor = user.role === 'supervisor';

  async function release(c) {
    if (!(await confirmDialog(t('hold.release_confirm', { no: c.case_no }), { okLabel: t('hold.release') }))) return;
    try {
      await api.del(`/api/v1/cases/${c.id}/legal-hold`);
      toast(t('hold.released'), 'success');
      onChanged();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  async function hold(c) {
    if (await openHoldDialog(c)) {
      toast(t('hold.set'), 'success');
      onChanged();
    }
  }

  function render(c) {
    if (c.anonymised_at) {
      el.hidden = false;
      replace(el, h('div', { class: 'alert alert-info', role: 'status' }, t('hold.anonymised', { at: fmtDateTime(c.anonymised_at) })));
      return;
    }
    const held = c.legal_hold;
    if (!held && !supervisor) {
      el.hidden = true;
      replace(el);
      return;
    }
    el.hidden = false;
    replace(el, held
      ? h('div', { class: 'alert alert-warn legal-hold-banner', role: 'status' },
        h('strong', null, t('hold.held')), ' ', t('hold.held_detail', { reason: held.reason, at: fmtDateTime(held.at) }),
        supervisor ? [' ', h('button', { type: 'button', class: 'btn btn-small', onclick: () => release(c) }, t('hold.release'))] : null)
      : h('div', { class: 'legal-hold-action' },
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: 'legal-hold-set', onclick: () => hold(c) }, t('hold.button'))));
  }

  return { el, render };
}

// 修改密码: a person changes her own password (POST /api/v1/session/password). Opened from the top
// bar, or — when the session says must_change_password (expired, or set by an administrator) —
// forced: it cannot be dismissed, and the desk shows nothing else until the change succeeds (the
// server refuses every other route with 403 password_expired meanwhile). Resolves true when changed.
import { h } from './dom.js';
import { t } from './i18n.js';
import { openModal, toast } from './dialog.js';
import { fieldMessage, errorMessage } from './errors.js';
import { post } from './api.js';

function passwordField(id, label, autocomplete, hint) {
  const input = h('input', { id, type: 'password', class: 'input', autocomplete, required: true, 'aria-describedby': `${id}-error` });
  const error = h('div', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  const field = h('div', { class: 'field' }, h('label', { class: 'field-label', for: id }, label), input,
    hint ? h('div', { class: 'field-hint' }, hint) : null, error);
  const show = (message) => {
    error.textContent = message || '';
    error.hidden = !message;
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
  };
  return { field, input, show };
}

export function changePasswordDialog({ forced = false, onLeave } = {}) {
  return openModal({
    title: t('pw.title'),
    className: ['dialog-small dialog-password', forced ? 'dialog-forced' : null].filter(Boolean).join(' '),
    dismissable: !forced,
    build: (dialog, close) => {
      const banner = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
      const current = passwordField('pw-current', t('pw.current'), 'current-password');
      const fresh = passwordField('pw-new', t('pw.new'), 'new-password', t('pw.hint'));
      const repeat = passwordField('pw-repeat', t('pw.repeat'), 'new-password');
      const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('pw.submit'));
      const leave = forced
        ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { close(false); if (onLeave) onLeave(); } }, t('nav.logout'))
        : h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => close(false) }, t('common.cancel'));
      current.input.autofocus = true;
      const form = h('form', { class: 'dialog-body', novalidate: true },
        forced ? h('p', { class: 'dialog-lead' }, t('pw.forced')) : null,
        banner, current.field, fresh.field, repeat.field,
        h('div', { class: 'dialog-actions' }, leave, submit));
      const clear = () => {
        banner.hidden = true;
        for (const f of [current, fresh, repeat]) f.show('');
      };
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clear();
        const first = [];
        if (!current.input.value) { current.show(t('err.required')); first.push(current); }
        if (!fresh.input.value) { fresh.show(t('err.required')); first.push(fresh); }
        else if (fresh.input.value !== repeat.input.value) { repeat.show(t('pw.mismatch')); first.push(repeat); }
        if (first.length) { first[0].input.focus(); return; }
        submit.disabled = true;
        try {
          await post('/api/v1/session/password', { current_password: current.input.value, new_password: fresh.input.value }, { auth: false });
          toast(t('pw.done'), 'success');
          close(true);
        } catch (err) {
          const fields = err.fields || {};
          if (fields.current_password) { current.input.value = ''; current.show(fieldMessage(fields.current_password)); current.input.focus(); }
          else if (fields.new_password) { fresh.show(fieldMessage(fields.new_password)); repeat.input.value = ''; fresh.input.select(); fresh.input.focus(); }
          else {
            banner.textContent = err.status === 429 ? t('login.locked') : errorMessage(err);
            banner.hidden = false;
          }
        } finally {
          submit.disabled = false;
        }
      });
      return form;
    },
  }).then((v) => v === true);
}

// 两步验证: a person turns two-step verification (TOTP) on or off for her own account
// (/api/v1/session/second-factor). Opened from the user menu, or — when the session says
// must_enrol_second_factor (the office requires it) — forced: it cannot be dismissed and the desk
// shows nothing else until a first code turns it on. The steps replace each other in one dialog:
// state → QR code and first code → the recovery codes, shown once. Resolves true when it was turned on.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { openModal, toast } from './dialog.js';
import { errorMessage } from './errors.js';
import { api, get, post } from './api.js';

// The code field of this dialog and of the login forms: six digits or a recovery code.
export function codeField(id) {
  const input = h('input', { id, class: 'input input-code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 24,
    spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': `${id}-hint ${id}-error` });
  const error = h('div', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  const field = h('div', { class: 'field' }, h('label', { class: 'field-label', for: id }, t('tfa.code')), input,
    h('div', { class: 'field-hint', id: `${id}-hint` }, t('tfa.code_hint')), error);
  const show = (message) => {
    error.textContent = message || '';
    error.hidden = !message;
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
  };
  return { field, input, show };
}

// The base32 secret in groups of four, as apps show it when typed by hand.
const grouped = (secret) => secret.replace(/(.{4})/g, '$1 ').trim();

export function secondFactorDialog({ forced = false, onLeave } = {}) {
  return openModal({
    title: t('tfa.title'),
    className: ['dialog-small dialog-second-factor', forced ? 'dialog-forced' : null].filter(Boolean).join(' '),
    dismissable: !forced,
    build: (dialog, close) => {
      const body = h('div', { class: 'dialog-body' });
      const banner = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
      const fail = (err) => {
        banner.textContent = err.status === 429 ? t('login.locked') : errorMessage(err);
        banner.hidden = false;
      };
      const leave = () => (forced
        ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { close(false); if (onLeave) onLeave(); } }, t('nav.logout'))
        : h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => close(false) }, t('common.cancel')));

      function showState(state) {
        const start = h('button', { type: 'button', class: 'btn btn-primary', autofocus: true, onclick: () => begin() }, t('tfa.start'));
        if (!state.enabled) {
          replace(body, forced ? h('p', { class: 'dialog-lead' }, t('tfa.forced')) : null,
            h('p', null, t('tfa.state_off')), state.required && !forced ? h('p', { class: 'small' }, t('tfa.required_note')) : null,
            banner, h('div', { class: 'dialog-actions' }, leave(), start));
          start.focus();
          return;
        }
        replace(body, h('p', { class: 'tfa-state' }, t('tfa.state_on', { n: state.recovery_codes_left })),
          state.required ? h('p', { class: 'small' }, t('tfa.required_note')) : turnOffForm(),
          state.required ? h('div', { class: 'dialog-actions' }, leave()) : null);
      }

      function turnOffForm() {
        const password = h('input', { id: 'tfa-off-password', type: 'password', class: 'input', autocomplete: 'current-password' });
        const code = codeField('tfa-off-code');
        const submit = h('button', { type: 'submit', class: 'btn btn-danger' }, t('tfa.off_submit'));
        const form = h('form', { novalidate: true, class: 'tfa-off' },
          h('h3', { class: 'dialog-subtitle' }, t('tfa.off_title')), h('p', { class: 'small' }, t('tfa.off_lead')), banner,
          h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'tfa-off-password' }, t('login.password')), password),
          code.field, h('div', { class: 'dialog-actions' }, leave(), submit));
        form.addEventListener('submit', async (e) => {
          e.preventDefault();
          banner.hidden = true;
          code.show('');
          if (!password.value || !code.input.value.trim()) { code.show(t('tfa.wrong_password_or_code')); return; }
          submit.disabled = true;
          try {
            await api('DELETE', '/api/v1/session/second-factor', { password: password.value, code: code.input.value.trim() });
            toast(t('tfa.off_done'), 'success');
            close(false);
          } catch (err) {
            password.value = '';
            if (err.fields && err.fields.code) { code.input.value = ''; code.show(t('tfa.wrong_password_or_code')); password.focus(); }
            else fail(err);
          } finally {
            submit.disabled = false;
          }
        });
        return form;
      }

      async function begin() {
        banner.hidden = true;
        let enrolment;
        try {
          enrolment = await post('/api/v1/session/second-factor', {});
        } catch (err) {
          fail(err);
          return;
        }
        const code = codeField('tfa-code');
        const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('tfa.confirm'));
        const qr = h('img', { class: 'tfa-qr', alt: t('tfa.qr_alt'), width: 180, height: 180,
          src: `data:image/svg+xml;base64,${btoa(enrolment.qr_svg)}` });
        const form = h('form', { novalidate: true },
          h('p', null, t('tfa.scan')), qr,
          h('p', { class: 'small' }, t('tfa.manual'), ' ', h('code', { class: 'tfa-secret' }, grouped(enrolment.secret))),
          h('p', null, t('tfa.enter_first')), banner, code.field,
          h('div', { class: 'dialog-actions' }, leave(), submit));
        form.addEventListener('submit', async (e) => {
          e.preventDefault();
          banner.hidden = true;
          code.show('');
          if (!code.input.value.trim()) { code.show(t('tfa.code_missing')); code.input.focus(); return; }
          submit.disabled = true;
          try {
            const done = await post('/api/v1/session/second-factor/confirm', { code: code.input.value.trim() });
            showCodes(done.recovery_codes);
          } catch (err) {
            if (err.fields && err.fields.code) { code.input.value = ''; code.show(t('tfa.wrong_code')); code.input.focus(); }
            else fail(err);
          } finally {
            submit.disabled = false;
          }
        });
        replace(body, form);
        code.input.focus();
      }

      function showCodes(codes) {
        const saved = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => { toast(t('tfa.done'), 'success'); close(true); } },
          t('tfa.codes_saved'));
        replace(body, h('h3', { class: 'dialog-subtitle', id: 'tfa-codes-title' }, t('tfa.codes_title')),
          h('p', null, t('tfa.codes_lead')),
          h('ol', { class: 'tfa-codes', 'aria-labelledby': 'tfa-codes-title' }, codes.map((c) => h('li', null, h('code', null, c)))),
          h('div', { class: 'dialog-actions' },
            h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => window.print() }, t('tfa.codes_print')), saved));
        saved.focus();
      }

      get('/api/v1/session/second-factor').then(showState, (err) => { replace(body, banner, h('div', { class: 'dialog-actions' }, leave())); fail(err); });
      return body;
    },
  }).then((v) => v === true);
}

// 登录 — the only page shown without a session.
import { h, replace } from '../dom.js';
import { t, getLang, setLang } from '../i18n.js';
import * as session from '../session.js';
import { errorMessage } from '../errors.js';
import { navigate } from '../router.js';
import { codeField } from '../second-factor-dialog.js';

export default function loginView(root, ctx) {
  const error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const username = h('input', { id: 'login-username', name: 'username', class: 'input', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', class: 'input', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('login.submit'));
  // Two-step verification: shown once the server says the password was right and a code is needed.
  const code = codeField('login-code');
  code.field.hidden = true;
  const form = h('form', { class: 'login-form', novalidate: true },
    error,
    h('div', { class: 'field' }, h('label', { for: 'login-username', class: 'field-label' }, t('login.username')), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password', class: 'field-label' }, t('login.password')), password),
    code.field,
    submit);
  // A changed username or password starts over: the code belongs to the account the server checked.
  for (const input of [username, password])
    input.addEventListener('input', () => { if (!code.field.hidden) { code.field.hidden = true; code.input.value = ''; } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!username.value.trim() || !password.value) {
      error.textContent = t('login.missing');
      error.hidden = false;
      return;
    }
    const asking = !code.field.hidden;
    if (asking && !code.input.value.trim()) {
      code.show(t('tfa.code_missing'));
      code.input.focus();
      return;
    }
    code.show('');
    submit.disabled = true;
    try {
      const user = await session.login(username.value.trim(), password.value, asking ? code.input.value.trim() : '');
      const next = ctx.query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next : session.homeFor(user.role), { replace: true });
    } catch (err) {
      if (err.code === 'second_factor_required') {
        code.field.hidden = false;
        error.textContent = t('tfa.asked');
        error.className = 'alert alert-info';
        error.hidden = false;
        code.input.focus();
        return;
      }
      error.className = 'alert alert-error';
      if (asking && err.status === 401) {  // a wrong or used code: the password stays, the code goes
        code.input.value = '';
        code.show(t('tfa.wrong_code'));
        code.input.focus();
        return;
      }
      password.value = '';
      code.field.hidden = true;
      code.input.value = '';
      error.textContent = err.status === 401 ? t('login.wrong') : err.status === 429 ? t('login.locked') : errorMessage(err);
      error.hidden = false;
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  const other = getLang() === 'en' ? 'zh-CN' : 'en';
  replace(root, h('div', { class: 'login-page' },
    h('div', { class: 'login-card card' },
      h('div', { class: 'login-brand' },
        h('span', { class: 'brand-mark brand-mark-lg', 'aria-hidden': 'true' }, '维'),
        h('div', null, h('h1', { class: 'login-title' }, t('app.name')), h('p', { class: 'muted' }, t('app.tagline')))),
      form,
      h('div', { class: 'login-foot' },
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', lang: other, onclick: () => setLang(other) }, t('lang.switch')),
        h('span', { class: 'muted small' }, t('login.hotline_note'))))));
  username.focus();
}

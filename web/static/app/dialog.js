// Modal dialogs on the native <dialog> element: focus is trapped by the browser, Esc closes.
import { h } from './dom.js';
import { t } from './i18n.js';

// Opens a modal. build(dialog, close) returns the dialog's content; close(value) resolves the promise.
export function openModal({ title, className, build, onCancel, dismissable = true }) {
  return new Promise((resolve) => {
    const heading = h('h2', { class: 'dialog-title', id: `dlg-${Math.random().toString(36).slice(2)}` }, title);
    const dialog = h('dialog', { class: ['dialog', className], 'aria-labelledby': heading.id });
    let done = false;
    const close = (value) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.addEventListener('cancel', (e) => {
      if (!dismissable) {
        e.preventDefault();
        return;
      }
      e.preventDefault();
      if (onCancel) onCancel();
      close(undefined);
    });
    const header = h('header', { class: 'dialog-header' }, heading,
      dismissable ? h('button', { type: 'button', class: 'btn-icon', 'aria-label': t('common.close'), onclick: () => close(undefined) }, '×') : null);
    dialog.append(header, build(dialog, close));
    document.body.append(dialog);
    dialog.showModal();
    const first = dialog.querySelector('[autofocus], input:not([type=hidden]):not([disabled]):not([readonly]), select, textarea, button.btn-primary');
    if (first) first.focus();
  });
}

export function confirmDialog(message, { okLabel, cancelLabel, danger = false } = {}) {
  return openModal({
    title: t('common.confirm_title'),
    className: 'dialog-small',
    build: (dialog, close) =>
      h('div', { class: 'dialog-body' },
        h('p', null, message),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(false) }, cancelLabel || t('common.cancel')),
          h('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary', autofocus: true, onclick: () => close(true) }, okLabel || t('common.ok')))),
  }).then((v) => v === true);
}

let toastHost = null;
export function toast(message, kind = 'info', ms = 5000) {
  if (!toastHost) {
    toastHost = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(toastHost);
  }
  const el = h('div', { class: `toast toast-${kind}` }, message);
  toastHost.append(el);
  setTimeout(() => el.remove(), ms);
}

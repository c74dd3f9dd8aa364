import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { homeFor } from '../session.js';

export function notFound(root, message) {
  replace(root, h('div', { class: 'notfound card', role: 'alert' },
    h('h1', { class: 'page-title' }, t('notfound.title')),
    h('p', null, message || t('notfound.page')),
    h('a', { href: `#${homeFor()}`, class: 'btn btn-primary' }, t('notfound.home'))));
}

export default function notFoundView(root) {
  notFound(root);
}

// The partner view's "whom to call" (issue #15): the handling worker and her office, and the number
// the office answers (offices.phone, set by an administrator: PATCH /api/v1/offices/{id}). Without
// one, the 12338 hotline, which every women's federation answers and which is routed to the
// federation of the caller's area.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

export const OFFICE_HOTLINE = '12338';

export function handlerContactCard() {
  const el = h('section', { class: 'card handler-contact', 'aria-labelledby': 'handler-contact-title' });
  function render(c) {
    const fact = (k, v) => h('div', null, h('dt', null, k), h('dd', null, v));
    replace(el,
      h('h2', { class: 'card-title', id: 'handler-contact-title' }, t('contact.title')),
      h('dl', { class: 'ref-facts handler-contact-facts' },
        fact(t('contact.worker'), c.assignee ? c.assignee.display_name : t('contact.no_worker')),
        fact(t('contact.office'), c.office ? c.office.name : '—'),
        fact(t('contact.phone'), c.office && c.office.phone
          ? h('a', { href: `tel:${c.office.phone.replace(/[^0-9+]/g, '')}`, class: 'handler-contact-phone' }, c.office.phone)
          : [h('a', { href: `tel:${OFFICE_HOTLINE}`, class: 'handler-contact-phone' }, OFFICE_HOTLINE), ' ', h('span', { class: 'muted' }, t('contact.phone_hint'))])));
  }
  return { el, render };
}

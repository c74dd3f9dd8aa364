// How a case's matter arrived (issue #13), on the case page: group visit (集体访), repeat contacts
// (重复访) and level-skipping (越级访) with the office that has jurisdiction — and, when the case may
// still be routed, the existing 交办 / 转送 actions offered for that office (the dialog's target is
// prefilled from c.jurisdiction_office, see procedure-fields.js targetOffice). Also the badges of a
// contact in the timeline. Kept apart from case.js, which only places these.
import { h } from '../dom.js';
import { t } from '../i18n.js';

// c: the case (staff view); runEvent(event) opens the event's dialog. Null when there is nothing to say.
export function intakeFlags(c, runEvent) {
  const badges = [];
  if (c.group_visit) badges.push(h('span', { class: 'badge badge-warn flag-group-visit' }, t('flags.group_visit')));
  if (c.repeat_contacts > 0) badges.push(h('span', { class: 'badge badge-warn flag-repeat' }, t('flags.repeat_n', { n: c.repeat_contacts })));
  const office = c.jurisdiction_office;
  if (c.level_skipping) badges.push(h('span', { class: 'badge badge-warn flag-level-skipping' }, office ? t('flags.jurisdiction', { office: office.name }) : t('flags.level_skipping')));
  if (!badges.length) return null;
  const events = c.read_only ? [] : (c.available_events || []);
  const routes = office ? ['delegate', 'forward'].filter((e) => events.includes(e)).map((e) =>
    h('button', { type: 'button', class: 'btn btn-small', dataset: { routeEvent: e }, onclick: () => runEvent(e) },
      t(`flags.route_${e}`, { office: office.name }))) : [];
  return h('div', { class: 'intake-flags', role: 'group', 'aria-label': t('flags.title') }, badges, routes);
}

// A timeline contact item's flags.
export function contactBadges(item) {
  return [
    item.repeat ? h('span', { class: 'badge badge-warn' }, t('flags.repeat')) : null,
    item.group_visit ? h('span', { class: 'badge badge-warn' }, t('flags.group_visit')) : null,
    item.level_skipping ? h('span', { class: 'badge badge-warn' }, t('flags.level_skipping')) : null,
  ];
}

// The case's printable registration form (登记表, issue #15): the case, its persons, the handling
// steps and the staff's notes, on paper for the office's file. Moved out of case.js.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import { categoryPath } from '../reference.js';
import { fmtDateTime, fmtDate, personParams, personRoleLabel } from '../format.js';
import { phoneWithRules } from '../safe-contact.js';
import { placeLabel } from '../place-picker.js';

// Events that are the desk's bookkeeping, not steps in handling the matter: the form prints the
// result, not how the record got there. `update` (field edits: the form shows the fields as they
// are now), `assign` (who holds the case: the form's 接待人 line names her), `attachment_added`,
// `import` (the ledger import that brought the case in), `archive` (record-keeping after the
// closure), `dv_record_updated` / `safety_plan_updated` (edits of records kept in the system, not
// acts towards the woman), `follow_up_attempt` (a callback that reached nobody). `refer` is left out
// because its referral item prints instead, with the partner and the service.
export const INTERNAL_EVENTS = new Set(['update', 'assign', 'attachment_added', 'import', 'archive', 'dv_record_updated',
  'safety_plan_updated', 'follow_up_attempt', 'refer']);

export function printedSteps(timeline) {
  return timeline.filter((x) => (x.kind === 'event' && !INTERNAL_EVENTS.has(x.event)) || x.kind === 'referral');
}

// Fills `sheet` from the case `c`, its timeline items and the category list.
export function renderPrintSheet(sheet, { c, timeline, categories }) {
  const roleLabel = (role) => personRoleLabel(role, c.channel);
  const by = (role) => (c.persons || []).filter((p) => p.role === role);
  const personRows = (role) => {
    const list = by(role);
    if (!list.length) return [h('tr', null, h('th', null, roleLabel(role)), h('td', { colspan: 5 }, role === 'victim' ? t('print.victim_same', personParams(c.channel)) : '—'))];
    return list.flatMap((p) => [h('tr', null,
      h('th', null, roleLabel(role)),
      h('td', null, t('print.name'), t('common.colon'), p.name || '—'),
      h('td', null, t('print.gender'), t('common.colon'), label('gender', p.gender)),
      h('td', null, t('print.age'), t('common.colon'), p.age ?? '—'),
      h('td', { class: 'print-phone' }, t('print.phone'), t('common.colon'), phoneWithRules(p)),
      h('td', null, t('print.relationship'), t('common.colon'), p.relationship || '—')),
    p.region_code ? h('tr', { class: 'print-region' }, h('th', null), h('td', { colspan: 5 }, t('print.region'), t('common.colon'), placeLabel(p.region_code))) : []]);
  };
  const firstContact = timeline.find((x) => x.kind === 'contact');
  const notes = timeline.filter((x) => x.kind === 'note');
  replace(sheet,
    h('h1', { class: 'print-title' }, t('print.title')),
    h('div', { class: 'print-sub' }, h('span', null, t('print.office'), t('common.colon'), c.office ? c.office.name : '—'), h('span', null, t('print.case_no'), t('common.colon'), c.case_no)),
    h('table', { class: 'print-table' },
      h('tbody', null,
        h('tr', null, h('th', null, t('print.received_at')), h('td', { colspan: 2 }, fmtDateTime(c.received_at)), h('th', null, t('print.channel')), h('td', { colspan: 2 }, label('channel', c.channel), firstContact && firstContact.call_type ? ` · ${label('call_type', firstContact.call_type)}` : '')),
        h('tr', null, h('th', null, t('print.category')), h('td', { colspan: 2 }, categoryPath(categories, c.category)), h('th', null, t('print.urgency_risk')), h('td', { colspan: 2 }, label('urgency', c.urgency), ' / ', label('risk', c.risk_level))),
        personRows('complainant'), personRows('victim'), personRows('respondent'),
        h('tr', null, h('th', null, t('print.summary')), h('td', { colspan: 5 }, c.summary || '')),
        h('tr', { class: 'print-tall' }, h('th', null, t('print.narrative')), h('td', { colspan: 5, class: 'print-pre' }, c.narrative || '')),
        h('tr', { class: 'print-tall' }, h('th', null, t('print.handling')), h('td', { colspan: 5 },
          h('ol', { class: 'print-events' }, printedSteps(timeline).map((x) => h('li', null,
            fmtDate(x.at), ' ', x.kind === 'event' ? label('event', x.event) : t('timeline.referral_to', { partner: x.partner, service: label('service', x.service) }),
            x.kind === 'event' && x.note ? [t('common.colon'), x.note] : ''))))),
        h('tr', { class: 'print-notes' }, h('th', null, t('print.notes')), h('td', { colspan: 5 },
          notes.length
            ? h('ol', { class: 'print-events' }, notes.map((x) => h('li', null,
              fmtDate(x.at), x.actor ? ` ${x.actor.display_name}` : '', t('common.colon'), h('span', { class: 'print-pre' }, x.text))))
            : '—')),
        h('tr', null, h('th', null, t('print.status')), h('td', { colspan: 2 }, label('status', c.status)), h('th', null, t('print.outcome')), h('td', { colspan: 2 }, c.outcome ? label('outcome', c.outcome) : '')))),
    h('div', { class: 'print-sign' },
      h('span', null, t('print.receiver'), t('common.colon'), c.assignee ? c.assignee.display_name : '________'),
      h('span', null, t('print.leader'), t('common.colon'), '________'),
      h('span', null, t('print.date'), t('common.colon'), fmtDate(new Date().toISOString()))),
    h('p', { class: 'print-foot' }, t('print.confidential')));
}

// A victim's phone number with her safe-contact rules beside it (issue #15 point 1): the one renderer
// for every place a complainant's or victim's number is shown — case page (staff and partner), 登记表,
// follow-up dialog — so nobody calls back without seeing 勿回拨, when it is safe and what to say.
// The server sends `safe_contact` only where it sends the number in full; a masked number (a partner
// without consent) therefore shows alone, with no rules.
import { h } from './dom.js';
import { t } from './i18n.js';

// Only these persons are asked the rules at intake; a respondent's number is shown bare.
const RULED_ROLES = new Set(['complainant', 'victim']);

export function hasRules(person) {
  return Boolean(person && RULED_ROLES.has(person.role) && person.safe_contact);
}

// The callback badge: 勿回拨 (red) when ok_to_call is false, 可回拨 when true, 回拨未确认 when not asked.
export function callBadge(okToCall) {
  const kind = okToCall === false ? 'no' : okToCall === true ? 'ok' : 'unknown';
  const key = { no: 'safe.no_call_short', ok: 'safe.ok_short', unknown: 'safe.unknown_short' }[kind];
  return h('span', { class: ['badge', 'safe-badge', `safe-badge-${kind}`], dataset: { okToCall: kind } }, t(key));
}

// person: {role, phone, safe_contact?}. Returns one inline block: the number, the badge right after
// it, then the safe times and what to say, each labelled. '—' when there is neither number nor rule.
export function phoneWithRules(person) {
  const phone = person && person.phone;
  const sc = hasRules(person) ? person.safe_contact : null;
  const times = sc && sc.safe_times ? sc.safe_times : '';
  const note = sc && sc.note ? sc.note : '';
  if (!phone && !times && !note && !(sc && sc.ok_to_call === false)) return '—';
  const rules = [
    times ? h('span', { class: 'safe-rule safe-rule-times' }, h('span', { class: 'safe-rule-label' }, t('safe.times_label')), times) : null,
    note ? h('span', { class: 'safe-rule safe-rule-note' }, h('span', { class: 'safe-rule-label' }, t('safe.note_label')), note) : null,
  ].filter(Boolean);
  return h('span', { class: ['safe-phone', sc && sc.ok_to_call === false ? 'safe-phone-no-call' : null] },
    h('span', { class: 'safe-phone-line' },
      h('span', { class: 'safe-phone-number' }, phone || '—'),
      sc ? callBadge(sc.ok_to_call) : null),
    rules.length ? h('span', { class: 'safe-rules' }, rules) : null);
}

// What POST /api/v1/intakes gets from the intake form: the body built from the form's flat
// {path: value} map (see form.collect), the quick log of a call that carries no data (silent,
// hang-up …), and the checks made before sending. No DOM and no storage: unit-tested under node.
import { t } from './i18n.js';
import { trimOrEmpty } from './form.js';
import { isoShanghai, localInputToIso, shanghaiParts } from './format.js';
import { idNumberProblem } from './id-number.js';

export const CHANNELS = ['hotline', 'walk_in', 'letter', 'online', 'agent', 'screening', 'transfer_in'];
// Hotline calls about something (they need a summary) and the quick-logged ones (no data).
export const DATA_CALL_TYPES = ['consultation', 'help_request'];
export const QUICK_CALL_TYPES = ['silent', 'hang_up', 'abusive', 'wrong_number'];
// Channels where the contact happens now, with the operator: timed from the first input; the others
// are registered later and give their received_at by hand.
export const TIMED_CHANNELS = ['hotline', 'walk_in'];
// The kinds of an on-the-spot consultation the reports count (issue #14).
export const CONSULTATION_KINDS = ['legal', 'marriage_family', 'psychological', 'other'];
// A walk-in of this many persons or more is a group visit (集体访); the server derives the same.
export const GROUP_VISIT_PERSONS = 5;

export function isGroupVisit(v) {
  return v.channel === 'walk_in' && Number(v.persons) >= GROUP_VISIT_PERSONS;
}

const MAX_DURATION_S = 86400;

export function digits(phone) {
  return String(phone || '').replace(/[^\d]/g, '');
}

// Seconds from startedAt to now, as the API accepts them (0 … 86400).
export function durationSeconds(startedAt, now) {
  return Math.min(MAX_DURATION_S, Math.max(0, Math.round((now - startedAt) / 1000)));
}

// The complainant or victim of the form (prefix 'complainant' | 'victim'), or null when nothing but
// the preset gender was given.
export function person(values, prefix) {
  const get = (k) => trimOrEmpty(values[`${prefix}.${k}`]);
  const p = {};
  for (const k of ['name', 'phone', 'gender', 'region_code', 'id_number', 'relationship_to_victim']) if (get(k)) p[k] = get(k);
  if (get('age') !== '') p.age = Number(get('age'));
  const ok = values[`${prefix}.safe_contact.ok_to_call`];
  const sc = {};
  if (ok === 'yes' || ok === 'no') sc.ok_to_call = ok === 'yes';
  if (get('safe_contact.safe_times')) sc.safe_times = get('safe_contact.safe_times');
  if (get('safe_contact.note')) sc.note = get('safe_contact.note');
  if (Object.keys(sc).length) p.safe_contact = sc;
  const meaningful = Object.keys(p).filter((k) => k !== 'gender');
  return meaningful.length ? p : null;
}

// What the server would refuse anyway, said before sending: {path: {text}} for form.showErrors, or
// null when there is nothing to say.
export function intakeProblems(v) {
  const p = {};
  const hotline = v.channel === 'hotline';
  if (hotline && !DATA_CALL_TYPES.includes(v.call_type)) p.call_type = { text: t('err.call_type_required') };
  if (!trimOrEmpty(v.summary)) p.summary = { text: t('err.required') };
  if (v.resolution === 'answered' && !trimOrEmpty(v.answer)) p.answer = { text: t('err.answer_required') };
  if (v.resolution === 'open_case' && !v.category) p.category = { text: t('err.category_required') };
  if (v.resolution === 'answered' && !CONSULTATION_KINDS.includes(v.consultation_kind)) p.consultation_kind = { text: t('err.consultation_kind_required') };
  if (v.level_skipping && !v.jurisdiction_office_id) p.jurisdiction_office_id = { text: t('err.jurisdiction_required') };
  if (!TIMED_CHANNELS.includes(v.channel) && !localInputToIso(v.received_at)) p.received_at = { text: t('err.datetime') };
  // The ID numbers the body sends (the victim's only when she is not the caller), as the server checks them.
  const today = (({ year, month, day }) => `${year}-${month}-${day}`)(shanghaiParts());
  for (const who of v.caller_is_victim ? ['complainant'] : ['complainant', 'victim']) {
    const id = trimOrEmpty(v[`${who}.id_number`]);
    const problem = id && idNumberProblem(id, today);
    if (problem) p[`${who}.id_number`] = { text: t(problem) };
  }
  return Object.keys(p).length ? p : null;
}

// The body of a full intake. startedAt: when the call began (epoch ms; timed channels take it as
// received_at and the time since as duration); caseRef: {id} of the case this contact follows up;
// repeatRef: {id} of the case it repeats (重复访), unless it follows one up; newMatter: the operator
// chose "a new matter" over a repeat candidate.
export function intakeBody(v, { startedAt, caseRef = null, repeatRef = null, newMatter = false, now = Date.now() }) {
  const channel = v.channel;
  const timed = TIMED_CHANNELS.includes(channel);
  const body = {
    channel,
    received_at: timed ? isoShanghai(new Date(startedAt)) : localInputToIso(v.received_at),
    persons: Math.max(1, Number(v.persons) || 1),
    urgency: v.urgency || 'normal',
    resolution: v.resolution,
    summary: trimOrEmpty(v.summary),
  };
  if (timed) body.duration_s = durationSeconds(startedAt, now);
  if (channel === 'hotline') body.call_type = v.call_type;
  let narrative = trimOrEmpty(v.narrative);
  // In an emergency the place to send help to leads the narrative.
  if (v.urgency === 'emergency' && trimOrEmpty(v.location)) narrative = `${t('intake.location_prefix')}${trimOrEmpty(v.location)}\n${narrative}`.trim();
  if (narrative) body.narrative = narrative;
  if (trimOrEmpty(v.answer)) body.answer = trimOrEmpty(v.answer);
  if (v.category) body.category = v.category;
  const complainant = person(v, 'complainant');
  if (complainant) body.complainant = complainant;
  if (!v.caller_is_victim) {
    const victim = person(v, 'victim');
    if (victim) body.victim = victim;
  } else if (body.complainant) delete body.complainant.relationship_to_victim;
  const respondent = {};
  if (trimOrEmpty(v['respondent.name'])) respondent.name = trimOrEmpty(v['respondent.name']);
  if (trimOrEmpty(v['respondent.relationship'])) respondent.relationship = trimOrEmpty(v['respondent.relationship']);
  if (Object.keys(respondent).length) body.respondent = respondent;
  if (caseRef) body.case_id = caseRef.id;
  else if (repeatRef) body.repeat_of_case_id = repeatRef.id;
  else if (newMatter) body.new_matter = true;
  if (v.resolution === 'answered' && v.consultation_kind) body.consultation_kind = v.consultation_kind;
  if (v.level_skipping && v.jurisdiction_office_id) {
    body.level_skipping = true;
    body.jurisdiction_office_id = Number(v.jurisdiction_office_id);
  }
  return body;
}

// A hotline call logged with one key (silent, hang-up, abusive, wrong number): its time and length,
// and the caller's number when one that looks like a phone number was typed; nothing else.
export function quickLogBody(callType, v, { startedAt, now = Date.now() }) {
  const body = {
    channel: 'hotline',
    call_type: callType,
    received_at: isoShanghai(new Date(startedAt)),
    duration_s: durationSeconds(startedAt, now),
    persons: 1,
    urgency: 'normal',
  };
  const phone = trimOrEmpty(v['complainant.phone']);
  if (/^\+?[\d\s-]{7,20}$/.test(phone)) body.complainant = { phone };
  return body;
}

// 来电弹屏 from the seat's call-centre (issue #15 point 9). The call-centre reports a call ringing at
// this operator's agent id (POST /api/v1/telephony/calls); the server sends a `call` event to her
// live stream only (live.js onCall). The desk then
//   - opens the intake for the caller's number (#/intake?phone=…: the form fills the number and the
//     caller panel shows her earlier contacts), unless an intake draft about another caller holds
//     typed content: then a banner "来电 138…" offers the intake, and nothing is lost;
//   - remembers the call (this user's `draft:call:<id>` in the browser: a draft, so logout clears
//     it), so the saved intake names it (call_id) and the contact is linked to the call;
//   - on `call.ended`, keeps the call-centre's duration: the intake's timer shows it and the saved
//     contact carries it (the operator's own timer counts only while the call is on).
// The call goes with the intake whose caller number is the call's; another number: not linked.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { onCall, reopenLive } from './live.js';
import { navigate } from './router.js';
import * as store from './store.js';
import { IntakeDraft } from './intake-draft.js';
import { digits } from './intake-body.js';

const STAFF = ['operator', 'supervisor'];
const host = h('div', { class: 'call-host', hidden: true });
let userId = null;
let stop = null;
let waiting = null; // the ringing call the banner offers, or null

const key = () => `draft:call:${userId}`;

// The banner's place in the shell (under the top bar), painted for the current language.
export function callHost() {
  paint();
  return host;
}

// The shell's user changed: listen for her calls (staff only), or stop.
export function followCalls(user) {
  const want = user && STAFF.includes(user.role) ? user.id : null;
  if (want === userId) {
    // Each page shown: a stream the server ended (an expired session, logged in again) comes back.
    if (want !== null) reopenLive();
    return;
  }
  if (stop) stop();
  stop = null;
  userId = want;
  waiting = null;
  paint();
  if (want !== null) stop = onCall(handle);
}

function openIntake(phone) {
  waiting = null;
  paint();
  navigate(`/intake?phone=${encodeURIComponent(phone)}`);
}

function handle(message) {
  const call = message && message.call;
  if (!call || !call.id || userId === null) return;
  if (message.kind === 'call.ringing') {
    const phone = call.caller_number || '';
    store.save(key(), { id: call.id, call_id: call.call_id, phone, rang_at: call.rang_at });
    const draft = new IntakeDraft({ userId });
    draft.open('');
    if (draft.hasContent() && digits(draft.phone) !== digits(phone)) {
      waiting = call;
      paint();
    } else openIntake(phone);
  } else if (message.kind === 'call.ended') {
    const mine = store.load(key());
    if (mine && mine.id === call.id && Number.isInteger(call.duration_s)) store.save(key(), { ...mine, duration_s: call.duration_s });
    if (waiting && waiting.id === call.id) {
      waiting = null;
      paint();
    }
  }
}

function paint() {
  if (!waiting) {
    replace(host);
    host.hidden = true;
    return;
  }
  const phone = waiting.caller_number || '';
  host.hidden = false;
  replace(host, h('div', { class: 'alert alert-info call-banner', role: 'status' },
    h('span', null, t('call.ringing', { phone })), ' ',
    h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => openIntake(phone) }, t('call.open_intake')), ' ',
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { waiting = null; paint(); } }, t('call.dismiss'))));
}

function storedCall(phone) {
  if (userId === null) return null;
  const call = store.load(key());
  return call && call.phone && digits(call.phone) === digits(phone || '') ? call : null;
}

// The call-centre's duration (seconds) of the ended call with this caller number, or null.
export function callDuration(phone) {
  const call = storedCall(phone);
  return call && Number.isInteger(call.duration_s) ? call.duration_s : null;
}

// An intake body with the call it records: call_id, and the call-centre's duration once known.
export function withCall(body) {
  const call = storedCall(body.complainant && body.complainant.phone);
  if (!call) return body;
  const out = { ...body, call_id: call.id };
  if (Number.isInteger(call.duration_s) && 'duration_s' in body) out.duration_s = call.duration_s;
  return out;
}

// The intake naming the call was saved: the call is done with.
export function callRecorded(body) {
  if (userId === null || !body.call_id) return;
  const call = store.load(key());
  if (call && call.id === body.call_id) store.remove(key());
}

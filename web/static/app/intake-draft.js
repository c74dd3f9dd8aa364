// The intake draft: everything typed about the call on the line, kept in the browser's storage under
// weiquan:draft:intake:<user id> on every change, so a reload or a crashed tab loses nothing; it is
// dropped only when the server has answered 201 for the save. Also the call timer's start, the case
// this contact follows up (if any), and the desk's last channel (weiquan:desk:channel). No DOM: the
// form (views/intake.js) hands it the values it collected. Unit-tested under node (tests/desk).
import * as localStore from './store.js';
import { trimOrEmpty } from './form.js';
import { toLocalInput } from './format.js';
import { CHANNELS, digits, intakeBody, intakeProblems, quickLogBody } from './intake-body.js';

const VERSION = 1;
const CHANNEL_KEY = 'desk:channel';
// Fields whose default value does not count as "the operator typed something".
const DEFAULT_KEYS = new Set(['channel', 'call_type', 'resolution', 'urgency', 'persons', 'received_at', 'caller_is_victim',
  'complainant.gender', 'victim.gender', 'complainant.safe_contact.ok_to_call', 'victim.safe_contact.ok_to_call']);

// Whether a stored draft holds something the operator typed (the caller's number alone does not
// count: a screen-pop fills it in), or is linked to a case.
function hasTyped(state) {
  if (!state || !state.values) return false;
  if (state.case_ref) return true;
  return Object.entries(state.values).some(([k, v]) => (!DEFAULT_KEYS.has(k) && typeof v === 'string' && v.trim() !== '' && k !== 'complainant.phone')
    || (k.startsWith('dv.') && v === true)); // DV screening ticks count too
}

// Whether a stored intake draft holds anything about a caller, the number included (for the logout
// confirmation, which reads the stored drafts of every kind).
export function draftHasContent(state) {
  return hasTyped(state) || Boolean(state && state.values && trimOrEmpty(state.values['complainant.phone']));
}

export class IntakeDraft {
  // userId: whose draft (one per user and browser). storage: a Storage (localStorage by default);
  // now(): the clock, epoch ms.
  constructor({ userId, storage, now = () => Date.now() }) {
    this.key = `draft:intake:${userId}`;
    this.store = storage ? localStore.storeOver(() => storage) : localStore;
    this.now = now;
    this.state = this.fresh('');
  }

  // A blank call; phone: the caller's number from a screen-pop, if any.
  fresh(phone) {
    return {
      v: VERSION,
      started_at: this.now(),
      // Pristine: nothing typed and no screen-pop number yet; the call timer starts at the first input.
      pristine: !phone,
      case_ref: null, // {id, case_no}: this contact is a follow-up about an existing case
      // The screen-pop's repeat candidates [{id, case_no}], the one this contact repeats (重复访;
      // the newest by default) or null for a new matter, and whether the operator chose herself.
      repeat_candidates: [],
      repeat_ref: null,
      repeat_chosen: false,
      resolution_chosen: false,
      values: {
        channel: this.lastChannel(),
        call_type: 'consultation',
        resolution: 'answered',
        urgency: 'normal',
        persons: '1',
        received_at: toLocalInput(new Date(this.now())),
        caller_is_victim: true,
        'complainant.gender': 'female',
        'complainant.phone': phone,
        'complainant.safe_contact.ok_to_call': '',
        'victim.gender': 'female',
        'victim.safe_contact.ok_to_call': '',
      },
    };
  }

  // Opens the stored draft for the page, which may have been opened for a caller's number (phone,
  // from a screen-pop). Returns what to tell the operator: 'restored' (her unsaved call is back),
  // 'other_call' (the stored draft is about another number and has content: kept, she decides), or
  // null. A stored draft with nothing typed gives way to a blank one.
  open(phone = '') {
    const stored = this.store.load(this.key);
    const storedPhone = stored && stored.values ? stored.values['complainant.phone'] : '';
    let notice = null;
    if (!stored || stored.v !== VERSION || !stored.values) this.state = this.fresh(phone);
    else if (!phone && !hasTyped(stored) && !trimOrEmpty(storedPhone)) this.state = this.fresh('');
    else if (phone && digits(storedPhone) !== digits(phone)) {
      if (hasTyped(stored)) {
        this.state = stored;
        notice = 'other_call';
      } else this.state = this.fresh(phone);
    } else {
      this.state = stored;
      if (hasTyped(stored)) notice = 'restored';
    }
    return notice;
  }

  // A new call (the last one saved or discarded), stored at once.
  start(phone = '') {
    this.state = this.fresh(phone);
    this.store.save(this.key, this.state);
  }

  // Keeps the form's values (form.collect's flat map).
  save(values) {
    this.state.values = values;
    this.state.saved_at = this.now();
    this.store.save(this.key, this.state);
  }

  // The server has the contact (201): the stored copy goes. This object keeps its state.
  forget() {
    this.store.remove(this.key);
  }

  get values() {
    return this.state.values;
  }

  get phone() {
    return trimOrEmpty(this.state.values['complainant.phone']);
  }

  // Something typed (or a case linked): worth a confirmation before it is thrown away.
  hasContent() {
    return hasTyped(this.state);
  }

  // ----- the call timer -----
  get pristine() {
    return Boolean(this.state.pristine);
  }

  // The first input starts the call timer. Returns whether it started now.
  markStarted() {
    if (!this.state.pristine) return false;
    this.state.pristine = false;
    this.state.started_at = this.now();
    return true;
  }

  restartTimer() {
    this.state.started_at = this.now();
    this.state.pristine = false;
  }

  elapsedSeconds() {
    return this.state.pristine ? 0 : (this.now() - this.state.started_at) / 1000;
  }

  // ----- resolution and the case followed up -----
  // Once the operator picks a resolution herself, choosing a call type no longer changes it.
  get resolutionChosen() {
    return Boolean(this.state.resolution_chosen);
  }

  chooseResolution() {
    this.state.resolution_chosen = true;
  }

  get caseRef() {
    return this.state.case_ref;
  }

  isLinkedTo(caseId) {
    return Boolean(this.state.case_ref && this.state.case_ref.id === caseId);
  }

  // Links this contact to the case {id, case_no} as a follow-up, or unlinks it if it was linked.
  // Returns whether it is linked now.
  toggleCase(c) {
    this.state.case_ref = this.isLinkedTo(c.id) ? null : { id: c.id, case_no: c.case_no };
    return Boolean(this.state.case_ref);
  }

  unlinkCase() {
    this.state.case_ref = null;
  }

  // ----- repeat (重复访) -----
  // The screen-pop answered: cases [{id, case_no}] that make this contact a repeat, newest first.
  // Unless the operator chose already, the newest is the default; none: nothing to choose.
  offerRepeat(cases) {
    const candidates = (cases || []).map((c) => ({ id: c.id, case_no: c.case_no }));
    const same = candidates.length === (this.state.repeat_candidates || []).length
      && candidates.every((c, i) => c.id === this.state.repeat_candidates[i].id);
    this.state.repeat_candidates = candidates;
    if (!candidates.length) {
      this.state.repeat_ref = null;
      this.state.repeat_chosen = false;
    } else if (!this.state.repeat_chosen || !same) {
      this.state.repeat_ref = candidates[0];
      this.state.repeat_chosen = false;
    }
  }

  get repeatCandidates() {
    return this.state.repeat_candidates || [];
  }

  get repeatRef() {
    return this.state.repeat_ref || null;
  }

  // ref: a candidate {id, case_no}, or null for "a new matter".
  chooseRepeat(ref) {
    this.state.repeat_ref = ref;
    this.state.repeat_chosen = true;
  }

  // ----- the desk's channel (a walk-in desk stays a walk-in desk) -----
  lastChannel() {
    const c = this.store.load(CHANNEL_KEY);
    return CHANNELS.includes(c) ? c : 'hotline';
  }

  rememberChannel(channel) {
    this.store.save(CHANNEL_KEY, channel);
  }

  // ----- what the API gets -----
  problems(values) {
    return intakeProblems(values);
  }

  body(values) {
    return intakeBody(values, {
      startedAt: this.state.started_at,
      caseRef: this.state.case_ref,
      repeatRef: this.repeatRef,
      newMatter: !this.repeatRef && this.repeatCandidates.length > 0,
      now: this.now(),
    });
  }

  // A quick-logged call; a pristine draft's call began just now.
  quickBody(callType, values) {
    return quickLogBody(callType, values, { startedAt: this.state.pristine ? this.now() : this.state.started_at, now: this.now() });
  }
}

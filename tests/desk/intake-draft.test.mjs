// The intake draft store (web/static/app/intake-draft.js) and the body it builds for
// POST /api/v1/intakes (intake-body.js), under node with an in-memory Storage and a fake clock:
// node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeStorage } from './fake-storage.mjs';
import { IntakeDraft, draftHasContent } from '../../web/static/app/intake-draft.js';
import { t } from '../../web/static/app/i18n.js';

const USER = 7;
const KEY = `weiquan:draft:intake:${USER}`; // the key drafts have always been stored under
// 2026-03-04 09:30:00 in Shanghai (01:30 UTC).
const T0 = Date.UTC(2026, 2, 4, 1, 30, 0);

function setup(entries = {}, opts) {
  const storage = new FakeStorage(entries, opts);
  const clock = { now: T0 };
  const draft = new IntakeDraft({ userId: USER, storage, now: () => clock.now });
  return { storage, clock, draft };
}

// A stored draft as an earlier page left it.
function stored(values, extra = {}) {
  return JSON.stringify({ v: 1, started_at: T0 - 60000, pristine: false, case_ref: null, resolution_chosen: false, values, ...extra });
}

const DEFAULTS = {
  channel: 'hotline', call_type: 'consultation', resolution: 'answered', urgency: 'normal', persons: '1',
  received_at: '2026-03-04T09:30', caller_is_victim: true, 'complainant.gender': 'female', 'complainant.phone': '',
  'complainant.safe_contact.ok_to_call': '', 'victim.gender': 'female', 'victim.safe_contact.ok_to_call': '',
};

test('with nothing stored a blank call opens: defaults, Shanghai time, timer idle', () => {
  const { draft } = setup();
  assert.equal(draft.open(''), null);
  assert.deepEqual(draft.values, DEFAULTS);
  assert.equal(draft.pristine, true);
  assert.equal(draft.elapsedSeconds(), 0);
  assert.equal(draft.hasContent(), false);
});

test('a screen-popped number fills the complainant phone and the call counts as started', () => {
  const { draft, storage } = setup();
  assert.equal(draft.open('13800138000'), null);
  assert.equal(draft.values['complainant.phone'], '13800138000');
  assert.equal(draft.pristine, false);
  assert.equal(draft.hasContent(), false, 'a number alone is not typed content');
  assert.equal(storage.getItem(KEY), null, 'opening stores nothing yet');
});

test('save keeps the values under the same key and format as before', () => {
  const { draft, storage, clock } = setup();
  draft.open('');
  clock.now = T0 + 5000;
  draft.save({ ...DEFAULTS, summary: '邻居噪音' });
  const s = storage.json(KEY);
  assert.equal(s.v, 1);
  assert.equal(s.values.summary, '邻居噪音');
  assert.equal(s.saved_at, T0 + 5000);
  assert.equal(s.pristine, true);
  assert.equal(s.case_ref, null);
});

test('a reload restores what was typed and says so', () => {
  const { draft } = setup({ [KEY]: stored({ ...DEFAULTS, summary: '被打', 'complainant.name': '钱女士' }) });
  assert.equal(draft.open(''), 'restored');
  assert.equal(draft.values['complainant.name'], '钱女士');
  assert.equal(draft.pristine, false);
  assert.equal(draft.elapsedSeconds(), 60);
});

test('a stored draft with nothing typed gives way to a blank call', () => {
  const { draft } = setup({ [KEY]: stored({ ...DEFAULTS, received_at: '2020-01-01T00:00' }) });
  assert.equal(draft.open(''), null);
  assert.equal(draft.values.received_at, '2026-03-04T09:30');
  assert.equal(draft.pristine, true);
});

test('a stored draft of another version or without values is not used', () => {
  for (const bad of [stored({ ...DEFAULTS, summary: 'x' }, { v: 2 }), JSON.stringify({ v: 1 }), '{not json']) {
    const { draft } = setup({ [KEY]: bad });
    assert.equal(draft.open(''), null);
    assert.deepEqual(draft.values, DEFAULTS);
  }
});

test('a screen-pop for another number keeps a draft with content and asks; an empty one is replaced', () => {
  const withContent = setup({ [KEY]: stored({ ...DEFAULTS, 'complainant.phone': '13900000001', summary: '工资' }) });
  assert.equal(withContent.draft.open('13800138000'), 'other_call');
  assert.equal(withContent.draft.values['complainant.phone'], '13900000001');

  const empty = setup({ [KEY]: stored({ ...DEFAULTS, 'complainant.phone': '13900000001' }) });
  assert.equal(empty.draft.open('13800138000'), null);
  assert.equal(empty.draft.values['complainant.phone'], '13800138000');
});

test('the same number written differently is the same call', () => {
  const { draft } = setup({ [KEY]: stored({ ...DEFAULTS, 'complainant.phone': '138-0013-8000', summary: '工资' }) });
  assert.equal(draft.open('13800138000'), 'restored');
});

test('start stores a fresh draft; forget removes the stored one', () => {
  const { draft, storage } = setup({ [KEY]: stored({ ...DEFAULTS, summary: 'x' }) });
  draft.open('');
  draft.forget();
  assert.equal(storage.getItem(KEY), null);
  draft.start('13800138000');
  assert.equal(storage.json(KEY).values['complainant.phone'], '13800138000');
  assert.equal(storage.json(KEY).values.summary, undefined);
});

test('content: typed text, DV screening ticks and a linked case count; defaults and the number do not', () => {
  const { draft } = setup();
  draft.open('');
  draft.save({ ...DEFAULTS, 'complainant.phone': '13800138000', urgency: 'urgent' });
  assert.equal(draft.hasContent(), false);
  assert.equal(draftHasContent(draft.state), true, 'the logout check counts the number');
  draft.save({ ...DEFAULTS, 'dv.screen.beating': true });
  assert.equal(draft.hasContent(), true);
  draft.save({ ...DEFAULTS });
  assert.equal(draft.toggleCase({ id: 42, case_no: 'WQ-2026-000042' }), true);
  assert.equal(draft.isLinkedTo(42), true);
  assert.equal(draft.hasContent(), true);
  assert.equal(draft.toggleCase({ id: 42, case_no: 'WQ-2026-000042' }), false);
  assert.equal(draftHasContent(null), false);
});

test('the timer starts at the first input only, and can be restarted', () => {
  const { draft, clock } = setup();
  draft.open('');
  clock.now = T0 + 10000;
  assert.equal(draft.markStarted(), true);
  clock.now = T0 + 25000;
  assert.equal(draft.markStarted(), false);
  assert.equal(draft.elapsedSeconds(), 15);
  draft.restartTimer();
  assert.equal(draft.elapsedSeconds(), 0);
});

test('the desk remembers its channel for the next call', () => {
  const { draft, storage } = setup({ 'weiquan:desk:channel': '"walk_in"' });
  draft.open('');
  assert.equal(draft.values.channel, 'walk_in');
  draft.rememberChannel('letter');
  assert.equal(storage.json('weiquan:desk:channel'), 'letter');
  const other = setup({ 'weiquan:desk:channel': '"fax"' });
  other.draft.open('');
  assert.equal(other.draft.values.channel, 'hotline', 'an unknown channel falls back to the hotline');
});

test('storage that fails loses the draft but never breaks the form', () => {
  const { draft } = setup({}, { failing: true });
  assert.equal(draft.open('13800138000'), null);
  assert.doesNotThrow(() => draft.save({ ...DEFAULTS, summary: 'x' }));
  assert.doesNotThrow(() => draft.forget());
  assert.doesNotThrow(() => draft.start(''));
});

test('body of a timed hotline call: received when the call began, its length, the call type', () => {
  const { draft, clock } = setup();
  draft.open('');
  draft.markStarted();
  clock.now = T0 + 95400;
  const body = draft.body({ ...DEFAULTS, summary: '  被家暴  ', narrative: '', answer: '报警并申请保护令', 'complainant.phone': ' 13800138000 ',
    'complainant.relationship_to_victim': '本人' });
  assert.deepEqual(body, {
    channel: 'hotline',
    received_at: '2026-03-04T09:30:00+08:00',
    persons: 1,
    urgency: 'normal',
    resolution: 'answered',
    summary: '被家暴',
    duration_s: 95,
    call_type: 'consultation',
    answer: '报警并申请保护令',
    complainant: { phone: '13800138000', gender: 'female' },
  });
});

test('body of a letter: received_at as typed, no duration or call type; victim, respondent and follow-up', () => {
  const { draft } = setup();
  draft.open('');
  draft.toggleCase({ id: 9, case_no: 'WQ-9' });
  const body = draft.body({
    ...DEFAULTS, channel: 'letter', received_at: '2026-03-01T14:05', persons: '0', resolution: 'open_case', category: 'labour.wages',
    summary: '欠薪', caller_is_victim: false, 'complainant.name': '李', 'complainant.relationship_to_victim': '女儿',
    'victim.name': '王', 'victim.age': '67', 'victim.safe_contact.ok_to_call': 'no', 'victim.safe_contact.safe_times': '上午',
    'respondent.name': ' 某公司 ',
  });
  assert.deepEqual(body, {
    channel: 'letter',
    received_at: '2026-03-01T14:05:00+08:00',
    persons: 1,
    urgency: 'normal',
    resolution: 'open_case',
    summary: '欠薪',
    category: 'labour.wages',
    complainant: { name: '李', gender: 'female', relationship_to_victim: '女儿' },
    victim: { name: '王', gender: 'female', age: 67, safe_contact: { ok_to_call: false, safe_times: '上午' } },
    respondent: { name: '某公司' },
    case_id: 9,
  });
});

test('in an emergency the location leads the narrative, in the catalogue\'s words', () => {
  const { draft } = setup();
  draft.open('');
  const body = draft.body({ ...DEFAULTS, urgency: 'emergency', location: ' 幸福小区3栋 ', narrative: '正在被打', summary: '紧急' });
  assert.equal(body.narrative, `${t('intake.location_prefix')}幸福小区3栋\n正在被打`);
  assert.equal(body.urgency, 'emergency');
});

test('a call longer than a day is sent as a day', () => {
  const { draft, clock } = setup();
  draft.open('13800138000');
  clock.now = T0 + 2 * 86400000;
  assert.equal(draft.body({ ...DEFAULTS, summary: 'x' }).duration_s, 86400);
});

test('problems found before sending, in the catalogue\'s words', () => {
  const { draft } = setup();
  draft.open('');
  assert.deepEqual(draft.problems({ ...DEFAULTS, call_type: '', summary: ' ' }), {
    call_type: { text: t('err.call_type_required') },
    summary: { text: t('err.required') },
    answer: { text: t('err.answer_required') },
    consultation_kind: { text: t('err.consultation_kind_required') },
  });
  assert.deepEqual(draft.problems({ ...DEFAULTS, channel: 'letter', received_at: '', resolution: 'open_case', summary: 'x' }), {
    category: { text: t('err.category_required') },
    received_at: { text: t('err.datetime') },
  });
  assert.equal(draft.problems({ ...DEFAULTS, summary: 'x', answer: 'y', consultation_kind: 'legal' }), null);
  assert.deepEqual(draft.problems({ ...DEFAULTS, summary: 'x', answer: 'y', consultation_kind: 'legal', level_skipping: true, jurisdiction_office_id: '' }), {
    jurisdiction_office_id: { text: t('err.jurisdiction_required') },
  });
});

// Issue #13/#14: what the body says about the kind, a repeat, a new matter and level-skipping.
test('a repeat candidate is linked by default; the operator may choose a new matter; a follow-up wins', () => {
  const { draft } = setup();
  draft.open('13800138000');
  const v = { ...DEFAULTS, summary: 'x', answer: 'y', consultation_kind: 'psychological' };
  assert.equal(draft.body(v).repeat_of_case_id, undefined, 'no candidates yet');
  assert.equal(draft.body(v).consultation_kind, 'psychological');
  draft.offerRepeat([{ id: 5, case_no: 'A-5', status: 'registered' }, { id: 3, case_no: 'A-3' }]);
  assert.equal(draft.body(v).repeat_of_case_id, 5, 'the newest candidate by default');
  draft.chooseRepeat({ id: 3, case_no: 'A-3' });
  draft.offerRepeat([{ id: 5, case_no: 'A-5' }, { id: 3, case_no: 'A-3' }]); // the same answer again keeps her choice
  assert.equal(draft.body(v).repeat_of_case_id, 3);
  draft.chooseRepeat(null);
  const fresh = draft.body(v);
  assert.equal(fresh.repeat_of_case_id, undefined);
  assert.equal(fresh.new_matter, true);
  draft.offerRepeat([]);
  assert.equal(draft.body(v).new_matter, undefined, 'no candidate: nothing to decide');
  draft.offerRepeat([{ id: 5, case_no: 'A-5' }]);
  draft.toggleCase({ id: 5, case_no: 'A-5' });
  const followUp = draft.body(v);
  assert.equal(followUp.case_id, 5);
  assert.equal(followUp.repeat_of_case_id, undefined, 'a follow-up is not also a repeat');
  const opened = draft.body({ ...v, resolution: 'open_case', category: 'labour.wages' });
  assert.equal(opened.consultation_kind, undefined, 'only an answered contact has a kind');
});

test('level-skipping sends the office below; unticked it sends nothing', () => {
  const { draft } = setup();
  draft.open('');
  const v = { ...DEFAULTS, summary: 'x', resolution: 'open_case', category: 'labour.wages', jurisdiction_office_id: '3' };
  assert.equal(draft.body({ ...v, level_skipping: false }).jurisdiction_office_id, undefined);
  const b = draft.body({ ...v, level_skipping: true });
  assert.equal(b.level_skipping, true);
  assert.equal(b.jurisdiction_office_id, 3);
});

test('a quick-logged call: its time and length, the number only when it looks like one', () => {
  const { draft, clock } = setup();
  draft.open('');
  clock.now = T0 + 3000;
  assert.deepEqual(draft.quickBody('silent', { ...DEFAULTS, 'complainant.phone': '138 0013 8000' }), {
    channel: 'hotline', call_type: 'silent', received_at: '2026-03-04T09:30:03+08:00', duration_s: 0, persons: 1, urgency: 'normal',
    complainant: { phone: '138 0013 8000' },
  });
  draft.markStarted();
  clock.now = T0 + 63000;
  const b = draft.quickBody('hang_up', { ...DEFAULTS, 'complainant.phone': 'unknown' });
  assert.equal(b.duration_s, 60);
  assert.equal(b.received_at, '2026-03-04T09:30:03+08:00');
  assert.equal(b.complainant, undefined);
});

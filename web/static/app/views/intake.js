// 接听登记 — the intake form an operator keeps open while a caller is on the line.
// Everything typed is saved to localStorage on every change and restored after a reload or a
// crashed tab; the draft is dropped only when the server has answered 201 for the save.
import { h, replace, kbd, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import * as store from '../store.js';
import { field, radios, checkbox, collect, fill, clearErrors, showErrors, fieldLabel, trimOrEmpty } from '../form.js';
import { categoryPicker } from '../category-picker.js';
import { loadCategories, categoryName } from '../reference.js';
import { fmtClock, fmtDate, isoShanghai, toLocalInput, localInputToIso } from '../format.js';
import { errorMessage } from '../errors.js';
import { confirmDialog, toast } from '../dialog.js';
import { setQuery } from '../router.js';
import { loadInstrument } from './dv-common.js';
import { dvIntakePanel, dvRelevant, saveIntakeDv, dvResultNote, dvRepeatWarning } from './dv-intake.js';

const CHANNELS = ['hotline', 'walk_in', 'letter', 'online', 'agent', 'screening', 'transfer_in'];
const DATA_CALL_TYPES = ['consultation', 'help_request'];
const QUICK_CALL_TYPES = ['silent', 'hang_up', 'abusive', 'wrong_number'];
const TIMED_CHANNELS = ['hotline', 'walk_in'];
const GENDERS = ['female', 'male', 'other', 'unknown'];
// Fields whose default value does not count as "the operator typed something".
const DEFAULT_KEYS = new Set(['channel', 'call_type', 'resolution', 'urgency', 'persons', 'received_at', 'caller_is_victim',
  'complainant.gender', 'victim.gender', 'complainant.safe_contact.ok_to_call', 'victim.safe_contact.ok_to_call']);

function deskChannel() {
  const c = store.load('desk:channel');
  return CHANNELS.includes(c) ? c : 'hotline';
}

function newDraft(phone = '') {
  return {
    v: 1,
    started_at: Date.now(),
    // Pristine: nothing typed and no screen-pop number yet; the call timer starts at the first input.
    pristine: !phone,
    case_ref: null, // {id, case_no}: this contact is a follow-up about an existing case
    resolution_chosen: false,
    values: {
      channel: deskChannel(),
      call_type: 'consultation',
      resolution: 'answered',
      urgency: 'normal',
      persons: '1',
      received_at: toLocalInput(),
      caller_is_victim: true,
      'complainant.gender': 'female',
      'complainant.phone': phone,
      'complainant.safe_contact.ok_to_call': '',
      'victim.gender': 'female',
      'victim.safe_contact.ok_to_call': '',
    },
  };
}

function hasContent(draft) {
  if (!draft || !draft.values) return false;
  if (draft.case_ref) return true;
  return Object.entries(draft.values).some(([k, v]) => (!DEFAULT_KEYS.has(k) && typeof v === 'string' && v.trim() !== '' && k !== 'complainant.phone')
    || (k.startsWith('dv.') && v === true)); // DV screening ticks count too
}

// Whether a stored intake draft holds anything about a caller (for the logout confirmation).
export function draftHasContent(draft) {
  return hasContent(draft) || Boolean(draft && draft.values && trimOrEmpty(draft.values['complainant.phone']));
}

function digits(phone) {
  return String(phone || '').replace(/[^\d]/g, '');
}

function person(values, prefix) {
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

export default async function intakeView(root, ctx) {
  // The DV risk instrument is needed before the form is filled from the draft (its answers are in it).
  const [categories, dvInstrument] = await Promise.all([loadCategories(), loadInstrument().catch(() => null)]);
  if (!ctx.alive()) return undefined;
  const draftKey = `draft:intake:${ctx.user.id}`;
  const phoneParam = (ctx.query.get('phone') || '').trim();

  let draft = store.load(draftKey);
  let restoredNotice = null;
  if (!draft || draft.v !== 1 || !draft.values) draft = newDraft(phoneParam);
  else if (!phoneParam && !hasContent(draft) && !trimOrEmpty(draft.values['complainant.phone'])) draft = newDraft('');
  else if (phoneParam && digits(draft.values['complainant.phone']) !== digits(phoneParam)) {
    if (hasContent(draft)) restoredNotice = 'other_call';
    else draft = newDraft(phoneParam);
  } else if (hasContent(draft)) restoredNotice = 'restored';

  const timers = [];
  const cleanups = [];
  let saving = false;

  // ---------- building the form ----------
  const resultHost = h('div', { class: 'intake-result-host' });
  const noticeHost = h('div');
  const formErrors = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });

  const channelField = field({
    path: 'channel', label: t('intake.channel'), kind: 'select',
    options: CHANNELS.map((c) => ({ value: c, label: label('channel', c) })),
  });
  const receivedField = field({ path: 'received_at', label: t('intake.received_at'), kind: 'datetime-local' });
  const personsField = field({ path: 'persons', label: t('intake.persons'), kind: 'number', attrs: { min: 1, max: 1000 }, className: 'field-narrow' });
  const timerValue = h('span', { class: 'timer-value', 'aria-live': 'off' }, '00:00');
  const timerBox = h('div', { class: 'timer', role: 'timer', 'aria-label': t('intake.timer') },
    h('span', { class: 'timer-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'timer-label' }, t('intake.timer')), timerValue,
    h('button', { type: 'button', class: 'btn btn-small btn-ghost timer-button', onclick: () => { draft.started_at = Date.now(); draft.pristine = false; persist(); tick(); } }, t('intake.timer_restart')));

  const callTypeInput = h('input', { type: 'hidden', dataset: { path: 'call_type' } });
  const callTypeButtons = new Map();
  const callTypes = h('div', { class: 'calltypes field', dataset: { field: 'call_type' }, role: 'group', 'aria-label': t('intake.call_type') },
    h('span', { class: 'field-label calltypes-label' }, t('intake.call_type'), ' ', h('span', { class: 'calltypes-hint' }, t('intake.call_type_keys'))),
    h('div', { class: 'calltypes-row' },
      [...DATA_CALL_TYPES, ...QUICK_CALL_TYPES].map((ct, i) => {
        const quick = QUICK_CALL_TYPES.includes(ct);
        const b = h('button', {
          type: 'button',
          class: ['calltype', quick ? 'calltype-quick' : 'calltype-data'],
          'aria-pressed': quick ? undefined : 'false',
          dataset: { callType: ct },
          title: quick ? t('intake.quick_log_title') : undefined,
          onclick: () => (quick ? quickLog(ct) : chooseCallType(ct)),
        }, h('span', { class: 'calltype-name' }, label('call_type', ct)), kbd(String(i + 1)));
        callTypeButtons.set(ct, b);
        return [ct === QUICK_CALL_TYPES[0] ? h('span', { class: 'calltypes-divider', title: t('intake.quick_log_title') }, t('intake.quick_log')) : null, b];
      })),
    callTypeInput,
    h('div', { class: 'field-error', hidden: true }));

  const emergencyBox = h('div', { class: 'emergency-box', role: 'alert', hidden: true },
    h('h3', null, t('intake.emergency_title')),
    h('ol', { class: 'emergency-steps' },
      h('li', null, h('strong', null, t('intake.emergency_step1'))),
      h('li', null, t('intake.emergency_step2')),
      h('li', null, t('intake.emergency_step3')),
      h('li', null, t('intake.emergency_step4'))),
    field({ path: 'location', label: t('intake.location'), hint: t('intake.location_hint'), className: 'field-wide' }));

  const personFields = (prefix, withRelationship) => [
    field({ path: `${prefix}.phone`, label: t('person.phone'), kind: 'tel', attrs: { autocomplete: 'off', inputmode: 'tel' } }),
    field({ path: `${prefix}.name`, label: t('person.name'), attrs: { autocomplete: 'off' } }),
    field({ path: `${prefix}.gender`, label: t('person.gender'), kind: 'select', options: [{ value: '', label: '—' }, ...GENDERS.map((g) => ({ value: g, label: label('gender', g) }))] }),
    field({ path: `${prefix}.age`, label: t('person.age'), kind: 'number', attrs: { min: 0, max: 130 }, className: 'field-narrow' }),
    field({ path: `${prefix}.region_code`, label: t('person.region_code'), attrs: { inputmode: 'numeric', maxlength: 6, autocomplete: 'off', placeholder: t('person.region_code_hint') } }),
    field({ path: `${prefix}.id_number`, label: t('person.id_number'), attrs: { autocomplete: 'off', maxlength: 18 } }),
    withRelationship ? field({ path: `${prefix}.relationship_to_victim`, label: t('person.relationship_to_victim'), attrs: { list: 'relationship-list' }, className: 'only-not-victim' }) : null,
  ];
  const safeContact = (prefix) => h('div', { class: 'safe-contact' },
    h('h4', { class: 'subhead' }, t('safe.title')),
    h('div', { class: 'grid grid-3' },
      radios({
        path: `${prefix}.safe_contact.ok_to_call`, label: t('safe.ok_to_call'),
        options: [{ value: 'yes', label: t('safe.yes') }, { value: 'no', label: t('safe.no') }, { value: '', label: t('safe.unknown') }],
      }),
      field({ path: `${prefix}.safe_contact.safe_times`, label: t('safe.safe_times'), hint: t('safe.safe_times_hint') }),
      field({ path: `${prefix}.safe_contact.note`, label: t('safe.note'), hint: t('safe.note_hint') })));

  const complainantPhone = () => form.querySelector('[data-path="complainant.phone"]');
  const victimToggle = checkbox({ path: 'caller_is_victim', label: t('intake.caller_is_victim') });
  const victimBody = h('div', { class: 'section-body' }, h('div', { class: 'grid grid-person' }, personFields('victim', false)), safeContact('victim'));
  const victimSummary = h('span', { class: 'section-note' });
  const victimSection = h('section', { class: 'section section-victim' },
    h('h3', { class: 'section-title' }, t('intake.section_victim'), victimSummary), victimBody);

  const picker = categoryPicker({ categories, onChange: () => {} });
  const categoryField = h('div', { class: 'field field-category', dataset: { field: 'category' } },
    h('span', { class: 'field-label' }, t('category.label')), picker.el, h('div', { class: 'field-error', hidden: true }));

  const urgencyField = radios({
    path: 'urgency', label: t('intake.urgency'), className: 'urgency',
    options: ['normal', 'urgent', 'emergency'].map((u) => ({ value: u, label: label('urgency', u), className: `urgency-${u}` })),
  });

  const resolutionField = radios({
    path: 'resolution', label: t('intake.resolution'), className: 'resolution',
    options: [{ value: 'answered', label: t('resolution.answered') }, { value: 'open_case', label: t('resolution.open_case') }],
  });
  const followUp = h('div', { class: 'followup', hidden: true });
  const saveButton = h('button', { type: 'submit', class: 'btn btn-primary btn-save' }, h('span', { class: 'save-label' }, t('intake.save')), kbd('Ctrl', 'Enter'));
  const clearButton = h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => discard() }, t('intake.clear'));

  const answerField = field({ path: 'answer', label: t('intake.answer'), kind: 'textarea', rows: 3, hint: t('intake.answer_hint') });
  const dvPanel = dvIntakePanel({ inst: dvInstrument });
  const dvRepeatHost = h('div', { class: 'dv-intake-repeat-host' });

  const form = h('form', { class: 'intake-form', novalidate: true, 'aria-label': t('intake.title') },
    h('div', { class: 'form-head' },
      h('h1', { class: 'page-title' }, t('intake.title')),
      h('div', { class: 'form-head-controls' }, channelField, personsField, receivedField, timerBox)),
    formErrors,
    callTypes,
    emergencyBox,
    h('section', { class: 'section' },
      h('h3', { class: 'section-title' }, t('intake.section_complainant')),
      h('div', { class: 'grid grid-person' }, personFields('complainant', true)),
      victimToggle,
      safeContact('complainant')),
    victimSection,
    h('section', { class: 'section' },
      h('h3', { class: 'section-title' }, t('intake.section_respondent')),
      h('div', { class: 'grid grid-4' },
        field({ path: 'respondent.name', label: t('person.name'), attrs: { autocomplete: 'off' } }),
        field({ path: 'respondent.relationship', label: t('person.relationship'), attrs: { list: 'relationship-list' }, hint: t('person.relationship_hint') }))),
    h('section', { class: 'section' },
      h('h3', { class: 'section-title' }, t('intake.section_matter')),
      h('div', { class: 'matter-grid' }, categoryField, urgencyField),
      field({ path: 'summary', label: t('intake.summary'), required: true, attrs: { maxlength: 160, autocomplete: 'off' }, hint: t('intake.summary_hint') }),
      field({ path: 'narrative', label: t('intake.narrative'), kind: 'textarea', rows: 5 }),
      answerField),
    dvPanel.el,
    h('div', { class: 'form-footer' },
      resolutionField, followUp,
      h('div', { class: 'form-footer-buttons' }, clearButton, saveButton)),
    h('datalist', { id: 'relationship-list' }, ['self', 'spouse', 'ex_spouse', 'partner', 'parent', 'child', 'sibling', 'relative', 'in_law', 'employer', 'neighbour', 'other']
      .map((r) => h('option', { value: t(`relationship.${r}`) }))));

  // ---------- the repeat-caller panel ----------
  const repeatBody = h('div', { class: 'repeat-body' });
  const repeatPanel = h('section', { class: 'card repeat-panel', 'aria-live': 'polite', 'aria-labelledby': 'repeat-title' },
    h('h2', { class: 'card-title', id: 'repeat-title' }, t('repeat.title')), repeatBody);
  const aside = h('aside', { class: 'intake-aside' }, repeatPanel,
    h('section', { class: 'card shortcuts' },
      h('h2', { class: 'card-title' }, t('shortcuts.title')),
      h('dl', { class: 'shortcut-list' },
        [['Alt', 'N', 'shortcuts.new_intake'], ['Alt', '1', 'shortcuts.call_types'], ['Ctrl', 'Enter', 'shortcuts.save'], ['Alt', 'L', 'shortcuts.case_list']]
          .map(([a, b, k]) => [h('dt', null, kbd(a, b)), h('dd', null, t(k))]))));

  replace(root, h('div', { class: 'intake-page' }, resultHost, noticeHost, dvRepeatHost, h('div', { class: 'intake-layout' }, form, aside)));

  // ---------- state ⇄ form ----------
  function markStarted() {
    if (!draft.pristine) return;
    draft.pristine = false;
    draft.started_at = Date.now();
    tick();
  }

  function persist() {
    draft.values = collect(form);
    draft.saved_at = Date.now();
    store.save(draftKey, draft);
  }

  function setCallTypeUi(ct) {
    callTypeInput.value = ct;
    for (const [k, b] of callTypeButtons) if (DATA_CALL_TYPES.includes(k)) b.setAttribute('aria-pressed', String(k === ct));
  }

  function chooseCallType(ct) {
    markStarted();
    setCallTypeUi(ct);
    if (!draft.resolution_chosen) {
      const r = ct === 'help_request' ? 'open_case' : 'answered';
      for (const el of form.querySelectorAll('[data-path="resolution"]')) el.checked = el.value === r;
    }
    sync();
    persist();
  }

  function sync() {
    const v = collect(form);
    const channel = v.channel;
    const hotline = channel === 'hotline';
    callTypes.hidden = !hotline;
    timerBox.hidden = !TIMED_CHANNELS.includes(channel);
    receivedField.hidden = TIMED_CHANNELS.includes(channel);
    personsField.hidden = !['walk_in', 'agent'].includes(channel);
    const emergency = v.urgency === 'emergency';
    form.classList.toggle('is-emergency', emergency);
    form.classList.toggle('is-urgent', v.urgency === 'urgent');
    emergencyBox.hidden = !emergency;
    const isVictim = Boolean(v.caller_is_victim);
    victimBody.hidden = isVictim;
    victimSection.classList.toggle('is-collapsed', isVictim);
    victimSummary.textContent = isVictim ? t('intake.victim_is_caller') : '';
    for (const el of form.querySelectorAll('.only-not-victim')) el.hidden = isVictim;
    dvPanel.sync(v);
    const openCase = v.resolution === 'open_case';
    form.querySelector('.save-label').textContent = openCase ? t('intake.save_open_case') : t('intake.save_answered');
    answerField.classList.toggle('is-required', !openCase);
    categoryField.classList.toggle('is-required', openCase);
    if (draft.case_ref) {
      replace(followUp, h('span', { class: 'chip chip-info' }, t('intake.followup_of', { case_no: draft.case_ref.case_no })),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { draft.case_ref = null; persist(); sync(); renderRepeat(); } }, t('intake.followup_remove')));
      followUp.hidden = false;
    } else followUp.hidden = true;
  }

  function tick() {
    timerValue.textContent = draft.pristine ? '00:00' : fmtClock((Date.now() - draft.started_at) / 1000);
    timerBox.classList.toggle('is-idle', Boolean(draft.pristine));
    timerBox.querySelector('.timer-button').textContent = draft.pristine ? t('intake.timer_start') : t('intake.timer_restart');
  }

  function restore() {
    fill(form, draft.values);
    setCallTypeUi(draft.values.call_type || 'consultation');
    picker.refresh();
    sync();
    tick();
  }

  // ---------- repeat-caller lookup ----------
  let lookupSeq = 0;
  let lastLookup = { phone: '', data: null, error: null, loading: false };

  // The DV repeat warning asks the server (GET /api/v1/dv/repeat-check) by the caller's phone and
  // the ID numbers typed for the complainant and the victim: DV cases of the same person in the last
  // 12 Shanghai calendar months, whatever else she called about since.
  let dvSeq = 0;
  async function dvRepeatCheck() {
    const seq = ++dvSeq;
    const v = collect(form);
    const phone = digits(v['complainant.phone']).length >= 7 ? trimOrEmpty(v['complainant.phone']) : '';
    const ids = ['complainant.id_number', 'victim.id_number'].map((k) => trimOrEmpty(v[k])).filter((x) => x.length === 18 || x.length === 15);
    const queries = ids.length ? ids.map((id, i) => ({ phone: i === 0 ? phone : '', id_number: id })) : phone ? [{ phone }] : [];
    const found = new Map();
    for (const q of queries) {
      try {
        const r = await api.get(`/api/v1/dv/repeat-check${api.qs(q)}`);
        for (const c of r.previous_cases || []) found.set(c.id, c);
      } catch {
        // An unreadable number is explained beside its field on save; the warning just stays off.
      }
    }
    if (seq !== dvSeq || !ctx.alive()) return;
    replace(dvRepeatHost, found.size ? dvRepeatWarning([...found.values()]) : null);
  }
  const dvRepeatSoon = debounce(dvRepeatCheck, 400);
  cleanups.push(() => dvRepeatSoon.cancel());

  function renderRepeat() {
    const { phone, data, error, loading } = lastLookup;
    if (!loading) dvRepeatSoon();
    if (!phone) {
      replace(repeatBody, h('p', { class: 'muted' }, t('repeat.idle')));
      return;
    }
    if (loading) {
      replace(repeatBody, h('p', { class: 'muted' }, t('repeat.loading', { phone })));
      return;
    }
    if (error && error.status === 422) {
      replace(repeatBody, h('p', { class: 'muted' }, t('repeat.invalid', { phone })));
      return;
    }
    if (error) {
      replace(repeatBody, h('p', { class: 'alert alert-error' }, t('repeat.error', { message: errorMessage(error) })));
      return;
    }
    const cases = data.prior_cases || [];
    if (!data.prior_contacts && !cases.length) {
      replace(repeatBody, h('p', { class: 'repeat-none' }, t('repeat.none', { phone })));
      return;
    }
    replace(repeatBody,
      h('div', { class: 'repeat-alert' },
        h('span', { class: 'badge badge-warn' }, t('repeat.badge')),
        h('span', null, t('repeat.summary', { contacts: data.prior_contacts, cases: cases.length }))),
      cases.length
        ? h('ul', { class: 'repeat-cases' }, cases.map((c) => h('li', { class: ['repeat-case', draft.case_ref && draft.case_ref.id === c.id ? 'is-linked' : null] },
          h('div', { class: 'repeat-case-head' },
            h('a', { href: `#/cases/${c.id}`, target: '_blank', rel: 'noopener', class: 'case-no' }, c.case_no),
            h('span', { class: `badge status-${c.status}` }, label('status', c.status)),
            h('span', { class: `badge risk-${c.risk_level || 'none'}` }, t('risk.prefix'), label('risk', c.risk_level || 'none'))),
          h('div', { class: 'repeat-case-meta' }, categoryName(categories, c.category), ' · ', t('repeat.received', { date: fmtDate(c.received_at) })),
          c.status !== 'closed'
            ? h('button', {
              type: 'button', class: 'btn btn-small btn-ghost',
              onclick: () => {
                draft.case_ref = draft.case_ref && draft.case_ref.id === c.id ? null : { id: c.id, case_no: c.case_no };
                if (draft.case_ref) for (const el of form.querySelectorAll('[data-path="resolution"]')) el.checked = el.value === 'answered';
                persist(); sync(); renderRepeat();
              },
            }, draft.case_ref && draft.case_ref.id === c.id ? t('repeat.unlink') : t('repeat.link'))
            : null)))
        : null);
  }

  async function lookup(phone) {
    const seq = ++lookupSeq;
    if (digits(phone).length < 7) {
      lastLookup = { phone: '', data: null, error: null, loading: false };
      renderRepeat();
      return;
    }
    lastLookup = { phone, data: null, error: null, loading: true };
    renderRepeat();
    try {
      const data = await api.get(`/api/v1/callers/lookup${api.qs({ phone })}`);
      if (seq !== lookupSeq || !ctx.alive()) return;
      lastLookup = { phone, data, error: null, loading: false };
    } catch (e) {
      if (seq !== lookupSeq || !ctx.alive()) return;
      lastLookup = { phone, data: null, error: e, loading: false };
    }
    renderRepeat();
  }
  const lookupSoon = debounce(lookup, 350);
  cleanups.push(() => lookupSoon.cancel());

  // ---------- saving ----------
  function clientProblems(v) {
    const p = {};
    const hotline = v.channel === 'hotline';
    if (hotline && !DATA_CALL_TYPES.includes(v.call_type)) p.call_type = { text: t('err.call_type_required') };
    if (!trimOrEmpty(v.summary)) p.summary = { text: t('err.required') };
    if (v.resolution === 'answered' && !trimOrEmpty(v.answer)) p.answer = { text: t('err.answer_required') };
    if (v.resolution === 'open_case' && !v.category) p.category = { text: t('err.category_required') };
    if (!TIMED_CHANNELS.includes(v.channel) && !localInputToIso(v.received_at)) p.received_at = { text: t('err.datetime') };
    return Object.keys(p).length ? p : null;
  }

  function buildBody(v) {
    const channel = v.channel;
    const timed = TIMED_CHANNELS.includes(channel);
    const body = {
      channel,
      received_at: timed ? isoShanghai(new Date(draft.started_at)) : localInputToIso(v.received_at),
      persons: Math.max(1, Number(v.persons) || 1),
      urgency: v.urgency || 'normal',
      resolution: v.resolution,
      summary: trimOrEmpty(v.summary),
    };
    if (timed) body.duration_s = Math.min(86400, Math.max(0, Math.round((Date.now() - draft.started_at) / 1000)));
    if (channel === 'hotline') body.call_type = v.call_type;
    let narrative = trimOrEmpty(v.narrative);
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
    if (draft.case_ref) body.case_id = draft.case_ref.id;
    return body;
  }

  function showProblems(problems) {
    const unplaced = showErrors(form, problems);
    const items = Object.keys(problems).map((path) => {
      const text = unplaced.find((u) => u.path === path)?.text
        || form.querySelector(`[data-field="${CSS.escape(path)}"] .field-error`)?.textContent || '';
      return h('li', null, h('strong', null, unplaced.some((u) => u.path === path) ? path : fieldLabel(form, path)), '：', text);
    });
    replace(formErrors, h('strong', null, t('intake.errors_title')), h('ul', null, items));
    formErrors.hidden = false;
    if (!form.querySelector('[aria-invalid="true"]')) formErrors.focus();
  }

  function clearProblems() {
    clearErrors(form);
    formErrors.hidden = true;
  }

  function showResult(res, body, quickType, caseRef) {
    const parts = [];
    if (quickType) parts.push(h('span', null, t('intake.quick_logged', { type: label('call_type', quickType), duration: fmtClock(body.duration_s || 0) })));
    else if (res.case) {
      parts.push(h('span', null, t('intake.case_opened')),
        h('a', { href: `#/cases/${res.case.id}`, class: 'case-no result-case-link' }, res.case.case_no),
        h('span', { class: `badge status-${res.case.status}` }, label('status', res.case.status)));
    } else parts.push(h('span', null, caseRef ? t('intake.followup_saved', { case_no: caseRef.case_no }) : t('intake.answered_saved')));
    const banner = h('div', { class: 'alert alert-success result-banner', role: 'status', tabindex: '-1' },
      h('span', { class: 'result-icon', 'aria-hidden': 'true' }, '✓'),
      h('div', { class: 'result-text' }, parts,
        res.repeat && res.repeat.prior_contacts ? h('div', { class: 'muted' }, t('intake.result_repeat', { n: res.repeat.prior_contacts })) : null),
      h('button', { type: 'button', class: 'btn-icon', 'aria-label': t('common.close'), onclick: () => banner.remove() }, '×'));
    replace(resultHost, banner);
    const link = banner.querySelector('a');
    (link || banner).focus();
  }

  function startNew(phone = '') {
    draft = newDraft(phone);
    store.save(draftKey, draft);
    clearProblems();
    replace(noticeHost);
    restore();
    lastLookup = { phone: '', data: null, error: null, loading: false };
    renderRepeat();
    if (phone) lookup(phone);
    setQuery('/intake', new URLSearchParams(phone ? { phone } : {}));
  }

  async function save() {
    if (saving) return;
    clearProblems();
    persist();
    const v = collect(form);
    const problems = clientProblems(v);
    if (problems) {
      showProblems(problems);
      return;
    }
    const body = buildBody(v);
    saving = true;
    saveButton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const res = await api.post('/api/v1/intakes', body, { expect: 201 });
      // The server confirmed (201): only now may the local draft go.
      store.remove(draftKey);
      // A case was opened: the DV screening and the risk checklist run during the call go with it.
      const dvResult = res.case && dvRelevant(v) ? await saveIntakeDv(res.case.id, v, dvInstrument) : null;
      if (!ctx.alive()) return;
      const savedCaseRef = draft.case_ref;
      startNew('');
      showResult(res, body, null, savedCaseRef);
      const dvNote = res.case ? dvResultNote(dvResult, res.case) : null;
      if (dvNote) resultHost.querySelector('.result-text')?.append(dvNote);
    } catch (e) {
      if (!ctx.alive()) return;
      if (e.fields && Object.keys(e.fields).length) showProblems(e.fields);
      else {
        replace(formErrors, h('strong', null, t('intake.save_failed')), ' ', errorMessage(e), ' ', t('intake.draft_kept'));
        formErrors.hidden = false;
        formErrors.focus();
      }
    } finally {
      saving = false;
      saveButton.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  async function quickLog(callType) {
    if (saving) return;
    persist();
    if (hasContent(draft) && !(await confirmDialog(t('intake.quick_confirm', { type: label('call_type', callType) }), { okLabel: t('intake.quick_confirm_ok') }))) return;
    const v = collect(form);
    const started = draft.pristine ? Date.now() : draft.started_at;
    const body = {
      channel: 'hotline',
      call_type: callType,
      received_at: isoShanghai(new Date(started)),
      duration_s: Math.min(86400, Math.max(0, Math.round((Date.now() - started) / 1000))),
      persons: 1,
      urgency: 'normal',
    };
    const phone = trimOrEmpty(v['complainant.phone']);
    if (/^\+?[\d\s-]{7,20}$/.test(phone)) body.complainant = { phone };
    saving = true;
    try {
      const res = await api.post('/api/v1/intakes', body, { expect: 201 });
      store.remove(draftKey);
      if (!ctx.alive()) return;
      startNew('');
      showResult(res, body, callType);
      toast(t('intake.quick_logged', { type: label('call_type', callType), duration: fmtClock(body.duration_s) }), 'success');
    } catch (e) {
      if (!ctx.alive()) return;
      replace(formErrors, h('strong', null, t('intake.save_failed')), ' ', errorMessage(e));
      formErrors.hidden = false;
    } finally {
      saving = false;
    }
  }

  async function discard() {
    persist();
    if (hasContent(draft) && !(await confirmDialog(t('intake.clear_confirm'), { okLabel: t('intake.clear'), danger: true }))) return;
    replace(resultHost);
    startNew('');
    complainantPhone().focus();
  }

  // ---------- events ----------
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  form.addEventListener('input', (e) => {
    if (e.target.dataset.path) markStarted();
    if (e.target.dataset.path === 'complainant.phone') lookupSoon(e.target.value.trim());
    if (/^(complainant|victim)\.id_number$/.test(e.target.dataset.path || '')) dvRepeatSoon();
    if (e.target.closest('.field.has-error')) {
      const w = e.target.closest('.field.has-error');
      w.classList.remove('has-error');
      const err = w.querySelector('.field-error');
      if (err) err.hidden = true;
      e.target.removeAttribute('aria-invalid');
    }
    persist();
  });
  form.addEventListener('change', (e) => {
    if (e.target.dataset.path && e.target.dataset.path !== 'channel') markStarted();
    if (e.target.dataset.path === 'resolution') draft.resolution_chosen = true;
    if (e.target.dataset.path === 'channel') store.save('desk:channel', e.target.value);
    sync();
    persist();
  });

  const onKey = (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey || document.querySelector('dialog[open]')) return;
    const n = /^Digit([1-6])$/.exec(e.code);
    if (n && !callTypes.hidden) {
      e.preventDefault();
      const ct = [...DATA_CALL_TYPES, ...QUICK_CALL_TYPES][Number(n[1]) - 1];
      callTypeButtons.get(ct).focus();
      if (QUICK_CALL_TYPES.includes(ct)) quickLog(ct);
      else chooseCallType(ct);
    }
  };
  document.addEventListener('keydown', onKey);
  cleanups.push(() => document.removeEventListener('keydown', onKey));
  const onSave = () => save();
  const onNew = () => {
    persist();
    if (!hasContent(draft)) startNew(trimOrEmpty(collect(form)['complainant.phone']));
    complainantPhone().focus();
  };
  window.addEventListener('app:save', onSave);
  window.addEventListener('app:new-intake', onNew);
  cleanups.push(() => window.removeEventListener('app:save', onSave), () => window.removeEventListener('app:new-intake', onNew));

  timers.push(setInterval(tick, 1000));

  // ---------- first paint ----------
  restore();
  persist();
  if (restoredNotice === 'restored') {
    replace(noticeHost, h('div', { class: 'alert alert-info', role: 'status' },
      t('intake.draft_restored'), ' ',
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => discard() }, t('intake.clear'))));
  } else if (restoredNotice === 'other_call') {
    replace(noticeHost, h('div', { class: 'alert alert-warn', role: 'status' },
      t('intake.draft_other_call', { phone: draft.values['complainant.phone'] || '—', next: phoneParam }), ' ',
      h('button', {
        type: 'button', class: 'btn btn-small',
        onclick: async () => {
          if (await confirmDialog(t('intake.clear_confirm'), { okLabel: t('intake.start_new_call'), danger: true })) startNew(phoneParam);
        },
      }, t('intake.start_new_call', { phone: phoneParam }))));
  }
  const phone = trimOrEmpty(draft.values['complainant.phone']);
  if (phone) lookup(phone);
  else renderRepeat();
  (phone ? form.querySelector('[data-path="complainant.name"]') : complainantPhone()).focus();

  return () => {
    persist();
    for (const id of timers) clearInterval(id);
    for (const fn of cleanups) fn();
  };
}

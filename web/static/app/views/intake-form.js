// The intake page's DOM: the form (channel, call types, timer, complainant, victim, respondent,
// matter, DV screening, resolution), the aside with the repeat-caller panel and the shortcuts, and
// what the form shows — which parts a channel, an urgency or a resolution needs, the timer, the
// problems before and after saving, and the result of a save. No state and no requests: the view
// (intake.js) owns the draft and says what happened through the `on` callbacks.
import { h, replace, kbd } from '../dom.js';
import { t, label } from '../i18n.js';
import { field, radios, checkbox, collect, fill, clearErrors, showErrors, fieldLabel } from '../form.js';
import { categoryPicker } from '../category-picker.js';
import { placePicker } from '../place-picker.js';
import { fmtClock, personParams } from '../format.js';
import { errorMessage } from '../errors.js';
import { CHANNELS, CONSULTATION_KINDS, DATA_CALL_TYPES, QUICK_CALL_TYPES, TIMED_CHANNELS, isGroupVisit } from '../intake-body.js';
import { dvIntakePanel } from './dv-intake.js';

const GENDERS = ['female', 'male', 'other', 'unknown'];
const RELATIONSHIPS = ['self', 'spouse', 'ex_spouse', 'partner', 'parent', 'child', 'sibling', 'relative', 'in_law', 'employer', 'neighbour', 'other'];
const SHORTCUTS = [['Alt', 'N', 'shortcuts.new_intake'], ['Alt', '1', 'shortcuts.call_types'], ['Ctrl', 'Enter', 'shortcuts.save'], ['Alt', 'L', 'shortcuts.case_list']];
// Call types by their Alt+digit shortcut (Alt+1 … Alt+6).
export const CALL_TYPES_BY_KEY = [...DATA_CALL_TYPES, ...QUICK_CALL_TYPES];

function personFields(prefix, withRelationship) {
  return [
    field({ path: `${prefix}.phone`, label: t('person.phone'), kind: 'tel', attrs: { autocomplete: 'off', inputmode: 'tel' } }),
    field({ path: `${prefix}.name`, label: t('person.name'), attrs: { autocomplete: 'off' } }),
    field({ path: `${prefix}.gender`, label: t('person.gender'), kind: 'select', options: [{ value: '', label: '—' }, ...GENDERS.map((g) => ({ value: g, label: label('gender', g) }))] }),
    field({ path: `${prefix}.age`, label: t('person.age'), kind: 'number', attrs: { min: 0, max: 130 }, className: 'field-narrow' }),
    field({ path: `${prefix}.id_number`, label: t('person.id_number'), attrs: { autocomplete: 'off', maxlength: 18 } }),
    placePicker({ path: `${prefix}.region_code`, label: t('place.label') }),
    withRelationship ? field({ path: `${prefix}.relationship_to_victim`, label: t('person.relationship_to_victim'), attrs: { list: 'relationship-list' }, className: 'only-not-victim' }) : null,
  ];
}

function safeContact(prefix) {
  return h('div', { class: 'safe-contact' },
    h('h3', { class: 'subhead' }, t('safe.title')),
    h('div', { class: 'grid grid-3' },
      radios({
        path: `${prefix}.safe_contact.ok_to_call`, label: t('safe.ok_to_call'),
        options: [{ value: 'yes', label: t('safe.yes') }, { value: 'no', label: t('safe.no') }, { value: '', label: t('safe.unknown') }],
      }),
      field({ path: `${prefix}.safe_contact.safe_times`, label: t('safe.safe_times'), hint: t('safe.safe_times_hint') }),
      field({ path: `${prefix}.safe_contact.note`, label: t('safe.note'), hint: t('safe.note_hint') })));
}

// Texts naming the contacting person (来电人 / 来访人 / 来信人 …): spans that sync() rewrites when the
// channel changes. Returns (key) → a span showing t(key) for the channel.
function personTexts() {
  const spans = [];
  let channel = 'hotline';  // until the form's channel is known (the first sync)
  const text = (key) => {
    const el = h('span', { class: 'person-text', dataset: { key } }, t(key, personParams(channel)));
    spans.push(el);
    return el;
  };
  text.setChannel = (next) => {
    if (next === channel) return;
    channel = next;
    for (const el of spans) el.textContent = t(el.dataset.key, personParams(channel));
  };
  return text;
}

function emergencyBox(personText) {
  return h('div', { class: 'emergency-box', role: 'alert', hidden: true },
    h('h2', null, t('intake.emergency_title')),
    h('ol', { class: 'emergency-steps' },
      h('li', null, h('strong', null, personText('intake.emergency_step1'))),
      h('li', null, personText('intake.emergency_step2')),
      h('li', null, t('intake.emergency_step3')),
      h('li', null, t('intake.emergency_step4'))),
    field({ path: 'location', label: personText('intake.location'), hint: t('intake.location_hint'), className: 'field-wide' }));
}

// 越级访: the checkbox and the office below it belongs to; none when the user's office has none below.
function levelSkippingField(officesBelow) {
  if (!officesBelow.length) return null;
  const office = field({
    path: 'jurisdiction_office_id', label: t('intake.jurisdiction_office'), kind: 'select', className: 'jurisdiction-office',
    options: [{ value: '', label: t('ev.choose') }, ...officesBelow.map((o) => ({ value: String(o.id), label: o.name }))],
  });
  return h('div', { class: 'level-skipping' }, checkbox({ path: 'level_skipping', label: t('intake.level_skipping') }), office);
}

// on: {restartTimer(), callType(ct), clear(), unlinkCase()}. officesBelow: [{id, name}] the offices
// below the user's (the targets of a level-skipping contact). Returns the page's parts and what the
// view changes on them.
export function intakeForm({ categories, dvInstrument, repeatPanel, officesBelow = [], on }) {
  const resultHost = h('div', { class: 'intake-result-host' });
  const noticeHost = h('div');
  const dvRepeatHost = h('div', { class: 'dv-intake-repeat-host' });
  const formErrors = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });

  const channelField = field({
    path: 'channel', label: t('intake.channel'), kind: 'select',
    options: CHANNELS.map((c) => ({ value: c, label: label('channel', c) })),
  });
  const receivedField = field({ path: 'received_at', label: t('intake.received_at'), kind: 'datetime-local' });
  const personsField = field({ path: 'persons', label: t('intake.persons'), kind: 'number', attrs: { min: 1, max: 1000 }, className: 'field-narrow' });
  const groupBadge = h('span', { class: 'badge badge-warn group-visit-badge', title: t('intake.group_visit_hint'), hidden: true }, t('intake.group_visit'));
  const timerValue = h('span', { class: 'timer-value', 'aria-live': 'off' }, '00:00');
  const timerButton = h('button', { type: 'button', class: 'btn btn-small btn-ghost timer-button', onclick: () => on.restartTimer() }, t('intake.timer_restart'));
  const timerBox = h('div', { class: 'timer', role: 'timer', 'aria-label': t('intake.timer') },
    h('span', { class: 'timer-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'timer-label' }, t('intake.timer')), timerValue, timerButton);

  const callTypeInput = h('input', { type: 'hidden', dataset: { path: 'call_type' } });
  const callTypeButtons = new Map();
  const callTypes = h('div', { class: 'calltypes field', dataset: { field: 'call_type' }, role: 'group', 'aria-label': t('intake.call_type') },
    h('span', { class: 'field-label calltypes-label' }, t('intake.call_type'), ' ', h('span', { class: 'calltypes-hint' }, t('intake.call_type_keys'))),
    h('div', { class: 'calltypes-row' },
      CALL_TYPES_BY_KEY.map((ct, i) => {
        const quick = QUICK_CALL_TYPES.includes(ct);
        const b = h('button', {
          type: 'button',
          class: ['calltype', quick ? 'calltype-quick' : 'calltype-data'],
          'aria-pressed': quick ? undefined : 'false',
          dataset: { callType: ct },
          title: quick ? t('intake.quick_log_title') : undefined,
          onclick: () => on.callType(ct),
        }, h('span', { class: 'calltype-name' }, label('call_type', ct)), kbd(String(i + 1)));
        callTypeButtons.set(ct, b);
        return [ct === QUICK_CALL_TYPES[0] ? h('span', { class: 'calltypes-divider', title: t('intake.quick_log_title') }, t('intake.quick_log')) : null, b];
      })),
    callTypeInput,
    h('div', { class: 'field-error', hidden: true }));

  const personText = personTexts();
  const emergency = emergencyBox(personText);
  const victimToggle = checkbox({ path: 'caller_is_victim', label: personText('intake.caller_is_victim') });
  const victimBody = h('div', { class: 'section-body' }, h('div', { class: 'grid grid-person' }, personFields('victim', false)), safeContact('victim'));
  const victimSummary = h('span', { class: 'section-note' });
  const victimSection = h('section', { class: 'section section-victim' },
    h('h2', { class: 'section-title' }, t('intake.section_victim'), victimSummary), victimBody);

  const picker = categoryPicker({ categories, onChange: (code) => dvPanel.categoryChosen(code) });
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
  const consultField = radios({
    path: 'consultation_kind', label: t('consult.label'), className: 'consultation-kind', required: true,
    options: CONSULTATION_KINDS.map((k) => ({ value: k, label: t(`consult.kind.${k}`) })),
  });
  const levelSkipping = levelSkippingField(officesBelow);
  const saveLabel = h('span', { class: 'save-label' }, t('intake.save'));
  const saveButton = h('button', { type: 'submit', class: 'btn btn-primary btn-save' }, saveLabel, kbd('Ctrl', 'Enter'));
  const clearButton = h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => on.clear() }, t('intake.clear'));
  const answerField = field({ path: 'answer', label: t('intake.answer'), kind: 'textarea', rows: 3, hint: t('intake.answer_hint') });
  const dvPanel = dvIntakePanel({ inst: dvInstrument });

  const form = h('form', { class: 'intake-form', novalidate: true, 'aria-label': t('intake.title') },
    h('div', { class: 'form-head' },
      h('h1', { class: 'page-title' }, t('intake.title')),
      h('div', { class: 'form-head-controls' }, channelField, personsField, groupBadge, receivedField, timerBox)),
    formErrors,
    callTypes,
    emergency,
    h('section', { class: 'section' },
      h('h2', { class: 'section-title' }, personText('intake.section_complainant')),
      h('div', { class: 'grid grid-person' }, personFields('complainant', true)),
      victimToggle,
      safeContact('complainant')),
    victimSection,
    h('section', { class: 'section' },
      h('h2', { class: 'section-title' }, t('intake.section_respondent')),
      h('div', { class: 'grid grid-4' },
        field({ path: 'respondent.name', label: t('person.name'), attrs: { autocomplete: 'off' } }),
        field({ path: 'respondent.relationship', label: t('person.relationship'), attrs: { list: 'relationship-list' }, hint: t('person.relationship_hint') }))),
    h('section', { class: 'section' },
      h('h2', { class: 'section-title' }, t('intake.section_matter')),
      h('div', { class: 'matter-grid' }, categoryField, urgencyField),
      levelSkipping,
      field({ path: 'summary', label: t('intake.summary'), required: true, attrs: { maxlength: 160, autocomplete: 'off' }, hint: t('intake.summary_hint') }),
      field({ path: 'narrative', label: t('intake.narrative'), kind: 'textarea', rows: 5 }),
      answerField, consultField),
    dvPanel.el,
    h('div', { class: 'form-footer' },
      resolutionField, followUp,
      h('div', { class: 'form-footer-buttons' }, clearButton, saveButton)),
    h('datalist', { id: 'relationship-list' }, RELATIONSHIPS.map((r) => h('option', { value: t(`relationship.${r}`) }))));

  const aside = h('aside', { class: 'intake-aside' }, repeatPanel,
    h('section', { class: 'card shortcuts' },
      h('h2', { class: 'card-title' }, t('shortcuts.title')),
      h('dl', { class: 'shortcut-list' }, SHORTCUTS.map(([a, b, k]) => [h('dt', null, kbd(a, b)), h('dd', null, t(k))]))));
  const page = h('div', { class: 'intake-page' }, resultHost, noticeHost, dvRepeatHost, h('div', { class: 'intake-layout' }, form, aside));

  const control = (path) => form.querySelector(`[data-path="${path}"]`);
  const setResolution = (r) => {
    for (const el of form.querySelectorAll('[data-path="resolution"]')) el.checked = el.value === r;
  };

  function setCallType(ct) {
    callTypeInput.value = ct;
    for (const [k, b] of callTypeButtons) if (DATA_CALL_TYPES.includes(k)) b.setAttribute('aria-pressed', String(k === ct));
  }

  // Shows the parts the values ask for; caseRef: the case this contact follows up, or null;
  // repeat: {ref, candidates} of the screen-pop (the case it repeats, or null for a new matter).
  function sync(v, caseRef, repeat = { ref: null, candidates: [] }) {
    const channel = v.channel;
    personText.setChannel(channel);
    callTypes.hidden = channel !== 'hotline';
    timerBox.hidden = !TIMED_CHANNELS.includes(channel);
    receivedField.hidden = TIMED_CHANNELS.includes(channel);
    personsField.hidden = !['walk_in', 'agent'].includes(channel);
    groupBadge.hidden = !isGroupVisit(v);
    if (levelSkipping) levelSkipping.querySelector('.jurisdiction-office').hidden = !v.level_skipping;
    const isEmergency = v.urgency === 'emergency';
    form.classList.toggle('is-emergency', isEmergency);
    form.classList.toggle('is-urgent', v.urgency === 'urgent');
    emergency.hidden = !isEmergency;
    const isVictim = Boolean(v.caller_is_victim);
    victimBody.hidden = isVictim;
    victimSection.classList.toggle('is-collapsed', isVictim);
    victimSummary.textContent = isVictim ? t('intake.victim_is_caller', personParams(channel)) : '';
    for (const el of form.querySelectorAll('.only-not-victim')) el.hidden = isVictim;
    dvPanel.sync(v);
    const openCase = v.resolution === 'open_case';
    saveLabel.textContent = openCase ? t('intake.save_open_case') : t('intake.save_answered');
    answerField.classList.toggle('is-required', !openCase);
    consultField.hidden = v.resolution !== 'answered';
    categoryField.classList.toggle('is-required', openCase);
    if (caseRef) {
      replace(followUp, h('span', { class: 'chip chip-info' }, t('intake.followup_of', { ...personParams(v.channel), case_no: caseRef.case_no })),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => on.unlinkCase() }, t('intake.followup_remove')));
      followUp.hidden = false;
    } else if (repeat.candidates.length) {
      replace(followUp, h('span', { class: 'chip chip-info repeat-chip' }, repeat.ref ? t('rep.chip', { case_no: repeat.ref.case_no }) : t('rep.chip_new')));
      followUp.hidden = false;
    } else followUp.hidden = true;
  }

  // The call timer: idle (pristine) until the first input, then the time since the call began.
  function showTimer(pristine, seconds) {
    timerValue.textContent = pristine ? '00:00' : fmtClock(seconds);
    timerBox.classList.toggle('is-idle', pristine);
    timerButton.textContent = pristine ? t('intake.timer_start') : t('intake.timer_restart');
  }

  // Fills the form from a draft's values.
  function restore(values) {
    fill(form, values);
    setCallType(values.call_type || 'consultation');
    picker.refresh();
    for (const place of form.querySelectorAll('.place-field')) place.refresh();
  }

  // problems: {path: message}, from the checks before sending or the server's 422: beside the fields
  // and listed at the top of the form.
  function showProblems(problems) {
    const unplaced = showErrors(form, problems);
    const items = Object.keys(problems).map((path) => {
      const text = unplaced.find((u) => u.path === path)?.text
        || form.querySelector(`[data-field="${CSS.escape(path)}"] .field-error`)?.textContent || '';
      return h('li', null, h('strong', null, unplaced.some((u) => u.path === path) ? path : fieldLabel(form, path)), t('common.colon'), text);
    });
    replace(formErrors, h('strong', null, t('intake.errors_title')), h('ul', null, items));
    formErrors.hidden = false;
    if (!form.querySelector('[aria-invalid="true"]')) formErrors.focus();
  }

  function clearProblems() {
    clearErrors(form);
    formErrors.hidden = true;
  }

  // A save that failed for another reason than the fields; draftKept: say that nothing typed is lost.
  function showFailure(err, { draftKept = false, focus = false } = {}) {
    replace(formErrors, h('strong', null, t('intake.save_failed')), ' ', errorMessage(err), draftKept ? [' ', t('intake.draft_kept')] : null);
    formErrors.hidden = false;
    if (focus) formErrors.focus();
  }

  // A save the server's storage refused (503 storage_full / storage_unavailable): its sentence
  // alone (it already says the draft is kept), and a retry that sends the intake again. Focus goes
  // to the message, so a screen reader reads it and Tab reaches the retry next.
  function showStorageFailure(message, onRetry) {
    replace(formErrors, h('strong', { class: 'storage-failure-text' }, message), ' ',
      h('button', { type: 'button', class: 'btn btn-small btn-retry-save', onclick: () => onRetry() }, t('intake.retry_save')));
    formErrors.hidden = false;
    formErrors.focus();
  }

  // The banner above the form after a save: the case opened (with its link), the follow-up or
  // answer recorded, or the quick-logged call. note: an extra line (the DV records saved with it).
  function showResult(res, body, { quickType, caseRef, repeatRef, note } = {}) {
    const parts = [];
    if (quickType) parts.push(h('span', null, t('intake.quick_logged', { type: label('call_type', quickType), duration: fmtClock(body.duration_s || 0) })));
    else if (res.case) {
      parts.push(h('span', null, t('intake.case_opened')),
        h('a', { href: `#/cases/${res.case.id}`, class: 'case-no result-case-link' }, res.case.case_no),
        h('span', { class: `badge status-${res.case.status}` }, label('status', res.case.status)));
    } else if (!caseRef && repeatRef && body.repeat_of_case_id) {
      parts.push(h('span', null, t(res.linked_case_id ? 'intake.repeat_saved' : 'intake.repeat_saved_above', { case_no: repeatRef.case_no })));
    } else parts.push(h('span', null, caseRef ? t('intake.followup_saved', { ...personParams(body.channel), case_no: caseRef.case_no }) : t('intake.answered_saved')));
    const banner = h('div', { class: 'alert alert-success result-banner', role: 'status', tabindex: '-1' },
      h('span', { class: 'result-icon', 'aria-hidden': 'true' }, '✓'),
      h('div', { class: 'result-text' }, parts,
        res.repeat && res.repeat.prior_contacts ? h('div', { class: 'muted' }, t('intake.result_repeat', { n: res.repeat.prior_contacts })) : null,
        note),
      h('button', { type: 'button', class: 'btn-icon', 'aria-label': t('common.close'), onclick: () => banner.remove() }, '×'));
    replace(resultHost, banner);
    const link = banner.querySelector('a');
    // The whole banner in view below the sticky top bar (html's scroll-padding-top), not only the
    // link focus would scroll to (issue #15).
    (link || banner).focus({ preventScroll: true });
    banner.scrollIntoView({ block: 'nearest' });
  }

  return {
    page, form, noticeHost, dvRepeatHost, resultHost, callTypes, callTypeButtons, saveButton,
    values: () => collect(form),
    control,
    setResolution,
    setCallType,
    sync,
    showTimer,
    restore,
    showProblems,
    clearProblems,
    showFailure,
    showStorageFailure,
    showResult,
  };
}

// 接听登记 — the intake form an operator keeps open while a caller is on the line. This view wires
// the parts together: the draft (../intake-draft.js: saved on every change and restored after a
// reload or a crashed tab, dropped only when the server has answered 201), the form's DOM
// (intake-form.js), the repeat-caller and DV repeat lookups (intake-lookups.js); and it saves —
// the full intake, a quick-logged call, or nothing (discard) — and answers the keyboard shortcuts.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { loadCategories } from '../reference.js';
import { fmtClock } from '../format.js';
import { confirmDialog, toast } from '../dialog.js';
import { setQuery } from '../router.js';
import { withCall, callDuration, callRecorded } from '../telephony.js';
import { IntakeDraft } from '../intake-draft.js';
import { DATA_CALL_TYPES, QUICK_CALL_TYPES } from '../intake-body.js';
import { clearErrorOnEdit } from '../form.js';
import { intakeStorageMessage } from '../errors.js';
import { loadInstrument } from './dv-common.js';
import { dvRelevant, saveIntakeDv, dvResultNote } from './dv-intake.js';
import { intakeForm, CALL_TYPES_BY_KEY } from './intake-form.js';
import { repeatCallerPanel, dvRepeatCheck } from './intake-lookups.js';

// The offices below the user's (a level-skipping contact names one), from her scope's offices.
async function officesBelow(user) {
  let items = [];
  try {
    items = (await api.get('/api/v1/offices?scope=own')).items || [];
  } catch {
    return [];
  }
  const below = new Set([user.office_id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const o of items) if (!below.has(o.id) && below.has(o.parent_id)) { below.add(o.id); grew = true; }
  }
  return items.filter((o) => o.id !== user.office_id && below.has(o.id) && o.active !== false)
    .sort((a, b) => String(a.region_code).localeCompare(String(b.region_code)));
}

export default async function intakeView(root, ctx) {
  // The DV risk instrument is needed before the form is filled from the draft (its answers are in it).
  const [categories, dvInstrument, below] = await Promise.all([loadCategories(), loadInstrument().catch(() => null), officesBelow(ctx.user)]);
  if (!ctx.alive()) return undefined;
  const phoneParam = (ctx.query.get('phone') || '').trim();
  const draft = new IntakeDraft({ userId: ctx.user.id });
  const restoredNotice = draft.open(phoneParam);

  const timers = [];
  const cleanups = [];
  let saving = false;
  // The last save the server's storage refused: the form's values (and the case followed up) then,
  // and the body sent. While the form still holds those, saving again (the retry button, or the save
  // button) sends that very body — the call's time and duration as when she first pressed save.
  let unsent = null;
  // The name the caller panel filled in (the one given with this number before): replaced when
  // another number answers with another name, never once the operator has changed it.
  let prefilledName = '';

  const repeat = repeatCallerPanel({
    categories,
    alive: ctx.alive,
    isLinked: (caseId) => draft.isLinkedTo(caseId),
    onLink: (c) => {
      if (draft.toggleCase(c)) ui.setResolution('answered');
      persist();
      sync();
      repeat.render();
    },
    onSettled: () => dvRepeat.checkSoon(),
    repeatRef: () => draft.repeatRef,
    onCandidates: (cases) => {
      draft.offerRepeat(cases);
      persist();
      sync();
    },
    onRepeatChoice: (ref) => {
      draft.chooseRepeat(ref);
      persist();
      sync();
      repeat.render();
    },
    onCallerName: (name) => {
      const input = ui.control('complainant.name');
      const current = input.value.trim();
      if ((current && current !== prefilledName) || current === name) return;
      input.value = name;
      prefilledName = name;
      persist();
    },
  });
  const ui = intakeForm({
    categories,
    dvInstrument,
    repeatPanel: repeat.el,
    officesBelow: below,
    on: {
      restartTimer: () => {
        draft.restartTimer();
        persist();
        tick();
      },
      callType: (ct) => (QUICK_CALL_TYPES.includes(ct) ? quickLog(ct) : chooseCallType(ct)),
      clear: () => discard(),
      unlinkCase: () => {
        draft.unlinkCase();
        persist();
        sync();
        repeat.render();
      },
    },
  });
  const { form } = ui;
  const dvRepeat = dvRepeatCheck({ host: ui.dvRepeatHost, readValues: ui.values, alive: ctx.alive });
  cleanups.push(() => repeat.cancel(), () => dvRepeat.cancel());
  replace(root, ui.page);

  // ---------- state ⇄ form ----------
  function markStarted() {
    if (draft.markStarted()) tick();
  }

  function persist() {
    draft.save(ui.values());
  }

  function sync() {
    const values = ui.values();
    repeat.setChannel(values.channel);
    ui.sync(values, draft.caseRef, { ref: draft.repeatRef, candidates: draft.repeatCandidates });
  }

  function tick() {
    // A call the call-centre reported ended: its own duration (telephony.js).
    ui.showTimer(draft.pristine, callDuration(draft.phone) ?? draft.elapsedSeconds());
  }

  function restore() {
    ui.restore(draft.values);
    sync();
    tick();
  }

  function chooseCallType(ct) {
    markStarted();
    ui.setCallType(ct);
    if (!draft.resolutionChosen) ui.setResolution(ct === 'help_request' ? 'open_case' : 'answered');
    sync();
    persist();
  }

  // ---------- saving ----------
  function startNew(phone = '') {
    unsent = null;
    prefilledName = '';
    draft.start(phone);
    ui.clearProblems();
    replace(ui.noticeHost);
    restore();
    repeat.reset();
    if (phone) repeat.lookup(phone);
    setQuery('/intake', new URLSearchParams(phone ? { phone } : {}));
  }

  async function save() {
    if (saving) return;
    ui.clearProblems();
    persist();
    const v = ui.values();
    const problems = draft.problems(v);
    if (problems) {
      ui.showProblems(problems);
      return;
    }
    const key = JSON.stringify([v, draft.caseRef]);
    const body = unsent && unsent.values === key ? unsent.body : withCall(draft.body(v));
    saving = true;
    ui.saveButton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const res = await api.post('/api/v1/intakes', body, { expect: 201 });
      // The server confirmed (201): only now may the local draft go.
      draft.forget();
      callRecorded(body);
      // A case was opened: the DV screening and the risk checklist run during the call go with it.
      const dvResult = res.case && dvRelevant(v) ? await saveIntakeDv(res.case.id, v, dvInstrument) : null;
      if (!ctx.alive()) return;
      const { caseRef, repeatRef } = draft;
      startNew('');
      ui.showResult(res, body, { caseRef, repeatRef, note: res.case ? dvResultNote(dvResult, res.case) : null });
    } catch (e) {
      if (!ctx.alive()) return;
      const storage = intakeStorageMessage(e);
      if (storage) {
        // Nothing reached the database (issue #17): the form and the draft stay as they are.
        unsent = { values: key, body };
        ui.showStorageFailure(storage, () => save());
      } else if (e.fields && Object.keys(e.fields).length) ui.showProblems(e.fields);
      else ui.showFailure(e, { draftKept: true, focus: true });
    } finally {
      saving = false;
      ui.saveButton.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  async function quickLog(callType) {
    if (saving) return;
    persist();
    if (draft.hasContent() && !(await confirmDialog(t('intake.quick_confirm', { type: label('call_type', callType) }), { okLabel: t('intake.quick_confirm_ok') }))) return;
    const body = withCall(draft.quickBody(callType, ui.values()));
    saving = true;
    try {
      const res = await api.post('/api/v1/intakes', body, { expect: 201 });
      draft.forget();
      callRecorded(body);
      if (!ctx.alive()) return;
      startNew('');
      ui.showResult(res, body, { quickType: callType });
      toast(t('intake.quick_logged', { type: label('call_type', callType), duration: fmtClock(body.duration_s) }), 'success');
    } catch (e) {
      if (!ctx.alive()) return;
      ui.showFailure(e);
    } finally {
      saving = false;
    }
  }

  async function discard() {
    persist();
    if (draft.hasContent() && !(await confirmDialog(t('intake.clear_confirm'), { okLabel: t('intake.clear'), danger: true }))) return;
    replace(ui.resultHost);
    startNew('');
    ui.control('complainant.phone').focus();
  }

  // ---------- events ----------
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  clearErrorOnEdit(form);
  form.addEventListener('input', (e) => {
    const path = e.target.dataset.path;
    if (path) markStarted();
    if (path === 'complainant.phone') {
      // A DV repeat check still waiting would ask about the form as it is when it fires, before the
      // new number's lookup has answered; that answer sets off the check for the new number.
      dvRepeat.cancel();
      repeat.lookupSoon(e.target.value.trim());
    }
    if (/^(complainant|victim)\.id_number$/.test(path || '')) dvRepeat.checkSoon();
    if (path === 'persons') sync(); // the 集体访 badge follows the number as it is typed
    persist();
  });
  form.addEventListener('change', (e) => {
    const path = e.target.dataset.path;
    if (path && path !== 'channel') markStarted();
    if (path === 'resolution') draft.chooseResolution();
    if (path === 'channel') draft.rememberChannel(e.target.value);
    sync();
    persist();
  });

  const onKey = (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey || document.querySelector('dialog[open]')) return;
    const n = /^Digit([1-6])$/.exec(e.code);
    if (n && !ui.callTypes.hidden) {
      e.preventDefault();
      const ct = CALL_TYPES_BY_KEY[Number(n[1]) - 1];
      ui.callTypeButtons.get(ct).focus();
      if (DATA_CALL_TYPES.includes(ct)) chooseCallType(ct);
      else quickLog(ct);
    }
  };
  document.addEventListener('keydown', onKey);
  cleanups.push(() => document.removeEventListener('keydown', onKey));
  const onSave = () => save();
  const onNew = () => {
    persist();
    if (!draft.hasContent()) startNew(draft.phone);
    ui.control('complainant.phone').focus();
  };
  window.addEventListener('app:save', onSave);
  window.addEventListener('app:new-intake', onNew);
  cleanups.push(() => window.removeEventListener('app:save', onSave), () => window.removeEventListener('app:new-intake', onNew));

  timers.push(setInterval(tick, 1000));

  // ---------- first paint ----------
  restore();
  persist();
  if (restoredNotice === 'restored') {
    replace(ui.noticeHost, h('div', { class: 'alert alert-info', role: 'status' },
      t('intake.draft_restored'), ' ',
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => discard() }, t('intake.clear'))));
  } else if (restoredNotice === 'other_call') {
    replace(ui.noticeHost, h('div', { class: 'alert alert-warn', role: 'status' },
      t('intake.draft_other_call', { phone: draft.values['complainant.phone'] || '—', next: phoneParam }), ' ',
      h('button', {
        type: 'button', class: 'btn btn-small',
        onclick: async () => {
          if (await confirmDialog(t('intake.clear_confirm'), { okLabel: t('intake.start_new_call'), danger: true })) startNew(phoneParam);
        },
      }, t('intake.start_new_call', { phone: phoneParam }))));
  }
  const phone = draft.phone;
  if (phone) repeat.lookup(phone);
  else repeat.render();
  ui.control(phone ? 'complainant.name' : 'complainant.phone').focus();

  return () => {
    persist();
    for (const id of timers) clearInterval(id);
    for (const fn of cleanups) fn();
  };
}

// Form building blocks bound to a value path (data-path="complainant.phone"): the same path names
// the JSON field, the draft key and the key of a 422 `fields` error, so errors land beside inputs.
import { h, uid, replace } from './dom.js';
import { t } from './i18n.js';
import { fieldMessage, errorMessage } from './errors.js';

// One labelled control. kind: text|tel|number|textarea|select|date|datetime-local|search.
export function field({ path, label, kind = 'text', options, required, hint, className, attrs = {}, rows }) {
  const id = uid('f');
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  const common = {
    id,
    dataset: { path },
    'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
    required: required || undefined,
    ...attrs,
  };
  let control;
  if (kind === 'textarea') control = h('textarea', { class: 'input', rows: rows || 3, ...common });
  else if (kind === 'select')
    control = h('select', { class: 'input', ...common },
      options.map((o) => (o.group
        ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value }, x.label)))
        : h('option', { value: o.value }, o.label))));
  else control = h('input', { class: 'input', type: kind, ...common });
  const wrapper = h('div', { class: ['field', className], dataset: { field: path } },
    h('label', { for: id, class: 'field-label' }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hint ? h('div', { class: 'field-hint', id: hintId }, hint) : null,
    h('div', { class: 'field-error', id: errId, hidden: true }));
  wrapper.control = control;
  return wrapper;
}

// A group of radio buttons (segmented look), e.g. urgency.
export function radios({ path, label, options, className, required }) {
  const name = uid(`r-${path}`);
  const errId = `${name}-err`;
  return h('fieldset', { class: ['field', 'radios', className], dataset: { field: path }, 'aria-describedby': errId },
    h('legend', { class: 'field-label' }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'radio-row' },
      options.map((o) => h('label', { class: ['radio-pill', o.className] },
        h('input', { type: 'radio', name, value: o.value, dataset: { path } }),
        h('span', null, o.label)))),
    h('div', { class: 'field-error', id: errId, hidden: true }));
}

export function checkbox({ path, label, className }) {
  const id = uid('c');
  return h('div', { class: ['field', 'check', className], dataset: { field: path } },
    h('input', { type: 'checkbox', id, dataset: { path } }),
    h('label', { for: id }, label));
}

// All path-bound values of a container as a flat {path: value} map.
export function collect(root) {
  const out = {};
  for (const el of root.querySelectorAll('[data-path]')) {
    const path = el.dataset.path;
    if (el.type === 'radio') {
      if (el.checked) out[path] = el.value;
      else if (!(path in out)) out[path] = '';
    } else if (el.type === 'checkbox') out[path] = el.checked;
    else out[path] = el.value;
  }
  return out;
}

// Sets every path-bound control from a flat map; controls missing from the map are emptied.
export function fill(root, values) {
  for (const el of root.querySelectorAll('[data-path]')) {
    const path = el.dataset.path;
    const v = path in values ? values[path] : el.type === 'checkbox' ? false : '';
    if (el.type === 'radio') el.checked = v === el.value;
    else if (el.type === 'checkbox') el.checked = Boolean(v);
    else el.value = v ?? '';
  }
}

export function clearErrors(root) {
  for (const el of root.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of root.querySelectorAll('.has-error')) el.classList.remove('has-error');
}

// Puts each message beside its field; returns the paths that have no field on this form.
// messages: {path: server message} (translated here) or {path: {text}} (already in the UI language).
export function showErrors(root, messages) {
  const unplaced = [];
  let first = null;
  for (const [path, raw] of Object.entries(messages || {})) {
    const text = typeof raw === 'object' && raw && 'text' in raw ? raw.text : fieldMessage(raw);
    const wrapper = root.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (!wrapper) {
      unplaced.push({ path, text });
      continue;
    }
    wrapper.classList.add('has-error');
    const err = wrapper.querySelector('.field-error');
    if (err) {
      err.textContent = text;
      err.hidden = false;
    }
    const control = wrapper.querySelector('[data-path], input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      if (!first) first = control;
    }
  }
  if (first) first.focus();
  return unplaced;
}

// A field's error goes away as soon as the user changes the field.
export function clearErrorOnEdit(root) {
  const clearField = (e) => {
    const wrapper = e.target.closest && e.target.closest('[data-field].has-error');
    if (!wrapper) return;
    wrapper.classList.remove('has-error');
    const err = wrapper.querySelector('.field-error');
    if (err) {
      err.hidden = true;
      err.textContent = '';
    }
    for (const c of wrapper.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  };
  root.addEventListener('input', clearField);
  root.addEventListener('change', clearField);
  return root;
}

// The submit of a desk form: no page load; nothing while the submit button is disabled (a save is
// under way, or the form cannot be sent); the last attempt's messages cleared (field errors, and
// the error box hidden in its first look — a conflict turns it into a warning); then handler(event).
export function handleSubmit(form, { submit, errorBox } = {}, handler) {
  const boxClass = errorBox ? errorBox.className : '';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (submit && submit.disabled) return undefined;
    clearErrors(form);
    if (errorBox) {
      errorBox.hidden = true;
      errorBox.className = boxClass;
    }
    return handler(e);
  });
  return form;
}

// A refused save: why, in the box; each field's message beside its field (fieldMessages: as
// showErrors takes them), those with no field on this form listed in the box. The focus goes to the
// first bad field, else to the box.
export function showSaveError(form, box, err, fieldMessages = err.fields) {
  replace(box, errorMessage(err));
  box.hidden = false;
  const unplaced = fieldMessages ? showErrors(form, fieldMessages) : [];
  if (unplaced.length) box.append(h('ul', null, unplaced.map((u) => h('li', null, `${u.path}${t('common.colon')}${u.text}`))));
  if (!form.querySelector('[aria-invalid="true"]')) box.focus();
}

// A save answered 409: someone changed the record since the form was opened. The box becomes a
// warning (title, optional explanation) with a button that fetches the latest version while what the
// user typed stays in the form. reload() does that and resolves with {text, ok}: ok (the form may be
// sent again) turns the box into a note; otherwise it stays a warning (e.g. the action is gone). A
// failed reload shows why. The box takes the focus.
export function showConflict(box, { title, body, reloadLabel, reloadClass = 'btn btn-small', reload }) {
  replace(box, h('strong', null, title), body ? [' ', body] : null, ' ',
    h('button', {
      type: 'button', class: reloadClass,
      onclick: async () => {
        try {
          const { text, ok } = await reload();
          if (ok) box.className = 'alert alert-info';
          replace(box, text);
        } catch (e) {
          replace(box, errorMessage(e));
        }
      },
    }, reloadLabel));
  box.className = 'alert alert-warn';
  box.hidden = false;
  box.focus();
}

export function fieldLabel(root, path) {
  const wrapper = root.querySelector(`[data-field="${CSS.escape(path)}"]`);
  const label = wrapper && wrapper.querySelector('.field-label');
  return label ? label.textContent.replace(/\s*\*$/, '') : path;
}

export function trimOrEmpty(v) {
  return typeof v === 'string' ? v.trim() : '';
}

export { t };

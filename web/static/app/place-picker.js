// A person's place (所在地区), picked by name down to the township and stored as its code
// (divisions.js says which codes): one type-ahead combobox (ARIA 1.2 combobox with a listbox popup:
// ↓/↑ move through the places found, Enter or Tab takes the highlighted one, Escape closes the list)
// that finds a place by any part of its name and shows the full path, plus a step-by-step drill
// (province → city → county → township) of plain selects for those who prefer it. Before anything
// is typed it offers the places around the operator's own office. The code lives in a hidden input
// bound to the form path (so collect(), fill() and the intake draft carry it like any field); the
// form calls refresh() after fill() to show the name again. placeLabel() is the one way a stored code
// is shown elsewhere (case page, 登记表): the name, with the code in small grey.
import { h, uid, replace, debounce } from './dom.js';
import { t } from './i18n.js';
import { get } from './api.js';
import { user } from './session.js';
import { loadDivisions, findPlace, placeName, searchPlaces, nearbyPlaces, choices } from './divisions.js';

const LEVEL_KEYS = ['', 'place.level_province', 'place.level_city', 'place.level_county', 'place.level_township'];

const homes = new Map();  // office id → Promise of its region code

// The region code of the signed-in user's office ('' when it has none or cannot be read): the
// place-picker's starting point. Asked once per office (another user may sign in without a reload).
function homeRegion() {
  const me = user();
  if (!me || !me.office_id) return Promise.resolve('');
  if (!homes.has(me.office_id)) {
    homes.set(me.office_id, get('/api/v1/offices?scope=own')
      .then((r) => ((r.items || []).find((o) => o.id === me.office_id) || {}).region_code || '')
      .catch(() => ''));
  }
  return homes.get(me.office_id);
}

// The name of a stored code with the code in small grey; the bare code while the data load, or when
// the code names no place of the data (an older code), '—' for none.
export function placeLabel(code) {
  if (!code) return h('span', { class: 'place-label' }, '—');
  const codeSpan = h('span', { class: 'place-code' }, code);
  const el = h('span', { class: 'place-label' }, codeSpan);
  loadDivisions().then((div) => {
    const name = placeName(div, code);
    if (name) replace(el, h('span', { class: 'place-name' }, name), ' ', codeSpan);
  }, () => {});
  return el;
}

export function placePicker({ path, label, hint }) {
  const id = uid('place');
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const statusId = `${id}-status`;
  const input = h('input', {
    id, type: 'text', class: 'input place-input', role: 'combobox', autocomplete: 'off',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    'aria-describedby': `${hintId} ${errId}`, placeholder: t('place.placeholder'), dataset: { skipDraft: '1' },
  });
  const value = h('input', { type: 'hidden', dataset: { path } });
  const codeShown = h('span', { class: 'place-code place-chosen-code', 'aria-hidden': 'true' });
  const list = h('ul', { class: 'place-list', id: listId, role: 'listbox', 'aria-label': label, hidden: true });
  const status = h('div', { class: 'sr-only', id: statusId, 'aria-live': 'polite' });
  const drillSelects = [1, 2, 3, 4].map((n) => {
    const selId = `${id}-drill-${n}`;
    const lab = h('label', { for: selId, class: 'field-label' }, t(LEVEL_KEYS[n]));
    const select = h('select', { id: selId, class: 'input place-drill-select' });
    const box = h('div', { class: 'place-drill-step' }, lab, select);
    return { n, lab, select, box, nodes: [] };
  });
  const drill = h('details', { class: 'place-drill' },
    h('summary', null, t('place.drill')),
    h('div', { class: 'place-drill-steps' }, drillSelects.map((d) => d.box)));
  const wrapper = h('div', { class: 'field place-field', dataset: { field: path } },
    h('label', { for: id, class: 'field-label' }, label),
    h('div', { class: 'place-combo' }, input, codeShown, list),
    value,
    status,
    drill,
    h('div', { class: 'field-hint', id: hintId }, hint || t('place.hint')),
    h('div', { class: 'field-error', id: errId, hidden: true }));

  let div = null;
  let home = '';
  let options = [];
  let active = -1;

  const ready = () => Promise.all([loadDivisions(), homeRegion()]).then(([d, hm]) => {
    div = d;
    home = hm;
    return d;
  });

  const current = () => (div ? findPlace(div, value.value) : null);

  function showValue() {
    const node = current();
    input.value = node ? node.label : value.value;
    codeShown.textContent = value.value;
    syncDrill(node);
  }

  function open(nodes) {
    options = nodes;
    active = nodes.length && input.value.trim() ? 0 : -1;
    replace(list, nodes.length
      ? nodes.map((n, i) => h('li', {
        id: `${id}-opt-${i}`, role: 'option', class: 'place-option', 'aria-selected': 'false',
        onmousedown: (e) => e.preventDefault(),  // keeps the focus in the input
        onclick: () => choose(n),
      }, h('span', { class: 'place-option-name' }, n.path.length > 1 ? n.path.slice(0, -1).map((p) => p.name).join('') : '', h('strong', null, n.name)),
      ' ', h('span', { class: 'place-code' }, n.stored)))
      : h('li', { class: 'place-empty', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' }, t('place.no_match')));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    status.textContent = t('place.results', { n: nodes.length });
    highlight();
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight() {
    [...list.children].forEach((li, i) => {
      const on = i === active && options.length > 0;
      li.classList.toggle('is-active', on);
      li.setAttribute('aria-selected', String(on));
      if (on) li.scrollIntoView({ block: 'nearest' });
    });
    if (active >= 0 && options.length) input.setAttribute('aria-activedescendant', `${id}-opt-${active}`);
    else input.removeAttribute('aria-activedescendant');
  }

  // Stores the place's code (null: none) and tells the form (draft, error marks) it changed.
  function setCode(code) {
    if (value.value === (code || '')) return;
    value.value = code || '';
    value.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function choose(node) {
    setCode(node ? node.stored : '');
    showValue();
    close();
  }

  const search = debounce(() => {
    if (!div || document.activeElement !== input) return;
    const q = input.value.trim();
    open(q ? searchPlaces(div, q, { near: home }) : nearbyPlaces(div, home));
  }, 60);

  input.addEventListener('focus', () => { ready().catch(() => { status.textContent = t('place.load_failed'); }); });
  input.addEventListener('input', () => ready().then(search, () => { status.textContent = t('place.load_failed'); }));
  input.addEventListener('keydown', (e) => {
    const isOpen = !list.hidden;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!isOpen) {
        ready().then(() => {
          const q = input.value.trim();
          const node = current();
          open(q && !(node && q === node.label) ? searchPlaces(div, q, { near: home }) : nearbyPlaces(div, home));
          active = options.length ? 0 : -1;
          highlight();
        }, () => {});
        return;
      }
      if (!options.length) return;
      active = e.key === 'ArrowDown' ? Math.min(active + 1, options.length - 1) : Math.max(active - 1, 0);
      highlight();
    } else if (e.key === 'Enter' && isOpen) {
      e.preventDefault();
      if (active >= 0 && options[active]) choose(options[active]);
      else close();
    } else if (e.key === 'Tab' && isOpen) {
      if (active >= 0 && options[active]) choose(options[active]);
      else close();
    } else if (e.key === 'Escape' && isOpen) {
      e.preventDefault();
      e.stopPropagation();
      close();
      showValue();
    }
  });
  input.addEventListener('blur', () => {
    search.cancel();
    close();
    if (!input.value.trim()) setCode('');
    showValue();
  });

  // ----- the drill: one select per level below what the previous one chose -----
  function fillSelect(d, nodes, chosen) {
    d.nodes = nodes;
    d.box.hidden = !nodes.length;
    if (!nodes.length) return;
    d.lab.textContent = t(LEVEL_KEYS[nodes[0].level]);
    replace(d.select, h('option', { value: '' }, t('place.choose')),
      nodes.map((n, i) => h('option', { value: String(i), selected: n === chosen }, n.name)));
  }

  function syncDrill(node) {
    if (!div) {
      for (const d of drillSelects) d.box.hidden = d.n > 1;
      return;
    }
    const chain = node ? node.path : [];
    let parent = null;
    for (const d of drillSelects) {
      const nodes = d.n === 1 || parent ? choices(div, parent) : [];
      const chosen = chain.find((c) => nodes.includes(c)) || null;
      fillSelect(d, nodes, chosen);
      parent = chosen;
    }
  }

  for (const d of drillSelects) {
    d.select.addEventListener('change', () => {
      const i = d.select.value === '' ? -1 : Number(d.select.value);
      const node = i >= 0 ? d.nodes[i] : (d.n > 1 ? drillSelects[d.n - 2].nodes[Number(drillSelects[d.n - 2].select.value)] : null);
      setCode(node ? node.stored : '');
      showValue();
    });
  }
  drill.addEventListener('toggle', () => { if (drill.open) ready().then(() => syncDrill(current()), () => {}); });
  syncDrill(null);

  wrapper.control = input;
  // Shows the stored code's place again after the form was filled (a draft restored, a reset).
  wrapper.refresh = () => {
    close();
    showValue();
    if (value.value && !div) ready().then(showValue, () => {});
  };
  return wrapper;
}

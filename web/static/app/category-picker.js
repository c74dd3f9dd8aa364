// Two-level category picker with search. The second-level options are radio buttons named like the
// form path they fill (data-path), so they are saved with the draft and reachable by keyboard:
// type in the search box, ↓ to the first match, arrows to move, Space to choose, or Enter in the
// search box to take the first match.
import { h, uid } from './dom.js';
import { t, getLang } from './i18n.js';
import { categoryPath } from './reference.js';

function name(c) {
  return getLang() === 'en' ? c.name_en : c.name_zh;
}

// True when every character of the query appears in order in the text ("家暴" matches 家庭暴力).
function fuzzy(text, query) {
  let i = 0;
  for (const ch of text) if (ch === query[i]) i += 1;
  return i === query.length;
}

export function categoryPicker({ categories, path = 'category', onChange }) {
  const listId = uid('cat-list');
  const parents = categories.filter((c) => !c.parent_code);
  const search = h('input', {
    type: 'search',
    class: 'input catpick-search',
    placeholder: t('category.search_placeholder'),
    'aria-label': t('category.search_label'),
    'aria-controls': listId,
    autocomplete: 'off',
    dataset: { skipDraft: '1' },
  });
  const chosen = h('div', { class: 'catpick-chosen', 'aria-live': 'polite' });
  const list = h('div', { class: 'catpick-list', id: listId, role: 'radiogroup', 'aria-label': t('category.label') });
  const empty = h('p', { class: 'muted catpick-empty', hidden: true }, t('category.no_match'));
  const groups = [];
  for (const p of parents) {
    const children = categories.filter((c) => c.parent_code === p.code);
    if (!children.length) continue;
    const options = children.map((c) => {
      const input = h('input', { type: 'radio', name: `${path}-${listId}`, value: c.code, dataset: { path } });
      const opt = h('label', { class: 'catpick-option' }, input, h('span', null, name(c)));
      return { c, input, opt, haystack: `${c.name_zh} ${c.name_en.toLowerCase()} ${c.code} ${p.name_zh} ${p.name_en.toLowerCase()}` };
    });
    const box = h('div', { class: 'catpick-group', role: 'group', 'aria-label': name(p) },
      h('div', { class: 'catpick-group-title' }, name(p)),
      h('div', { class: 'catpick-options' }, options.map((o) => o.opt)));
    groups.push({ p, box, options });
    list.append(box);
  }

  function showChosen() {
    const sel = list.querySelector('input:checked');
    chosen.textContent = sel ? t('category.chosen', { name: categoryPath(categories, sel.value) }) : t('category.none_chosen');
    chosen.classList.toggle('is-empty', !sel);
    for (const g of groups) for (const o of g.options) o.opt.classList.toggle('is-checked', o.input.checked);
  }

  function filter() {
    const q = search.value.trim().toLowerCase();
    let visible = 0;
    for (const g of groups) {
      let any = false;
      for (const o of g.options) {
        const hit = !q || o.haystack.includes(q) || fuzzy(o.haystack, q);
        o.opt.hidden = !hit;
        if (hit) any = true, (visible += 1);
      }
      g.box.hidden = !any;
    }
    empty.hidden = visible > 0;
  }

  function firstVisible() {
    return [...list.querySelectorAll('input[type=radio]')].find((i) => !i.closest('[hidden]'));
  }

  search.addEventListener('input', filter);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.ctrlKey) {
      e.preventDefault();
      const f = firstVisible();
      if (f) {
        f.checked = true;
        f.dispatchEvent(new Event('change', { bubbles: true }));
        f.focus();
      }
    } else if (e.key === 'ArrowDown') {
      const checked = list.querySelector('input:checked');
      const target = checked && !checked.closest('[hidden]') ? checked : firstVisible();
      if (target) {
        e.preventDefault();
        target.focus();
      }
    }
  });
  list.addEventListener('change', () => {
    showChosen();
    if (onChange) onChange(list.querySelector('input:checked')?.value || '');
  });

  const el = h('div', { class: 'catpick' }, h('div', { class: 'catpick-head' }, search, chosen), list, empty);
  return {
    el,
    focus: () => search.focus(),
    // The form was filled anew (a new call, a restored draft): the search text is not part of the
    // draft and belongs to the last call, so it goes.
    refresh: () => {
      search.value = '';
      filter();
      showChosen();
    },
  };
}

// The user menu in the top bar: her name opens it (修改密码 for now; the place for whatever else
// concerns her own account). A disclosure menu: Enter/Space/↓ open it on the first item, Esc or a
// click elsewhere closes it and gives the focus back to the name.
import { h } from './dom.js';
import { t } from './i18n.js';

// items: [{ id, text, onSelect }]
export function userMenu(user, items) {
  const list = h('div', { class: 'user-menu', role: 'menu', hidden: true });
  const button = h('button', { type: 'button', class: 'user-menu-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', title: t('usermenu.label') },
    h('span', { class: 'user-name' }, user.display_name), h('span', { class: 'user-menu-caret', 'aria-hidden': 'true' }, '▾'));
  const entries = items.map((i) => h('button', { type: 'button', role: 'menuitem', id: i.id, class: 'user-menu-item', tabindex: '-1',
    onclick: () => { close(false); i.onSelect(); } }, i.text));
  list.append(...entries);
  const onDocClick = (e) => { if (!wrap.contains(e.target)) close(false); };
  function open() {
    list.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    entries[0]?.focus();
    document.addEventListener('mousedown', onDocClick);
  }
  function close(refocus) {
    if (list.hidden) return;
    list.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('mousedown', onDocClick);
    if (refocus) button.focus();
  }
  button.addEventListener('click', () => (list.hidden ? open() : close(true)));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); open(); }
  });
  list.addEventListener('keydown', (e) => {
    const at = entries.indexOf(document.activeElement);
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); entries[(at + 1) % entries.length].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); entries[(at - 1 + entries.length) % entries.length].focus(); }
    else if (e.key === 'Tab') close(false);
  });
  const wrap = h('div', { class: 'user-menu-wrap' }, button, list);
  return wrap;
}

// A long text shown folded (issue #15: a long narrative pushed the case page's sections far down):
// the first lines, then 展开全文 / 收起. The button is there only when the text is longer than the
// fold (measured once it is on the page), and says its state with aria-expanded.
import { h, uid } from '../dom.js';
import { t } from '../i18n.js';

// text: the string; className: the text block's class (its look). Returns the element to insert.
export function foldedText(text, { className }) {
  const id = uid('folded');
  const body = h('div', { class: [className, 'is-folded'], id }, text);
  const button = h('button', { type: 'button', class: 'btn btn-small btn-ghost fold-toggle', 'aria-expanded': 'false', 'aria-controls': id, hidden: true,
    onclick: () => {
      const open = button.getAttribute('aria-expanded') !== 'true';
      body.classList.toggle('is-folded', !open);
      button.setAttribute('aria-expanded', String(open));
      button.textContent = open ? t('case.fold') : t('case.unfold');
    } }, t('case.unfold'));
  // After layout: unfold for good when the whole text fits in the fold anyway.
  requestAnimationFrame(() => {
    if (!body.isConnected) return;
    if (body.scrollHeight > body.clientHeight + 2) button.hidden = false;
    else body.classList.remove('is-folded');
  });
  return h('div', { class: 'folded-text' }, body, button);
}

// A file chooser that also takes files dropped on it (case attachments, the ledger import): a
// visually hidden <input type=file> with its label, the line "drop here or [choose]", a hint, and
// whatever `extra` the caller adds below. The zone is marked is-over while files are dragged over it.
import { h } from './dom.js';

// input: the file input's attributes (id required; accept, multiple, tabindex …). onFiles(File[])
// gets what was chosen or dropped. Returns {zone, input, pick} (pick: the "choose" button).
export function dropZone({ className, input: inputAttrs, label, dropText, chooseLabel, hintId, hint, extra, onFiles }) {
  const input = h('input', { type: 'file', class: 'sr-only', ...inputAttrs, 'aria-describedby': hintId });
  const pick = h('button', { type: 'button', class: 'btn btn-small', onclick: () => input.click() }, chooseLabel);
  const zone = h('div', { class: ['dropzone', className] },
    h('label', { for: inputAttrs.id, class: 'sr-only' }, label), input,
    h('p', { class: 'dropzone-text' }, h('span', { class: 'dropzone-icon', 'aria-hidden': 'true' }, '⇪'), dropText, ' ', pick),
    h('p', { class: 'field-hint', id: hintId }, hint),
    extra);

  input.addEventListener('change', () => {
    const files = [...(input.files || [])];
    input.value = ''; // choosing the same file again is a new choice
    onFiles(files);
  });
  // dragenter/dragleave also fire for the zone's children: count them so the mark stays while inside.
  let depth = 0;
  zone.addEventListener('dragenter', (e) => { e.preventDefault(); depth += 1; zone.classList.add('is-over'); });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
  zone.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) zone.classList.remove('is-over'); });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('is-over');
    onFiles([...((e.dataTransfer && e.dataTransfer.files) || [])]);
  });
  return { zone, input, pick };
}

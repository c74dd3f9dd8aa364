// Placeholder until the view is written (see the session's work on issue #7).
import { h, replace } from '../dom.js';

export default async function view(root) {
  replace(root, h('p', { class: 'muted' }, '…'));
}

// 附件 on the case page: the list (name, size, who, when, download) and uploads by button or by
// dropping files on the card. Each file is POSTed raw to /api/v1/cases/{id}/attachments with its
// type and its name (X-Filename, percent-encoded); progress and refusals are shown per file.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { fmtDateTime, fmtSize } from '../format.js';
import { errorMessage, fieldMessage } from '../errors.js';
import { dropZone } from '../drop-zone.js';

export const MAX_BYTES = 10 * 1024 * 1024;
// The server's allow-list, by file extension (a browser may not know the type of a .docx).
const TYPES = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  txt: 'text/plain',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};
const ALLOWED = new Set(Object.values(TYPES));

// The content type to declare for a file, or null when the server would refuse it.
export function fileType(file) {
  const declared = String(file.type || '').split(';')[0].trim().toLowerCase();
  if (ALLOWED.has(declared)) return declared;
  const ext = /\.([a-z0-9]+)$/i.exec(file.name || '');
  const byExt = ext ? TYPES[ext[1].toLowerCase()] : null;
  if (byExt && (!declared || declared === 'application/octet-stream')) return byExt;
  return null;
}

function uploadError(e) {
  if (e.status === 413 || e.code === 'payload_too_large') return t('att.too_large');
  const f = (e.status === 422 && e.fields) || {};
  if (f.content_type) return /contents are not|match/i.test(String(f.content_type)) ? t('att.mismatch') : t('att.bad_type');
  if (f.file) return t('att.empty_file');
  if (f.filename) return t('att.bad_name', { message: fieldMessage(f.filename) });
  return errorMessage(e);
}

// caseId; onUploaded(attachment) after each upload the server confirmed.
export function attachmentsCard({ caseId, onUploaded, readOnly = false }) {
  const tbody = h('tbody');
  const table = h('table', { class: 'table table-compact att-table', hidden: true },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('att.col_name')), h('th', { scope: 'col', class: 'num' }, t('att.col_size')),
      h('th', { scope: 'col' }, t('att.col_by')), h('th', { scope: 'col' }, t('att.col_at')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('att.download'))))),
    tbody);
  const empty = h('p', { class: 'muted att-empty' }, t('att.empty'));
  const listError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const statusList = h('ul', { class: 'att-uploads', 'aria-live': 'polite' });
  const { zone } = dropZone({
    input: { id: 'att-file', tabindex: '-1', multiple: true, accept: Object.keys(TYPES).map((x) => `.${x}`).join(',') },
    label: t('case.attach_file'), dropText: t('att.drop_here'), chooseLabel: t('att.choose'), hintId: 'att-hint', hint: t('att.hint'),
    onFiles: (files) => uploadAll(files),
  });
  const el = h('section', { class: 'card attachments', 'aria-labelledby': 'att-title' },
    h('h2', { class: 'card-title', id: 'att-title' }, t('case.attachments')),
    listError, table, empty, readOnly ? null : zone, statusList);

  async function uploadAll(files) {
    for (const f of files) await uploadOne(f);
  }

  async function uploadOne(file) {
    const bar = h('progress', { max: 100, value: 0 });
    const msg = h('span', { class: 'att-msg' }, t('att.uploading', { pct: 0 }));
    const item = h('li', { class: 'att-upload' }, h('span', { class: 'att-upname' }, file.name), bar, msg);
    statusList.prepend(item);
    const fail = (text) => {
      item.classList.add('is-error');
      bar.remove();
      replace(msg, text);
      msg.setAttribute('role', 'alert');
    };
    const type = fileType(file);
    if (!type) return fail(t('att.bad_type'));
    if (file.size > MAX_BYTES) return fail(t('att.too_large'));
    if (file.size === 0) return fail(t('att.empty_file'));
    try {
      const att = await api.upload(`/api/v1/cases/${caseId}/attachments`, file, {
        contentType: type,
        headers: { 'X-Filename': encodeURIComponent(file.name) },
        onProgress: (p) => {
          bar.value = Math.round(p * 100);
          replace(msg, t('att.uploading', { pct: Math.round(p * 100) }));
        },
      });
      item.classList.add('is-done');
      bar.remove();
      replace(msg, t('att.uploaded'));
      setTimeout(() => item.remove(), 8000);
      await load();
      if (onUploaded) await onUploaded(att);
    } catch (e) {
      fail(uploadError(e));
    }
    return undefined;
  }

  function row(a) {
    const href = `/api/v1/attachments/${a.id}`;
    return h('tr', { dataset: { attachment: String(a.id) } },
      h('td', { class: 'att-name' }, h('a', { href, download: a.filename }, a.filename)),
      h('td', { class: 'num nowrap' }, fmtSize(a.size)),
      h('td', null, a.uploaded_by ? a.uploaded_by.display_name : '—'),
      h('td', { class: 'nowrap' }, fmtDateTime(a.uploaded_at)),
      h('td', null, h('a', { href, download: a.filename, class: 'btn btn-small btn-ghost', 'aria-label': t('att.download_named', { name: a.filename }) }, t('att.download'))));
  }

  async function load() {
    try {
      const res = await api.get(`/api/v1/cases/${caseId}/attachments`);
      const items = res.items || [];
      listError.hidden = true;
      replace(tbody, items.map(row));
      table.hidden = items.length === 0;
      empty.hidden = items.length > 0;
    } catch (e) {
      listError.textContent = errorMessage(e);
      listError.hidden = false;
    }
  }

  return { el, load };
}

// 导入合作单位 — CSV import of the partner directory (POST /api/v1/partners/import, the file as the
// raw body, ≤ 2 MiB). The answer lists how many rows were read and created and every rejected line
// with its reason; the server explains reasons in English, the common ones are translated here.
import { h, replace } from '../dom.js';
import { t, has } from '../i18n.js';
import * as api from '../api.js';
import { fmtSize } from '../format.js';
import { errorMessage } from '../errors.js';
import { partnerFieldMessage } from './admin-partners.js';

const MAX_BYTES = 2 * 1024 * 1024;
const FIELD_KEYS = { name: 'pd.name', type: 'pd.type', region_codes: 'pd.region_codes', services: 'pd.services', phone: 'pd.phone',
  contact_person: 'pd.contact_person', working_hours: 'pd.working_hours', active: 'pd.active_label' };

// "the partner cannot be created; type: unknown partner type; region_codes: six-digit region codes"
// → "类型：未知的单位类型；辖区：…". Anything not understood is shown as the server wrote it.
export function importReason(reason) {
  const parts = String(reason || '').split('; ');
  const head = parts.shift();
  const fields = parts.map((p) => {
    const m = /^(\w+): (.*)$/.exec(p);
    if (!m) return p;
    const name = FIELD_KEYS[m[1]] && has(FIELD_KEYS[m[1]]) ? t(FIELD_KEYS[m[1]]) : m[1];
    return `${name}${t('common.colon')}${partnerFieldMessage(m[2]).replace(/[。.]$/, '')}`;
  });
  if (fields.length) return fields.join(t('pd.reason_sep'));
  return head || '—';
}

export function partnerImport({ onImported }) {
  const input = h('input', { type: 'file', id: 'pd-import-file', class: 'input pd-file', accept: '.csv,text/csv' });
  const fileInfo = h('span', { class: 'muted small' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-small', disabled: true }, t('pd.import_submit'));
  const result = h('div', { class: 'pd-import-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'pd-import-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { class: 'field-label', for: 'pd-import-file' }, t('pd.import_file')),
      h('div', { class: 'pd-file-row' }, input, submit),
      fileInfo));
  const el = h('section', { class: 'card pd-import', 'aria-labelledby': 'pd-import-title' },
    h('h2', { class: 'card-title', id: 'pd-import-title' }, t('pd.import_title')),
    h('p', { class: 'muted small' }, t('pd.import_intro')),
    h('p', { class: 'small pd-import-header' }, h('span', { class: 'muted' }, t('pd.import_header')), ' ',
      h('code', null, '名称,类型,辖区,服务,电话,联系人,办公时间,启用')),
    form, result);

  input.addEventListener('change', () => {
    const f = input.files && input.files[0];
    replace(result);
    if (!f) {
      fileInfo.textContent = '';
      submit.disabled = true;
      return;
    }
    fileInfo.textContent = `${f.name} · ${fmtSize(f.size)}`;
    submit.disabled = f.size > MAX_BYTES;
    if (f.size > MAX_BYTES) replace(result, h('div', { class: 'alert alert-error', role: 'alert' }, t('pd.import_too_large')));
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = input.files && input.files[0];
    if (!f || submit.disabled) return;
    submit.disabled = true;
    replace(result, h('p', { class: 'muted' }, t('pd.import_busy')));
    try {
      const r = await api.upload('/api/v1/partners/import', f, { contentType: 'text/csv; charset=utf-8' });
      const rejected = r.rejected || [];
      replace(result,
        h('div', { class: ['alert', rejected.length ? 'alert-warn' : 'alert-success'], role: 'status' },
          t('pd.import_done', { rows: r.rows, imported: r.imported, updated: r.updated || 0, rejected: rejected.length })),
        rejected.length ? h('table', { class: 'table table-compact pd-rejected' },
          h('caption', { class: 'pd-rejected-caption' }, t('pd.import_rejected')),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('pd.import_line')), h('th', { scope: 'col' }, t('pd.import_reason')))),
          h('tbody', null, rejected.map((x) => h('tr', { dataset: { line: String(x.line) } },
            h('td', { class: 'num nowrap' }, t('pd.import_line_n', { n: x.line })),
            h('td', null, importReason(x.reason), h('div', { class: 'muted small pd-raw-reason' }, x.reason)))))) : null);
      input.value = '';
      fileInfo.textContent = '';
      if ((r.imported || r.updated) && onImported) await onImported(r);
    } catch (err) {
      const detail = err.fields && err.fields.file ? ` (${err.fields.file})` : '';
      replace(result, h('div', { class: 'alert alert-error', role: 'alert' },
        err.status === 422 ? t('pd.import_unreadable', { message: `${err.message}${detail}` }) : errorMessage(err)));
      submit.disabled = false;
    }
  });

  return { el };
}

// 台账导入 (supervisor): a legacy ledger CSV becomes contacts and cases of the chosen office. The file
// is POSTed raw to /api/v1/imports?office_id= with XMLHttpRequest (api.upload) for the upload
// progress; then the server parses and writes it in batches ("processing…"); the result lists the
// counts, every rejected line with its reason (translated where the reason is a known one) and
// the columns that were ignored. 413 and 422 (fields.file) are explained. Before the import, a dry
// run (?dry_run=true) shows which column holds which field; the user can map the columns the server
// did not recognise (or leave one out), and the import then sends that map (?map={header: field}).
// The dry run also lists, before anything is written, every rejected row with its reason and every
// duplicate (a row the office already has, with the case it duplicates); both lists come with a
// download of those rows as the server wrote them (rejected_csv: the file's columns plus 原因, the
// reasons put in the desk's language), to fix and import again.
import { h, replace } from '../dom.js';
import { t, getLang } from '../i18n.js';
import * as api from '../api.js';
import { loadOffices } from '../reference.js';
import { fmtSize } from '../format.js';
import { errorMessage } from '../errors.js';
import { dropZone } from '../drop-zone.js';
import { ownSubtree, officeSelect, fmtInt } from './sup-common.js';

export const MAX_BYTES = 10 * 1024 * 1024;
const FIELDS = ['received_at', 'channel', 'category', 'summary', 'name', 'phone', 'id_number', 'handling', 'status', 'closed_at', 'persons', 'losses_avoided_yuan',
  'losses_recovered_yuan', 'consultation_kind'];

const REQUIRED = [
  ['登记日期', '日期、来电日期、来访日期、接待日期、受理日期、received_at'],
  ['来源', '来源渠道、渠道、反映渠道、channel'],
  ['问题类别', '问题类型、类别、category'],
  ['诉求', '主要诉求、反映问题、问题摘要、摘要、summary'],
];
const OPTIONAL = [
  ['姓名', '当事人、来访人、求助人、name'],
  ['电话', '联系电话、手机、手机号、phone'],
  ['身份证号', '身份证号码、证件号码、id_number'],
  ['处理情况', '处理结果、办理情况、handling'],
  ['状态', '办理状态、status'],
  ['办结日期', '结案日期、closed_at'],
  ['人数', '来访人数、persons'],
  ['避免经济损失（元）', '避免经济损失、避免损失、losses_avoided_yuan'],
  ['挽回经济损失（元）', '挽回经济损失、挽回损失、losses_recovered_yuan'],
  ['咨询类别', '咨询类型、consultation_kind'],
];

// The server names row problems in English around the Chinese column names; the common ones are
// shown in Chinese. Unknown ones keep the server's words.
const REASONS = [
  [/^(.+?) is empty$/, (m) => t('sup.i_r_empty', { col: m[1] })],
  [/^(.+?) "(.*)" is not a date/, (m) => t('sup.i_r_not_date', { col: m[1], value: m[2] })],
  [/^(.+?) (.+) is in the future$/, (m) => t('sup.i_r_future', { col: m[1], value: m[2] })],
  [/^(.+?) (.+) is before 1990$/, (m) => t('sup.i_r_before_1990', { col: m[1], value: m[2] })],
  [/^来源 "(.*)" is not a known channel/, (m) => t('sup.i_r_channel', { value: m[1] })],
  [/^问题类别 "(.*)" is not a second-level category/, (m) => t('sup.i_r_category', { value: m[1] })],
  [/^(.+?) is too long \(at most (\d+) bytes\)/, (m) => t('sup.i_r_too_long', { col: m[1], n: Math.floor(Number(m[2]) / 3) })],
  [/^电话 "(.*)" is not a phone number/, (m) => t('sup.i_r_phone', { value: m[1] })],
  [/^身份证号 "(.*)": not a valid resident ID number/, (m) => t('sup.i_r_id_invalid', { value: m[1] })],
  [/^身份证号 "(.*)": its birth date is in the future/, (m) => t('sup.i_r_id_future', { value: m[1] })],
  [/^状态 "(.*)" cannot be imported/, (m) => t('sup.i_r_status', { value: m[1] })],
  [/^办结日期 is given but the row is not closed/, () => t('sup.i_r_closed_not_closed')],
  [/^办结日期 (.+) is before 登记日期/, (m) => t('sup.i_r_closed_before', { value: m[1] })],
  [/^人数 "(.*)" must be a whole number/, (m) => t('sup.i_r_persons', { value: m[1] })],
  [/is not an amount in yuan/, () => t('sup.i_r_money')],
  [/^more fields than the header/, () => t('sup.i_r_more_fields')],
  [/^咨询类别 "(.*)" is not a kind of consultation/, (m) => t('sup.i_r_consultation_kind', { value: m[1] })],
  [/^a consultation answered on the spot \(咨询类别\) opens no case/, () => t('sup.i_r_consultation_status')],
  [/^a consultation answered on the spot \(咨询类别\) has no/, () => t('sup.i_r_consultation_case_columns')],
  [/^batch not imported/, () => t('sup.i_r_batch')],
  [/^duplicate: this row was imported before as case (.+)$/, (m) => t('sup.i_r_dup_row', { case_no: m[1] })],
  [/^duplicate: the same person .* as case (.+)$/, (m) => t('sup.i_r_dup_person', { case_no: m[1] })],
  [/^duplicate: this row was imported before as a consultation/, () => t('sup.i_dup_row')],
  [/^duplicate: the same person .* as a consultation/, () => t('sup.i_dup_person')],
];

export function reasonText(reason) {
  if (getLang() === 'en') return reason;
  return String(reason || '').split(/;\s+/).map((part) => {
    for (const [re, fn] of REASONS) {
      const m = re.exec(part);
      if (m) return fn(m);
    }
    return part;
  }).join(t('common.semicolon'));
}

// The server's rows-not-imported CSV with its last column (原因) in the desk's language: the file is
// read back (RFC 4180) and written again, quoting as needed; its cells are left as the server wrote
// them (formula-escaped there), only the reason, a catalogue text, changes.
export function localiseReasons(csv) {
  if (getLang() === 'en') return csv;
  const rows = [];
  let row = [];
  let f = '';
  let quoted = false;
  const text = csv.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') f += c;
      else if (text[i + 1] === '"') { f += '"'; i += 1; } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(f); f = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i += 1; } else f += c;
  }
  const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\uFEFF${rows.map((r, n) => r.map((v, i) => cell(n > 0 && i === r.length - 1 ? reasonText(v) : v)).join(',')).join('\r\n')}\r\n`;
}

function fileProblem(e) {
  if (e.status === 413 || e.code === 'payload_too_large') return t('sup.i_too_large');
  const f = (e.status === 422 && e.fields && e.fields.file) || '';
  if (!f) return e.status === 404 ? t('sup.i_no_office') : errorMessage(e);
  let m;
  if (/not UTF-8/.test(f)) return t('sup.i_not_utf8');
  if (/no header row/.test(f)) return t('sup.i_empty_file');
  if ((m = /the header has no (.+) column/.exec(f))) return t('sup.i_missing_columns', { cols: m[1].replace(/"/g, '').split(/,\s*/).join('、') });
  if ((m = /unterminated quoted field at line (\d+)/.exec(f))) return t('sup.i_unclosed_quote', { line: m[1] });
  if ((m = /column "(.*)" duplicates/.exec(f))) return t('sup.i_duplicate_column', { col: m[1] });
  return t('sup.i_unreadable', { message: f });
}

export default async function ledgerImportView(root, ctx) {
  const offices = ownSubtree(await loadOffices(), ctx.user.office_id);
  if (!ctx.alive()) return undefined;

  const officeSel = officeSelect({ id: 'imp-office', offices, value: ctx.user.office_id });
  const chosenLine = h('p', { class: 'imp-chosen', hidden: true });
  const { zone, pick } = dropZone({
    className: 'imp-dropzone',
    input: { id: 'imp-file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    label: t('sup.i_file'), dropText: t('sup.i_drop_here'), chooseLabel: t('sup.i_choose'), hintId: 'imp-file-hint', hint: t('sup.i_file_hint'),
    extra: chosenLine,
    onFiles: (files) => {
      if (files.length > 1) showError(t('sup.i_one_file'));
      else choose(files[0]);
    },
  });
  const start = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, t('sup.i_start'));
  const bar = h('progress', { class: 'imp-progress', max: 100, value: 0, 'aria-labelledby': 'imp-progress-label' });
  const barLabel = h('span', { id: 'imp-progress-label', class: 'imp-progress-label' });
  const progress = h('div', { class: 'imp-progress-box', hidden: true, role: 'status', 'aria-live': 'polite' }, barLabel, bar);
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  const result = h('section', { class: 'card imp-result', hidden: true, 'aria-labelledby': 'imp-result-title', tabindex: '-1' });

  const mapBox = h('div', { class: 'imp-map', hidden: true, 'aria-live': 'polite' });
  const form = h('form', { class: 'card imp-form', novalidate: true, 'aria-labelledby': 'imp-form-title' },
    h('h2', { class: 'card-title', id: 'imp-form-title' }, t('sup.i_upload_title')),
    h('div', { class: 'field imp-office' }, h('label', { for: 'imp-office', class: 'field-label' }, t('sup.i_office')), officeSel,
      h('div', { class: 'field-hint' }, t('sup.i_office_hint'))),
    zone,
    mapBox,
    h('div', { class: 'form-actions imp-actions' }, start),
    progress, errorBox);

  const colRow = ([name, aliases], required) => h('tr', null,
    h('th', { scope: 'row', class: 'nowrap' }, name, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('td', null, required ? t('sup.i_required') : t('sup.i_optional')),
    h('td', { class: 'small muted' }, aliases));
  const help = h('section', { class: 'card imp-help', 'aria-labelledby': 'imp-help-title' },
    h('h2', { class: 'card-title', id: 'imp-help-title' }, t('sup.i_help_title')),
    h('p', null, t('sup.i_help_intro')),
    h('table', { class: 'table table-compact imp-columns' },
      h('caption', { class: 'sr-only' }, t('sup.i_help_title')),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('sup.i_col_column')), h('th', { scope: 'col' }, t('sup.i_col_needed')), h('th', { scope: 'col' }, t('sup.i_col_aliases')))),
      h('tbody', null, REQUIRED.map((c) => colRow(c, true)), OPTIONAL.map((c) => colRow(c, false)))),
    h('ul', { class: 'imp-rules' },
      ['i_rule_channels', 'i_rule_category', 'i_rule_status', 'i_rule_consultation', 'i_rule_numbers', 'i_rule_dates', 'i_rule_encoding', 'i_rule_rows',
        'i_rule_duplicates', 'i_rule_size'].map((k) => h('li', null, t(`sup.${k}`)))));

  replace(root, h('div', { class: 'sup-page import-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('sup.i_title'))),
    h('div', { class: 'imp-columns-layout' },
      h('div', { class: 'imp-main' }, form, result),
      help)));

  let file = null;
  let busy = false;
  let columnMap = null; // {header: field} once the user changed a column, else null (names decide)
  let previewSeq = 0;
  let downloadUrl = null; // the object URL of the rows-not-imported file on screen, revoked when replaced

  // The rejected rows and the duplicates (pre-check or result), with the download of both.
  function rowLists(r, precheck) {
    const rejected = r.rejected || [];
    const duplicates = r.duplicates || [];
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = null;
    let download = null;
    if (r.rejected_csv) {
      downloadUrl = URL.createObjectURL(new Blob([localiseReasons(r.rejected_csv)], { type: 'text/csv;charset=utf-8' }));
      const base = String(file ? file.name : 'ledger').replace(/\.(csv|xlsx)$/i, '');
      download = h('p', { class: 'imp-download' },
        h('a', { href: downloadUrl, download: t('sup.i_rejected_file', { name: base }), class: 'btn btn-small', id: 'imp-download-rejected' },
          t('sup.i_download_rejected')),
        ' ', h('span', { class: 'small muted' }, t('sup.i_download_hint')));
    }
    const lineCell = (x) => h('td', { class: 'num' }, String(x.line));
    const rejectedBox = rejected.length
      ? h('div', { class: 'imp-rejected' },
        h('h3', { class: 'subhead' }, t(precheck ? 'sup.i_precheck_rejected_title' : 'sup.i_rejected_title', { n: rejected.length })),
        h('p', { class: 'small muted' }, t('sup.i_rejected_hint')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact imp-rejected-table' },
          h('caption', { class: 'sr-only' }, t('sup.i_rejected_title', { n: rejected.length })),
          h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, t('sup.i_col_line')), h('th', { scope: 'col' }, t('sup.i_col_reason')))),
          h('tbody', null, rejected.map((x) => h('tr', { dataset: { line: String(x.line) } }, lineCell(x), h('td', { title: x.reason }, reasonText(x.reason))))))))
      : null;
    const dupBox = duplicates.length
      ? h('div', { class: 'imp-rejected imp-duplicates' },
        h('h3', { class: 'subhead' }, t('sup.i_dup_title', { n: duplicates.length })),
        h('p', { class: 'small muted' }, t('sup.i_dup_hint')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact imp-rejected-table imp-dup-table' },
          h('caption', { class: 'sr-only' }, t('sup.i_dup_title', { n: duplicates.length })),
          h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, t('sup.i_col_line')), h('th', { scope: 'col' }, t('sup.i_col_case')),
            h('th', { scope: 'col' }, t('sup.i_col_reason')))),
          h('tbody', null, duplicates.map((x) => h('tr', { dataset: { line: String(x.line) } }, lineCell(x),
            h('td', { class: 'nowrap' }, x.case_no || t('sup.i_dup_no_case')),
            h('td', { title: x.reason }, getLang() === 'en' ? x.reason : t(x.match === 'row' ? 'sup.i_dup_row' : 'sup.i_dup_person'))))))))
      : null;
    return [rejectedBox, dupBox, download];
  }

  // The dry run: which column holds which field, what is missing, how many rows would go in.
  async function preview() {
    const seq = ++previewSeq;
    mapBox.hidden = false;
    replace(mapBox, h('p', { class: 'muted' }, t('sup.i_map_checking')));
    try {
      const r = await api.upload(`/api/v1/imports${api.qs({ office_id: officeSel.value, dry_run: 'true', map: columnMap ? JSON.stringify(columnMap) : '' })}`, file, {
        contentType: /\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
      });
      if (seq !== previewSeq || !ctx.alive()) return;
      renderMap(r);
    } catch (err) {
      if (seq !== previewSeq || !ctx.alive()) return;
      mapBox.hidden = true;
      showError(fileProblem(err));
      start.disabled = true;
    }
  }

  function renderMap(r) {
    const fieldLabel = (f) => t(`sup.i_field_${f}`);
    const selects = r.columns.map((c, i) => {
      const sel = h('select', { class: 'input input-small', id: `imp-map-${i}`, dataset: { header: c.header } },
        h('option', { value: '' }, t('sup.i_map_skip')),
        FIELDS.map((f) => h('option', { value: f, selected: c.field === f }, fieldLabel(f))));
      sel.addEventListener('change', () => {
        columnMap = {};
        for (const s2 of mapBox.querySelectorAll('select[data-header]')) columnMap[s2.dataset.header] = s2.value;
        preview();
      });
      return h('tr', { class: c.field ? null : 'is-unmapped' },
        h('th', { scope: 'row' }, h('label', { for: `imp-map-${i}` }, h('code', { class: 'imp-col-name' }, c.header))), h('td', null, sel));
    });
    const missing = r.missing || [];
    const summary = missing.length
      ? h('div', { class: 'alert alert-warn', id: 'imp-map-missing' }, t('sup.i_map_missing', { fields: missing.map(fieldLabel).join('、') }))
      : h('div', { class: 'alert alert-info', id: 'imp-map-ready' }, t('sup.i_map_ready', {
        rows: fmtInt(r.rows), valid: fmtInt(r.valid ?? 0), rejected: fmtInt((r.rejected || []).length), duplicates: fmtInt((r.duplicates || []).length),
      }));
    replace(mapBox,
      h('h3', { class: 'subhead' }, t('sup.i_map_title')),
      h('p', { class: 'small muted' }, t('sup.i_map_hint')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact imp-map-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('sup.i_map_col_header')), h('th', { scope: 'col' }, t('sup.i_map_col_field')))),
        h('tbody', null, selects))),
      summary,
      missing.length ? null : rowLists(r, true));
    start.disabled = busy || missing.length > 0;
  }

  function choose(f) {
    if (busy || !f) return;
    file = f;
    columnMap = null;
    errorBox.hidden = true;
    result.hidden = true; // the last file's result would read as this one's
    replace(chosenLine, h('span', { class: 'imp-file-icon', 'aria-hidden': 'true' }, '▤'), ' ', h('strong', null, f.name), ' ', h('span', { class: 'muted' }, `(${fmtSize(f.size)})`));
    chosenLine.hidden = false;
    start.disabled = false;
    if (f.size > MAX_BYTES) {
      showError(t('sup.i_too_large'));
      start.disabled = true;
      mapBox.hidden = true;
    } else if (!/\.(csv|xlsx)$/i.test(f.name) && !/csv|text\/plain|spreadsheetml/.test(f.type || '')) {
      showError(t('sup.i_not_csv'));
      start.disabled = true;
      mapBox.hidden = true;
    } else {
      start.disabled = true; // until the dry run says the required columns are there
      preview();
    }
  }
  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file || busy) return;
    if (file.size > MAX_BYTES) {
      showError(t('sup.i_too_large'));
      return;
    }
    busy = true;
    start.disabled = true;
    pick.disabled = true;
    officeSel.disabled = true;
    errorBox.hidden = true;
    result.hidden = true;
    progress.hidden = false;
    progress.classList.remove('is-processing');
    bar.value = 0;
    barLabel.textContent = t('sup.i_uploading', { pct: 0 });
    const officeId = officeSel.value;
    const officeName = officeSel.selectedOptions[0] ? officeSel.selectedOptions[0].textContent.trim() : '';
    const processing = () => {
      if (progress.classList.contains('is-processing')) return;
      progress.classList.add('is-processing');
      bar.removeAttribute('value'); // indeterminate while the server works
      barLabel.textContent = t('sup.i_processing');
    };
    try {
      const r = await api.upload(`/api/v1/imports${api.qs({ office_id: officeId, map: columnMap ? JSON.stringify(columnMap) : '' })}`, file, {
        contentType: /\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
        onProgress: (p) => {
          if (p >= 1) processing();
          else {
            bar.value = Math.round(p * 100);
            barLabel.textContent = t('sup.i_uploading', { pct: Math.round(p * 100) });
          }
        },
      });
      processing();
      progress.hidden = true;
      showResult(r, officeName, file.name);
    } catch (err) {
      progress.hidden = true;
      showError(fileProblem(err));
      errorBox.focus();
    } finally {
      busy = false;
      pick.disabled = false;
      officeSel.disabled = false;
      start.disabled = !file;
    }
  });

  function showResult(r, officeName, fileName) {
    const rejected = r.rejected || [];
    const duplicates = r.duplicates || [];
    const stat = (key, n, cls) => h('div', { class: ['imp-stat', cls], dataset: { stat: key } },
      h('dt', null, t(`sup.i_stat_${key}`)), h('dd', null, fmtInt(n)));
    const ok = rejected.length === 0 && duplicates.length === 0 && !r.failed_batches;
    mapBox.hidden = true; // the pre-check's lists are the result's now
    replace(result,
      h('h2', { class: 'card-title', id: 'imp-result-title' }, t('sup.i_result_title', { file: fileName })),
      h('div', { class: ['alert', ok ? 'alert-success' : 'alert-warn'] },
        ok ? t('sup.i_result_ok', { n: r.imported, office: officeName })
          : [t('sup.i_result_partial', { n: r.imported, office: officeName, rejected: rejected.length + duplicates.length }),
            duplicates.length ? ` ${t('sup.i_result_dups', { n: duplicates.length })}` : null]),
      h('dl', { class: 'imp-stats' },
        stat('rows', r.rows), stat('imported', r.imported, 'is-ok'), stat('rejected', rejected.length, rejected.length ? 'is-bad' : null),
        stat('duplicates', duplicates.length, duplicates.length ? 'is-bad' : null),
        stat('batches', r.batches), stat('failed_batches', r.failed_batches, r.failed_batches ? 'is-bad' : null)),
      r.ignored_columns && r.ignored_columns.length
        ? h('p', { class: 'imp-ignored' }, h('strong', null, t('sup.i_ignored')), ' ',
          r.ignored_columns.map((c, i) => [i ? '、' : null, h('code', { class: 'imp-col-name' }, c)]), ' ', h('span', { class: 'muted small' }, t('sup.i_ignored_hint')))
        : null,
      rowLists(r, false),
      r.imported ? h('p', null, h('a', { href: '#/cases', class: 'btn btn-small' }, t('sup.i_to_cases'))) : null);
    result.hidden = false;
    result.focus();
  }

  return undefined;
}

// 系统管理 — the administrator's page. An administrator does not read case content: this page
// holds the directory — the partner agencies (create, edit, deactivate, CSV import; admin-partners.js,
// admin-import.js) and the federation offices.
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import { loadOffices } from '../reference.js';
import { errorMessage } from '../errors.js';
import { partnerDirectory } from './admin-partners.js';
import { partnerImport } from './admin-import.js';

export default async function adminView(root, ctx) {
  const offices = h('tbody');
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const getOffices = () => loadOffices().catch(() => []);
  const directory = partnerDirectory(ctx, { getOffices });
  const importer = partnerImport({ onImported: () => directory.load() });
  replace(root, h('div', { class: 'admin-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('admin.title')), h('p', { class: 'muted' }, t('pd.admin_intro'))),
    errorBox,
    directory.el,
    h('div', { class: 'admin-columns' },
      importer.el,
      h('section', { class: 'card', 'aria-labelledby': 'admin-offices-title' }, h('h2', { class: 'card-title', id: 'admin-offices-title' }, t('admin.offices')),
        h('table', { class: 'table table-compact' }, h('thead', null, h('tr', null, h('th', null, t('admin.office_name')), h('th', null, t('admin.region_code')), h('th', null, t('admin.level')))), offices)))));
  try {
    const [o] = await Promise.all([loadOffices(), directory.load()]);
    if (!ctx.alive()) return;
    replace(offices, o.map((x) => h('tr', null, h('td', null, x.name), h('td', null, x.region_code || t('admin.no_code')), h('td', null, label('office_level', x.level)))));
  } catch (e) {
    if (!ctx.alive()) return;
    errorBox.textContent = errorMessage(e);
    errorBox.hidden = false;
  }
}

// 系统管理 — the administrator's page. An administrator does not read case content: this page
// shows only the directory (offices and partner agencies).
import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import { loadOffices, loadPartners } from '../reference.js';
import { errorMessage } from '../errors.js';

export default async function adminView(root, ctx) {
  const offices = h('tbody');
  const partners = h('tbody');
  const errorBox = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  replace(root, h('div', { class: 'admin-page' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('admin.title')), h('p', { class: 'muted' }, t('admin.intro'))),
    errorBox,
    h('div', { class: 'admin-columns' },
      h('section', { class: 'card' }, h('h2', { class: 'card-title' }, t('admin.offices')),
        h('table', { class: 'table table-compact' }, h('thead', null, h('tr', null, h('th', null, t('admin.office_name')), h('th', null, t('admin.region_code')), h('th', null, t('admin.level')))), offices)),
      h('section', { class: 'card' }, h('h2', { class: 'card-title' }, t('admin.partners')),
        h('table', { class: 'table table-compact' }, h('thead', null, h('tr', null, h('th', null, t('admin.partner_name')), h('th', null, t('admin.partner_type')), h('th', null, t('admin.phone')))), partners)))));
  try {
    const [o, p] = await Promise.all([loadOffices(), loadPartners()]);
    if (!ctx.alive()) return;
    replace(offices, o.map((x) => h('tr', null, h('td', null, x.name), h('td', null, x.region_code), h('td', null, label('office_level', x.level)))));
    replace(partners, p.map((x) => h('tr', null, h('td', null, x.name), h('td', null, label('partner_type', x.type)), h('td', { class: 'nowrap' }, x.phone || '—'))));
  } catch (e) {
    if (!ctx.alive()) return;
    errorBox.textContent = errorMessage(e);
    errorBox.hidden = false;
  }
}

// Reference data that rarely changes, fetched once per page load.
import { get } from './api.js';
import { getLang } from './i18n.js';

let categories = null;
let partners = null;
let offices = null;
let users = null;

export async function loadCategories() {
  if (!categories) categories = get('/api/v1/categories').then((r) => r.items).catch((e) => { categories = null; throw e; });
  return categories;
}

export async function loadPartners() {
  if (!partners) partners = get('/api/v1/partners').then((r) => r.items).catch((e) => { partners = null; throw e; });
  return partners;
}

export async function loadOffices() {
  if (!offices) offices = get('/api/v1/offices').then((r) => r.items).catch((e) => { offices = null; throw e; });
  return offices;
}

export async function loadUsers() {
  if (!users) users = get('/api/v1/users').then((r) => r.items).catch((e) => { users = null; throw e; });
  return users;
}

export function categoryName(list, code) {
  if (!code) return '—';
  const c = (list || []).find((x) => x.code === code);
  if (!c) return code;
  return getLang() === 'en' ? c.name_en : c.name_zh;
}

// "婚姻家庭 › 家庭暴力"
export function categoryPath(list, code) {
  const c = (list || []).find((x) => x.code === code);
  if (!c) return code || '—';
  const parent = c.parent_code ? (list || []).find((x) => x.code === c.parent_code) : null;
  const own = categoryName(list, code);
  return parent ? `${categoryName(list, parent.code)} › ${own}` : own;
}

export function resetReferenceData() {
  categories = partners = offices = users = null;
}

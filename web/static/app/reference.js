// Reference data that rarely changes, fetched once per page load.
import { get } from './api.js';
import { getLang } from './i18n.js';

// The items of a list endpoint, asked once: later calls share the first answer; a failure is not kept.
function cachedList(path) {
  let pending = null;
  const load = async () => {
    if (!pending) pending = get(path).then((r) => r.items).catch((e) => { pending = null; throw e; });
    return pending;
  };
  load.reset = () => { pending = null; };
  return load;
}

export const loadCategories = cachedList('/api/v1/categories');
export const loadPartners = cachedList('/api/v1/partners');
export const loadOffices = cachedList('/api/v1/offices');
export const loadUsers = cachedList('/api/v1/users');

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
  for (const load of [loadCategories, loadPartners, loadOffices, loadUsers]) load.reset();
}

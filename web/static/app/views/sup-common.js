// Pieces shared by the supervision views (月报, 回访, 工作量, 台账导入): the office picker over the
// caller's own subtree, number and rate formats of the statistics, and outcome labels.
import { h } from '../dom.js';
import { t, label, getLang } from '../i18n.js';

// Offices of the list in tree order (parents before children) with their depth below the roots.
export function officeTree(offices) {
  const ids = new Set(offices.map((o) => o.id));
  const children = new Map();
  for (const o of offices) {
    const parent = ids.has(o.parent_id) ? o.parent_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(o);
  }
  const out = [];
  const walk = (parent, depth) => {
    for (const o of (children.get(parent) || []).sort((a, b) => String(a.region_code).localeCompare(String(b.region_code)))) {
      out.push({ ...o, depth });
      walk(o.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

// The offices the user's scope covers: her own office and everything below it (the server answers
// with the subtree already; a list that also holds ancestors is trimmed to the own office's branch).
export function ownSubtree(offices, ownId) {
  const byParent = new Map();
  for (const o of offices) {
    if (!byParent.has(o.parent_id)) byParent.set(o.parent_id, []);
    byParent.get(o.parent_id).push(o);
  }
  const own = offices.find((o) => o.id === ownId);
  if (!own) return offices;
  const out = [];
  const walk = (o) => {
    out.push(o);
    for (const c of byParent.get(o.id) || []) walk(c);
  };
  walk(own);
  return out;
}

// Ids of an office and all its ancestors in the list (a case may be assigned to staff of these).
export function selfAndAncestors(offices, id) {
  const byId = new Map(offices.map((o) => [o.id, o]));
  const out = new Set();
  let cur = byId.get(id);
  while (cur && !out.has(cur.id)) {
    out.add(cur.id);
    cur = byId.get(cur.parent_id);
  }
  if (!out.size) out.add(id);
  return out;
}

// <select> of offices, indented by depth; value = office id.
export function officeSelect({ id, offices, value, onchange }) {
  const sel = h('select', { id, class: 'input input-small sup-office-select', onchange },
    officeTree(offices).map((o) => h('option', { value: String(o.id) }, `${'\u3000'.repeat(o.depth)}${o.name}`)));
  if (value !== undefined && value !== null) sel.value = String(value);
  return sel;
}

export function fmtInt(n) {
  if (n === null || n === undefined) return '—';
  return Number(n).toLocaleString(getLang());
}

// 0.975 → "97.50%"; null (no denominator) → "—".
export function fmtRate(r) {
  if (r === null || r === undefined || !Number.isFinite(Number(r))) return '—';
  return `${(Number(r) * 100).toFixed(2)}%`;
}

// Integer fen → "1,234.56" (yuan, without the currency sign: the row says 元).
export function fmtYuan(fen) {
  if (fen === null || fen === undefined) return '—';
  return (Number(fen) / 100).toLocaleString(getLang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function fmtDays(d) {
  if (d === null || d === undefined || !Number.isFinite(Number(d))) return '—';
  return Number(d).toFixed(1);
}

export function outcomeLabel(outcome) {
  if (outcome === 'imported') return t('sup.outcome_imported');
  return label('outcome', outcome);
}

export function satisfactionLabel(s) {
  return ['satisfied', 'basically_satisfied', 'dissatisfied'].includes(s) ? t(`sup.sat_${s}`) : (s || '—');
}

export const OPEN_STATUSES = ['registered', 'in_progress', 'referred', 'mediation', 'pending_closure', 'delegated'];

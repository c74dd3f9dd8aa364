// The report periods of GET /api/v1/reports (web/API.md): `2026-10` (month), `2026-Q3`, `2026-H1`,
// `2026` (year) or `2026-10-01..2026-11-15` (inclusive Beijing dates). Pure functions, no DOM, so that
// the period picker's arithmetic is unit-tested under node (tests/desk/report-period.test.mjs).
import { t } from './i18n.js';

export const KINDS = ['month', 'quarter', 'half', 'year', 'range'];
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n) => String(n).padStart(2, '0');
const okYear = (y) => Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR;

function validDate(s) {
  const m = DATE.exec(s || '');
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return okYear(Number(m[1])) && d.toISOString().slice(0, 10) === s;
}

// The last day (YYYY-MM-DD) of month `m` (1–12) of year `y`.
function lastDay(y, m) {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

// A period key → {kind, year, part, from, to} (part: month 1–12, quarter 1–4, half 1–2; from/to the
// first and last day covered), or null when the key is not one the server takes.
export function parsePeriod(key) {
  const s = String(key || '');
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (!okYear(y) || mo < 1 || mo > 12) return null;
    return { kind: 'month', year: y, part: mo, from: `${y}-${pad(mo)}-01`, to: lastDay(y, mo) };
  }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(s))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    if (!okYear(y)) return null;
    return { kind: 'quarter', year: y, part: q, from: `${y}-${pad(q * 3 - 2)}-01`, to: lastDay(y, q * 3) };
  }
  if ((m = /^(\d{4})-H([12])$/.exec(s))) {
    const y = Number(m[1]);
    const hf = Number(m[2]);
    if (!okYear(y)) return null;
    return { kind: 'half', year: y, part: hf, from: `${y}-${hf === 1 ? '01' : '07'}-01`, to: lastDay(y, hf * 6) };
  }
  if ((m = /^(\d{4})$/.exec(s))) {
    const y = Number(m[1]);
    if (!okYear(y)) return null;
    return { kind: 'year', year: y, part: null, from: `${y}-01-01`, to: `${y}-12-31` };
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s))) {
    if (!validDate(m[1]) || !validDate(m[2]) || m[1] > m[2]) return null;
    return { kind: 'range', year: Number(m[1].slice(0, 4)), part: null, from: m[1], to: m[2] };
  }
  return null;
}

// The key of a period of `kind` chosen by year and part, or by dates for a range; null when invalid.
export function periodKey({ kind, year, part, from, to }) {
  const y = Number(year);
  const p = Number(part);
  let key = null;
  if (kind === 'month') key = `${y}-${pad(p)}`;
  else if (kind === 'quarter') key = `${y}-Q${p}`;
  else if (kind === 'half') key = `${y}-H${p}`;
  else if (kind === 'year') key = String(y);
  else if (kind === 'range') key = `${from}..${to}`;
  return key && parsePeriod(key) ? key : null;
}

// The period of `kind` that holds the day `day` (YYYY-MM-DD): a range keeps `range` when given.
export function periodOfKind(kind, day, range) {
  const y = Number(day.slice(0, 4));
  const mo = Number(day.slice(5, 7));
  if (kind === 'month') return `${y}-${pad(mo)}`;
  if (kind === 'quarter') return `${y}-Q${Math.ceil(mo / 3)}`;
  if (kind === 'half') return `${y}-H${mo <= 6 ? 1 : 2}`;
  if (kind === 'year') return String(y);
  if (kind === 'range') return range && parsePeriod(range) ? range : `${day.slice(0, 8)}01..${lastDay(y, mo)}`;
  return null;
}

// The month before the one of `today` (YYYY-MM-DD): the report a desk opens on.
export function defaultPeriod(today) {
  const y = Number(today.slice(0, 4));
  const mo = Number(today.slice(5, 7));
  return mo === 1 ? `${y - 1}-12` : `${y}-${pad(mo - 1)}`;
}

// A period is filed once it has ended: its last day is before `today` (Beijing).
export function hasEnded(period, today) {
  const p = typeof period === 'string' ? parsePeriod(period) : period;
  return Boolean(p) && p.to < today;
}

// The period as the report's title says it: 2026年10月, 2026年第3季度, 2026年上半年, 2026年度, or the dates.
export function periodLabel(period) {
  const p = typeof period === 'string' ? parsePeriod(period) : period;
  if (!p) return String(period ?? '');
  switch (p.kind) {
    case 'month': return t('rep.label_month', { year: p.year, month: p.part });
    case 'quarter': return t('rep.label_quarter', { year: p.year, quarter: p.part });
    case 'half': return t(p.part === 1 ? 'rep.label_h1' : 'rep.label_h2', { year: p.year });
    case 'year': return t('rep.label_year', { year: p.year });
    default: return t('rep.label_range', { from: p.from, to: p.to });
  }
}

export { MIN_YEAR, MAX_YEAR };

// The dashboard's links into the case list: Shanghai calendar days, age buckets as receipt-date
// ranges, and the list filter of each aging row (views/dashboard.js).
import { t } from '../i18n.js';
import { shanghaiParts } from '../format.js';

// "YYYY-MM-DD" of the Shanghai day of an ISO instant (the server's as_of carries +08:00 already).
export function shanghaiDay(iso) {
  if (typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}T.*\+08:00$/.test(iso)) return iso.slice(0, 10);
  const p = shanghaiParts(iso ? new Date(iso) : new Date());
  return `${p.year}-${p.month}-${p.day}`;
}

export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  const x = new Date(Date.UTC(y, m - 1, d + n));
  return x.toISOString().slice(0, 10);
}

export function monthOf(day, delta = 0) {
  const [y, m] = day.split('-').map(Number);
  const x = new Date(Date.UTC(y, m - 1 + delta, 1));
  return x.toISOString().slice(0, 7);
}

// An age bucket ("0-3", "61+") → the received_from/received_to dates of the cases list: age is the
// number of Shanghai days from the day of receipt to today (0 on the day itself).
export function bucketRange(bucket, today) {
  const m = /^(\d+)(?:-(\d+)|\+)$/.exec(bucket);
  if (!m) return {};
  const lo = Number(m[1]);
  const range = { received_to: addDays(today, -lo) };
  if (m[2] !== undefined) range.received_from = addDays(today, -Number(m[2]));
  return range;
}

export function bucketLabel(bucket) {
  const m = /^(\d+)(?:-(\d+)|\+)$/.exec(bucket);
  if (!m) return bucket;
  return m[2] !== undefined ? t('dash.bucket_range', { from: m[1], to: m[2] }) : t('dash.bucket_over', { from: m[1] });
}

export function casesHref(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/cases${s ? `?${s}` : ''}`;
}

// The case-list filter of one aging row (open cases only, as the aging counts them). A partner row
// is the cases with an open referral to it; the "none" partner row has no list filter.
export function groupFilter(groupBy, key) {
  if (key === 'total') return { status: 'open' };
  switch (groupBy) {
    case 'status': return { status: key };
    case 'category': return { status: 'open', category: key };
    case 'assignee': return { status: 'open', assignee_id: key === 'none' ? 'none' : key };
    case 'office': return { status: 'open', office_id: key };
    case 'partner': return key === 'none' ? null : { status: 'open', partner_id: key };
    default: return null;
  }
}

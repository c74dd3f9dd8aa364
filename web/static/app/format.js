// Dates and times are always shown in Asia/Shanghai, whatever the PC's own time zone is.
import { getLang, t, has, label } from './i18n.js';

export const TZ = 'Asia/Shanghai';
const cache = new Map();

function formatter(kind) {
  const key = `${getLang()}|${kind}`;
  if (!cache.has(key)) {
    const base = { timeZone: TZ, hour12: false };
    const opts = {
      datetime: { ...base, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
      date: { ...base, year: 'numeric', month: '2-digit', day: '2-digit' },
      parts: { ...base, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    }[kind];
    cache.set(key, new Intl.DateTimeFormat(kind === 'parts' ? 'en-CA' : getLang(), opts));
  }
  return cache.get(key);
}

export function fmtDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : formatter('datetime').format(d);
}

export function fmtDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : formatter('date').format(d);
}

// Shanghai wall-clock parts of an instant: {year, month, day, hour, minute, second} as strings.
export function shanghaiParts(date = new Date()) {
  const out = {};
  for (const p of formatter('parts').formatToParts(date)) out[p.type] = p.value;
  if (out.hour === '24') out.hour = '00';
  return out;
}

// Value for <input type="datetime-local"> showing the instant in Shanghai time.
export function toLocalInput(date = new Date()) {
  const p = shanghaiParts(date);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

// "2026-11-23T09:30" typed as Shanghai wall time → ISO 8601 with offset.
export function localInputToIso(value) {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value);
  return m ? `${m[1]}T${m[2]}${m[3] || ':00'}+08:00` : null;
}

export function isoShanghai(date = new Date()) {
  const p = shanghaiParts(date);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}+08:00`;
}

export function fmtClock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

// Time left until a deadline, for a countdown: {text, overdue, soon}.
export function countdown(dueIso, now = Date.now()) {
  const due = new Date(dueIso).getTime();
  if (Number.isNaN(due)) return { text: '—', overdue: false, soon: false };
  let ms = due - now;
  const overdue = ms < 0;
  ms = Math.abs(ms);
  const days = Math.floor(ms / 86400000);
  const hours = Math.floor((ms % 86400000) / 3600000);
  const minutes = Math.floor((ms % 3600000) / 60000);
  let span;
  if (days > 0) span = t('time.days_hours', { d: days, h: hours });
  else if (hours > 0) span = t('time.hours_minutes', { h: hours, m: minutes });
  else span = t('time.minutes', { m: minutes });
  return {
    text: overdue ? t('time.overdue_by', { span }) : t('time.left', { span }),
    overdue,
    soon: !overdue && ms < 3 * 86400000,
  };
}

// "1,234.50" yuan typed by a person → integer fen, or null when it is not an amount.
export function yuanToFen(text) {
  const s = String(text ?? '').replace(/[,，\s]/g, '').replace(/^[¥￥]/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

export function fenToYuan(fen) {
  if (fen === null || fen === undefined || fen === '') return '—';
  const n = Number(fen);
  if (!Number.isFinite(n)) return String(fen);
  return `¥${(n / 100).toLocaleString(getLang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

// A file size for people: "820 B", "12.5 KB", "3.2 MB".
export function fmtSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

// The person who contacted the office, named as the channel names her (DOMAIN.md, Channels): 来电人 for
// a call, 来访人 for a visit, 来信人 for a letter, 网上信访人 online, 信访人 through an agent, 当事人 when
// found in screening, 反映人 otherwise. The one home of these words: the intake form, the case page, the
// printed 登记表 and the screen-pop all ask here.
export function personLabel(channel) {
  return has(`contact_person.${channel}`) ? t(`contact_person.${channel}`) : t('contact_person.other');
}

// The words a message about the contacting person takes: {person} (来电人), {Person} (capitalised, to
// begin an English sentence) and {contact}, what she did (来电 / 来访 / 来信 / 网上信访; 访 for the other channels,
// whose names are not something a person does again).
// A person's role on a case (persons[].role), the complainant named by the case's channel.
export function personRoleLabel(role, channel) {
  return role === 'complainant' ? t('person_role.complainant', personParams(channel)) : label('person_role', role);
}

export function personParams(channel) {
  const person = personLabel(channel);
  const contact = ['hotline', 'walk_in', 'letter', 'online'].includes(channel) ? label('channel', channel).toLowerCase() : t('contact_person.contact_other');
  return { person, Person: person.charAt(0).toUpperCase() + person.slice(1), contact };
}

// The health banner at the top of the desk for supervisors and administrators (issue #17): GET
// /healthz after login, every minute, and at once after any answer with a storage_* code; while the
// status is not "ok" a banner under the top bar says why (health.js words it). It goes away by
// itself when the server is healthy again. Operators and partners never see it and never poll.
import { h, replace } from './dom.js';
import { describeHealth, HEALTH_ROLES } from './health.js';

const POLL_MS = 60 * 1000;

// One element for the whole session: the shell puts it back under the top bar on every render, so
// a route change neither loses the banner nor announces it again.
const host = h('div', { class: 'health-host', hidden: true });
let userId = null; // whose health checks run (a supervisor's or an administrator's id), or null
let timer = null;
let last = null; // the newest /healthz body read
let seq = 0; // answers to an older request, or for an earlier user, are dropped

// The banner's place in the shell, painted from the newest answer (in the current language).
export function healthHost() {
  paint();
  return host;
}

// The shell's user changed (login, logout, another account): start or stop the checks.
export function followHealth(user) {
  const want = user && HEALTH_ROLES.includes(user.role) ? user.id : null;
  if (want === userId) return;
  clearInterval(timer);
  timer = null;
  seq += 1;
  userId = want;
  last = null;
  paint();
  if (want === null) return;
  check();
  timer = setInterval(check, POLL_MS);
}

// Asks now rather than at the next poll (a request has just met a storage error).
export function checkHealthNow() {
  if (userId !== null) check();
}

async function check() {
  seq += 1;
  const mine = seq;
  let body;
  try {
    const res = await fetch('/healthz', { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
    // A failing server answers 503 with the same JSON body as a 200: read it whatever the status.
    body = await res.json();
  } catch {
    // No answer, or not JSON (a proxy's error page): that says nothing about the storage; keep
    // what is shown until a real answer comes.
    return;
  }
  if (mine !== seq) return;
  last = body;
  paint();
}

function paint() {
  const d = userId === null ? null : describeHealth(last);
  if (!d) {
    replace(host);
    host.hidden = true;
    return;
  }
  host.hidden = false;
  const shown = host.firstElementChild;
  // The same news again (the next poll): leave the element alone, so it is not announced again.
  if (shown && shown.dataset.level === d.level && shown.dataset.text === d.text) return;
  // A new element rather than a changed role: screen readers announce a live region's insertion
  // reliably, a role changed in place not at all.
  replace(host, h('div', { class: ['health-banner', `health-${d.level}`], role: d.role, dataset: { level: d.level, text: d.text } },
    h('span', { class: 'health-icon', 'aria-hidden': 'true' }, d.level === 'failing' ? '!' : 'i'),
    h('span', { class: 'health-text' }, d.text)));
}

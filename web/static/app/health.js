// What GET /healthz says, as the one sentence the health banner shows (issue #17). No DOM and no
// requests: unit-tested under node (tests/desk); the banner itself is health-banner.js.
import { t, has } from './i18n.js';

// Who sees the banner: the people who can do something about it (call the administrator, or be
// it). Operators and partners are told about a failed save where it happens, not in a banner.
export const HEALTH_ROLES = ['supervisor', 'sysadmin'];

// One reason of the body's `reasons` in the user's language; a code this desk does not know yet
// keeps the server's English message (better than nothing, and never blank).
export function reasonText(reason) {
  const code = reason && reason.code ? String(reason.code) : '';
  if (code && has(`health_reason.${code}`)) return t(`health_reason.${code}`);
  return (reason && reason.message) || code || t('health.no_reason');
}

// The banner for a /healthz body: null when all is well (status "ok", or no body at all — a
// health check that could not be read says nothing about the disk), else
// {level: 'failing'|'degraded', role: 'alert'|'status', text}. A status this desk does not know
// counts as failing: better a banner too many than a silent failure.
export function describeHealth(body) {
  if (!body || typeof body !== 'object' || !body.status || body.status === 'ok') return null;
  const level = body.status === 'degraded' ? 'degraded' : 'failing';
  const reasons = Array.isArray(body.reasons) ? body.reasons : [];
  const list = reasons.length ? reasons.map(reasonText).join(t('health.reason_sep')) : t('health.no_reason');
  return {
    level,
    // A failing server loses work now: interrupt (alert). Degraded is worth knowing, not urgent.
    role: level === 'failing' ? 'alert' : 'status',
    text: t(level === 'failing' ? 'health.failing' : 'health.degraded', { reasons: list }),
  };
}

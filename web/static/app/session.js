// The signed-in user, kept in memory only (the session itself is the HttpOnly cookie).
import { get, post, del, setCsrfToken, ApiError } from './api.js';

let current = null;

export function user() {
  return current && current.user;
}

export function role() {
  return current ? current.user.role : null;
}

// True while the server holds this session to a password change (expired, or set by an
// administrator): every other route answers 403 password_expired until then.
export function mustChangePassword() {
  return Boolean(current && current.must_change_password);
}

export function passwordChanged() {
  if (current) current.must_change_password = false;
}

// True while the server holds this session to setting up two-step verification (config
// second_factor_required): every other route answers 403 second_factor_enrolment_required.
export function mustEnrolSecondFactor() {
  return Boolean(current && current.must_enrol_second_factor);
}

export function secondFactorEnrolled() {
  if (current) current.must_enrol_second_factor = false;
}

export function isStaff() {
  return role() === 'operator' || role() === 'supervisor';
}

function accept(body) {
  current = body;
  setCsrfToken(body.csrf_token);
  return body.user;
}

// The current session, or null when not signed in.
export async function loadSession() {
  try {
    return accept(await get('/api/v1/session', { auth: false }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      current = null;
      return null;
    }
    throw e;
  }
}

// `code`: the two-step verification code, when the server asked for it (an ApiError with code
// second_factor_required).
export async function login(username, password, code) {
  const body = code ? { username, password, code } : { username, password };
  return accept(await post('/api/v1/session', body, { auth: false }));
}

export async function logout() {
  // Forgotten before the DELETE is sent: an answer that meets the session the server has just ended,
  // while this DELETE's own answer is still on its way, must not open the re-login dialog (relogin()
  // asks only while there is a user) over the login page.
  current = null;
  try {
    await del('/api/v1/session', { auth: false });
  } finally {
    setCsrfToken(null);
  }
}

export function forget() {
  current = null;
  setCsrfToken(null);
}

export function homeFor(r = role()) {
  // Each role's first navigation item (main.js).
  return { operator: '/intake', supervisor: '/dashboard', partner: '/referrals', sysadmin: '/admin', secadmin: '/accounts', auditor: '/audit' }[r] || '/login';
}

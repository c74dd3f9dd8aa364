// Every call to the JSON API goes through api(): same-origin cookies, the CSRF header on writes,
// the error envelope turned into ApiError, and a 401 answered by the re-login dialog — after which
// the request is sent again, so the page (and whatever the user typed) stays as it was.

let csrfToken = null;
// Bumped by every new session (login or re-login sets its CSRF token): a 401 for a request sent before
// the newest session began is that request's bad luck, not a session to renew — it is sent again
// without asking (otherwise a second 登录已过期 would follow the one just answered).
let generation = 0;
let reauthenticate = null; // async () => boolean
let pendingReauth = null;
let storageTrouble = null; // () => void

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || (status === 0 ? 'network' : 'http_' + status);
    this.fields = err.fields || {};
    this.body = body;
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null;
  if (csrfToken) generation += 1;
}

// After a 401 to a request sent in session generation `sentIn`: true to send it again (a new session
// began since it was sent, or the user logged in again now).
async function renewed(sentIn) {
  if (sentIn !== generation) return true;
  return reauth();
}

export function setReauthenticate(fn) {
  reauthenticate = fn;
}

// Called after any answer with a storage_* code (issue #17): the shell then asks /healthz at once
// instead of at its next poll, so a supervisor's banner appears with the first failed save.
export function setStorageTroubleListener(fn) {
  storageTrouble = fn;
}

// The ApiError for an answer that was not a success.
function failure(status, data) {
  const e = new ApiError(status, data);
  if (storageTrouble && /^storage_/.test(e.code)) {
    try {
      storageTrouble(e);
    } catch (err) {
      console.error(err);
    }
  }
  return e;
}

async function reauth() {
  if (!reauthenticate) return false;
  if (!pendingReauth) pendingReauth = reauthenticate().finally(() => (pendingReauth = null));
  return pendingReauth;
}

// method, path, body (object, or undefined for none). opts.auth=false: a 401 is simply thrown.
export async function api(method, path, body, opts = {}) {
  const { auth = true, retried = false } = opts;
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const sentIn = generation;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: String(e && e.message ? e.message : e) } });
  }
  if (res.status === 401 && auth && !retried) {
    if (await renewed(sentIn)) return api(method, path, body, { ...opts, retried: true });
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) throw failure(res.status, data);
  // opts.expect: the one success status that confirms the write (e.g. 201 for a created contact).
  if (opts.expect && res.status !== opts.expect) throw failure(res.status, data);
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body ?? {}, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}

// Uploads a file as the raw request body (attachments): XMLHttpRequest rather than fetch, for the
// upload progress. onProgress(fraction 0–1). Resolves with the JSON answer; errors as api().
export function upload(path, file, { contentType, headers = {}, onProgress, retried = false } = {}) {
  return new Promise((resolve, reject) => {
    const sentIn = generation;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', contentType || file.type || 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    if (onProgress) xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.addEventListener('error', () => reject(new ApiError(0, { error: { code: 'network', message: 'network error' } })));
    xhr.addEventListener('abort', () => reject(new ApiError(0, { error: { code: 'network', message: 'aborted' } })));
    xhr.addEventListener('load', async () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status === 401 && !retried && (await renewed(sentIn))) {
        upload(path, file, { contentType, headers, onProgress, retried: true }).then(resolve, reject);
        return;
      }
      if (xhr.status < 200 || xhr.status >= 300) reject(failure(xhr.status, data));
      else resolve(data);
    });
    xhr.send(file);
  });
}

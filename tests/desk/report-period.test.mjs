// The period picker's arithmetic (web/static/app/report-period.js) and the filing errors in Chinese
// (web/static/app/errors.js). node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePeriod, periodKey, periodOfKind, defaultPeriod, hasEnded, periodLabel } from '../../web/static/app/report-period.js';
import { fieldMessage } from '../../web/static/app/errors.js';
import { setLang } from '../../web/static/app/i18n.js';

globalThis.document ??= { documentElement: {} };

test('period keys as the server takes them, with their first and last day', () => {
  assert.deepEqual(parsePeriod('2026-02'), { kind: 'month', year: 2026, part: 2, from: '2026-02-01', to: '2026-02-28' });
  assert.deepEqual(parsePeriod('2028-02'), { kind: 'month', year: 2028, part: 2, from: '2028-02-01', to: '2028-02-29' });
  assert.deepEqual(parsePeriod('2026-Q3'), { kind: 'quarter', year: 2026, part: 3, from: '2026-07-01', to: '2026-09-30' });
  assert.deepEqual(parsePeriod('2026-H1'), { kind: 'half', year: 2026, part: 1, from: '2026-01-01', to: '2026-06-30' });
  assert.deepEqual(parsePeriod('2026'), { kind: 'year', year: 2026, part: null, from: '2026-01-01', to: '2026-12-31' });
  assert.deepEqual(parsePeriod('2026-10-01..2026-11-15'), { kind: 'range', year: 2026, part: null, from: '2026-10-01', to: '2026-11-15' });
  for (const bad of ['', '2026-13', '2026-00', '2026-Q5', '2026-H3', '1999', '2101-01', '2026-11-15..2026-10-01', '2026-02-30..2026-03-01', '26-10', null])
    assert.equal(parsePeriod(bad), null, String(bad));
});

test('the picker: keys from its selects, another kind keeps the first day, last month by default', () => {
  assert.equal(periodKey({ kind: 'month', year: '2026', part: '7' }), '2026-07');
  assert.equal(periodKey({ kind: 'quarter', year: '2026', part: '4' }), '2026-Q4');
  assert.equal(periodKey({ kind: 'half', year: '2026', part: '2' }), '2026-H2');
  assert.equal(periodKey({ kind: 'year', year: '2026', part: '' }), '2026');
  assert.equal(periodKey({ kind: 'range', from: '2026-10-01', to: '2026-11-15' }), '2026-10-01..2026-11-15');
  assert.equal(periodKey({ kind: 'range', from: '2026-11-15', to: '2026-10-01' }), null, 'a range typed backwards');
  assert.equal(periodKey({ kind: 'range', from: '', to: '2026-10-01' }), null, 'a half-typed range');
  assert.equal(periodOfKind('quarter', '2026-08-01'), '2026-Q3');
  assert.equal(periodOfKind('half', '2026-07-01'), '2026-H2');
  assert.equal(periodOfKind('month', '2026-07-01'), '2026-07');
  assert.equal(periodOfKind('year', '2026-07-01'), '2026');
  assert.equal(periodOfKind('range', '2026-07-01', '2026-07-01..2026-09-30'), '2026-07-01..2026-09-30');
  assert.equal(periodOfKind('range', '2026-02-01'), '2026-02-01..2026-02-28');
  assert.equal(defaultPeriod('2026-12-03'), '2026-11');
  assert.equal(defaultPeriod('2027-01-01'), '2026-12');
});

test('a period is filed once its last day is past; labels read like the report titles', () => {
  assert.equal(hasEnded('2026-Q3', '2026-10-01'), true);
  assert.equal(hasEnded('2026-Q3', '2026-09-30'), false, 'not on its last day');
  assert.equal(hasEnded('2026', '2026-12-31'), false);
  assert.equal(hasEnded('bad', '2026-12-31'), false);
  setLang('zh-CN');
  assert.equal(periodLabel('2026-Q3'), '2026年第3季度');
  assert.equal(periodLabel('2026-H2'), '2026年下半年');
  assert.equal(periodLabel('2026-10'), '2026年10月');
  assert.equal(periodLabel('2026'), '2026年度');
  assert.equal(periodLabel('2026-10-01..2026-11-15'), '2026-10-01至2026-11-15');
});

test('the server refusing a period reads as Chinese sentences', () => {
  setLang('zh-CN');
  assert.equal(fieldMessage('not over yet'), '统计期间尚未结束，结束后才能报送。');
  assert.match(fieldMessage('required: 2026-10, 2026-Q3, 2026-H1, 2026 or 2026-10-01..2026-11-15'), /^统计期间无效/);
});

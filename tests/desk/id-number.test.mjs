// The ID number's problem is named (issue #15): the server says which check failed
// (casework/person_numbers.cpp id_number_problem), the desk translates each reason to its own
// sentence, and the intake's pre-check (web/static/app/id-number.js) finds the same reason before
// sending. node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fieldMessage } from '../../web/static/app/errors.js';
import { idNumberProblem } from '../../web/static/app/id-number.js';
import { setLang, t } from '../../web/static/app/i18n.js';

globalThis.document ??= { documentElement: {} };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// The messages id_number_problem returns, read from its source.
function serverReasons() {
  const src = readFileSync(resolve(root, 'casework/person_numbers.cpp'), 'utf8');
  const body = src.slice(src.indexOf('std::optional<std::string> id_number_problem('));
  const fn = body.slice(0, body.indexOf('\n}\n'));
  return [...fn.matchAll(/return "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
}

// Numbers of each kind (the C++ test's, tests/casework/test_person_numbers.cpp) and the key the desk shows.
const CASES = [
  ['43102319850307123', 'err.id_length'],
  ['43102319850307A233', 'err.id_chars'],
  ['031023198503071239', 'err.id_region'],
  ['431023198502301236', 'err.id_birth_date'],
  ['431023198513071237', 'err.id_birth_date'],
  ['431023198503071234', 'err.id_check'],
  ['431023202611240013', 'err.id_birth_future'],
];

test('every reason the server gives for a wrong ID number reads as its own sentence, in both languages', () => {
  const reasons = serverReasons();
  assert.ok(reasons.length >= 6, `id_number_problem's messages: ${reasons.join(' | ')}`);
  for (const lang of ['zh-CN', 'en']) {
    setLang(lang);
    const shown = reasons.map((r) => fieldMessage(r));
    for (const [i, s] of shown.entries()) assert.doesNotMatch(s, /not a valid resident ID number:|its birth date is in/, `${lang}: ${reasons[i]} → ${s}`);
    // The bare "not a valid…" (unreachable, kept as a fallback) and the specific ones: all different.
    assert.equal(new Set(shown).size, reasons.length, `${lang}: each reason its own sentence:\n${shown.join('\n')}`);
  }
  setLang('zh-CN');
  assert.equal(fieldMessage('not a valid resident ID number: its check character (the last) does not match the other digits'), t('err.id_check'));
  assert.match(t('err.id_check'), /校验码/);
});

test("the intake's pre-check names the same reason as the server", () => {
  setLang('zh-CN');
  const today = '2026-11-23';
  for (const [id, key] of CASES) assert.equal(idNumberProblem(id, today), key, id);
  for (const ok of ['431023198503071233', '431023 198503071233', '11010519491231002X', '431023850307123']) {
    assert.equal(idNumberProblem(ok, today), null, ok);
  }
  // A lower-case x is the check character X.
  assert.equal(idNumberProblem('11010519491231002x', today), null);
});

// Every message the server can return reads in Chinese at the desk (issue #13: "every message the
// server can return is translated in the desk"). The server words its refusals in English: the field
// messages of a 422 (`bad["field"] = "…"`) and the reasons of a 422 transition_not_allowed
// (`fail(Errc::transition_not_allowed, "…")`, the review rules' `{std::nullopt, "…"}`). This test reads
// them out of the C++ sources of casework/, intake/ and web/ (not web/app: the command line's
// configuration messages never reach the desk) and checks that the desk's translators
// (web/static/app/errors.js; views/dv-common.js for the DV services, whose forms use it) turn each into
// a catalogue sentence — not the fallback that shows the English text. A message built by
// concatenation ("the order is already " + status …) is checked through a whole example in SAMPLES;
// a new concatenated message without one fails here too. node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fieldMessage, errorMessage } from '../../web/static/app/errors.js';
import { dvFieldText } from '../../web/static/app/views/dv-common.js';
import { setLang, t } from '../../web/static/app/i18n.js';

globalThis.document ??= { documentElement: {} };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['casework', 'intake', 'web/api', 'web/auth', 'web/http'];

// Whole examples of the messages the server builds by concatenation, by their literal start.
const SAMPLES = {
  'after the window: it had to be asked by ': 'after the window: it had to be asked by 2026-12-01',
  'an order lasts at most 6 months: its last day at the latest ': 'an order lasts at most 6 months: its last day at the latest 2027-05-23',
  'column \\"': 'column "电话" duplicates another column',
  'the order is already ': 'the order is already granted; it cannot become denied',
  "the order's last day was ": "the order's last day was 2026-12-31; apply for a new one",
  'cannot ': 'cannot accept a case that is closed',
  'only ': 'only the partner organisation may accept a referral',
  'the ': 'the operator role may not approve_closure a case',
  'an extension is at most ': 'an extension is at most 30 days',
  'a report is due within ': 'a report is due within 60 days',
  'the case is archived (已存档) since ': 'the case is archived (已存档) since 2027-01-04: it is read-only',
  '复议 is asked of a ruling: the order is ': '复议 is asked of a ruling: the order is applied, not ruled on',
  'more than 5 days after the ruling: 复议 is asked by ': 'more than 5 days after the ruling: 复议 is asked by 2026-12-04',
  'the file\'s contents are not ': "the file's contents are not a PDF",
  'the header has no ': 'the header has no column for the summary',
  'unknown field \\"': 'unknown field "备注"',
  'unknown form of violence: ': 'unknown form of violence: shouting',
  'unknown item of instrument version ': 'unknown item of instrument version 1: weapon2',
  "unknown service '": "unknown service 'massage'",
  'listed twice: ': 'listed twice: beating',
  'must not be before ': 'must not be before the day of the ruling',
  'there is no office above ': 'there is no office above 湖南省妇联',
  'the case is not in mediation (it is ': 'the case is not in mediation (it is in_progress)',
  "'": "'register' is not a transition of an existing case",
  'choose an outcome of this service: ': 'choose an outcome of this service: order_granted, order_denied',
};
// Other samples of literals that are whole messages but also begin longer ones.
const EXTRA = ['the review (复查) is already answered', 'the re-review (复核) is already answered', 'cannot accept a referral that is declined',
  'only the referring office may withdraw a referral', 'accept needs note'];

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.cpp') ? [p] : [];
  });
}

// [{file, kind: 'field'|'transition', text, concatenated}] of every literal message in the sources.
function serverMessages() {
  const out = [];
  for (const file of SOURCES.flatMap((d) => files(join(root, d)))) {
    const s = readFileSync(file, 'utf8');
    const where = relative(root, file);
    const take = (kind, re) => {
      for (const m of s.matchAll(re)) out.push({ file: where, kind, text: m[1], concatenated: /^\s*\+/.test(s.slice(m.index + m[0].length)) });
    };
    take('field', /bad\[[^\]]*\]\s*=\s*(?:std::string\()?"((?:[^"\\]|\\.)*)"\)?/g);
    take('transition', /fail\(Errc::transition_not_allowed,\s*(?:std::string\()?"((?:[^"\\]|\\.)*)"\)?/g);
    take('transition', /return \{std::nullopt,\s*(?:std::string\()?"((?:[^"\\]|\\.)*)"\)?/g);
  }
  return out;
}

function translated({ file, kind }, text) {
  if (kind === 'field') {
    const out = (/\/dv_/.test(file) ? dvFieldText : fieldMessage)(text);
    return out !== t('err.generic', { message: text }) ? out : null;
  }
  const out = errorMessage({ code: 'transition_not_allowed', status: 422, message: text });
  return out.includes(text) ? null : out;
}

test('the sources still hold the server messages this test reads', () => {
  const all = serverMessages();
  assert.ok(all.filter((m) => m.kind === 'field').length > 100, 'field messages found');
  assert.ok(all.filter((m) => m.kind === 'transition').length > 30, 'transition reasons found');
});

test('every server message has a Chinese sentence at the desk', () => {
  setLang('zh-CN');
  const missing = [];
  for (const m of serverMessages()) {
    const text = m.concatenated ? SAMPLES[m.text] : m.text;
    if (text === undefined) {
      missing.push(`${m.file}: "${m.text}" … is built by concatenation: add a whole example to SAMPLES`);
      continue;
    }
    const out = translated(m, text);
    if (!out) missing.push(`${m.file} (${m.kind}): "${text}"`);
    else if (!/[\u4e00-\u9fff]/.test(out)) missing.push(`${m.file} (${m.kind}): "${text}" → "${out}" has no Chinese`);
  }
  for (const text of EXTRA) if (!translated({ file: '', kind: 'transition' }, text)) missing.push(`"${text}"`);
  assert.deepEqual(missing, []);
});

test('the translations exist in English too', () => {
  setLang('en');
  try {
    assert.equal(errorMessage({ code: 'transition_not_allowed', message: "the order's last day was 2026-12-31; apply for a new one" }),
      t('err.transition', { message: "The order's last day was 2026-12-31; apply for a new one." }));
    assert.equal(fieldMessage('applicant or respondent'), 'Choose from the list.');
  } finally {
    setLang('zh-CN');
  }
});

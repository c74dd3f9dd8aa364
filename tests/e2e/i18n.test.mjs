// The two catalogues have the same keys, and every key the code asks for exists (no browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server.mjs';

const staticDir = join(repoRoot, 'web', 'static');
// The base catalogues plus every feature area's pair (i18n/<area>.zh-CN.js, <area>.en.js).
async function catalogue(lang) {
  const files = [`${lang}.js`, ...readdirSync(join(staticDir, 'i18n')).filter((f) => f.endsWith(`.${lang}.js`)).sort()];
  const merged = {};
  const seen = new Map();
  for (const f of files) {
    for (const [k, v] of Object.entries((await import(join(staticDir, 'i18n', f))).default)) {
      assert.ok(!seen.has(k), `${k} is defined in both ${seen.get(k)} and ${f}`);
      seen.set(k, f);
      merged[k] = v;
    }
  }
  return merged;
}
const zh = await catalogue('zh-CN');
const en = await catalogue('en');

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.js') ? [p] : [];
  });
}

test('zh-CN and en catalogues have exactly the same keys, none empty', () => {
  const a = Object.keys(zh).sort();
  const b = Object.keys(en).sort();
  assert.deepEqual(a.filter((k) => !(k in en)), [], 'keys missing from en.js');
  assert.deepEqual(b.filter((k) => !(k in zh)), [], 'keys missing from zh-CN.js');
  for (const k of a) {
    assert.ok(zh[k].trim() && en[k].trim(), `empty string for ${k}`);
    const params = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
    assert.equal(params(zh[k]), params(en[k]), `placeholders differ for ${k}`);
  }
});

test('every literal key used by the code exists', () => {
  const used = new Set();
  for (const file of sources(join(staticDir, 'app'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\('([a-z_]+\.[a-z0-9_]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/'((?:err|shortcuts)\.[a-z0-9_]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `found ${used.size} keys`);
  assert.deepEqual([...used].filter((k) => !(k in zh)).sort(), []);
});

test('every vocabulary value of the API has a label in both languages', () => {
  const vocab = {
    status: ['registered', 'in_progress', 'referred', 'mediation', 'pending_closure', 'closed', 'delegated', 'forwarded'],
    event: ['register', 'answer', 'accept', 'decline', 'refer', 'referral_done', 'start_mediation', 'end_mediation',
      'request_closure', 'approve_closure', 'reject_closure', 'reopen', 'extend_handling', 'reply', 'forward', 'delegate',
      'submit_report', 'report_received', 'accept_report', 'return_report', 'report_returned',
      'transfer', // the first version's single event, still on old timelines
      // written to the timeline by edits, referral responses and mediation sessions
      'update', 'assign', 'referral_accept', 'referral_decline', 'referral_progress', 'referral_complete', 'referral_withdraw',
      'mediation_scheduled', 'mediation_postponed',
      'follow_up', 'import', 'archive'], // 回访, a ledger import and 存档 on the timeline
    referral_status: ['sent', 'accepted', 'declined', 'in_progress', 'completed', 'withdrawn'],
    mediation_result: ['agreement', 'failed', 'postponed'],
    channel: ['hotline', 'walk_in', 'letter', 'online', 'agent', 'screening', 'transfer_in'],
    // the person each channel brings (来电人 / 来访人 / 来信人 …; web/static/app/format.js personLabel)
    contact_person: ['hotline', 'walk_in', 'letter', 'online', 'agent', 'screening', 'transfer_in', 'other'],
    satisfaction: ['satisfied', 'basically_satisfied', 'dissatisfied'],
    call_type: ['consultation', 'help_request', 'silent', 'hang_up', 'abusive', 'wrong_number'],
    urgency: ['normal', 'urgent', 'emergency'],
    risk: ['none', 'general', 'elevated', 'high', 'extreme'],
    service: ['protection_order', 'police_response', 'warning_letter', 'legal_aid', 'litigation_support', 'mediation', 'shelter',
      'relief', 'injury_exam', 'labour', 'schooling', 'other'],
    partner_type: ['court', 'police', 'procuratorate', 'justice', 'legal_aid', 'mediation_committee', 'civil_affairs', 'health',
      'labour', 'education', 'federation', 'other'],
    gender: ['female', 'male', 'other', 'unknown'],
    deadline: ['acceptance', 'handling', 'report'],
    notice_method: ['in_person', 'phone', 'written', 'sms'],
    opinion: ['support', 'explain', 'not_support'],
    report_state: ['awaited', 'reported', 'accepted'],
    role: ['operator', 'supervisor', 'partner', 'sysadmin', 'secadmin', 'auditor'],
  };
  for (const [group, values] of Object.entries(vocab)) {
    for (const v of values) {
      assert.ok(`${group}.${v}` in zh, `zh-CN lacks ${group}.${v}`);
      assert.ok(`${group}.${v}` in en, `en lacks ${group}.${v}`);
    }
  }
});

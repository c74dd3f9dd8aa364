#!/usr/bin/env node
// Plays a seat's call-centre system against a hotline server (issue #15 point 9; web/API.md
// "Telephony"): reports a call ringing at an agent, and its end.
//
//   node tests/telephony/fake-callcentre.mjs ring --url URL --token TOKEN --call-id ID --caller NUMBER
//                                                  (--agent AGENT_ID | --seat SEAT_ID) [--rang-at ISO]
//   node tests/telephony/fake-callcentre.mjs end  --url URL --token TOKEN --call-id ID
//                                                  [--duration SECONDS] [--ended-at ISO]
//   node tests/telephony/fake-callcentre.mjs call ... (ring, wait --after SECONDS (default 5), end)
//
// The token may come from $HOTLINE_TELEPHONY_TOKEN instead of --token (it then stays out of `ps`).
// Make one with `hotline telephony-token NAME` and put the line it prints in the server's config.
// Prints each answer's status and JSON body; exits 0 when every answer was 2xx, 1 otherwise, 2 on
// wrong usage. Needs Node 18+ (fetch), nothing else.
import { parseArgs } from 'node:util';

const usage = 'usage: fake-callcentre.mjs ring|end|call --url URL [--token TOKEN] --call-id ID [--caller NUMBER] ' +
  '[--agent AGENT_ID] [--seat SEAT_ID] [--rang-at ISO] [--duration SECONDS] [--ended-at ISO] [--after SECONDS]';

function fail(message) {
  console.error(`fake-callcentre: ${message}\n${usage}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'call-id': { type: 'string' },
      caller: { type: 'string' },
      agent: { type: 'string' },
      seat: { type: 'string' },
      'rang-at': { type: 'string' },
      duration: { type: 'string' },
      'ended-at': { type: 'string' },
      after: { type: 'string' },
    },
  });
} catch (e) {
  fail(e.message);
}
const { values: o, positionals } = parsed;
const command = positionals[0];
const token = o.token || process.env.HOTLINE_TELEPHONY_TOKEN;
if (!['ring', 'end', 'call'].includes(command)) fail('say ring, end or call');
if (!o.url) fail('--url is required');
if (!token) fail('--token or $HOTLINE_TELEPHONY_TOKEN is required');
if (!o['call-id']) fail('--call-id is required');

async function post(path, body) {
  const res = await fetch(new URL(path, o.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  console.log(`${res.status} ${text}`);
  return res.ok;
}

async function ring() {
  if (!o.caller) fail('--caller is required to ring');
  if (!o.agent && !o.seat) fail('--agent or --seat is required to ring');
  const body = { call_id: o['call-id'], caller_number: o.caller };
  if (o.agent) body.agent_id = o.agent;
  if (o.seat) body.seat_id = o.seat;
  if (o['rang-at']) body.rang_at = o['rang-at'];
  return post('/api/v1/telephony/calls', body);
}

async function end() {
  const body = {};
  if (o.duration !== undefined) {
    const n = Number(o.duration);
    if (!Number.isInteger(n) || n < 0) fail('--duration: whole seconds');
    body.duration_seconds = n;
  }
  if (o['ended-at']) body.ended_at = o['ended-at'];
  return post(`/api/v1/telephony/calls/${encodeURIComponent(o['call-id'])}/end`, body);
}

let ok = true;
if (command === 'ring' || command === 'call') ok = (await ring()) && ok;
if (command === 'call') await new Promise((r) => setTimeout(r, 1000 * Number(o.after ?? 5)));
if (command === 'end' || command === 'call') ok = (await end()) && ok;
process.exit(ok ? 0 : 1);

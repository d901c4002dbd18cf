// The recogniser on a tiny catalog of its own: what wins, and what candidates() reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Recogniser } from '../../../../src/parse/catalog/recognise.ts';
import type { MessageDef } from '../../../../src/parse/catalog/types.ts';
import { decode } from '../../../../src/parse/decode/decode.ts';

const base = {
  impl: 'linux-kernel', format: '%s: x', level: 'debug', family: 'handshake', action: 'wireguard-test', category: ['network'],
  type: ['info'], outcome: 'unknown', severity: 'info', direction: 'inbound', examples: [], ifacePrefix: true,
} as const;
const specific: MessageDef = { ...base, id: 'kernel.test.specific', pattern: 'Invalid handshake initiation from {endpoint}' };
const loose: MessageDef = { ...base, id: 'kernel.test.loose', pattern: 'Invalid handshake {text:detail}' };
const line = 'May 22 14:22:07 gw1 kernel: wireguard: wg0: Invalid handshake initiation from 203.0.113.7:51820';
const d = decode(line, { timezone: 'UTC', nowMs: Date.parse('2025-05-23T00:00:00Z') });

test('the first matching entry wins; candidates() names every entry that matches', () => {
  const r = new Recogniser([specific, loose]);
  assert.equal(r.recognise(d)?.def.id, 'kernel.test.specific');
  assert.equal(r.recognise(d)?.iface, 'wg0');
  assert.deepEqual(r.candidates(d).map((h) => h.def.id), ['kernel.test.specific', 'kernel.test.loose']);
  // candidates() leaves recognise() as it was.
  assert.equal(r.recognise(d)?.captures.endpoint, '203.0.113.7:51820');
});

test('an entry that does not match is no candidate', () => {
  const r = new Recogniser([specific]);
  const other = decode('May 22 14:22:07 gw1 kernel: wireguard: wg0: Invalid handshake response from 1.2.3.4:5', { timezone: 'UTC', nowMs: 0 });
  assert.deepEqual(r.candidates(other), []);
  assert.equal(r.recognise(other), null);
});

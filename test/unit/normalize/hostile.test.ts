// Whatever arrives, processLine returns a result (never throws) in bounded time, and every document it
// returns passes the schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { processLine } from '../../../src/normalize/line.ts';
import { validateEvent } from '../../../src/schema/validate.ts';

const opts = { timezone: 'Europe/Berlin', namespace: 'default', validate: true };
const NOW = Date.parse('2025-05-23T00:00:00Z');

function check(value: string | Uint8Array): number {
  const t = performance.now();
  const r = processLine({ value, nowMs: NOW }, opts);
  const ms = performance.now() - t;
  assert.ok(r.kind === 'event' || r.kind === 'unparsed' || r.kind === 'invalid');
  if (r.kind === 'event') assert.deepEqual(validateEvent(r.doc), { ok: true });
  return ms;
}

// Pieces of real lines, so random combinations get deep into the recogniser rather than failing at once.
const PIECES = ['wireguard: ', 'wg0: ', 'amneziawg: ', 'peer(xTIB…p8Dg) - ', 'Invalid handshake initiation from ', '[2001:db8::1]:51820/0%0',
  '203.0.113.7:51820', '(einval)', 'Keypair ', ' created for peer ', 'DEBUG: (wg0) 2025/05/22 14:22:07 ', 'May 22 14:22:07 gw1 kernel: ',
  '[ 8312.401877] ', '{"MESSAGE":', '"__proto__":', '2025-05-22 14:22:07.123456: [TUN] [office] ', ' retrying (try ', '\u0000', '\uFFFD', ':', '[', '(', ' '];

test('property: any combination of line fragments, any string, any bytes: a result, never an exception', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }), (parts) => { check(parts.join('')); }), { numRuns: 3000 });
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => { check(s); }), { numRuns: 2000 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { check(b); }), { numRuns: 1000 });
  fc.assert(fc.property(fc.json(), (j) => { check(j); }), { numRuns: 1000 });
});

test('adversarial lines take bounded time (no catastrophic backtracking)', () => {
  const hostile = [
    `wireguard: wg0: Invalid handshake initiation from ${'1.'.repeat(200_000)}`,
    `wireguard: wg0: Handshake for peer 1 (${'['.repeat(100_000)}`,
    `DEBUG: (wg0) 2025/05/22 14:22:07 peer(${'a'.repeat(100_000)}`,
    `May 22 14:22:07 gw1 kernel: wireguard: ${'wg0: '.repeat(100_000)}`,
    `${'wireguard: '.repeat(50_000)}x`,
    'x'.repeat(1024 * 1024),
    `{"MESSAGE":"${'\\u0041'.repeat(200_000)}"}`,
    `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
    `peer(xTIB…p8Dg) - ${'Received handshake response '.repeat(20_000)}`,
    `2025-05-22T14:22:07.123456Z DEBUG boringtun::noise: ${'remote_idx=1 '.repeat(50_000)}`,
  ];
  for (const line of hostile) {
    const ms = check(line);
    assert.ok(ms < 100, `${ms.toFixed(1)} ms for a ${line.length}-character line starting ${JSON.stringify(line.slice(0, 40))}`);
  }
});

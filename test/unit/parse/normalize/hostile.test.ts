// Whatever arrives, processLine returns a result (never throws) in bounded time, and every document it
// returns passes the schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { processLine } from '../../../../src/parse/normalize/line.ts';
import { validateEvent } from '../../../../src/shared/schema/validate.ts';
import { COST_LIMIT, costlierThanReference, scanOf } from '../../../helpers/cost.ts';
import { HOSTILE_LINES } from '../../../helpers/hostile-lines.ts';

const opts = { timezone: 'Europe/Berlin', namespace: 'default', validate: true };
const NOW = Date.parse('2025-05-23T00:00:00Z');

function check(value: string | Uint8Array): void {
  const r = processLine({ value, nowMs: NOW }, opts);
  assert.ok(r.kind === 'event' || r.kind === 'unparsed' || r.kind === 'invalid');
  if (r.kind === 'event') assert.deepEqual(validateEvent(r.doc), { ok: true });
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

test('adversarial lines cost a few scans of the line, not its square (no catastrophic backtracking)', () => {
  const cases = HOSTILE_LINES.map((line) => ({
    name: `a ${line.length}-character line starting ${JSON.stringify(line.slice(0, 40))}`,
    run: () => { check(line); },
    reference: scanOf([line]),
  }));
  assert.deepEqual(costlierThanReference(cases, COST_LIMIT), []);
});

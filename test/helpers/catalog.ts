// Catalog tests look at example lines the way the service does: the real decoder, the real recogniser.
import assert from 'node:assert/strict';
import type { Hit, Recognised } from '../../src/parse/catalog/recognise.ts';
import { decode } from '../../src/parse/decode/decode.ts';
import type { Decoded } from '../../src/parse/decode/types.ts';
import { recogniser } from '../../src/parse/normalize/line.ts';

const CTX = { timezone: 'UTC', nowMs: Date.parse('2025-05-23T00:00:00Z'), recordTimestampMs: Date.parse('2025-05-22T14:22:07Z') };

export function decodeExample(line: string): Decoded {
  return decode(line, CTX);
}

/** Ids of every entry that matches the line along any path the recogniser tries. */
export function matchingIds(line: string): string[] {
  return recogniser().candidates(decodeExample(line)).map((h: Hit) => h.def.id);
}

/** The line as the recogniser takes it, asserted to be entry `id` (with its captures, interface and peer). */
export function recognisedAs(id: string, line: string): Recognised {
  const r = recogniser().recognise(decodeExample(line));
  assert.ok(r, `${id}: not recognised: ${line}`);
  assert.equal(r.def.id, id, `${line}\n  recognised as ${r.def.id} instead of ${id}`);
  return r;
}

/** A message body in wireguard-go's own stdout envelope. */
export const goLine = (body: string): string => `DEBUG: (wg0) 2025/05/22 14:22:07 ${body}`;

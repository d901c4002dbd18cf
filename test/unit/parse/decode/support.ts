// Shared by the decoder tests: contexts, expected instants, and a full-object assertion.
import assert from 'node:assert/strict';
import { decode } from '../../../../src/parse/decode/decode.ts';
import type { DecodeContext, Decoded } from '../../../../src/parse/decode/types.ts';

/** "Now" is the day after the sample lines (2025-05-22), read in Berlin. */
export const NOW = Date.UTC(2025, 4, 23, 6, 0, 0);
export const BERLIN: DecodeContext = { timezone: 'Europe/Berlin', nowMs: NOW };
export const UTC: DecodeContext = { timezone: 'UTC', nowMs: NOW };
export const RECORD_MS = Date.UTC(2025, 4, 22, 12, 30, 0);
export const BERLIN_WITH_RECORD: DecodeContext = { ...BERLIN, recordTimestampMs: RECORD_MS };

/** Epoch ms of a UTC time; `us` adds microseconds the way the decoder keeps them (as the fraction of a ms). */
export function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, us = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) + us / 1000;
}

type Expected = Omit<Decoded, 'original'>;

/** Decodes `line` and compares the whole result, so a field the test does not name must be absent. */
export function expectDecoded(line: string, ctx: DecodeContext, expected: Expected): Decoded {
  const d = decode(line, ctx);
  assert.deepStrictEqual(d, { original: line, ...expected });
  return d;
}

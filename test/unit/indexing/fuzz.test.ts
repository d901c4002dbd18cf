// Hostile records (test/helpers/fuzz-records.ts) through processRecord, the per-record step of the pipeline:
// never an exception, every outcome accounted for (documents, unparsed lines, or dead letters with
// a known reason and a detail), every document valid, and Object.prototype untouched. `npm run fuzz` runs a
// million of them through the real pipeline on the local stack; `npm run bench:budgets` times the slowest record
// of each kind (bounded cost on hostile lines is what normalize/hostile and decode/robustness prove).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { processRecord, type RecordContext } from '../../../src/indexing/record.ts';
import { validateEvent, validatePeer, validateUnparsed } from '../../../src/shared/schema/validate.ts';
import { fuzzRecordArb, type FuzzRecord } from '../../helpers/fuzz-records.ts';

const ctx: RecordContext = { namespace: 'fuzz', timezone: 'UTC', validate: true, maxRecordBytes: 1_048_576, keepUnparsed: true, nowMs: Date.parse('2026-11-25T04:00:00Z') };
const REASONS = new Set(['record-too-large', 'empty-record', 'schema-invalid', 'processing-error']);

function run(r: FuzzRecord, offset: number): void {
  const out = processRecord({ topic: 'fuzz', partition: 0, offset: String(offset), timestampMs: ctx.nowMs, key: null, value: Buffer.from(r.value), headers: r.headers }, ctx);
  for (const d of out.deadLetters) {
    assert.ok(REASONS.has(d.reason), `${r.kind}: dead letter reason ${d.reason}`);
    assert.notEqual(d.reason, 'processing-error', `${r.kind}: an exception inside processing: ${d.detail}`);
    assert.ok(d.detail.length > 0, `${r.kind}: a dead letter says why`);
    assert.equal(Buffer.compare(d.value, Buffer.from(r.value)), 0, `${r.kind}: the dead letter keeps the original bytes`);
  }
  for (const a of out.actions) {
    const v = a.index.startsWith('logs-wireguard.log-') ? validateEvent(a.doc) : a.index.startsWith('logs-wireguard.peer-') ? validatePeer(a.doc) : validateUnparsed(a.doc);
    assert.deepEqual(v, { ok: true }, `${r.kind}: ${a.index} document is valid`);
  }
  if (r.value.length === 0) assert.equal(out.deadLetters[0]?.reason, 'empty-record');
  assert.ok(out.actions.length + out.deadLetters.length + out.unparsed > 0 || r.headers['wg-siem-kind'] !== undefined, `${r.kind}: the record is accounted for`);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined, `${r.kind}: Object.prototype polluted`);
}

test('fuzz: hostile records of every kind are indexed, counted as unparsed or dead-lettered with a reason', () => {
  const kinds = new Map<string, number>();
  let offset = 0;
  fc.assert(fc.property(fuzzRecordArb(), (r) => {
    run(r, offset++);
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  }), { numRuns: 1500, seed: 20261206 });
  // Every kind came up, so the property says something about each.
  for (const k of ['spoofed-line', 'multi-line', 'random-text', 'random-bytes', 'prototype-keys', 'peer-snapshot', 'json-bomb', 'empty', 'huge-line']) {
    assert.ok((kinds.get(k) ?? 0) > 0, `no ${k} record was drawn`);
  }
});

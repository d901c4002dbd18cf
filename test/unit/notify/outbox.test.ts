// The per-target queue against a plain-array model: FIFO order, the bound, and what a full queue drops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Outbox } from '../../../src/notify/outbox.ts';
import type { Outgoing } from '../../../src/notify/outgoing.ts';
import { alert } from './support.ts';

type Op = { op: 'push'; kind: 'trigger' | 'resolve' } | { op: 'shift' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('push' as const), kind: fc.constantFrom('trigger' as const, 'resolve' as const) }),
  fc.record({ op: fc.constant('shift' as const) }),
);

test('Outbox behaves like the model: FIFO; when full the oldest trigger (or the incoming one) goes; resolves never', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(opArb, { minLength: 50, maxLength: 400 }), (capacity, ops) => {
    const box = new Outbox(capacity);
    const model: Outgoing[] = [];
    let seq = 0;
    for (const o of ops) {
      if (o.op === 'shift') {
        assert.equal(box.shift(), model.shift());
      } else {
        const x: Outgoing = { kind: o.kind, n: alert(seq++) };
        const dropped = box.push(x);
        let expected: Outgoing | undefined;
        if (model.length >= capacity) {
          const i = model.findIndex((m) => m.kind === 'trigger');
          if (i >= 0) expected = model.splice(i, 1)[0];
          else if (x.kind === 'trigger') expected = x;
        }
        if (expected !== x) model.push(x);
        assert.equal(dropped, expected);
      }
      assert.equal(box.length, model.length);
      // Only resolves may overshoot the bound.
      if (box.length > capacity) assert.ok(model.every((m) => m.kind === 'resolve'));
    }
    assert.deepEqual(box.clear(), model);
    assert.equal(box.length, 0);
  }), { numRuns: 300 });
});

test('Outbox: a long storm against a blocked receiver stays O(1) per push', () => {
  const box = new Outbox(1000);
  box.push({ kind: 'resolve', n: alert(-1) });
  const t = performance.now();
  for (let i = 0; i < 200_000; i++) box.push({ kind: 'trigger', n: alert(i) });
  assert.ok(performance.now() - t < 2000, `${(performance.now() - t).toFixed(0)} ms`);
  assert.equal(box.length, 1000);
  assert.equal(box.shift()?.kind, 'resolve');
  const next = box.shift();
  assert.equal(next?.kind === 'trigger' ? next.n.alertId : undefined, alert(199_001).alertId);
});

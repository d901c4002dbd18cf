// The per-target queue against a plain-array model: FIFO order, the bound, and what a full queue drops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { StormStats } from '../../../../src/sinks/notify/aggregate.ts';
import { Outbox } from '../../../../src/sinks/notify/outbox.ts';
import { pageInfo } from '../../../../src/sinks/notify/notifier.ts';
import type { Outgoing } from '../../../../src/sinks/notify/outgoing.ts';
import { alert } from './support.ts';
import { costlierThanReference } from '../../../helpers/cost.ts';

type Op = { op: 'push'; kind: 'trigger' | 'resolve' | 'aggregate' } | { op: 'shift' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('push' as const), kind: fc.constantFrom('trigger' as const, 'resolve' as const, 'aggregate' as const) }),
  fc.record({ op: fc.constant('shift' as const) }),
);

function outgoing(kind: 'trigger' | 'resolve' | 'aggregate', seq: number): Outgoing {
  if (kind !== 'aggregate') return { kind, n: alert(seq), page: pageInfo(alert(seq)) };
  const stats = new StormStats();
  stats.add(alert(seq), 'storm');
  return { kind, agg: stats.seal(seq * 1000, 1000) };
}

test('Outbox behaves like the model: FIFO; when full the oldest trigger (or the incoming one) goes, never anything else', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(opArb, { minLength: 50, maxLength: 400 }), (capacity, ops) => {
    const box = new Outbox(capacity);
    const model: Outgoing[] = [];
    let seq = 0;
    for (const o of ops) {
      if (o.op === 'shift') {
        assert.equal(box.shift(), model.shift());
      } else {
        const x = outgoing(o.kind, seq++);
        const dropped = box.push(x);
        let expected: Outgoing | undefined;
        if (model.length >= capacity && x.kind !== 'aggregate') {
          const i = model.findIndex((m) => m.kind === 'trigger');
          if (i >= 0) expected = model.splice(i, 1)[0];
          else if (x.kind === 'trigger') expected = x;
        }
        if (expected !== x) model.push(x);
        assert.equal(dropped, expected);
      }
      assert.equal(box.length, model.length);
      // Past the bound only when there is no trigger left to drop, or because of aggregates.
      if (box.length > capacity) {
        assert.ok(model.every((m) => m.kind !== 'trigger') || model.filter((m) => m.kind !== 'aggregate').length <= capacity);
      }
    }
    assert.deepEqual(box.clear(), model);
    assert.equal(box.length, 0);
  }), { numRuns: 300 });
});

test('Outbox: a long storm against a blocked receiver stays O(1) per push', () => {
  // The cost per push does not grow with the storm: 4n pushes into one box cost what n pushes into each of four
  // boxes do (a cost that grew with the pushes so far would make the long storm ×4 or more dearer).
  const page = pageInfo(alert(0));
  const storm = (pushes: number): Outbox => {
    const box = new Outbox(1000);
    box.push({ kind: 'resolve', n: alert(-1), page: pageInfo(alert(-1)) });
    for (let i = 0; i < pushes; i++) box.push({ kind: 'trigger', n: alert(i), page });
    return box;
  };
  const N = 25_000;
  assert.deepEqual(costlierThanReference([{
    name: `${4 * N} pushes into one box`,
    run: () => { storm(4 * N); },
    reference: () => { for (let k = 0; k < 4; k++) storm(N); },
  }], 3), []);
  const box = storm(200_000);
  assert.equal(box.length, 1000);
  assert.equal(box.shift()?.kind, 'resolve');
  const next = box.shift();
  assert.equal(next?.kind === 'trigger' ? next.n.alertId : undefined, alert(199_001).alertId);
});

test('Outbox: resolves waiting ahead of the triggers are not walked past again on every push', () => {
  // A storm that first resolved many incidents (resolves are never dropped) and then raises new ones: each push must
  // find the oldest trigger without re-reading the resolves ahead of it, so a box with 5,000 resolves at its head
  // costs per push what a box with one does.
  const page = pageInfo(alert(0));
  const storm = (resolves: number, pushes: number): Outbox => {
    const box = new Outbox(resolves + 10);
    for (let i = 0; i < resolves; i++) box.push({ kind: 'resolve', n: alert(-1 - i), page: pageInfo(alert(-1 - i)) });
    for (let i = 0; i < pushes; i++) box.push({ kind: 'trigger', n: alert(i), page });
    return box;
  };
  const N = 20_000;
  const warm = storm(1, N);
  assert.equal(warm.length, 11);
  assert.deepEqual(costlierThanReference([{
    name: `${N} pushes behind 5,000 resolves`,
    run: () => { storm(5000, N); },
    reference: () => { storm(1, N); for (let i = 0; i < 5000; i++) new Outbox(1).push({ kind: 'resolve', n: alert(i), page }); },
  }], 3), []);
  const box = storm(5000, N);
  assert.equal(box.length, 5010);
  assert.equal(box.count('resolve'), 5000, 'no resolve dropped');
  assert.equal(box.count('trigger'), 10, 'the newest triggers kept');
  for (let i = 0; i < 5000; i++) assert.equal(box.shift()?.kind, 'resolve');
  const first = box.shift();
  assert.equal(first?.kind === 'trigger' ? first.n.alertId : undefined, alert(N - 10).alertId);
});

// The root-cause table is data: these tests keep it consistent (ids, texts, signals the catalog knows) and
// prove every pattern can win, i.e. no entry is shadowed by one above it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG } from '../../../../src/parse/catalog/catalog.ts';
import type { Condition, Pattern, Role } from '../../../../src/correlate/diagnose/root-causes.ts';
import { PLACEHOLDERS, ROOT_CAUSES } from '../../../../src/correlate/diagnose/root-causes.ts';
import type { Signal } from '../../../../src/correlate/diagnose/signals.ts';
import { SIGNALS, labelOf, signalOf } from '../../../../src/correlate/diagnose/signals.ts';
import { chooseRootCause } from '../../../../src/correlate/diagnose/tunnel.ts';

const texts = (v: string | readonly string[] | { readonly initiator: string | readonly string[]; readonly responder: string | readonly string[] }): string[] =>
  typeof v === 'string' ? [v] : 'initiator' in v ? [...texts(v.initiator), ...texts(v.responder)] : [...v];

test('root-cause ids are unique and kebab-case', () => {
  const ids = ROOT_CAUSES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
});

test('every entry has a one-line title, a summary and concrete checks, using only known placeholders', () => {
  for (const r of ROOT_CAUSES) {
    assert.doesNotMatch(r.title, /\n/);
    assert.ok(r.title.length > 10 && r.title.length < 130, r.id);
    const all = [r.title, ...texts(r.summary), ...texts(r.checks)];
    assert.ok(texts(r.checks).length > 0, r.id);
    for (const t of all) {
      assert.ok(t.trim().length > 0, r.id);
      for (const [, name] of t.matchAll(/\{(\w+)\}/g)) assert.ok((PLACEHOLDERS as readonly string[]).includes(name ?? ''), `${r.id}: {${name ?? ''}}`);
    }
    // Checks say what to run or look at: each names a command or a config item.
    for (const c of texts(r.checks)) assert.match(c, /`|AllowedIPs|PresharedKey|PublicKey|firewall|config/, `${r.id}: ${c}`);
  }
});

test('a confirmed pattern reads both ends; one end alone is at most probable', () => {
  for (const r of ROOT_CAUSES) {
    for (const p of r.patterns) {
      const ends = new Set(p.all.map((c) => c.end));
      if (p.confidence === 'confirmed') assert.equal(ends.size, 2, r.id);
      if (ends.size < 2) assert.notEqual(p.confidence, 'confirmed', r.id);
    }
  }
});

test('only the last entry always holds: it is the fallback', () => {
  const always = ROOT_CAUSES.filter((r) => r.patterns.some((p) => p.all.length === 0));
  assert.deepEqual(always.map((r) => r.id), [ROOT_CAUSES.at(-1)?.id]);
  assert.equal(ROOT_CAUSES.at(-1)?.id, 'one-sided');
  assert.equal(chooseRootCause(() => false).cause.id, 'one-sided');
});

test('every action the signal table names exists in the message catalog', () => {
  const actions = new Set(CATALOG.map((m) => m.action));
  for (const s of SIGNALS) for (const a of s.actions) assert.ok(actions.has(a), `${s.id}: ${a}`);
  assert.equal(signalOf('wireguard-handshake-mac-invalid'), 'mac-invalid');
  assert.equal(signalOf('wireguard-routine-started'), undefined);
  assert.equal(labelOf(['mac-invalid', 'initiation-invalid']), 'handshakes with an invalid MAC or rejected handshake initiations');
});

// A minimal world in which a pattern holds: one line for each positive condition (its first signal, at the
// attempts or merely in the period), nothing else, and both ends' logs present when the pattern reads them.
interface World {
  readonly available: ReadonlySet<Role>;
  readonly lines: readonly { end: Role; signal: Signal | 'other'; atAttempts: boolean }[];
}

function worldFor(p: Pattern): World {
  const available = new Set(p.all.map((c) => c.end));
  const lines = p.all
    .filter((c) => c.test !== 'none')
    .map((c) => ({ end: c.end, signal: c.signals === 'any' ? 'other' as const : (c.signals[0] ?? 'other'), atAttempts: c.scope === 'attempts' }));
  return { available, lines };
}

function holdsIn(w: World, c: Condition): boolean {
  if (!w.available.has(c.end)) return false;
  const seen = w.lines.filter((l) => l.end === c.end
    && (c.signals === 'any' || (l.signal !== 'other' && c.signals.includes(l.signal)))
    && (c.scope === 'period' || l.atAttempts));
  return c.test === 'none' ? seen.length === 0 : seen.length > 0;
}

test('no unreachable entries: every pattern wins in the world its own conditions describe', () => {
  for (const r of ROOT_CAUSES) {
    for (const p of r.patterns) {
      const w = worldFor(p);
      assert.ok(p.all.every((c) => holdsIn(w, c)), `${r.id}/${p.confidence}: contradicts itself`);
      const got = chooseRootCause((c) => holdsIn(w, c));
      assert.equal(got.cause.id, r.id, `${r.id}/${p.confidence} is shadowed by ${got.cause.id}/${got.pattern.confidence}`);
      assert.equal(got.pattern, p, `${r.id}/${p.confidence} is shadowed by its own ${got.pattern.confidence} pattern`);
    }
  }
});

// The whole catalog through the real path: every example line of every entry is decoded, recognised as that
// entry (no other entry of any implementation matches it), normalised, and its document passes the schema
// generated from the mappings.
import assert from 'node:assert/strict';
import { loadRules, SHIPPED_RULES_DIR } from '../../../../src/correlate/rules/load-rules.ts';
import { test } from 'node:test';
import { EcsFlat } from '@elastic/ecs';
import { CATALOG, DIAGNOSES, DIAGNOSIS_LIST } from '../../../../src/parse/catalog/catalog.ts';
import { processLine, recogniser } from '../../../../src/parse/normalize/line.ts';
import { decode } from '../../../../src/parse/decode/decode.ts';

const NOW = Date.parse('2025-05-23T00:00:00Z');
const RECORD_TS = Date.parse('2025-05-22T14:22:07Z');
// With event.original kept (pipeline.preserveOriginalEvent), so every example is also checked against its own text.
const opts = { timezone: 'UTC', namespace: 'default', validate: true, preserveOriginal: true };

interface EcsFieldDef { allowed_values?: { name: string; expected_event_types?: string[] }[] }
const ecs = EcsFlat as unknown as Record<string, EcsFieldDef>;
const CATEGORIES = new Map((ecs['event.category']?.allowed_values ?? []).map((v) => [v.name, new Set(v.expected_event_types ?? [])]));

test('ids are unique and name their implementation', () => {
  const ids = CATALOG.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length);
  const prefix = { 'linux-kernel': 'kernel.', 'wireguard-go': 'go.', windows: 'win.', boringtun: 'bt.', tunsafe: 'ts.', 'wireguard-rs': 'rs.', lwip: 'lwip.', freebsd: 'fbsd.', routeros: 'ros.', 'wireguard-tools': 'tools.', platform: 'plat.' } as const;
  for (const d of CATALOG) assert.ok(d.id.startsWith(prefix[d.impl]), d.id);
  assert.ok(CATALOG.length >= 242, `${CATALOG.length} entries`);
});

test('every failure or warning has a diagnosis that exists, with ranked causes and checks', () => {
  for (const d of CATALOG) {
    const needs = d.outcome === 'failure' || ['warning', 'error', 'critical'].includes(d.severity);
    if (needs) assert.ok(d.diagnosis, `${d.id} needs a diagnosis`);
    if (d.diagnosis) assert.ok(DIAGNOSES.has(d.diagnosis), `${d.id}: unknown diagnosis ${d.diagnosis}`);
  }
  for (const g of DIAGNOSES.values()) {
    assert.ok(g.summary.length > 20 && g.causes.length > 0 && g.checks.length > 0, g.id);
    const order = { likely: 0, possible: 1, rare: 2 } as const;
    const ranks = g.causes.map((c) => order[c.likelihood]);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `${g.id}: causes are not ranked`);
  }
});

test('diagnosis ids are unique across all tables, and every diagnosis is used by a message or a shipped rule', () => {
  const ids = DIAGNOSIS_LIST.map((g) => g.id);
  assert.equal(new Set(ids).size, ids.length, 'a diagnosis id is defined twice');
  const rules = loadRules(SHIPPED_RULES_DIR);
  assert.ok(rules.ok);
  const used = new Set([...CATALOG.map((d) => d.diagnosis), ...rules.rules.map((r) => r.diagnosis)]);
  for (const id of ids) assert.ok(used.has(id), `diagnosis ${id} is used by no entry and no rule`);
});

test('event.category / event.type pairs are ones ECS expects', () => {
  for (const d of CATALOG) {
    for (const c of d.category) {
      const expected = CATEGORIES.get(c);
      assert.ok(expected, `${d.id}: ${c} is not an ECS category`);
      for (const t of d.type) assert.ok(expected.has(t), `${d.id}: type ${t} is not expected with category ${c}`);
    }
  }
});

test('the same event.action always means the same outcome', () => {
  const seen = new Map<string, string>();
  for (const d of CATALOG) {
    const o = seen.get(d.action);
    if (o !== undefined && d.action !== 'wireguard-internal-error') assert.equal(d.outcome, o, `${d.action}: ${d.id} disagrees`);
    seen.set(d.action, d.outcome);
  }
});

/** Entries declared to print the same text as another: id → those other ids. */
const sameText = new Map<string, string[]>();
for (const d of CATALOG) if (d.sameTextAs) sameText.set(d.sameTextAs, [...(sameText.get(d.sameTextAs) ?? []), d.id]);

test('every example of every entry is recognised as that entry, by no other, and yields a valid ECS document', () => {
  let n = 0;
  for (const d of CATALOG) {
    assert.ok(d.examples.length > 0, `${d.id}: no example`);
    for (const line of d.examples) {
      const decoded = decode(line, { timezone: 'UTC', nowMs: NOW, recordTimestampMs: RECORD_TS });
      const r = recogniser().recognise(decoded);
      assert.ok(r, `${d.id}: not recognised: ${line}`);
      assert.ok(r.def.id === d.id || r.def.id === d.sameTextAs, `${line}\n  recognised as ${r.def.id} instead of ${d.id}`);
      // No other entry, of any implementation, may match the line along any path: the first match would win silently.
      const others = recogniser().candidates(decoded).map((h) => h.def.id).filter((id) => id !== d.id && id !== d.sameTextAs && !sameText.get(id)?.includes(d.id));
      assert.deepEqual(others, [], `${line}\n  also matches ${others.join(', ')}`);
      const res = processLine({ value: line, nowMs: NOW, recordTimestampMs: RECORD_TS }, opts);
      assert.equal(res.kind, 'event', `${d.id}: ${res.kind === 'invalid' ? res.errors.join('; ') : res.kind}: ${line}`);
      if (res.kind !== 'event') continue;
      const doc = res.doc;
      assert.equal(doc.event.original, line);
      assert.ok(doc.tags?.includes('preserve_original_event'));
      assert.equal(doc.wireguard?.message?.id, r.def.id);
      // Lean: the diagnosis id and its one-line summary; causes and checks live in the diagnoses index.
      if (r.def.diagnosis) {
        assert.deepEqual(doc.wireguard?.diagnosis, { id: r.def.diagnosis });
        assert.equal(doc.event.reason, DIAGNOSES.get(r.def.diagnosis)?.summary);
      }
      if (d.direction === 'inbound' && doc.wireguard?.peer?.endpoint && doc.source) assert.ok(doc.source.ip && doc.related?.ip?.includes(doc.source.ip));
      if (d.direction === 'outbound' && doc.destination) assert.equal(doc.source, undefined);
      n++;
    }
  }
  assert.ok(n > 500, `${n} examples`);
});

// The Kibana saved objects and detection rules as users import them (mappings/kibana/*.ndjson): up to date with
// their source, every reference resolving (dashboard panel → visualization → saved search → data view), and every
// field they name present in the index template behind the data view, with a type Kibana can aggregate on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules, SHIPPED_RULES_DIR } from '../../../../src/correlate/rules/load-rules.ts';
import type { Rule } from '../../../../src/correlate/rules/rule-types.ts';
import { kibanaArtifacts, SAVED_OBJECTS_FILE, DETECTION_RULES_FILE } from '../../../../src/sinks/kibana/artifacts.ts';
import type { SavedObject } from '../../../../src/sinks/kibana/build.ts';
import type { DetectionRule } from '../../../../src/sinks/kibana/detection-rules.ts';
import { readKibanaSource } from '../../../../src/sinks/kibana/source.ts';
import { panelSearch } from '../../../../src/sinks/kibana/to-search.ts';
import { composeTemplate } from '../../../../src/shared/schema/compose.ts';
import { leafFields } from '../../../../src/shared/schema/fields.ts';
import { listIndexTemplates } from '../../../../src/shared/schema/load.ts';

const objects = readFileSync(SAVED_OBJECTS_FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SavedObject);
const rules = readFileSync(DETECTION_RULES_FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DetectionRule);

/** Field → mapped type, per index pattern of the shipped index templates. */
const typesByPattern = new Map(listIndexTemplates().flatMap((name) => {
  const t = composeTemplate(name);
  const types = new Map(leafFields(t.mappings).map((f) => [f.path, String(f.mapping.type)]));
  return t.indexTemplate.index_patterns.map((p) => [p, types] as const);
}));
/** Types Kibana can bucket or compute metrics on (text and match_only_text are not aggregatable). */
const AGGREGATABLE = new Set(['keyword', 'constant_keyword', 'ip', 'date', 'long', 'integer', 'short', 'byte', 'double', 'float', 'boolean']);

const byKey = new Map(objects.map((o) => [`${o.type}/${o.id}`, o]));
const get = (type: string, id: string): SavedObject => {
  const o = byKey.get(`${type}/${id}`);
  assert.ok(o, `${type} ${id} is referenced but not in ${SAVED_OBJECTS_FILE}`);
  return o;
};
const jsonAttr = (o: SavedObject, key: string): unknown => JSON.parse(String((o.attributes[key] as string | undefined) ?? 'null'));
const searchSource = (o: SavedObject): { query: { query: string; language: string } } =>
  JSON.parse((o.attributes['kibanaSavedObjectMeta'] as { searchSourceJSON: string }).searchSourceJSON) as { query: { query: string; language: string } };
const viewOf = (search: SavedObject): SavedObject => get('index-pattern', search.references.find((r) => r.name === 'kibanaSavedObjectMeta.searchSourceJSON.index')?.id ?? '');
const fieldTypes = (view: SavedObject): Map<string, string> => {
  const t = typesByPattern.get(String(view.attributes['title']));
  assert.ok(t, `data view ${view.id}: ${String(view.attributes['title'])} is no index template's pattern`);
  return t;
};
/** Field names in a Lucene query: `field:` and `_exists_:field`. */
const queryFields = (q: string): string[] => [...q.matchAll(/(?:^|[\s(])(?:_exists_:)?([a-z@][\w.@]*):/g), ...q.matchAll(/_exists_:([\w.@]+)/g)]
  .map((m) => m[1] ?? '').filter((f) => f !== '_exists_');

test('query fields are read from Lucene queries (what the field checks below rely on)', () => {
  assert.deepEqual(queryFields('event.action:(a OR b) AND _exists_:source.ip'), ['event.action', 'source.ip']);
  assert.deepEqual(queryFields('wireguard.alert.status:open'), ['wireguard.alert.status']);
});

test('the built NDJSON files are up to date with mappings/kibana and alerts/ (npm run kibana)', () => {
  for (const a of kibanaArtifacts()) assert.equal(readFileSync(a.path, 'utf8'), a.content, `${a.path}: run npm run kibana`);
});

test('every object has a unique id, declares its migration version, and refers only to objects in the file', () => {
  assert.equal(byKey.size, objects.length, 'ids are unique per type');
  assert.deepEqual([...new Set(objects.map((o) => o.type))].sort(), ['dashboard', 'index-pattern', 'search', 'visualization']);
  for (const o of objects) {
    assert.match(o.coreMigrationVersion, /^\d+\.\d+\.\d+$/);
    assert.match(o.typeMigrationVersion, /^\d+\.\d+\.\d+$/);
    for (const r of o.references) get(r.type, r.id);
  }
  // Objects come before the objects that refer to them, so a partial import never holds a dangling reference.
  const seen = new Set<string>();
  for (const o of objects) {
    for (const r of o.references) assert.ok(seen.has(`${r.type}/${r.id}`), `${o.type} ${o.id} comes before ${r.type} ${r.id}`);
    seen.add(`${o.type}/${o.id}`);
  }
});

test('each dashboard panel resolves to a data view: panel → visualization → saved search → data view (or saved search → data view)', () => {
  const dashboards = objects.filter((o) => o.type === 'dashboard');
  assert.deepEqual(dashboards.map((d) => d.attributes['title']).sort(), ['WireGuard alerts', 'WireGuard overview']);
  for (const d of dashboards) {
    const panels = jsonAttr(d, 'panelsJSON') as { panelRefName: string; type: string; gridData: { x: number; y: number; w: number; h: number } }[];
    assert.ok(panels.length >= 5, `${d.id}: ${panels.length} panels`);
    for (const p of panels) {
      assert.ok(p.gridData.x + p.gridData.w <= 48, `${d.id}: panel ${p.panelRefName} fits the 48-column grid`);
      const ref = d.references.find((r) => r.name === p.panelRefName);
      assert.ok(ref, `${d.id}: ${p.panelRefName} has a reference`);
      assert.equal(ref.type, p.type);
      const target = get(ref.type, ref.id);
      const search = target.type === 'visualization' ? get('search', target.references.find((r) => r.name === 'search_0')?.id ?? '') : target;
      assert.equal(search.type, 'search');
      assert.equal(viewOf(search).type, 'index-pattern');
    }
  }
  // The panels the issue asks for, by title.
  const titles = objects.filter((o) => o.type === 'visualization').map((o) => String(o.attributes['title']));
  for (const want of [/Failures over time by action/, /Top source IPs of invalid/, /per host and interface/, /Failure rate per host/, /last successful handshake/, /Rate-limit suppression/,
    /Open alerts by rule and severity/, /Alert timeline/, /Top attributed peers/, /Diagnoses/]) {
    assert.ok(titles.some((t) => want.test(t)), `a panel matching ${String(want)}`);
  }
});

test('every field a panel, saved search or data view names is mapped behind its data view; aggregated fields have aggregatable types', () => {
  for (const view of objects.filter((o) => o.type === 'index-pattern')) {
    // Only the diagnoses (reference data, no time) have no time field.
    const time = view.attributes['timeFieldName'];
    if (time === undefined) { assert.equal(view.id, 'wg-siem-diagnosis-catalog'); continue; }
    assert.equal(typeof time, 'string');
    assert.equal(fieldTypes(view).get(time as string), 'date', `${view.id}: time field`);
  }
  for (const search of objects.filter((o) => o.type === 'search')) {
    const types = fieldTypes(viewOf(search));
    const src = searchSource(search);
    assert.equal(src.query.language, 'lucene');
    for (const f of [...(search.attributes['columns'] as string[]), ...queryFields(src.query.query)]) assert.ok(types.has(f), `search ${search.id}: ${f} is not mapped`);
  }
  const range = { gte: 0, lte: 86_400_000 };
  for (const vis of objects.filter((o) => o.type === 'visualization')) {
    const s = panelSearch(objects, vis.id, range);
    const types = fieldTypes(get('index-pattern', s.dataView));
    for (const f of [...s.buckets.map((b) => b.field), ...s.metrics.flatMap((m) => (m.field ? [m.field] : []))]) {
      const type = types.get(f);
      assert.ok(type, `${vis.id}: ${f} is not mapped in ${s.index}`);
      assert.ok(AGGREGATABLE.has(type), `${vis.id}: ${f} is ${type}, which Kibana cannot aggregate`);
    }
    for (const b of s.buckets.filter((x) => x.type === 'date_histogram')) assert.equal(types.get(b.field), 'date');
  }
});

test('the source refuses what Kibana would break on, every problem at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-siem-kibana-'));
  try {
    mkdirSync(join(dir, 'dashboards'));
    writeFileSync(join(dir, 'data-views.yaml'), '- { id: events, name: Events, pattern: logs-wireguard.log-*, time_field: "@timestamp" }\n');
    writeFileSync(join(dir, 'dashboards', 'x.yaml'), [
      'id: x', 'title: X', 'description: d', 'time: { from: now-1h, to: now }',
      'searches:', '  - { id: s, title: S, data_view: nowhere, query: "*", columns: [message] }',
      'panels:',
      '  - { id: p, title: P, search: missing, chart: table, metrics: [{ agg: max }], buckets: [{ agg: terms, field: host.name, schema: bucket, order_by_metric: 3 }], grid: { w: 24, h: 8 } }',
      '  - { saved_search: s, grid: { w: 60, h: 8 } }',
    ].join('\n'));
    assert.throws(() => readKibanaSource(dir), (e: Error) => {
      assert.match(e.message, /dashboards\/x\.yaml/);
      return true;
    });
    // Schema-valid but inconsistent: each cross-reference problem is named.
    writeFileSync(join(dir, 'dashboards', 'x.yaml'), readFileSync(join(dir, 'dashboards', 'x.yaml'), 'utf8').replace('w: 60', 'w: 48'));
    assert.throws(() => readKibanaSource(dir), (e: Error) => {
      for (const want of ['uses unknown data view nowhere', 'uses unknown saved search missing', 'max needs a field', 'order_by_metric 3 has no metric']) assert.ok(e.message.includes(want), `${want} in:\n${e.message}`);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('detection rules: one per shipped rule, importable shape, queries over mapped fields only', () => {
  const loaded = loadRules(SHIPPED_RULES_DIR);
  assert.ok(loaded.ok);
  assert.deepEqual(rules.map((r) => r.rule_id).sort(), loaded.rules.map((r) => `wg-siem-${r.id}`).sort());
  const types = typesByPattern.get('logs-wireguard.log-*');
  assert.ok(types);
  for (const r of rules) {
    const shipped: Rule | undefined = loaded.rules.find((x) => `wg-siem-${x.id}` === r.rule_id);
    assert.ok(shipped);
    assert.equal(r.risk_score, shipped.riskScore);
    assert.equal(r.severity, shipped.severity);
    assert.equal(r.enabled, false, 'imported disabled: the team enables what it wants');
    assert.match(r.from, /^now-\d+s$/);
    assert.match(r.interval, /^\d+s$/);
    for (const k of ['name', 'description', 'query'] as const) assert.ok(r[k].length > 0, `${r.rule_id}: ${k}`);
    if (r.type === 'threshold') {
      assert.equal(r.language, 'lucene');
      assert.deepEqual(r.index, ['logs-wireguard.log-*']);
      for (const f of [...(r.threshold?.field ?? []), ...(r.threshold?.cardinality ?? []).map((c) => c.field), ...queryFields(r.query)]) {
        assert.ok(AGGREGATABLE.has(types.get(f) ?? ''), `${r.rule_id}: ${f}`);
      }
    } else {
      assert.equal(r.language, 'esql');
      assert.match(r.query, /^FROM logs-wireguard\.log-\*\n/);
      // Dotted identifiers outside string literals are fields; each must be mapped.
      const code = r.query.split('\n').slice(1).join('\n').replace(/"(?:[^"\\]|\\.)*"/g, '""');
      for (const m of code.matchAll(/\b([a-z_]+(?:\.[a-z_]+)+)\b/g)) {
        assert.ok(types.has(m[1] ?? ''), `${r.rule_id}: ${m[1] ?? ''} is not mapped`);
      }
    }
  }
  // The threshold form is used exactly where the groups are plain fields.
  assert.deepEqual(rules.filter((r) => r.type === 'threshold').map((r) => r.rule_id).sort(),
    ['wg-siem-distributed-invalid-initiations', 'wg-siem-invalid-initiation-burst', 'wg-siem-invalid-mac-burst']);
});

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROBED_FIELD_TYPES } from '../../../../src/sinks/elasticsearch/capabilities.ts';
import { compareBodies, diffJson } from '../../../../src/sinks/elasticsearch/setup-compare.ts';
import { planSetup, type PlannedObject, type SetupCapabilities, type SetupPlan } from '../../../../src/sinks/elasticsearch/setup.ts';
import { mappedFields } from '../../../../src/shared/schema/fields.ts';
import { listComponentTemplates, listIndexTemplates, MAPPINGS_ROOT, readComponentTemplate, readIndexTemplate } from '../../../../src/shared/schema/load.ts';

const FULL: SetupCapabilities = { ilm: true, dataStreamLifecycle: true, fieldTypes: new Set(PROBED_FIELD_TYPES) };
const LIFECYCLE_ONLY: SetupCapabilities = { ilm: false, dataStreamLifecycle: true, fieldTypes: new Set(PROBED_FIELD_TYPES) };
// What the local integ-test build reports (`wg-siem capabilities`).
const MINIMAL: SetupCapabilities = { ilm: false, dataStreamLifecycle: false, fieldTypes: new Set(['boolean', 'date', 'double', 'flattened', 'float', 'ip', 'keyword', 'long', 'text']) };
const CONFIG = { 'elasticsearch.retentionDays': 90 };

const indexTemplates = (p: SetupPlan): PlannedObject[] => p.objects.filter((o) => o.kind === 'index_template');
/** The templates of the data (not the diagnoses index, which is reference data without lifecycle). */
const dataTemplates = (p: SetupPlan): PlannedObject[] => indexTemplates(p).filter((o) => o.name !== 'wireguard-diagnoses');
const settingsOf = (o: PlannedObject): unknown => (o.kind === 'index_template' ? o.body.template?.settings : undefined);
const lifecycleOf = (o: PlannedObject): unknown => (o.kind === 'index_template' ? o.body.template?.['lifecycle'] : undefined);

describe('planSetup', () => {
  it('a full server: an ILM policy first, named by every index template; nothing substituted', () => {
    const plan = planSetup(FULL, { 'elasticsearch.retentionDays': 45 });
    assert.deepEqual(plan.lifecycle, { kind: 'ilm', policy: 'wireguard', retentionDays: 45 });
    assert.deepEqual(plan.substitutions, []);
    const [first] = plan.objects;
    assert.equal(first?.kind, 'ilm_policy');
    assert.equal(first.name, 'wireguard');
    assert.deepEqual(first.body.policy.phases, {
      hot: { min_age: '0ms', actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' } } },
      delete: { min_age: '45d', actions: { delete: { delete_searchable_snapshot: true } } },
    });
    assert.equal(first.body.policy._meta['managed_by'], 'wg-siem');
    assert.equal(plan.objects.filter((o) => o.kind === 'ilm_policy').length, 1);
    for (const t of dataTemplates(plan)) {
      assert.deepEqual(settingsOf(t), { index: { lifecycle: { name: 'wireguard' } } }, t.name);
      assert.equal(lifecycleOf(t), undefined, `${t.name}: ILM and the data-stream lifecycle are exclusive`);
      // A full server keeps constant_keyword and its value.
      const ds = t.kind === 'index_template' ? t.body.template?.mappings?.properties?.['data_stream']?.properties : undefined;
      assert.equal(ds?.['dataset']?.type, 'constant_keyword');
      assert.equal(ds['dataset']?.value, t.name.replace(/^logs-/, ''));
    }
  });

  it('a server with the data-stream lifecycle but no ILM: data_retention in every index template, no policy', () => {
    const plan = planSetup(LIFECYCLE_ONLY, { 'elasticsearch.retentionDays': 30 });
    assert.deepEqual(plan.lifecycle, { kind: 'data_stream_lifecycle', dataRetention: '30d', retentionDays: 30 });
    assert.ok(plan.objects.every((o) => o.kind !== 'ilm_policy'));
    for (const t of dataTemplates(plan)) {
      assert.deepEqual(lifecycleOf(t), { data_retention: '30d' }, t.name);
      assert.equal(settingsOf(t), undefined, `${t.name}: no index.lifecycle.name without ILM`);
    }
  });

  it('the minimal server: no lifecycle, and every type it lacks substituted and reported', () => {
    const plan = planSetup(MINIMAL, CONFIG);
    assert.deepEqual(plan.lifecycle, { kind: 'none', retentionDays: 90 });
    assert.ok(plan.objects.every((o) => o.kind !== 'ilm_policy'));
    for (const t of dataTemplates(plan)) {
      assert.equal(lifecycleOf(t), undefined);
      assert.equal(settingsOf(t), undefined);
      assert.ok(plan.substitutions.some((s) => s.template === t.name && s.field === 'data_stream.dataset' && s.from === 'constant_keyword' && s.to === 'keyword'), t.name);
    }
    for (const s of [
      { template: 'wireguard-ecs@mappings', field: 'message', from: 'match_only_text', to: 'text' },
      { template: 'wireguard-ecs@mappings', field: 'data_stream.namespace', from: 'constant_keyword', to: 'keyword' },
      { template: 'wireguard-diagnoses', field: 'wireguard.diagnosis.causes', from: 'match_only_text', to: 'text' },
    ]) assert.ok(plan.substitutions.some((p) => JSON.stringify(p) === JSON.stringify(s)), JSON.stringify(s));
    // Nothing the server lacks is left in what would be installed, and every substitution is listed.
    let fieldsWithType = 0;
    for (const o of plan.objects) {
      if (o.kind === 'documents') continue;
      for (const f of mappedFields(o.body.template?.mappings ?? {})) {
        if (f.mapping.type === undefined || f.mapping.type === 'object') continue;
        fieldsWithType++;
        assert.ok(MINIMAL.fieldTypes.has(f.mapping.type), `${o.name} ${f.path}: ${f.mapping.type}`);
      }
    }
    assert.ok(fieldsWithType > 50);
    const original = [...listComponentTemplates().map((n) => [n, readComponentTemplate(n)] as const), ...listIndexTemplates().map((n) => [n, readIndexTemplate(n)] as const)];
    const lacking = original.flatMap(([n, b]) => mappedFields(b.template?.mappings ?? {}).filter((f) => f.mapping.type !== undefined && f.mapping.type !== 'object' && !MINIMAL.fieldTypes.has(f.mapping.type)).map((f) => `${n} ${f.path}`));
    assert.deepEqual(plan.substitutions.map((s) => `${s.template} ${s.field}`).sort(), lacking.sort());
  });

  it('orders objects so that each is installed after what it depends on, with the files\' versions', () => {
    for (const caps of [FULL, LIFECYCLE_ONLY, MINIMAL]) {
      const plan = planSetup(caps, CONFIG);
      const kinds = plan.objects.map((o) => o.kind);
      const order = ['ilm_policy', 'component_template', 'index_template', 'documents'];
      assert.deepEqual(kinds, [...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      assert.deepEqual(plan.objects.filter((o) => o.kind === 'documents').map((o) => o.name), ['wireguard-diagnoses']);
      assert.deepEqual(plan.objects.filter((o) => o.kind === 'component_template').map((o) => o.name), listComponentTemplates());
      assert.deepEqual(indexTemplates(plan).map((o) => o.name), listIndexTemplates());
      for (const o of plan.objects) {
        if (o.kind === 'ilm_policy' || o.kind === 'documents') continue;
        const file = JSON.parse(readFileSync(join(MAPPINGS_ROOT, o.kind === 'component_template' ? 'component' : 'index', `${o.name}.json`), 'utf8')) as { _meta: { version: number } };
        assert.equal(o.version, file._meta.version, o.name);
        assert.equal(o.body._meta?.['version'], file._meta.version, `${o.name}: _meta.version is installed with the template`);
      }
    }
  });

  it('refuses a composed_of naming a component template mappings/ lacks, before anything is installed', () => {
    const root = mkdtempSync(join(tmpdir(), 'wg-siem-plan-'));
    try {
      cpSync(MAPPINGS_ROOT, root, { recursive: true });
      const p = join(root, 'index', 'logs-wireguard.log.json');
      const t = JSON.parse(readFileSync(p, 'utf8')) as { composed_of: string[] };
      writeFileSync(p, JSON.stringify({ ...t, composed_of: [...t.composed_of, 'wireguard-nope@mappings'] }));
      assert.throws(() => planSetup(MINIMAL, CONFIG, { mappingsRoot: root }), /index template logs-wireguard\.log: composed_of names wireguard-nope@mappings/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('storage', () => {
  const STORAGE: SetupCapabilities = { ...MINIMAL, logsdb: true, syntheticSource: true, bestCompression: true, lookupIndexMode: true };

  it('data streams in logsdb mode with best_compression, alerts in standard mode, the diagnoses index in lookup mode', () => {
    const plan = planSetup(STORAGE, CONFIG);
    assert.deepEqual(plan.storage, { dataStreamMode: 'logsdb', source: 'synthetic', codec: 'best_compression', diagnosesMode: 'lookup' });
    for (const t of indexTemplates(plan)) {
      const expected = t.name === 'wireguard-diagnoses' ? { index: { number_of_shards: 1, mode: 'lookup' } }
        : t.name === 'logs-wireguard.alert' ? { index: { codec: 'best_compression' } }
          : { index: { codec: 'best_compression', mode: 'logsdb' } };
      assert.deepEqual(settingsOf(t), expected, t.name);
    }
    const docs = plan.objects.find((o) => o.kind === 'documents');
    assert.ok(docs?.kind === 'documents');
    assert.equal(docs.body.index_mode, 'lookup');
  });

  it('synthetic _source without logsdb; nothing the server lacks', () => {
    const plan = planSetup({ ...MINIMAL, syntheticSource: true }, CONFIG);
    assert.deepEqual(plan.storage, { dataStreamMode: 'standard', source: 'synthetic', codec: 'default', diagnosesMode: 'standard' });
    const log = indexTemplates(plan).find((t) => t.name === 'logs-wireguard.log');
    assert.ok(log);
    assert.deepEqual(settingsOf(log), { index: { mapping: { source: { mode: 'synthetic' } } } });
    assert.deepEqual(settingsOf(indexTemplates(plan).find((t) => t.name === 'wireguard-diagnoses') ?? log), { index: { number_of_shards: 1 } });
  });

  it('one diagnoses document per diagnosis of the catalog and of the collector, keyed by id, with causes and checks', () => {
    const docs = planSetup(MINIMAL, CONFIG).objects.find((o) => o.kind === 'documents');
    assert.ok(docs?.kind === 'documents');
    const all = Object.entries(docs.body.documents);
    assert.ok(all.length > 50);
    for (const [id, d] of all) {
      assert.equal(d.wireguard.diagnosis.id, id);
      assert.ok(d.wireguard.diagnosis.summary.length > 0 && d.wireguard.diagnosis.causes.length > 0, id);
    }
    assert.ok(docs.body.documents['handshake-no-answer']);
    assert.ok(docs.body.documents['collect.peer.handshake_failing']);
  });
});

describe('comparing with what the server returns', () => {
  const minimalPlan = planSetup(MINIMAL, CONFIG);
  const planned = (name: string): Readonly<Record<string, unknown>> => {
    const o = minimalPlan.objects.find((x) => x.name === name);
    assert.ok(o);
    return o.body;
  };

  it('ignores what the local server added: stringified, index-prefixed settings and bookkeeping dates', () => {
    // GET _component_template/wireguard@settings on the local 9.5.4, verbatim.
    const installed = { template: { settings: { index: { mapping: { total_fields: { limit: '1000', ignore_dynamic_beyond_limit: 'true' } } } } }, version: 1, _meta: { managed_by: 'wg-siem', description: 'Index settings of the wireguard data streams. Replicas, shards, refresh and codec are left to the server.', version: 1 }, created_date_millis: 1795570774706, modified_date_millis: 1795570774706 };
    assert.deepEqual(compareBodies('component_template', planned('wireguard@settings'), installed), []);
  });

  it('ignores data_stream defaults, the data-stream lifecycle\'s enabled flag and key order', () => {
    // GET _index_template/logs-wireguard.log on the local 9.5.4, verbatim.
    const installed = { index_patterns: ['logs-wireguard.log-*'], template: { mappings: { properties: { data_stream: { properties: { type: { type: 'keyword' }, dataset: { type: 'keyword' } } } } } }, composed_of: ['wireguard@settings', 'wireguard-ecs@mappings', 'wireguard-fields@mappings'], priority: 200, version: 1, _meta: { managed_by: 'wg-siem', description: 'Recognised WireGuard log lines, one ECS document each.', version: 1 }, data_stream: { hidden: false, allow_custom_routing: false }, created_date_millis: 1795570783528, modified_date_millis: 1795570783528 };
    assert.deepEqual(compareBodies('index_template', planned('logs-wireguard.log'), installed), []);
    const withLifecycle = planSetup(LIFECYCLE_ONLY, CONFIG).objects.find((o) => o.name === 'logs-wireguard.log');
    assert.ok(withLifecycle);
    const echoed = { ...installed, template: { lifecycle: { enabled: true, data_retention: '90d' }, mappings: { properties: { data_stream: { properties: { dataset: { value: 'wireguard.log', type: 'constant_keyword' }, type: { value: 'logs', type: 'constant_keyword' } } } } } } };
    assert.deepEqual(compareBodies('index_template', withLifecycle.body, echoed), []);
  });

  it('ignores ILM\'s defaults and bookkeeping', () => {
    const plan = planSetup(FULL, CONFIG);
    const policy = plan.objects[0];
    assert.equal(policy?.kind, 'ilm_policy');
    // As GET _ilm/policy shows it, reduced to the PUT shape {policy} (version, modified_date, in_use_by dropped).
    const installed = { policy: { _meta: policy.body.policy._meta, phases: { delete: { actions: { delete: { delete_searchable_snapshot: true } }, min_age: '90d' }, hot: { actions: { rollover: { max_primary_shard_size: '50gb', max_age: '30d' } }, min_age: '0ms' } } } };
    assert.deepEqual(compareBodies('ilm_policy', policy.body, installed), []);
    const withoutDefaults = { policy: { ...policy.body.policy, phases: { hot: { actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' } } }, delete: { min_age: '90d', actions: { delete: {} } } } } };
    assert.deepEqual(compareBodies('ilm_policy', policy.body, withoutDefaults), []);
    assert.deepEqual(compareBodies('ilm_policy', policy.body, { policy: { ...installed.policy, phases: { ...installed.policy.phases, delete: { min_age: '30d', actions: { delete: { delete_searchable_snapshot: true } } } } } }),
      [{ path: 'policy.phases.delete.min_age', change: 'changed', expected: '90d', installed: '30d' }]);
  });

  it('treats `type: object` as implied by `properties`', () => {
    const a = { template: { mappings: { properties: { wireguard: { type: 'object', dynamic: 'strict', properties: { mtu: { type: 'long' } } } } } } };
    const b = { template: { mappings: { properties: { wireguard: { dynamic: 'strict', properties: { mtu: { type: 'long' } } } } } } };
    assert.deepEqual(compareBodies('component_template', a, b), []);
  });

  it('names every real difference by its path', () => {
    const planned = { index_patterns: ['a-*'], composed_of: ['x', 'y'], template: { settings: { index: { number_of_shards: 1 } }, mappings: { dynamic: 'strict', properties: { m: { type: 'keyword', ignore_above: 1024 }, n: { type: 'long' } } } }, _meta: { version: 2 } };
    const installed = { index_patterns: ['a-*'], composed_of: ['y', 'x'], template: { settings: { index: { number_of_shards: '1', refresh_interval: '1s' } }, mappings: { dynamic: 'strict', properties: { m: { type: 'keyword', ignore_above: 512 }, extra: { type: 'text' } } } }, _meta: { version: 1 } };
    assert.deepEqual(compareBodies('index_template', planned, installed), [
      { path: 'composed_of[0]', change: 'changed', expected: 'x', installed: 'y' },
      { path: 'composed_of[1]', change: 'changed', expected: 'y', installed: 'x' },
      { path: 'template.settings.index.refresh_interval', change: 'unexpected', installed: '1s' },
      { path: 'template.mappings.properties.m.ignore_above', change: 'changed', expected: 1024, installed: 512 },
      { path: 'template.mappings.properties.n', change: 'missing', expected: { type: 'long' } },
      { path: 'template.mappings.properties.extra', change: 'unexpected', installed: { type: 'text' } },
      { path: '_meta.version', change: 'changed', expected: 2, installed: 1 },
    ]);
  });

  it('compares scalars the way Elasticsearch reads them, and nothing looser', () => {
    assert.deepEqual(diffJson({ a: 1024, b: true }, { a: '1024', b: 'true' }), []);
    assert.equal(diffJson({ a: 1024 }, { a: '1025' }).length, 1);
    assert.equal(diffJson({ a: [1] }, { a: [1, 2] }).length, 1);
    assert.equal(diffJson({ a: {} }, { a: 'x' }).length, 1);
  });
});

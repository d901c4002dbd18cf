// Rules for the template files themselves: things Elasticsearch would refuse or silently get wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeTemplate } from '../../../../src/shared/schema/compose.ts';
import { isMetaArray, leafFields, mappedFields } from '../../../../src/shared/schema/fields.ts';
import { ecsReference } from '../../../../src/shared/schema/gen/ecs-reference.ts';
import { listComponentTemplates, listIndexTemplates, readComponentTemplate, readIndexTemplate } from '../../../../src/shared/schema/load.ts';

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const components = listComponentTemplates();
const indexTemplates = listIndexTemplates();
const fieldsTemplate = readComponentTemplate('wireguard-fields@mappings');
const wgFields = mappedFields(fieldsTemplate.template?.mappings ?? {});

describe('template files', () => {
  it('are the expected ones', () => {
    assert.deepEqual(components, ['wireguard-ecs@mappings', 'wireguard-fields@mappings', 'wireguard@settings']);
    assert.deepEqual(indexTemplates, ['logs-wireguard.alert', 'logs-wireguard.dead_letter', 'logs-wireguard.log', 'logs-wireguard.peer', 'logs-wireguard.unparsed', 'wireguard-diagnoses']);
  });

  it('carry a version, the same at the top level and in _meta', () => {
    for (const body of [...components.map((c) => readComponentTemplate(c)), ...indexTemplates.map((t) => readIndexTemplate(t))]) {
      assert.ok(Number.isInteger(body.version) && (body.version ?? 0) >= 1);
      assert.equal(body._meta?.['version'], body.version);
      assert.equal(body._meta?.['managed_by'], 'wg-siem');
    }
  });

  it('settings leave replicas and codec to the server and bound the field count', () => {
    const s = readComponentTemplate('wireguard@settings').template?.settings;
    const text = JSON.stringify(s);
    assert.doesNotMatch(text, /replicas|codec/);
    const limit = (s as { index: { mapping: { total_fields: { limit: number } } } }).index.mapping.total_fields.limit;
    for (const t of indexTemplates) {
      // Elasticsearch counts objects, leaves and multi-fields; labels.* grows dynamically, hence the margin.
      const count = mappedFields(composeTemplate(t).mappings).length;
      assert.ok(count * 2 < limit, `${t}: ${count} fields leave too little room under the limit of ${limit}`);
    }
  });

  it('index templates cover their own pattern, composed of every component template; all but alerts are data streams', () => {
    for (const name of indexTemplates.filter((t) => t !== 'wireguard-diagnoses')) {
      const t = readIndexTemplate(name);
      assert.deepEqual(t.index_patterns, [`${name}-*`]);
      // Alerts are updated in place through their lifecycle with external versions, which data streams refuse.
      if (name === 'logs-wireguard.alert') assert.equal(t.data_stream, undefined);
      else assert.deepEqual(t.data_stream, {});
      assert.deepEqual(t.composed_of, ['wireguard@settings', 'wireguard-ecs@mappings', 'wireguard-fields@mappings']);
      assert.equal(t.priority, 200);
      const ds = composeTemplate(name).mappings.properties?.['data_stream']?.properties;
      assert.equal(ds?.['type']?.value, 'logs');
      assert.equal(ds?.['dataset']?.value, name.replace(/^logs-/, ''));
      assert.equal(ds?.['namespace']?.type, 'constant_keyword');
    }
  });

  it('field meta stays within what Elasticsearch accepts (5 entries, keys ≤ 20, values ≤ 50 characters)', () => {
    for (const c of components) {
      for (const f of mappedFields(readComponentTemplate(c).template?.mappings ?? {})) {
        const meta = Object.entries(f.mapping.meta ?? {});
        assert.ok(meta.length <= 5, f.path);
        for (const [k, v] of meta) assert.ok(k.length <= 20 && v.length <= 50, `${f.path}: meta ${k}`);
        if (f.kind === 'object') assert.equal(f.mapping.meta, undefined, `${f.path}: objects take no meta`);
      }
    }
  });
});

describe('wireguard fields', () => {
  it('live under wireguard, which rejects unknown fields', () => {
    const props = fieldsTemplate.template?.mappings?.properties ?? {};
    assert.deepEqual(Object.keys(props), ['wireguard']);
    assert.equal(props['wireguard']?.dynamic, 'strict');
  });

  it('are snake_case and not ECS fields', () => {
    const flat = ecsReference().fields;
    for (const { path } of wgFields) {
      for (const part of path.split('.').slice(1)) assert.match(part, SNAKE, `${path}: ${part} is not snake_case`);
      assert.ok(!flat.has(path), `${path} is an ECS field`);
    }
  });

  it('are each documented in _meta.fields, and _meta.fields names only real fields', () => {
    const docs = fieldsTemplate._meta?.['fields'] as Record<string, string>;
    const leaves = leafFields(fieldsTemplate.template?.mappings ?? {}).map((f) => f.path);
    for (const l of leaves) assert.ok(docs[l], `${l} has no description in _meta.fields`);
    const known = new Set(wgFields.map((f) => f.path));
    for (const d of Object.keys(docs)) assert.ok(known.has(d), `_meta.fields.${d} is not a field`);
  });

  it('mark the list fields with meta.array', () => {
    const arrays = wgFields.filter((f) => isMetaArray(f.mapping)).map((f) => f.path);
    assert.deepEqual(arrays, [
      'wireguard.peer.allowed_ips',
      'wireguard.alert.sample_event_ids',
    ]);
  });

  it('give events the diagnosis id alone; the prose is in the alert and diagnoses templates, not analysed in alerts', () => {
    const diag = (t: string): string[] => leafFields(composeTemplate(t).mappings).map((f) => f.path).filter((p) => p.startsWith('wireguard.diagnosis.'));
    assert.deepEqual(diag('logs-wireguard.log'), ['wireguard.diagnosis.id']);
    assert.deepEqual(diag('wireguard-diagnoses'), ['wireguard.diagnosis.id', 'wireguard.diagnosis.summary', 'wireguard.diagnosis.causes', 'wireguard.diagnosis.checks']);
    const alert = new Map(leafFields(composeTemplate('logs-wireguard.alert').mappings).map((f) => [f.path, f.mapping]));
    for (const f of ['summary', 'causes', 'checks', 'evidence']) {
      const m = alert.get(`wireguard.diagnosis.${f}`);
      assert.equal(m?.['index'], false, f);
      assert.equal(m?.['doc_values'], false, f);
    }
  });
});

describe('ECS component', () => {
  it('rejects unknown top-level fields but lets labels grow', () => {
    const m = readComponentTemplate('wireguard-ecs@mappings').template?.mappings;
    assert.equal(m?.dynamic, 'strict');
    assert.equal(m?.properties?.['labels']?.dynamic, true);
  });

  it('maps message as ECS does (match_only_text) and event.original stored, not indexed', () => {
    const m = readComponentTemplate('wireguard-ecs@mappings').template?.mappings?.properties;
    assert.equal(m?.['message']?.type, 'match_only_text');
    assert.deepEqual(m?.['event']?.properties?.['original'], { type: 'keyword', index: false, doc_values: false });
  });

  it('requires the fields every document needs', () => {
    assert.deepEqual(composeTemplate('logs-wireguard.log').required, ['@timestamp', 'ecs.version', 'message', 'event.kind', 'event.dataset', 'data_stream.type', 'data_stream.dataset', 'data_stream.namespace']);
  });
});

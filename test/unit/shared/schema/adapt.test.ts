import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adaptMapping } from '../../../../src/shared/schema/adapt.ts';
import { mappedFields } from '../../../../src/shared/schema/fields.ts';
import { listComponentTemplates, listIndexTemplates, readComponentTemplate, readIndexTemplate } from '../../../../src/shared/schema/load.ts';
import type { ComponentTemplateBody } from '../../../../src/shared/schema/template-types.ts';

const FULL = new Set(['keyword', 'text', 'match_only_text', 'wildcard', 'constant_keyword', 'ip', 'date', 'long', 'float', 'double', 'boolean']);
const MINIMAL = new Set(['keyword', 'text', 'ip', 'date', 'long', 'float', 'double', 'boolean']);

const synthetic: ComponentTemplateBody = {
  template: {
    settings: { index: { refresh_interval: '1s' } },
    mappings: {
      dynamic: 'strict',
      dynamic_templates: [{ strings: { match_mapping_type: 'string', mapping: { type: 'wildcard' } } }],
      properties: {
        message: { type: 'match_only_text', meta: { array: 'true' } },
        url: { properties: { original: { type: 'wildcard', ignore_above: 8191, fields: { text: { type: 'match_only_text' } } } } },
        data_stream: { properties: { type: { type: 'constant_keyword', value: 'logs' } } },
        port: { type: 'long' },
      },
    },
  },
  version: 3,
  _meta: { managed_by: 'test' },
};

describe('adaptMapping', () => {
  it('changes nothing when the server has every type', () => {
    const before = structuredClone(synthetic);
    const r = adaptMapping(synthetic, { fieldTypes: FULL });
    assert.deepEqual(r.substituted, []);
    assert.deepEqual(r.template, synthetic);
    assert.deepEqual(synthetic, before);
  });

  it('substitutes the nearest type and reports every substitution', () => {
    const before = structuredClone(synthetic);
    const r = adaptMapping(synthetic, { fieldTypes: MINIMAL });
    assert.deepEqual(r.substituted, [
      { field: 'message', from: 'match_only_text', to: 'text' },
      { field: 'url.original', from: 'wildcard', to: 'keyword' },
      { field: 'url.original.text', from: 'match_only_text', to: 'text' },
      { field: 'data_stream.type', from: 'constant_keyword', to: 'keyword' },
      { field: 'dynamic_templates.strings', from: 'wildcard', to: 'keyword' },
    ]);
    const m = r.template.template?.mappings;
    assert.deepEqual(m?.properties?.['message'], { type: 'text', norms: false, index_options: 'docs', meta: { array: 'true' } });
    assert.deepEqual(m?.properties?.['url'], { properties: { original: { type: 'keyword', ignore_above: 8191, fields: { text: { type: 'text', norms: false, index_options: 'docs' } } } } });
    // keyword has no `value`; the generated schema still pins the value.
    assert.deepEqual(m?.properties?.['data_stream'], { properties: { type: { type: 'keyword' } } });
    assert.deepEqual(m?.properties?.['port'], { type: 'long' });
    assert.deepEqual(m?.dynamic_templates, [{ strings: { match_mapping_type: 'string', mapping: { type: 'keyword' } } }]);
    assert.equal(m?.dynamic, 'strict');
    assert.deepEqual(r.template.template?.settings, synthetic.template?.settings);
    assert.equal(r.template.version, 3);
    assert.deepEqual(r.template._meta, { managed_by: 'test' });
    assert.deepEqual(synthetic, before, 'the input must not be modified');
  });

  it('leaves a type without a known substitute for the server to refuse', () => {
    const t: ComponentTemplateBody = { template: { mappings: { properties: { v: { type: 'semantic_text' } } } } };
    const r = adaptMapping(t, { fieldTypes: MINIMAL });
    assert.deepEqual(r.substituted, []);
    assert.deepEqual(r.template, t);
  });

  it('throws when the substitute is missing too', () => {
    assert.throws(() => adaptMapping(synthetic, { fieldTypes: new Set(['keyword']) }), /message: the server has neither match_only_text nor its substitute text/);
  });

  it('passes a template without mappings through', () => {
    const settings = readComponentTemplate('wireguard@settings');
    assert.deepEqual(adaptMapping(settings, { fieldTypes: MINIMAL }), { template: settings, substituted: [] });
  });

  it('leaves no unavailable type in the project templates for a minimal server', () => {
    const bodies = [...listComponentTemplates().map((n) => readComponentTemplate(n)), ...listIndexTemplates().map((n) => readIndexTemplate(n))];
    const substituted = new Set<string>();
    for (const body of bodies) {
      const r = adaptMapping(body, { fieldTypes: MINIMAL });
      for (const s of r.substituted) substituted.add(s.field);
      const m = r.template.template?.mappings;
      if (!m) continue;
      const types = [...mappedFields(m).map((f) => f.mapping.type), ...(m.dynamic_templates ?? []).flatMap((e) => Object.values(e).map((d) => d.mapping.type))];
      for (const t of types) assert.ok(t === undefined || t === 'object' || MINIMAL.has(t), `type ${t} left in a template`);
    }
    for (const f of ['message', 'error.message', 'process.name.text', 'data_stream.type', 'data_stream.dataset', 'data_stream.namespace', 'wireguard.diagnosis.summary', 'wireguard.diagnosis.causes']) {
      assert.ok(substituted.has(f), `${f} should have been substituted`);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeMappings, type ComposedTemplate } from '../../../../src/shared/schema/compose.ts';
import { ecsReference } from '../../../../src/shared/schema/gen/ecs-reference.ts';
import { buildModel } from '../../../../src/shared/schema/gen/model.ts';
import type { Mappings } from '../../../../src/shared/schema/template-types.ts';

describe('mergeMappings (Elasticsearch template composition)', () => {
  it('merges objects field by field, replaces a leaf whole, replaces dynamic templates by name', () => {
    const a: Mappings = {
      dynamic: 'strict',
      dynamic_templates: [{ one: { mapping: { type: 'keyword' } } }, { two: { mapping: { type: 'keyword' } } }],
      properties: { ds: { properties: { type: { type: 'constant_keyword' }, namespace: { type: 'constant_keyword' } } }, x: { type: 'keyword', ignore_above: 10 } },
    };
    const b: Mappings = {
      dynamic_templates: [{ two: { mapping: { type: 'long' } } }],
      properties: { ds: { properties: { type: { type: 'constant_keyword', value: 'logs' } } }, x: { type: 'long' } },
    };
    assert.deepEqual(mergeMappings(a, b), {
      dynamic: 'strict',
      dynamic_templates: [{ one: { mapping: { type: 'keyword' } } }, { two: { mapping: { type: 'long' } } }],
      properties: { ds: { properties: { type: { type: 'constant_keyword', value: 'logs' }, namespace: { type: 'constant_keyword' } } }, x: { type: 'long' } },
    });
  });
});

describe('buildModel', () => {
  const composed = (mappings: Mappings, required: string[]): ComposedTemplate =>
    ({ name: 't', indexTemplate: { index_patterns: ['t-*'] }, mappings, required, fieldDocs: new Map(), sources: [] });

  it('refuses a required field the mapping lacks', () => {
    assert.throws(() => buildModel(composed({ properties: { a: { type: 'keyword' } } }, ['b']), ecsReference()), /lacks: b/);
  });

  it('refuses a dynamic object without a dynamic template typing its values', () => {
    assert.throws(() => buildModel(composed({ properties: { labels: { type: 'object', dynamic: true } } }, []), ecsReference()), /dynamic template/);
  });

  it('takes array-ness from ECS for ECS fields and from meta.array for the others', () => {
    const m = buildModel(composed({ properties: { tags: { type: 'keyword' }, mine: { type: 'keyword', meta: { array: 'true' } }, one: { type: 'keyword' } } }, []), ecsReference());
    assert.deepEqual(m.root.children.map((c) => c.kind === 'leaf' && c.array), [true, true, false]);
  });
});

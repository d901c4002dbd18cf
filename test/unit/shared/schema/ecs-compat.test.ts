// The ECS component template must give every field the type ECS gives it. Two independent readings of
// @elastic/ecs are used: its TypeScript interfaces (through the compiler API) and its EcsFlat table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { leafFields, mappedFields } from '../../../../src/shared/schema/fields.ts';
import { ecsReference } from '../../../../src/shared/schema/gen/ecs-reference.ts';
import { readComponentTemplate } from '../../../../src/shared/schema/load.ts';
import { ecsPackageDir, lookup, readEcsInterfaces, type TsKind } from './ecs-interfaces.ts';

const ecsTemplate = readComponentTemplate('wireguard-ecs@mappings');
const ecsMappings = ecsTemplate.template?.mappings ?? {};
const leaves = leafFields(ecsMappings);
const tsFields = readEcsInterfaces();
const flat = ecsReference().fields;

/** Which Elasticsearch types hold a value a TypeScript type describes. */
const COMPATIBLE: Readonly<Record<Exclude<TsKind, 'other'>, ReadonlySet<string>>> = {
  string: new Set(['keyword', 'constant_keyword', 'wildcard', 'text', 'match_only_text', 'ip', 'date', 'version']),
  number: new Set(['long', 'integer', 'short', 'byte', 'unsigned_long', 'float', 'double', 'half_float', 'scaled_float']),
  boolean: new Set(['boolean']),
  object: new Set(['object', 'flattened']),
};

describe('ECS fields against @elastic/ecs', () => {
  it('the ECS mapping has fields to check', () => {
    assert.ok(leaves.length > 60, `only ${leaves.length} ECS leaves`);
  });

  it('every field has a type compatible with its @elastic/ecs TypeScript type, and the same array-ness', () => {
    const viaObject: string[] = [];
    for (const { path, mapping } of leaves) {
      const ts = lookup(tsFields, path);
      assert.ok(ts, `${path}: not in the @elastic/ecs interfaces`);
      if (ts.path !== path) {
        // ECS types some objects (observer.ingress, log.syslog) as Record<string, unknown>; EcsFlat covers them below.
        viaObject.push(path);
        continue;
      }
      assert.notEqual(ts.kind, 'other', `${path}: unexpected TypeScript type ${ts.text}`);
      if (ts.kind === 'other') continue;
      assert.ok(COMPATIBLE[ts.kind].has(mapping.type ?? ''), `${path}: mapped as ${mapping.type}, ECS TypeScript type is ${ts.text}`);
      assert.equal(ts.array, flat.get(path)?.array, `${path}: TypeScript (${ts.text}) and EcsFlat disagree on array-ness`);
    }
    assert.deepEqual(viaObject.sort(), ['log.syslog.facility.code', 'log.syslog.facility.name', 'log.syslog.severity.code', 'log.syslog.severity.name', 'observer.egress.interface.name', 'observer.ingress.interface.name']);
  });

  it('every field has exactly the type and indexing options of ECS (EcsFlat)', () => {
    for (const { path, mapping } of leaves) {
      const def = flat.get(path);
      assert.ok(def, `${path}: not an ECS field`);
      assert.equal(mapping.type, def.type, `${path}: type`);
      assert.equal(mapping['ignore_above'], def.ignoreAbove, `${path}: ignore_above`);
      assert.equal(mapping['index'], def.index, `${path}: index`);
      assert.equal(mapping['doc_values'], def.docValues, `${path}: doc_values`);
      const multi = Object.entries(mapping.fields ?? {}).map(([name, f]) => ({ name, type: f.type }));
      assert.deepEqual(multi, def.multiFields.map((m) => ({ name: m.name, type: m.type })), `${path}: multi-fields`);
    }
  });

  it('ECS objects are objects in ECS too', () => {
    for (const { path } of mappedFields(ecsMappings).filter((f) => f.kind === 'object')) {
      const def = flat.get(path);
      assert.ok(def === undefined || def.type === 'object', `${path}: ECS defines it as ${def?.type}, not an object`);
      assert.ok([...flat.keys()].some((k) => k.startsWith(`${path}.`)), `${path}: ECS has no fields under it`);
    }
  });

  it('labels holds keywords, as ECS says', () => {
    assert.equal(flat.get('labels')?.objectType, 'keyword');
    const dt = ecsMappings.dynamic_templates?.flatMap((e) => Object.values(e)).find((d) => d.path_match === 'labels.*');
    assert.equal(dt?.mapping.type, 'keyword');
  });

  it('the generated schema makes exactly the ECS arrays arrays', () => {
    const schema: unknown = JSON.parse(readFileSync(new URL('../../../../src/shared/schema/generated/event.schema.json', import.meta.url), 'utf8'));
    for (const { path } of leaves.filter((l) => l.mapping.type !== 'object')) {
      let node: unknown = schema;
      for (const p of path.split('.')) node = (node as { properties: Record<string, unknown> }).properties[p];
      const isArray = (node as { type?: string }).type === 'array';
      assert.equal(isArray, flat.get(path)?.array, `${path}: array in the schema = ${isArray}`);
    }
  });

  it('records the ECS version of the package it was checked against', () => {
    assert.equal(ecsTemplate._meta?.['ecs_version'], ecsReference().version);
    const pkg = JSON.parse(readFileSync(join(ecsPackageDir(), 'package.json'), 'utf8')) as { version: string };
    assert.equal(pkg.version, ecsReference().version);
  });
});

// The normaliser, the mapping and the generated schema must agree field by field. The schema validates each
// document before it is sent, but a schema and mapping that drifted apart would let through documents the
// strict mapping refuses (or refuse documents it takes); and a document field typed differently from its
// mapping is indexed wrongly or rejected. Checked here without a server, over every golden input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { composeTemplate } from '../../../../src/shared/schema/compose.ts';
import { mappedFields } from '../../../../src/shared/schema/fields.ts';
import { ecsReference } from '../../../../src/shared/schema/gen/ecs-reference.ts';
import { targetFor } from '../../../../src/shared/schema/gen/generate.ts';
import { buildModel, type ModelNode } from '../../../../src/shared/schema/gen/model.ts';
import { listIndexTemplates } from '../../../../src/shared/schema/load.ts';
import type { FieldMapping } from '../../../../src/shared/schema/template-types.ts';
import { isEsDateTime, isEsIp } from '../../../../src/shared/schema/validate.ts';
import { goldenFiles, runGolden, type GoldenEntry } from '../../../helpers/golden.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const EVENTS = 'logs-wireguard.log';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One value at one path of a document; `inArray` when it came from a list. */
interface DocValue { readonly path: string; readonly value: unknown; readonly inArray: boolean }

function* docValues(v: unknown, path: string, inArray = false): Generator<DocValue> {
  if (Array.isArray(v)) {
    for (const item of v) yield* docValues(item, path, true);
  } else if (isObj(v)) {
    for (const [k, c] of Object.entries(v)) yield* docValues(c, path ? `${path}.${k}` : k, inArray);
  } else {
    yield { path, value: v, inArray };
  }
}

/** What each Elasticsearch type accepts from JSON without coercion, in wg-siem's documents. */
function typeProblem(m: FieldMapping, v: unknown): string | null {
  switch (m.type) {
    case 'keyword': case 'wildcard': case 'text': case 'match_only_text':
      return typeof v === 'string' ? null : 'is not a string';
    case 'constant_keyword':
      if (typeof v !== 'string') return 'is not a string';
      return m.value === undefined || m.value === v ? null : `is not the constant ${m.value}`;
    case 'ip':
      return typeof v === 'string' && isEsIp(v) ? null : 'is not an IP address Elasticsearch accepts';
    case 'date':
      return typeof v === 'string' && isEsDateTime(v) && !Number.isNaN(Date.parse(v)) ? null : 'is not an ISO 8601 date-time with a zone';
    case 'long': case 'integer': case 'short': case 'byte':
      return Number.isSafeInteger(v) ? null : 'is not an integer';
    case 'float': case 'double': case 'half_float': case 'scaled_float':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'is not a finite number';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'is not a boolean';
    default:
      return `has type ${String(m.type)}, which this test has no rule for`;
  }
}

function modelLeaves(nodes: readonly ModelNode[], out = new Map<string, ModelNode>()): Map<string, ModelNode> {
  for (const n of nodes) {
    if (n.kind === 'object') modelLeaves(n.children, out);
    else out.set(n.path, n);
  }
  return out;
}

const composed = composeTemplate(EVENTS);
const fields = new Map(mappedFields(composed.mappings).filter((f) => f.kind !== 'multi').map((f) => [f.path, f]));
const model = modelLeaves(buildModel(composed, ecsReference()).root.children);
/** Dynamic objects (ECS labels): any key below them, typed by a dynamic template. */
const maps = [...fields.values()].filter((f) => f.kind === 'leaf' && f.mapping.type === 'object').map((f) => f.path);

function dynamicMapping(path: string): FieldMapping | undefined {
  for (const entry of composed.mappings.dynamic_templates ?? []) {
    for (const dt of Object.values(entry)) {
      const patterns = typeof dt.path_match === 'string' ? [dt.path_match] : dt.path_match ?? [];
      if (patterns.some((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(path))) return dt.mapping;
    }
  }
  return undefined;
}

const seen = new Set<string>();

/** Every way one document disagrees with the mapping; records the fields it uses in `used`. */
function checkDoc(doc: GoldenEntry, label: string, used = new Set<string>()): string[] {
  const problems: string[] = [];
  for (const { path, value, inArray } of docValues(doc, '')) {
    const where = `${label}: ${path} = ${JSON.stringify(value)}`;
    const map = maps.find((m) => path.startsWith(`${m}.`));
    const mapping = map !== undefined ? dynamicMapping(path) : fields.get(path)?.mapping;
    if (mapping === undefined || fields.get(path)?.kind === 'object') { problems.push(`${where}: not a field of the mapping`); continue; }
    used.add(map ?? path);
    const bad = typeProblem(mapping, value);
    if (bad !== null) problems.push(`${where}: ${bad} (mapped as ${String(mapping.type)})`);
    const leaf = model.get(map ?? path);
    if (inArray && !(leaf?.kind === 'leaf' && leaf.array)) problems.push(`${where}: is a list, but the field is not an array field (ECS normalize: array or meta.array)`);
  }
  return problems;
}

describe(`golden documents agree with the mapping of ${EVENTS}`, () => {
  const files = goldenFiles();

  it('there are golden documents to check', () => {
    assert.ok(files.length >= 10, `only ${files.length} golden files`);
  });

  it('the check itself finds each kind of disagreement', () => {
    const doc = {
      '@timestamp': '2026-01-15 12:00:00', data_stream: { dataset: 'wireguard.log' }, source: { ip: '10.0.0.1%eth0', port: '51820' },
      event: { severity: 2.5, category: ['network'] }, host: { name: ['a', 'b'] }, wireguard: { rate_limited: 'true', nope: 1 }, labels: { k: 'v' },
    };
    const problems = checkDoc(doc, 'doc');
    const expected = ['@timestamp', 'source.ip', 'source.port', 'event.severity', 'host.name', 'wireguard.rate_limited', 'wireguard.nope'];
    assert.deepEqual(expected.filter((p) => !problems.some((x) => x.startsWith(`doc: ${p} =`))), [], problems.join('\n'));
    assert.equal(new Set(problems.map((p) => p.split(' =')[0])).size, expected.length, problems.join('\n'));
  });

  for (const file of files) {
    it(file, () => {
      const entries: GoldenEntry[] = runGolden(file);
      assert.deepEqual(entries.filter((e) => 'invalid' in e), [], 'the normaliser produced documents its own schema refuses');
      const problems = entries.flatMap((doc, i) => ('unparsed' in doc ? [] : checkDoc(doc, `line ${i + 1}`, seen)));
      assert.deepEqual(problems, []);
    });
  }

  it('exercises a good part of the mapping', (t) => {
    const leaves = [...fields.values()].filter((f) => f.kind === 'leaf').map((f) => f.path);
    const unused = leaves.filter((p) => !seen.has(p));
    t.diagnostic(`${leaves.length - unused.length} of ${leaves.length} mapped fields occur in golden documents; never: ${unused.join(', ')}`);
    assert.ok(seen.size >= 40, `only ${seen.size} fields occur`);
  });
});

/** Flattened paths of a generated JSON schema: objects and leaves, with what kind each is. */
function schemaPaths(node: unknown, prefix: string, out = new Map<string, string>()): Map<string, string> {
  if (!isObj(node) || !isObj(node['properties'])) return out;
  for (const [name, child] of Object.entries(node['properties'])) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (!isObj(child)) continue;
    if (isObj(child['properties'])) {
      out.set(path, 'object');
      schemaPaths(child, path, out);
    } else if (child['type'] === 'array' && isObj(child['items']) && isObj(child['items']['properties'])) {
      // A list of objects (_meta.arrays).
      out.set(path, 'array of object');
      schemaPaths(child['items'], path, out);
    } else if (child['type'] === 'array') {
      out.set(path, `array of ${scalarKind(child['items'])}`);
    } else if (child['type'] === 'object') {
      out.set(path, 'map');
    } else {
      out.set(path, scalarKind(child));
    }
  }
  return out;
}

function scalarKind(s: unknown): string {
  if (!isObj(s)) return 'unknown';
  return typeof s['format'] === 'string' ? `${String(s['type'])}/${s['format']}` : String(s['type']);
}

/** The JSON Schema form each mapping type must have been generated as. */
const SCHEMA_KIND: Readonly<Record<string, string>> = {
  keyword: 'string', constant_keyword: 'string', wildcard: 'string', text: 'string', match_only_text: 'string',
  ip: 'string/ip', date: 'string/date-time', long: 'integer', integer: 'integer', short: 'integer', byte: 'integer', unsigned_long: 'integer',
  float: 'number', double: 'number', half_float: 'number', scaled_float: 'number', boolean: 'boolean', object: 'map',
};

describe('the generated JSON schemas have the fields of their mappings', () => {
  for (const template of listIndexTemplates()) {
    it(template, () => {
      const target = targetFor(template);
      const schema: unknown = JSON.parse(readFileSync(`${repoRoot}src/shared/schema/generated/${target.file}.schema.json`, 'utf8'));
      const inSchema = schemaPaths(schema, '');
      const c = composeTemplate(template);
      const leaves = modelLeaves(buildModel(c, ecsReference()).root.children);
      const inMapping = new Map(mappedFields(c.mappings).filter((f) => f.kind !== 'multi').map((f) => {
        if (f.kind === 'object') return [f.path, (c.arrays ?? []).includes(f.path) ? 'array of object' : 'object'] as const;
        const kind = SCHEMA_KIND[f.mapping.type ?? ''] ?? `unmapped type ${String(f.mapping.type)}`;
        const leaf = leaves.get(f.path);
        return [f.path, leaf?.kind === 'leaf' && leaf.array ? `array of ${kind}` : kind] as const;
      }));
      assert.deepEqual([...inSchema.keys()].sort(), [...inMapping.keys()].sort(), 'the same field paths');
      const disagree = [...inMapping].filter(([p, k]) => inSchema.get(p) !== k).map(([p, k]) => `${p}: mapping ${k}, schema ${inSchema.get(p) ?? '-'}`);
      assert.deepEqual(disagree, [], 'the same kind of value at each path');
    });
  }
});

// The document shape of one data stream, built from its composed mapping plus the ECS facts a mapping cannot
// hold (array-ness, allowed values, descriptions). Both emitters (JSON Schema, TypeScript) read this model,
// so the schema and the types cannot disagree with each other.
import type { ComposedTemplate } from '../compose.ts';
import { isMetaArray } from '../fields.ts';
import { isObjectField, type FieldMapping, type Mappings } from '../template-types.ts';
import type { EcsReference } from './ecs-reference.ts';

interface NodeBase {
  readonly name: string;
  readonly path: string;
  readonly required: boolean;
  readonly doc?: string;
}

export interface LeafNode extends NodeBase {
  readonly kind: 'leaf';
  readonly esType: string;
  readonly array: boolean;
  readonly enum?: readonly string[];
  /** constant_keyword with a value fixed in the mapping. */
  readonly const?: string;
}

/** An object whose keys are free and whose values one dynamic template types (ECS `labels`). */
export interface MapNode extends NodeBase {
  readonly kind: 'map';
  readonly valueType: string;
}

export interface ObjectNode extends NodeBase {
  readonly kind: 'object';
  readonly children: readonly ModelNode[];
  /** A list of such objects (`_meta.arrays`). */
  readonly array?: boolean;
}

export type ModelNode = LeafNode | MapNode | ObjectNode;

export interface DocModel {
  readonly template: string;
  readonly ecsVersion: string;
  readonly root: ObjectNode;
}

function dynamicValueType(mappings: Mappings, path: string): string {
  for (const entry of mappings.dynamic_templates ?? []) {
    for (const dt of Object.values(entry)) {
      const pm = dt.path_match;
      const patterns = typeof pm === 'string' ? [pm] : pm ?? [];
      if (patterns.includes(`${path}.*`) && dt.mapping.type !== undefined) return dt.mapping.type;
    }
  }
  throw new Error(`${path}: a dynamic object needs a dynamic template with path_match "${path}.*" that gives its values a type`);
}

interface Ctx {
  readonly composed: ComposedTemplate;
  readonly ecs: EcsReference;
  readonly required: ReadonlySet<string>;
  readonly seenRequired: Set<string>;
  readonly arrays: ReadonlySet<string>;
  readonly seenArrays: Set<string>;
}

function docFor(ctx: Ctx, path: string): string | undefined {
  return ctx.composed.fieldDocs.get(path) ?? ctx.ecs.fields.get(path)?.short;
}

function node(ctx: Ctx, name: string, path: string, f: FieldMapping): ModelNode {
  const doc = docFor(ctx, path);
  const base = { name, path, ...(doc !== undefined ? { doc } : {}) };
  const required = ctx.required.has(path);
  if (required) ctx.seenRequired.add(path);
  if (isObjectField(f)) {
    const children = Object.entries(f.properties).map(([n, c]) => node(ctx, n, `${path}.${n}`, c));
    const array = ctx.arrays.has(path);
    if (array) ctx.seenArrays.add(path);
    return { ...base, kind: 'object', children, required: required || children.some((c) => c.required), ...(array ? { array } : {}) };
  }
  if (f.type === undefined) throw new Error(`${path}: a leaf field needs a type`);
  if (f.type === 'object') return { ...base, kind: 'map', valueType: dynamicValueType(ctx.composed.mappings, path), required };
  const ecs = ctx.ecs.fields.get(path);
  const allowed = ecs?.allowedValues;
  return {
    ...base,
    kind: 'leaf',
    esType: f.type,
    array: (ecs?.array ?? false) || isMetaArray(f),
    ...(allowed && allowed.length > 0 ? { enum: allowed } : {}),
    ...(f.type === 'constant_keyword' && f.value !== undefined ? { const: f.value } : {}),
    required,
  };
}

export function buildModel(composed: ComposedTemplate, ecs: EcsReference): DocModel {
  const ctx: Ctx = { composed, ecs, required: new Set(composed.required), seenRequired: new Set(), arrays: new Set(composed.arrays ?? []), seenArrays: new Set() };
  const children = Object.entries(composed.mappings.properties ?? {}).map(([n, f]) => node(ctx, n, n, f));
  const missing = composed.required.filter((r) => !ctx.seenRequired.has(r));
  if (missing.length > 0) throw new Error(`${composed.name}: _meta.required names fields the mapping lacks: ${missing.join(', ')}`);
  const notObjects = [...ctx.arrays].filter((a) => !ctx.seenArrays.has(a));
  if (notObjects.length > 0) throw new Error(`${composed.name}: _meta.arrays names fields that are not objects of the mapping: ${notObjects.join(', ')}`);
  return {
    template: composed.name,
    ecsVersion: ecs.version,
    root: { name: '', path: '', kind: 'object', children, required: true },
  };
}

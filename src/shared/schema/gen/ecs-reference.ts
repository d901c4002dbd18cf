// ECS facts the mappings cannot carry (which fields are arrays, the allowed values of the categorisation
// fields, one-line descriptions), read from the @elastic/ecs package instead of being retyped here. Its
// EcsFlat table is ECS's own flat field list (types, `normalize: ["array"]`, allowed_values). Development
// only: @elastic/ecs is a devDependency, so nothing at run time may import this module.
import { createRequire } from 'node:module';

export interface EcsFieldDef {
  readonly path: string;
  readonly type: string;
  readonly array: boolean;
  readonly allowedValues?: readonly string[];
  readonly short?: string;
  readonly ignoreAbove?: number;
  readonly index?: boolean;
  readonly docValues?: boolean;
  readonly objectType?: string;
  readonly multiFields: ReadonlyArray<{ readonly name: string; readonly type: string }>;
}

export interface EcsReference {
  readonly version: string;
  readonly fields: ReadonlyMap<string, EcsFieldDef>;
}

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function parseDef(path: string, d: unknown): EcsFieldDef {
  if (!isObj(d) || typeof d['type'] !== 'string') throw new Error(`@elastic/ecs EcsFlat[${path}]: no type`);
  const normalize = Array.isArray(d['normalize']) ? d['normalize'] : [];
  const allowed = Array.isArray(d['allowed_values'])
    ? d['allowed_values'].map((a) => (isObj(a) ? str(a['name']) : undefined)).filter((n) => n !== undefined)
    : undefined;
  const multi = Array.isArray(d['multi_fields']) ? d['multi_fields'] : [];
  const short = str(d['short']);
  const objectType = str(d['object_type']);
  return {
    path,
    type: d['type'],
    array: normalize.includes('array'),
    ...(allowed ? { allowedValues: allowed } : {}),
    ...(short !== undefined ? { short } : {}),
    ...(typeof d['ignore_above'] === 'number' ? { ignoreAbove: d['ignore_above'] } : {}),
    ...(typeof d['index'] === 'boolean' ? { index: d['index'] } : {}),
    ...(typeof d['doc_values'] === 'boolean' ? { docValues: d['doc_values'] } : {}),
    ...(objectType !== undefined ? { objectType } : {}),
    multiFields: multi.filter(isObj).map((m) => ({ name: str(m['name']) ?? '', type: str(m['type']) ?? '' })),
  };
}

let cached: EcsReference | undefined;

/**
 * Loaded through require on purpose: a static import would make the type checker read the package's
 * 870 kB literal type of the table on every run; the shape is checked here instead.
 */
export function ecsReference(): EcsReference {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const flatModule: unknown = require('@elastic/ecs/build/commonjs/ecs_flat.js');
  const indexModule: unknown = require('@elastic/ecs/build/commonjs/index.js');
  const flat = isObj(flatModule) ? flatModule['EcsFlat'] : undefined;
  const version = isObj(indexModule) ? str(indexModule['EcsVersion']) : undefined;
  if (!isObj(flat) || version === undefined) throw new Error('@elastic/ecs: EcsFlat or EcsVersion not found; has the package layout changed?');
  const fields = new Map(Object.entries(flat).map(([path, d]) => [path, parseDef(path, d)] as const));
  cached = { version, fields };
  return cached;
}

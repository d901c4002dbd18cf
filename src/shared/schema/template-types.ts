// The shape of the Elasticsearch template bodies kept in mappings/. The files are read as unknown JSON and
// checked here once, so every later step (composition, adaptation, generation) can rely on the shape instead
// of re-checking it.

/** One field of a mapping. Parameters this project does not inspect stay under the index signature. */
export interface FieldMapping {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, FieldMapping>>;
  /** Multi-fields. */
  readonly fields?: Readonly<Record<string, FieldMapping>>;
  /** Opaque to Elasticsearch; wg-siem uses `array: "true"` to mark array fields. */
  readonly meta?: Readonly<Record<string, string>>;
  readonly dynamic?: boolean | string;
  /** constant_keyword's value. */
  readonly value?: string;
  readonly [param: string]: unknown;
}

export interface DynamicTemplate {
  readonly path_match?: string | readonly string[];
  readonly match_mapping_type?: string | readonly string[];
  readonly mapping: FieldMapping;
  readonly [param: string]: unknown;
}

/** Elasticsearch writes dynamic templates as a list of single-key objects: `[{ name: template }]`. */
export type NamedDynamicTemplate = Readonly<Record<string, DynamicTemplate>>;

export interface Mappings {
  readonly dynamic?: boolean | string;
  readonly dynamic_templates?: readonly NamedDynamicTemplate[];
  readonly properties?: Readonly<Record<string, FieldMapping>>;
  readonly [param: string]: unknown;
}

export interface TemplateSection {
  readonly mappings?: Mappings;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** The body of `PUT _component_template/<name>`. */
export interface ComponentTemplateBody {
  readonly template?: TemplateSection;
  readonly version?: number;
  readonly _meta?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** The body of `PUT _index_template/<name>`. */
export interface IndexTemplateBody extends ComponentTemplateBody {
  readonly index_patterns: readonly string[];
  readonly composed_of?: readonly string[];
  readonly priority?: number;
  readonly data_stream?: Readonly<Record<string, unknown>>;
}

type Json = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

function stringList(v: unknown, where: string): readonly string[] {
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) fail(where, 'must be a list of strings');
  return v;
}

function checkProperties(v: unknown, where: string): void {
  if (!isObject(v)) fail(where, 'must be an object of field mappings');
  for (const [name, field] of Object.entries(v)) checkField(field, `${where}.${name}`);
}

function checkField(v: unknown, where: string): asserts v is FieldMapping {
  if (!isObject(v)) fail(where, 'must be an object');
  if (v['type'] !== undefined && typeof v['type'] !== 'string') fail(where, 'type must be a string');
  if (v['properties'] !== undefined) checkProperties(v['properties'], where);
  if (v['fields'] !== undefined) checkProperties(v['fields'], `${where}(fields)`);
  const meta = v['meta'];
  if (meta !== undefined && (!isObject(meta) || !Object.values(meta).every((m) => typeof m === 'string'))) {
    fail(where, 'meta must map names to strings');
  }
  const dyn = v['dynamic'];
  if (dyn !== undefined && typeof dyn !== 'boolean' && typeof dyn !== 'string') fail(where, 'dynamic must be a boolean or a string');
  if (v['value'] !== undefined && typeof v['value'] !== 'string') fail(where, 'value must be a string');
}

function checkMappings(v: unknown, where: string): asserts v is Mappings {
  if (!isObject(v)) fail(where, 'must be an object');
  if (v['properties'] !== undefined) checkProperties(v['properties'], where);
  const dts = v['dynamic_templates'];
  if (dts === undefined) return;
  if (!Array.isArray(dts)) fail(`${where}.dynamic_templates`, 'must be a list');
  for (const entry of dts as unknown[]) {
    if (!isObject(entry) || Object.keys(entry).length !== 1) fail(`${where}.dynamic_templates`, 'each entry must be an object with one key');
    for (const [name, dt] of Object.entries(entry)) {
      if (!isObject(dt)) fail(`${where}.dynamic_templates.${name}`, 'must be an object');
      checkField(dt['mapping'], `${where}.dynamic_templates.${name}.mapping`);
    }
  }
}

function checkTemplateBody(v: unknown, where: string): asserts v is ComponentTemplateBody {
  if (!isObject(v)) fail(where, 'must be a JSON object');
  const t = v['template'];
  if (t !== undefined) {
    if (!isObject(t)) fail(`${where}.template`, 'must be an object');
    if (t['mappings'] !== undefined) checkMappings(t['mappings'], `${where}.template.mappings`);
    if (t['settings'] !== undefined && !isObject(t['settings'])) fail(`${where}.template.settings`, 'must be an object');
  }
  if (v['version'] !== undefined && !Number.isInteger(v['version'])) fail(`${where}.version`, 'must be an integer');
  if (v['_meta'] !== undefined && !isObject(v['_meta'])) fail(`${where}._meta`, 'must be an object');
}

export function asComponentTemplate(v: unknown, where: string): ComponentTemplateBody {
  checkTemplateBody(v, where);
  return v;
}

export function asIndexTemplate(v: unknown, where: string): IndexTemplateBody {
  checkTemplateBody(v, where);
  const patterns = stringList(v['index_patterns'], `${where}.index_patterns`);
  const composedOf = v['composed_of'] === undefined ? undefined : stringList(v['composed_of'], `${where}.composed_of`);
  const priority = v['priority'];
  if (priority !== undefined && !Number.isInteger(priority)) fail(`${where}.priority`, 'must be an integer');
  const ds = v['data_stream'];
  if (ds !== undefined && !isObject(ds)) fail(`${where}.data_stream`, 'must be an object');
  return { ...v, index_patterns: patterns, ...(composedOf ? { composed_of: composedOf } : {}) };
}

/** A field is an object (has sub-fields) rather than a leaf: Elasticsearch's own rule for `properties`. */
export function isObjectField(f: FieldMapping): f is FieldMapping & { readonly properties: Readonly<Record<string, FieldMapping>> } {
  return f.properties !== undefined && (f.type === undefined || f.type === 'object' || f.type === 'nested');
}

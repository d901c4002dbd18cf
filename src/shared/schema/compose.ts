// Composes an index template with its component templates the way Elasticsearch does, so the schema is
// generated from the mapping the data stream really gets: component templates in `composed_of` order, then
// the index template's own mappings; objects merge field by field, a later leaf definition replaces an
// earlier one whole, dynamic templates replace by name.
import { readComponentTemplate, readIndexTemplate, componentTemplatePath, indexTemplatePath, MAPPINGS_ROOT } from './load.ts';
import { isObjectField, type ComponentTemplateBody, type FieldMapping, type IndexTemplateBody, type Mappings, type NamedDynamicTemplate } from './template-types.ts';

export interface ComposedTemplate {
  readonly name: string;
  readonly indexTemplate: IndexTemplateBody;
  readonly mappings: Mappings;
  /** Dotted paths listed in `_meta.required` of the index template or any of its component templates. */
  readonly required: readonly string[];
  /** Field documentation from `_meta.fields` (dotted path → text). */
  readonly fieldDocs: ReadonlyMap<string, string>;
  /**
   * Object fields listed in `_meta.arrays`: they hold a list of such objects (a mapping cannot say so, and
   * `meta` is for leaves only). Plain objects, not `nested`: their leaves stay searchable as usual.
   */
  readonly arrays?: readonly string[];
  /** Files read, for provenance in generated output. */
  readonly sources: readonly string[];
}

type Props = Readonly<Record<string, FieldMapping>>;

function mergeProperties(a: Props | undefined, b: Props | undefined): Props | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const out: Record<string, FieldMapping> = { ...a };
  for (const [name, field] of Object.entries(b)) {
    const prev = out[name];
    out[name] = prev !== undefined && isObjectField(prev) && isObjectField(field)
      ? { ...prev, ...field, properties: mergeProperties(prev.properties, field.properties) ?? {} }
      : field;
  }
  return out;
}

const templateName = (t: NamedDynamicTemplate): string => Object.keys(t)[0] ?? '';

function mergeDynamicTemplates(a: readonly NamedDynamicTemplate[] | undefined, b: readonly NamedDynamicTemplate[] | undefined): readonly NamedDynamicTemplate[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const replaced = new Set(b.map(templateName));
  return [...a.filter((t) => !replaced.has(templateName(t))), ...b];
}

export function mergeMappings(a: Mappings, b: Mappings): Mappings {
  const properties = mergeProperties(a.properties, b.properties);
  const dynamicTemplates = mergeDynamicTemplates(a.dynamic_templates, b.dynamic_templates);
  return {
    ...a,
    ...b,
    ...(properties ? { properties } : {}),
    ...(dynamicTemplates ? { dynamic_templates: dynamicTemplates } : {}),
  };
}

function metaStrings(body: ComponentTemplateBody, key: string, where: string): readonly string[] {
  const v = body._meta?.[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) throw new Error(`${where}: _meta.${key} must be a list of strings`);
  return v;
}

function metaDocs(body: ComponentTemplateBody, where: string): ReadonlyArray<readonly [string, string]> {
  const v = body._meta?.['fields'];
  if (v === undefined) return [];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: _meta.fields must map field paths to text`);
  return Object.entries(v).map(([path, doc]) => {
    if (typeof doc !== 'string') throw new Error(`${where}: _meta.fields.${path} must be a string`);
    return [path, doc] as const;
  });
}

export function composeTemplate(name: string, root: string = MAPPINGS_ROOT): ComposedTemplate {
  const indexTemplate = readIndexTemplate(name, root);
  const parts: Array<readonly [string, ComponentTemplateBody]> = [
    ...(indexTemplate.composed_of ?? []).map((c) => [componentTemplatePath(c, root), readComponentTemplate(c, root)] as const),
    [indexTemplatePath(name, root), indexTemplate],
  ];
  let mappings: Mappings = {};
  const required = new Set<string>();
  const fieldDocs = new Map<string, string>();
  const arrays = new Set<string>();
  for (const [path, body] of parts) {
    mappings = mergeMappings(mappings, body.template?.mappings ?? {});
    for (const r of metaStrings(body, 'required', path)) required.add(r);
    for (const a of metaStrings(body, 'arrays', path)) arrays.add(a);
    for (const [field, doc] of metaDocs(body, path)) fieldDocs.set(field, doc);
  }
  return { name, indexTemplate, mappings, required: [...required], fieldDocs, ...(arrays.size > 0 ? { arrays: [...arrays] } : {}), sources: parts.map(([p]) => p) };
}

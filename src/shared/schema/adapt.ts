// The templates in mappings/ use ECS's own field types. A minimal Elasticsearch build (the integ-test
// distribution) lacks the x-pack and mapper-extras types, and a template naming one is refused outright. This
// rewrites a template for the server it will be installed on, so the same files serve both builds; the
// documents and the generated schema do not change, only how the server indexes a few fields.
import type { ComponentTemplateBody, FieldMapping, Mappings, NamedDynamicTemplate } from './template-types.ts';

export interface Capabilities {
  /** Field types the server accepts in a mapping. */
  readonly fieldTypes: ReadonlySet<string>;
}

export interface Substitution {
  /** Dotted path; `dynamic_templates.<name>` for a dynamic template's mapping. */
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

export interface AdaptResult<T> {
  readonly template: T;
  readonly substituted: readonly Substitution[];
}

interface Fallback {
  readonly to: string;
  /** Parameters the original type has and the substitute rejects. */
  readonly drop: readonly string[];
  /** Parameters that bring the substitute closest to the original's behaviour. */
  readonly add: Readonly<Record<string, unknown>>;
}

/**
 * Nearest available type for each type a server may lack. match_only_text is text without positions,
 * frequencies or norms; wildcard and constant_keyword index the same values as keyword, constant_keyword's
 * fixed `value` is then enforced by the schema alone.
 */
export const FALLBACKS: Readonly<Record<string, Fallback>> = {
  match_only_text: { to: 'text', drop: [], add: { norms: false, index_options: 'docs' } },
  wildcard: { to: 'keyword', drop: [], add: {} },
  constant_keyword: { to: 'keyword', drop: ['value'], add: {} },
};

type Props = Readonly<Record<string, FieldMapping>>;

function adaptField(f: FieldMapping, path: string, types: ReadonlySet<string>, out: Substitution[]): FieldMapping {
  let res: FieldMapping = f;
  if (f.type !== undefined && !types.has(f.type)) {
    const fb = FALLBACKS[f.type];
    if (fb !== undefined) {
      if (!types.has(fb.to)) throw new Error(`${path}: the server has neither ${f.type} nor its substitute ${fb.to}`);
      const kept = Object.fromEntries(Object.entries(f).filter(([k]) => !fb.drop.includes(k)));
      res = { ...kept, ...fb.add, type: fb.to };
      out.push({ field: path, from: f.type, to: fb.to });
    }
    // A type without a known substitute is left for the server to refuse with its own message.
  }
  const properties = f.properties && adaptProps(f.properties, path, types, out);
  const fields = f.fields && adaptProps(f.fields, path, types, out);
  return { ...res, ...(properties ? { properties } : {}), ...(fields ? { fields } : {}) };
}

function adaptProps(p: Props, prefix: string, types: ReadonlySet<string>, out: Substitution[]): Props {
  return Object.fromEntries(Object.entries(p).map(([name, f]) => [name, adaptField(f, prefix ? `${prefix}.${name}` : name, types, out)]));
}

function adaptDynamicTemplates(dts: readonly NamedDynamicTemplate[], types: ReadonlySet<string>, out: Substitution[]): NamedDynamicTemplate[] {
  return dts.map((entry) => Object.fromEntries(Object.entries(entry).map(([name, dt]) =>
    [name, { ...dt, mapping: adaptField(dt.mapping, `dynamic_templates.${name}`, types, out) }])));
}

/**
 * Returns a copy of a component or index template body whose mappings use only field types in
 * `capabilities.fieldTypes`, and what was replaced. Types without a known substitute are left as they are.
 * The input is not modified.
 */
export function adaptMapping<T extends ComponentTemplateBody>(template: T, capabilities: Capabilities): AdaptResult<T> {
  const mappings = template.template?.mappings;
  if (mappings === undefined) return { template, substituted: [] };
  const types = capabilities.fieldTypes;
  const substituted: Substitution[] = [];
  const adapted: Mappings = {
    ...mappings,
    ...(mappings.properties ? { properties: adaptProps(mappings.properties, '', types, substituted) } : {}),
    ...(mappings.dynamic_templates ? { dynamic_templates: adaptDynamicTemplates(mappings.dynamic_templates, types, substituted) } : {}),
  };
  // Only template.mappings differs, and it keeps its type, so the copy is still a T.
  const copy = { ...template, template: { ...template.template, mappings: adapted } } as T;
  return { template: copy, substituted };
}

// Walks a mapping as dotted paths: what the generator, the adapter's callers and the tests reason about.
import { isObjectField, type FieldMapping, type Mappings } from './template-types.ts';

export type FieldKind = 'object' | 'leaf' | 'multi';

export interface MappedField {
  /** Dotted path; a multi-field's path continues its parent's (process.name.text). */
  readonly path: string;
  readonly kind: FieldKind;
  readonly mapping: FieldMapping;
}

function* walk(props: Readonly<Record<string, FieldMapping>>, prefix: string): Generator<MappedField> {
  for (const [name, mapping] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isObjectField(mapping)) {
      yield { path, kind: 'object', mapping };
      yield* walk(mapping.properties, path);
      continue;
    }
    yield { path, kind: 'leaf', mapping };
    for (const [sub, m] of Object.entries(mapping.fields ?? {})) yield { path: `${path}.${sub}`, kind: 'multi', mapping: m };
  }
}

/** Every object, leaf and multi-field, parents before children, in mapping order. */
export function mappedFields(mappings: Mappings): MappedField[] {
  return [...walk(mappings.properties ?? {}, '')];
}

/** Leaves only: the fields a document can carry values in. */
export function leafFields(mappings: Mappings): MappedField[] {
  return mappedFields(mappings).filter((f) => f.kind === 'leaf');
}

/** wg-siem marks arrays with `meta.array: "true"`, since a mapping cannot say a field holds a list. */
export const isMetaArray = (m: FieldMapping): boolean => m.meta?.['array'] === 'true';

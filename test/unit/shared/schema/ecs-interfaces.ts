// Reads the TypeScript interfaces @elastic/ecs generates (generated/<fieldset>.ts) with the compiler API, as an
// ECS reference independent of the EcsFlat table the generator uses: field path → TypeScript type.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import ts from 'typescript';

export type TsKind = 'string' | 'number' | 'boolean' | 'object' | 'other';

export interface TsField {
  readonly path: string;
  readonly kind: TsKind;
  /** ECS arrays are typed `T | Array<T>` (one value or many). */
  readonly array: boolean;
  readonly text: string;
}

function scalarKind(t: ts.TypeNode): TsKind {
  // ecs.version is typed as the literal of the package's ECS version.
  if (ts.isLiteralTypeNode(t)) return ts.isStringLiteral(t.literal) ? 'string' : ts.isNumericLiteral(t.literal) ? 'number' : 'other';
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword: return 'string';
    case ts.SyntaxKind.NumberKeyword: return 'number';
    case ts.SyntaxKind.BooleanKeyword: return 'boolean';
    default: return 'other';
  }
}

function elementOf(t: ts.TypeNode): ts.TypeNode | undefined {
  if (ts.isArrayTypeNode(t)) return t.elementType;
  if (ts.isTypeReferenceNode(t) && t.typeName.getText() === 'Array') return t.typeArguments?.[0];
  return undefined;
}

function classify(t: ts.TypeNode): { kind: TsKind; array: boolean } {
  if (ts.isTypeReferenceNode(t) && t.typeName.getText() === 'Record') return { kind: 'object', array: false };
  const el = elementOf(t);
  if (el) return { kind: scalarKind(el), array: true };
  if (ts.isUnionTypeNode(t)) {
    const scalars = t.types.filter((m) => !elementOf(m));
    const arrays = t.types.map(elementOf).filter((m) => m !== undefined);
    const kinds = new Set([...scalars, ...arrays].map(scalarKind));
    const [only] = kinds;
    return kinds.size === 1 && only !== undefined ? { kind: only, array: arrays.length > 0 } : { kind: 'other', array: false };
  }
  return { kind: scalarKind(t), array: false };
}

function collect(members: ts.NodeArray<ts.TypeElement>, prefix: string, sf: ts.SourceFile, out: Map<string, TsField>): void {
  for (const m of members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const name = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText(sf);
    const path = prefix ? `${prefix}.${name}` : name;
    if (ts.isTypeLiteralNode(m.type)) {
      collect(m.type.members, path, sf, out);
      continue;
    }
    out.set(path, { path, ...classify(m.type), text: m.type.getText(sf) });
  }
}

export function ecsPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@elastic/ecs/package.json'));
}

/** Every field of every ECS field set's interface; `base` holds the root fields (@timestamp, message, ...). */
export function readEcsInterfaces(): Map<string, TsField> {
  const dir = join(ecsPackageDir(), 'generated');
  const out = new Map<string, TsField>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !['index.ts', 'ecs_flat.ts'].includes(f))) {
    const sf = ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const fieldset = basename(file, '.ts');
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) collect(st.members, fieldset === 'base' ? '' : fieldset, sf, out);
    }
  }
  return out;
}

/** The TypeScript entry for a path, or the `Record<string, unknown>` object above it that ECS left untyped. */
export function lookup(fields: ReadonlyMap<string, TsField>, path: string): TsField | undefined {
  const exact = fields.get(path);
  if (exact) return exact;
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const f = fields.get(parts.slice(0, i).join('.'));
    if (f?.kind === 'object') return f;
  }
  return undefined;
}

// One generated schema and one generated type per index template, plus one file of the types the templates
// composed of the same component templates have alike: the template name is the input, the rest follows from it.
// Everything is computed in memory so `--check` and the tests compare without writing.
import { relative } from 'node:path';
import { composeTemplate } from '../compose.ts';
import { listIndexTemplates, MAPPINGS_ROOT } from '../load.ts';
import { ecsReference } from './ecs-reference.ts';
import { emitJsonSchema } from './emit-json-schema.ts';
import { emitSharedTypes, emitTypes, type SharedTypes } from './emit-ts.ts';
import { buildModel, type DocModel, type ObjectNode } from './model.ts';
import { splitShared } from './shared.ts';

export interface Target {
  readonly template: string;
  /** Base name of the generated files in src/shared/schema/generated/. */
  readonly file: string;
  readonly typeName: string;
}

/** Names fixed before the generator existed; other templates get names derived from their dataset. */
const NAMED: Readonly<Record<string, Omit<Target, 'template'>>> = {
  'logs-wireguard.log': { file: 'event', typeName: 'WgEventDoc' },
  'wireguard-diagnoses': { file: 'diagnosis', typeName: 'WgDiagnosisDoc' },
};

export function targetFor(template: string): Target {
  const named = NAMED[template];
  if (named) return { template, ...named };
  const dataset = template.replace(/^logs-wireguard\./, '');
  if (!/^[a-z][a-z0-9_]*$/.test(dataset)) throw new Error(`${template}: cannot derive file and type names; add it to NAMED in src/shared/schema/gen/generate.ts`);
  const pascal = dataset.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  return { template, file: dataset, typeName: `Wg${pascal}Doc` };
}

/** src/shared/schema/generated/, relative to the repository root (the parent of mappings/). */
export const GENERATED_DIR = 'src/shared/schema/generated';

export interface GeneratedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

/** The shared-fields file of the one family of data streams composed of the same component templates. */
const SHARED: Omit<SharedTypes, 'root'> = { file: 'common', typeName: 'WgCommonFields' };

interface Built {
  readonly target: Target;
  readonly model: DocModel;
  /** Files the model was composed from, relative to the repository root; the index template last. */
  readonly sources: readonly string[];
  /** The component templates, in order: data streams alike in these share their common fields (alone: none). */
  readonly family: string;
}

function build(target: Target, mappingsRoot: string): Built {
  const composed = composeTemplate(target.template, mappingsRoot);
  const repoRoot = `${mappingsRoot.replace(/\/$/, '')}/..`;
  return {
    target,
    model: buildModel(composed, ecsReference()),
    sources: composed.sources.map((s) => relative(repoRoot, s)),
    family: composed.indexTemplate.composed_of?.join(',') ?? `alone:${target.template}`,
  };
}

function streamFiles(b: Built, root: ObjectNode, shared?: SharedTypes): GeneratedFile[] {
  return [
    { path: `${GENERATED_DIR}/${b.target.file}.schema.json`, content: emitJsonSchema(b.model, b.target.typeName, b.sources) },
    { path: `${GENERATED_DIR}/${b.target.file}.ts`, content: emitTypes({ ...b.model, root }, b.target.typeName, b.sources, shared) },
  ];
}

/** The shared-fields file and each member's files; `wanted` picks the members whose files are returned. */
function familyFiles(members: readonly Built[], wanted: ReadonlySet<string>): GeneratedFile[] {
  const [first] = members;
  if (first === undefined || !members.some((m) => wanted.has(m.target.template))) return [];
  if (members.length === 1) return streamFiles(first, first.model.root);
  const split = splitShared(members.map((m) => m.model.root));
  const shared: SharedTypes = { ...SHARED, root: split.common };
  // The component templates every member was composed from: the index template (last) is each member's own.
  const sources = first.sources.slice(0, -1);
  const templates = members.map((m) => m.target.template);
  return [
    { path: `${GENERATED_DIR}/${SHARED.file}.ts`, content: emitSharedTypes(shared, templates, sources, first.model.ecsVersion) },
    ...members.flatMap((m, i) => (wanted.has(m.target.template) ? streamFiles(m, split.own[i] ?? m.model.root, shared) : [])),
  ];
}

/**
 * Generated files for the given index templates, or for every template in mappings/index/. A template that
 * shares its component templates with others brings the shared-fields file along, computed from the whole
 * family so that generating one template writes the same file as generating all.
 */
export function generate(templates?: readonly string[], mappingsRoot: string = MAPPINGS_ROOT): GeneratedFile[] {
  const all = listIndexTemplates(mappingsRoot);
  const wanted = new Set(templates ?? all);
  const unknown = [...wanted].filter((t) => !all.includes(t));
  if (unknown.length > 0) throw new Error(`no index template ${unknown.join(', ')} in ${mappingsRoot.replace(/\/$/, '')}/index/`);
  const families = new Map<string, Built[]>();
  for (const t of all) {
    const b = build(targetFor(t), mappingsRoot);
    families.set(b.family, [...(families.get(b.family) ?? []), b]);
  }
  const shared = [...families.values()].filter((f) => f.length > 1);
  if (shared.length > 1) throw new Error(`several families of index templates share component templates (${shared.map((f) => f[0]?.family).join('; ')}): give each its own shared file name in src/shared/schema/gen/generate.ts`);
  return [...families.values()].flatMap((f) => familyFiles(f, wanted));
}

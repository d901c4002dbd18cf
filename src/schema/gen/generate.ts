// One generated schema and one generated type per index template: the template name is the input, the rest
// follows from it. Everything is computed in memory so `--check` and the tests compare without writing.
import { relative } from 'node:path';
import { composeTemplate } from '../compose.ts';
import { listIndexTemplates, MAPPINGS_ROOT } from '../load.ts';
import { ecsReference } from './ecs-reference.ts';
import { emitJsonSchema } from './emit-json-schema.ts';
import { emitTypes } from './emit-ts.ts';
import { buildModel } from './model.ts';

export interface Target {
  readonly template: string;
  /** Base name of the generated files in src/schema/generated/. */
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
  if (!/^[a-z][a-z0-9_]*$/.test(dataset)) throw new Error(`${template}: cannot derive file and type names; add it to NAMED in src/schema/gen/generate.ts`);
  const pascal = dataset.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  return { template, file: dataset, typeName: `Wg${pascal}Doc` };
}

/** src/schema/generated/, relative to the repository root (the parent of mappings/). */
export const GENERATED_DIR = 'src/schema/generated';

export interface GeneratedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

export function generateTarget(target: Target, mappingsRoot: string = MAPPINGS_ROOT): GeneratedFile[] {
  const composed = composeTemplate(target.template, mappingsRoot);
  const model = buildModel(composed, ecsReference());
  const repoRoot = `${mappingsRoot.replace(/\/$/, '')}/..`;
  const sources = composed.sources.map((s) => relative(repoRoot, s));
  return [
    { path: `${GENERATED_DIR}/${target.file}.schema.json`, content: emitJsonSchema(model, target.typeName, sources) },
    { path: `${GENERATED_DIR}/${target.file}.ts`, content: emitTypes(model, target.typeName, sources) },
  ];
}

/** Generated files for the given index templates, or for every template in mappings/index/. */
export function generate(templates?: readonly string[], mappingsRoot: string = MAPPINGS_ROOT): GeneratedFile[] {
  return (templates ?? listIndexTemplates(mappingsRoot)).flatMap((t) => generateTarget(targetFor(t), mappingsRoot));
}

// Reads the template files in mappings/. The file name is the template name, so the installer can PUT each
// file's body under its name unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asComponentTemplate, asIndexTemplate, type ComponentTemplateBody, type IndexTemplateBody } from './template-types.ts';

/** mappings/ of the checkout or package; the same relative path holds from src/shared/schema and dist/schema. */
export const MAPPINGS_ROOT = fileURLToPath(new URL('../../../mappings/', import.meta.url));

export const componentTemplatePath = (name: string, root: string = MAPPINGS_ROOT): string => join(root, 'component', `${name}.json`);
export const indexTemplatePath = (name: string, root: string = MAPPINGS_ROOT): string => join(root, 'index', `${name}.json`);

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

export function readComponentTemplate(name: string, root: string = MAPPINGS_ROOT): ComponentTemplateBody {
  const path = componentTemplatePath(name, root);
  return asComponentTemplate(readJson(path), path);
}

export function readIndexTemplate(name: string, root: string = MAPPINGS_ROOT): IndexTemplateBody {
  const path = indexTemplatePath(name, root);
  return asIndexTemplate(readJson(path), path);
}

const names = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();

export const listComponentTemplates = (root: string = MAPPINGS_ROOT): string[] => names(join(root, 'component'));
export const listIndexTemplates = (root: string = MAPPINGS_ROOT): string[] => names(join(root, 'index'));

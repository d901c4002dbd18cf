// Ajv's findings turned into "path: what is wrong" lines a person can act on, in the style of the config loader.
import type { ErrorObject } from 'ajv';

/** `/peers/3/public_key` → `peers[3].public_key`; the root is "(root)". */
export function readablePath(pointer: string, child?: string): string {
  let out = '';
  const parts = pointer === '' ? [] : pointer.slice(1).split('/');
  if (child !== undefined) parts.push(child);
  for (const raw of parts) {
    const p = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  }
  return out === '' ? '(root)' : out;
}

const TYPE_WORDS: Record<string, string> = {
  array: 'must be a list', object: 'must be a mapping', string: 'must be text', integer: 'must be a whole number',
  number: 'must be a number', boolean: 'must be true or false', null: 'must be empty',
};

/**
 * One line per problem. `patternWords` explains a failed pattern by the path it failed at, because a bare
 * regular expression tells an operator nothing.
 */
export function describeAjvErrors(errors: readonly ErrorObject[], patternWords: (path: string) => string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    let line: string;
    switch (e.keyword) {
      case 'additionalProperties': line = `${readablePath(e.instancePath, String(p['additionalProperty']))}: unknown property`; break;
      case 'required': line = `${readablePath(e.instancePath, String(p['missingProperty']))}: missing`; break;
      case 'type': line = `${readablePath(e.instancePath)}: ${TYPE_WORDS[String(p['type'])] ?? `must be ${String(p['type'])}`}`; break;
      case 'minLength': line = `${readablePath(e.instancePath)}: must not be empty`; break;
      case 'pattern': line = `${readablePath(e.instancePath)}: ${patternWords(readablePath(e.instancePath))}`; break;
      case 'discriminator': line = `${readablePath(e.instancePath, String(p['tag']))}: ${p['error'] === 'mapping' ? 'unknown kind' : 'missing'}`; break;
      case 'enum': line = `${readablePath(e.instancePath)}: must be one of ${((p['allowedValues'] as unknown[] | undefined) ?? []).map((v) => JSON.stringify(v)).join(', ')}`; break;
      default: line = `${readablePath(e.instancePath)}: ${e.message ?? e.keyword}`;
    }
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

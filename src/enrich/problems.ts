// Ajv's findings turned into "path: what is wrong" lines a person can act on, in the style of the config loader.
import type { ErrorObject } from 'ajv';
import { ajvLines, allowedValues, fieldPath } from '../shared/schema/ajv-errors.ts';

const TYPE_WORDS: Record<string, string> = {
  array: 'must be a list', object: 'must be a mapping', string: 'must be text', integer: 'must be a whole number',
  number: 'must be a number', boolean: 'must be true or false', null: 'must be empty',
};

/**
 * One line per problem. `patternWords` explains a failed pattern by the path it failed at, because a bare
 * regular expression tells an operator nothing.
 */
export function describeAjvErrors(errors: readonly ErrorObject[], patternWords: (path: string) => string): string[] {
  return ajvLines(errors, {
    // `/peers/3/public_key` → `peers[3].public_key`.
    where: (pointer, property) => fieldPath(pointer, '(root)', property),
    wording: {
      additionalProperties: () => 'unknown property',
      required: () => 'missing',
      type: (_e, p) => TYPE_WORDS[String(p['type'])] ?? `must be ${String(p['type'])}`,
      minLength: () => 'must not be empty',
      pattern: (_e, _p, where) => patternWords(where),
      discriminator: (_e, p) => (p['error'] === 'mapping' ? 'unknown kind' : 'missing'),
      enum: (_e, p) => `must be one of ${allowedValues(p)}`,
    },
  });
}

// How each Elasticsearch field type appears in a JSON document: the JSON Schema that accepts exactly what the
// server indexes without rejecting, and the matching TypeScript type. A type missing here stops generation, so
// a new field type gets a deliberate entry rather than a silent `unknown`.

export type TsScalar = 'string' | 'number' | 'boolean';

export interface ScalarType {
  readonly schema: Readonly<Record<string, unknown>>;
  readonly ts: TsScalar;
}

const STRING: ScalarType = { schema: { type: 'string' }, ts: 'string' };
const NUMBER: ScalarType = { schema: { type: 'number' }, ts: 'number' };
// Bounds are powers of two, exact as doubles; a long's maximum 2^63-1 is not, hence exclusiveMaximum 2^63.
const int = (bits: number): ScalarType => ({ schema: { type: 'integer', minimum: -(2 ** (bits - 1)), exclusiveMaximum: 2 ** (bits - 1) }, ts: 'number' });

const SCALARS: Readonly<Record<string, ScalarType>> = {
  keyword: STRING,
  constant_keyword: STRING,
  wildcard: STRING,
  text: STRING,
  match_only_text: STRING,
  version: STRING,
  // "ip" and "date-time" are registered by src/shared/schema/validate.ts with the server's own acceptance rules.
  ip: { schema: { type: 'string', format: 'ip' }, ts: 'string' },
  date: { schema: { type: 'string', format: 'date-time' }, ts: 'string' },
  long: int(64),
  integer: int(32),
  short: int(16),
  byte: int(8),
  unsigned_long: { schema: { type: 'integer', minimum: 0, exclusiveMaximum: 2 ** 64 }, ts: 'number' },
  double: NUMBER,
  float: NUMBER,
  half_float: NUMBER,
  scaled_float: NUMBER,
  boolean: { schema: { type: 'boolean' }, ts: 'boolean' },
};

export function scalarType(esType: string, path: string): ScalarType {
  const t = SCALARS[esType];
  if (t === undefined) throw new Error(`${path}: field type ${esType} has no JSON Schema / TypeScript equivalent in src/shared/schema/gen/es-types.ts`);
  return t;
}

// JSON schema of a rule file (alerts/*.yaml) as written by people: snake_case keys, durations as text.
// Unknown keys are errors everywhere so that a typo (`windw: 2m`) cannot silently disable a setting.
import { DURATION_PATTERN } from './duration.ts';

const duration = { type: 'string', pattern: DURATION_PATTERN } as const;
const scalar = { type: ['string', 'number', 'boolean'] } as const;
const dottedPath = { type: 'string', pattern: '^[A-Za-z_@][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' } as const;

const condition = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    equals: scalar,
    in: { type: 'array', minItems: 1, items: scalar },
    exists: { type: 'boolean' },
    prefix: { type: 'string', minLength: 1 },
  },
} as const;

const filter = {
  type: 'object',
  propertyNames: dottedPath,
  additionalProperties: condition,
} as const;

const groupField = {
  oneOf: [
    dottedPath,
    {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'coalesce'],
      properties: { name: { type: 'string', minLength: 1 }, coalesce: { type: 'array', minItems: 1, items: dottedPath } },
    },
  ],
} as const;

const typeParams = {
  threshold: {
    type: 'object', additionalProperties: false, required: ['count'],
    properties: { count: { type: 'integer', minimum: 1 } },
  },
  distinct: {
    type: 'object', additionalProperties: false, required: ['field', 'count'],
    properties: { field: dottedPath, count: { type: 'integer', minimum: 2 } },
  },
  sequence: {
    type: 'object', additionalProperties: false, required: ['steps'],
    properties: {
      steps: {
        type: 'array', minItems: 1,
        items: {
          type: 'object', additionalProperties: false, required: ['filter'],
          properties: { name: { type: 'string' }, filter },
        },
      },
      count: { type: 'integer', minimum: 1 },
      ends_with_absence: {
        type: 'object', additionalProperties: false, required: ['filter', 'within'],
        properties: { filter, within: duration },
      },
    },
  },
  absence: {
    type: 'object', additionalProperties: false, required: ['after'],
    properties: { after: duration },
  },
} as const;

const TYPES = Object.keys(typeParams);

export const RULE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'title', 'description', 'version', 'severity', 'risk_score', 'filter', 'group_by', 'window', 'allowed_lateness', 'quiet_period', 'type'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    name: { type: 'string', minLength: 1 },
    title: { type: 'string', minLength: 1 },
    diagnosis: { type: 'string', minLength: 1 },
    tunnel: { enum: ['initiator', 'responder'] },
    description: { type: 'string', minLength: 1 },
    version: { type: 'integer', minimum: 1 },
    severity: { enum: ['low', 'medium', 'high', 'critical'] },
    risk_score: { type: 'number', minimum: 0, maximum: 100 },
    references: { type: 'array', items: { type: 'string' } },
    false_positives: { type: 'array', items: { type: 'string' } },
    filter,
    group_by: { type: 'array', minItems: 1, items: groupField },
    window: duration,
    allowed_lateness: duration,
    quiet_period: duration,
    type: { enum: TYPES },
    ...typeParams,
  },
  // The parameters block named by `type` is required and no other type's block may appear.
  allOf: TYPES.map((t) => ({
    if: { properties: { type: { const: t } }, required: ['type'] },
    then: { required: [t], not: { anyOf: TYPES.filter((o) => o !== t).map((o) => ({ required: [o] })) } },
  })),
} as const;

// Validates documents against the schemas generated from the mappings, before they are sent: a document the
// data stream's strict mapping would refuse is caught here with the field named, instead of as a bulk item
// error. Each schema is compiled once, on first use; allErrors is off because the first error is enough to
// reject and is much cheaper on the hot path.
import { canonicalIp } from '../net/ip.ts';
import { Ajv, type ValidateFunction } from 'ajv';
import { ajvLines, allowedValues, fieldPath, type AjvStyle } from './ajv-errors.ts';
import alertSchema from './generated/alert.schema.json' with { type: 'json' };
import eventSchema from './generated/event.schema.json' with { type: 'json' };
import unparsedSchema from './generated/unparsed.schema.json' with { type: 'json' };
import peerSchema from './generated/peer.schema.json' with { type: 'json' };

export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

/** Elasticsearch's ip type takes IPv4 and IPv6 but not a zone index (fe80::1%eth0). */
export const isEsIp = (s: string): boolean => !s.includes('%') && canonicalIp(s) !== null;

// RFC 3339 with a mandatory zone: a date without one would be read as UTC by Elasticsearch and silently
// shifted. Up to nanosecond fractions, which the date type accepts (and truncates to milliseconds).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

// Documents of one burst share their timestamps: the last few strings that passed are remembered.
const recentDates: string[] = ['', '', '', ''];
let recentAt = 0;

export function isEsDateTime(s: string): boolean {
  if (s === recentDates[0] || s === recentDates[1] || s === recentDates[2] || s === recentDates[3]) return true;
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const lastDay = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : DAYS_IN_MONTH[month - 1] ?? 31;
  const ok = day <= lastDay && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59
    && (m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59));
  if (ok) { recentDates[recentAt] = s; recentAt = (recentAt + 1) & 3; }
  return ok;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const FORMAT_TEXT: Readonly<Record<string, string>> = {
  ip: 'must be an IP address (IPv4 or IPv6, without a zone index)',
  'date-time': 'must be an RFC 3339 date-time with a time zone, e.g. 2025-01-02T03:04:05.678Z',
};

const ajv = new Ajv({ strict: true, allErrors: false, formats: { ip: isEsIp, 'date-time': isEsDateTime } });
const schemas = { event: eventSchema, alert: alertSchema, unparsed: unparsedSchema, peer: peerSchema } as const;
// Compiled when first used: `wg-siem normalize` needs one of the four, and each costs tens of ms to compile.
const compiled: Partial<Record<keyof typeof schemas, ValidateFunction>> = {};
const validator = (kind: keyof typeof schemas): ValidateFunction => (compiled[kind] ??= ajv.compile(schemas[kind]));

// `/event/category/0` → `field event.category[0]`, the way ECS names fields.
const DOCUMENT_STYLE: AjvStyle = {
  where: (pointer, property) => `field ${fieldPath(pointer, '(document)', property)}`,
  wording: {
    required: () => 'is required',
    additionalProperties: () => 'is not in the mapping (unknown field)',
    propertyNames: () => 'name must not contain a dot',
    enum: (_e, p) => `must be one of ${allowedValues(p)}`,
    const: (_e, p) => `must be ${JSON.stringify(p['allowedValue'])}`,
  },
  formats: FORMAT_TEXT,
};

function run(v: ValidateFunction, doc: unknown): ValidationResult {
  if (v(doc)) return { ok: true };
  // With allErrors off ajv stops at the first failure; a propertyNames failure also reports the inner pattern
  // error first, which names no field, so the most specific description wins.
  const errors = v.errors ?? [];
  const primary = errors.find((e) => e.keyword === 'propertyNames') ?? errors[0];
  return { ok: false, errors: primary ? ajvLines([primary], DOCUMENT_STYLE) : ['document: invalid'] };
}

/** A document of the logs-wireguard.log data stream (WgEventDoc). */
export const validateEvent = (doc: unknown): ValidationResult => run(validator('event'), doc);
/** A document of the logs-wireguard.alert data stream (WgAlertDoc). */
export const validateAlert = (doc: unknown): ValidationResult => run(validator('alert'), doc);
/** A document of the logs-wireguard.unparsed data stream (WgUnparsedDoc). */
export const validateUnparsed = (doc: unknown): ValidationResult => run(validator('unparsed'), doc);

/** A document of the logs-wireguard.peer data stream (WgPeerDoc). */
export const validatePeer = (doc: unknown): ValidationResult => run(validator('peer'), doc);

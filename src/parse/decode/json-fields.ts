// Typed reads of scanned JSON fields. Records come from anyone, so a value of the wrong type (a number where
// a string belongs, an object where a number belongs) counts as absent rather than being coerced.
import { get } from './json-scan.ts';
import type { JsonPath, JsonRecord } from './json-scan.ts';

export function str(r: JsonRecord, p: JsonPath): string | undefined {
  const v = get(r, p);
  return typeof v === 'string' ? v : undefined;
}

/** A non-empty string field; shippers write "" for fields they could not fill. */
export function text(r: JsonRecord, p: JsonPath): string | undefined {
  const v = get(r, p);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A non-negative integer written as a JSON number or as a decimal string (journald writes every value as a string). */
export function uint(r: JsonRecord, p: JsonPath): number | undefined {
  const v = get(r, p);
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 16) return undefined;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(v);
}

export function present(r: JsonRecord, p: JsonPath): boolean {
  return get(r, p) !== undefined;
}

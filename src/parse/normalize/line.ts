// The pure part of the pipeline for one input line or record: decode → recognise → normalise (→ validate).
import { diagnosis } from '../catalog/catalog.ts';
import { CATALOG } from '../catalog/catalog.ts';
import { Recogniser } from '../catalog/recognise.ts';
import { decode } from '../decode/decode.ts';
import type { Decoded } from '../decode/types.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import { validateEvent } from '../../shared/schema/validate.ts';
import { normalize } from './normalize.ts';

export type LineResult =
  | { readonly kind: 'event'; readonly doc: WgEventDoc }
  /** Not a WireGuard message (or not one the catalog knows). */
  | { readonly kind: 'unparsed'; readonly decoded: Decoded }
  /** Recognised, but the document failed schema validation: a bug or a hostile value; goes to dead letters. */
  | { readonly kind: 'invalid'; readonly decoded: Decoded; readonly errors: readonly string[] };

export interface LineOptions {
  readonly timezone: string;
  readonly namespace: string;
  readonly validate: boolean;
  /** pipeline.preserveOriginalEvent: keep the raw line in event.original (off by default). */
  readonly preserveOriginal?: boolean;
}

export interface LineInput {
  readonly value: string | Uint8Array;
  readonly recordTimestampMs?: number;
  readonly nowMs: number;
}

let shared: Recogniser | undefined;
/** Building the recogniser compiles every pattern once; all callers share it. */
export function recogniser(): Recogniser {
  shared ??= new Recogniser(CATALOG);
  return shared;
}

export function processLine(input: LineInput, o: LineOptions): LineResult {
  const decoded = decode(input.value, { timezone: o.timezone, nowMs: input.nowMs, recordTimestampMs: input.recordTimestampMs });
  const r = recogniser().recognise(decoded);
  if (!r) return { kind: 'unparsed', decoded };
  const doc = normalize(decoded, r, { namespace: o.namespace, ingestedMs: input.nowMs, diagnosis, preserveOriginal: o.preserveOriginal === true });
  if (o.validate) {
    const v = validateEvent(doc);
    if (!v.ok) return { kind: 'invalid', decoded, errors: v.errors };
  }
  return { kind: 'event', doc };
}

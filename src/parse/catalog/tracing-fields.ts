// Captures from a structured logger's fields. Rust programs log through tracing, whose formatter prints the
// event's fields after the message (` remote_idx=1234 cid=…`) and the fields of the enclosing spans before the
// target (`decapsulate{from=… num_bytes=20}:`); which fields follow a message depends on the program that
// embeds boringtun (Firezone adds cid=, its fork adds index=). Writing every combination into every pattern
// would not end, so the envelope splits the trailing fields off (Decoded.text / Decoded.fields) and an entry
// says which named fields it wants (MessageDef.fields); everything else the program appended is ignored.
import type { Decoded } from '../decode/types.ts';
import type { CaptureName, MessageDef } from './types.ts';

type Captures = Partial<Record<CaptureName, string>>;

/**
 * The captures a text-only match of `def` gains from the line's fields: for each field the entry names, the
 * first value printed (the event's own fields come before the spans'); a value the pattern captured stays.
 */
export function fieldCaptures(def: MessageDef, d: Decoded, captures: Captures): Captures {
  const wanted = def.fields;
  const fields = d.fields;
  if (wanted === undefined || fields === undefined) return captures;
  const out: Captures = { ...captures };
  for (const [key, value] of fields) {
    if (!Object.hasOwn(wanted, key)) continue;
    const name = wanted[key];
    if (name !== undefined && out[name] === undefined && value !== '') out[name] = value;
  }
  return out;
}

/** Whether the line carries a field-less text worth a second match (something was split off, text not empty). */
export function hasText(d: Decoded): d is Decoded & { readonly text: string } {
  return d.text !== undefined && d.text !== '' && d.text !== d.message;
}

/**
 * A match of an entry that names fields but got none of them: the bare text ("Poll error", "New session"),
 * which only counts when an envelope said the implementation printed it (the pretty form, WARP's "New session,
 * ()"); on a bare line it is too common a text.
 */
export function lacksFields(def: MessageDef, captures: Captures): boolean {
  const wanted = def.fields;
  if (wanted === undefined) return false;
  for (const key in wanted) {
    const name = wanted[key];
    if (name !== undefined && captures[name] !== undefined) return false;
  }
  return true;
}

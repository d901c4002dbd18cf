// Decoding one text line: the candidates for its first character from the envelope table, one anchored regex
// each, over the line's head only; whatever matches none is "raw".
import { BY_FIRST_CHAR } from './envelopes.ts';
import { decoderFailure } from './failure.ts';
import { head, newOut, rest } from './fields.ts';
import type { Ctx, Out } from './fields.ts';

export function rawOut(line: string): Out {
  return newOut('raw', line, rest(line, 0));
}

export function decodeText(line: string, ctx: Ctx): Out {
  const c = line.charCodeAt(0);
  const candidates = BY_FIRST_CHAR[c < 128 ? c : 128];
  if (candidates === undefined || candidates.length === 0) return rawOut(line);
  const h = head(line);
  for (const e of candidates) {
    const m = e.re.exec(h);
    if (m === null) continue;
    let out: Out | undefined;
    try {
      out = e.extract(m, line, ctx);
    } catch (err) {
      // Named here, where it is known which extractor threw: decode() counts failures per decoder.
      throw decoderFailure(e.id, err);
    }
    if (out !== undefined) return out;
  }
  return rawOut(line);
}

/**
 * Drops ANSI escape sequences (CSI "ESC [ … final" and two-character "ESC x"), for lines captured from a
 * terminal with colours on (tracing-subscriber, dmesg --color=always). A loop, not a regex: it is linear on any
 * input.
 */
export function stripAnsi(s: string): string {
  let out = '';
  let from = 0;
  const n = s.length;
  for (let i = s.indexOf('\u001b'); i >= 0 && i < n; i = s.indexOf('\u001b', i)) {
    out += s.slice(from, i);
    let j = i + 1;
    if (s.charCodeAt(j) === 91) {
      j++;
      // Parameter and intermediate bytes 0x20–0x3F, then one final byte 0x40–0x7E.
      while (j < n) {
        const c = s.charCodeAt(j);
        if (c < 0x20 || c > 0x3f) break;
        j++;
      }
      const f = s.charCodeAt(j);
      if (f >= 0x40 && f <= 0x7e) j++;
    } else if (j < n) {
      j++;
    }
    from = j;
    i = j;
  }
  return from === 0 ? s : out + s.slice(from);
}

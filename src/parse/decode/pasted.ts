// Layouts that only pasted logs have: what a log viewer or a web panel shows rather than what the program wrote.
import type { TextEnvelope } from './envelopes.ts';
import { DIGITS, newOut, rest } from './fields.ts';

/**
 * A time of day and the text, no date (3x-ui's device log of amneziawg-go, other panels' log views):
 * "17:49:45 peer(<redacted>) - Sending handshake initiation". Without a date the time cannot be placed, so
 * none is taken (the record's or the ingest time stands); nothing is implied about who printed the text.
 * Tried after every dated layout: a fraction of a second after the time ("16:17:40.450237", tcpdump) is not this.
 */
export const TIME_ONLY: TextEnvelope = {
  id: 'time-only',
  variant: 'time of day, text: 17:49:45 ...',
  first: DIGITS,
  re: /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d (?=\S)/,
  extract: (m, line) => newOut('time-only', line, rest(line, m[0].length)),
};

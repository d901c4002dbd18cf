// Decoder failures (a bug in an envelope extractor; the line itself goes on as raw) become a counter per decoder
// and a warning. One warning per decoder per interval: a broken extractor fails on every line of its format,
// and a log line per event line would bury everything else.
import type { Logger } from 'pino';
import { onDecoderFailure } from '../../parse/decode/failure.ts';
import type { Metrics } from './metrics.ts';

export const DECODER_WARN_INTERVAL_MS = 60_000;

export interface DecoderFailureWatch {
  /** Fewest milliseconds between two warnings about the same decoder. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** Listens to this process's decoder failures until the returned function is called. */
export function watchDecoderFailures(m: Metrics, log: Logger, o: DecoderFailureWatch = {}): () => void {
  const intervalMs = o.intervalMs ?? DECODER_WARN_INTERVAL_MS;
  const now = o.now ?? Date.now;
  const warned = new Map<string, { atMs: number; since: number }>();
  return onDecoderFailure((f) => {
    m.decoderFailures.inc({ decoder: f.decoder });
    const t = now();
    const last = warned.get(f.decoder);
    if (last && t - last.atMs < intervalMs) {
      last.since++;
      return;
    }
    log.warn(
      { decoder: f.decoder, error: { type: f.type, message: f.message }, failures_not_logged: last?.since ?? 0 },
      'a log-line decoder threw: lines of its format are kept as raw lines (a bug in wg-siem; please report it)',
    );
    warned.set(f.decoder, { atMs: t, since: 0 });
  });
}

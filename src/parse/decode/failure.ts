// A decoder (envelope extractor) that throws is a bug, not a verdict on the line: the line still flows on as
// "raw", but the failure is reported, so that a broken extractor shows up in metrics and logs instead of as a
// silent rise in lines that are "not WireGuard". decode() is pure and called deep inside the pipeline, so it
// reports to whoever listens here (the run command binds this to a metric and a rate-limited warning).

/** An extractor's exception, tagged with the envelope whose extractor threw. */
export class DecoderFailure extends Error {
  readonly decoder: string;
  override readonly cause: unknown;

  constructor(decoder: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'DecoderFailure';
    this.decoder = decoder;
    this.cause = cause;
  }
}

/** Names the decoder of an exception thrown by an extractor; the innermost name wins (a JSON envelope's inner text). */
export function decoderFailure(decoder: string, error: unknown): DecoderFailure {
  return error instanceof DecoderFailure ? error : new DecoderFailure(decoder, error);
}

/** What one failure says: which decoder, the exception's class and message. Never the line (it may hold keys). */
export interface DecoderFailureReport {
  readonly decoder: string;
  /** The exception's class name (TypeError, RangeError, ...). */
  readonly type: string;
  readonly message: string;
}

/** Thrown outside any tagged extractor (the JSON scanner, the envelope-independent clean-up). */
export const UNKNOWN_DECODER = 'unknown';

const MESSAGE_MAX = 1024;

export function failureReport(error: unknown): DecoderFailureReport {
  const decoder = error instanceof DecoderFailure ? error.decoder : UNKNOWN_DECODER;
  const cause = error instanceof DecoderFailure ? error.cause : error;
  const type = cause instanceof Error ? cause.name : typeof cause;
  let message: string;
  try {
    message = cause instanceof Error ? cause.message : String(cause);
  } catch {
    message = 'unprintable exception';
  }
  return { decoder, type, message: message.length > MESSAGE_MAX ? message.slice(0, MESSAGE_MAX) : message };
}

export type DecoderFailureListener = (report: DecoderFailureReport) => void;

const listeners = new Set<DecoderFailureListener>();

/** Listens to decoder failures of this process; returns the function that stops listening. */
export function onDecoderFailure(listener: DecoderFailureListener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** Tells every listener; a listener that throws must not make decode() throw. */
export function reportDecoderFailure(report: DecoderFailureReport): void {
  for (const l of listeners) {
    try {
      l(report);
    } catch {
      // A broken listener loses its own report only.
    }
  }
}

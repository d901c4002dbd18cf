// `wg-siem collect`: polls `wg show all dump` on the WireGuard host and publishes what it shows — minus the
// private and preshared keys, which the parser drops before anything else sees the output — with what changed
// since the previous poll. A failed poll is logged and retried at the next tick; it never stops the collector.
import type { Logger } from 'pino';
import { DumpError, parseWgDump } from '../../parse/wg-dump.ts';
import type { OutgoingRecord } from '../kafka/reliable-producer.ts';
import { run } from '../../shared/util/run.ts';
import { PeerChangeTracker, type PeerChange } from './peer-changes.ts';
import { SNAPSHOT_HEADER, SNAPSHOT_KIND, toSnapshotRecord, type SnapshotRecord } from './snapshot-record.ts';

export interface CollectorOptions {
  /** argv of the command printing `wg show all dump`. */
  readonly command: readonly string[];
  readonly host: string;
  readonly timeoutMs: number;
  readonly staleAfterMs: number;
  /** Where each snapshot goes (a Kafka topic, or standard output for --stdout). */
  readonly publish: (record: OutgoingRecord, snapshot: SnapshotRecord) => Promise<void>;
  readonly log: Logger;
  readonly now?: () => number;
}

export type PollResult =
  | { readonly ok: true; readonly peers: number; readonly changes: readonly PeerChange[] }
  | { readonly ok: false; readonly error: string };

/** Output beyond this is not a dump (100,000 peers print about 25 MB). */
const MAX_OUTPUT = 64 * 1024 * 1024;

export class PeerCollector {
  private readonly o: CollectorOptions;
  private readonly tracker: PeerChangeTracker;

  constructor(o: CollectorOptions) {
    if (o.command.length === 0) throw new Error('collect.command is empty');
    this.o = o;
    this.tracker = new PeerChangeTracker({ staleAfterMs: o.staleAfterMs });
  }

  /** One poll: run the command, read the dump, publish the snapshot. */
  async poll(): Promise<PollResult> {
    const atMs = (this.o.now ?? Date.now)();
    let text: string;
    try {
      text = await this.exec();
    } catch (e) {
      const error = (e as Error).message;
      this.o.log.warn({ command: this.o.command.join(' '), error }, 'poll failed');
      return { ok: false, error };
    }
    let snapshot;
    try {
      snapshot = parseWgDump(text, this.o.host, atMs);
    } catch (e) {
      // DumpError names lines and columns, never their contents: a shifted column could hold a private key.
      const error = e instanceof DumpError ? e.message : `cannot read the dump: ${(e as Error).message}`;
      this.o.log.warn({ error }, 'poll failed');
      return { ok: false, error };
    }
    const changes = this.tracker.update(snapshot);
    const record = toSnapshotRecord(snapshot, changes);
    await this.o.publish({ key: this.o.host, value: JSON.stringify(record), headers: { [SNAPSHOT_HEADER]: SNAPSHOT_KIND } }, record);
    this.o.log.debug({ peers: snapshot.peers.length, changes: changes.length }, 'snapshot published');
    return { ok: true, peers: snapshot.peers.length, changes };
  }

  /** Polls every intervalMs until the signal aborts; a slow poll delays the next one rather than overlapping. */
  async run(intervalMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = Date.now();
      try {
        await this.poll();
      } catch (e) {
        // Publishing failed (Kafka unreachable beyond the producer's retries): the next poll tries again.
        this.o.log.error({ err: e }, 'snapshot not published');
      }
      const wait = Math.max(0, intervalMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
    }
  }

  private async exec(): Promise<string> {
    const [file = '', ...args] = this.o.command;
    const r = await run(file, args, { timeoutMs: this.o.timeoutMs, maxOutputBytes: MAX_OUTPUT });
    if (r.code === 0 && !r.truncated) return r.stdout;
    const why = r.startError === 'ENOENT' ? `${file}: not found (install wireguard-tools, or set collect.command)`
      : r.timedOut ? `no answer within ${this.o.timeoutMs} ms (collect.timeoutMs)`
        : r.truncated ? `more than ${MAX_OUTPUT} bytes of output`
          : `exit ${r.code}: ${r.stderr.trim().slice(0, 500) || 'no message'}`;
    throw new Error(`${this.o.command.join(' ')}: ${why}`);
  }
}

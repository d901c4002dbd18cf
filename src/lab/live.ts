// Live lab scenarios shipped the way a deployment ships them: each end's wireguard-go log file followed and
// framed as syslog from its host (what rsyslog's imfile does), and each end's `wg show all dump` published by
// the collector — the same code as `wg-siem ship --follow --syslog-host` and `wg-siem collect`, run in-process.
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { PeerCollector } from '../collect/collector.ts';
import type { KafkaTarget } from '../kafka/client.ts';
import type { Compression } from '../kafka/codecs.ts';
import { inputChunks } from '../kafka/input.ts';
import { ReliableProducer } from '../kafka/reliable-producer.ts';
import { ship, syslogFrame } from '../kafka/ship.ts';
import { Lab, type LabEnd, type LabScenario } from './lab.ts';

/**
 * The scenarios in two waves. Timing cannot tell a wrong server key from a server lacking the client's key when
 * both fail at the same moments in the same 5-s rhythm (the servers' lines name no peer that snapshots could tie
 * to another tunnel), so those two never run at the same time.
 */
export const LAB_WAVES: readonly (readonly LabRun[])[] = [
  [{ scenario: 'healthy' }, { scenario: 'wrong-server-key' }, { scenario: 'psk' }, { scenario: 'allowedips' }, { scenario: 'burst' }],
  [{ scenario: 'server-lacks-client', ipv6: true }, { scenario: 'unreachable' }, { scenario: 'psk-differ' }, { scenario: 'replay' }],
];

/** One scenario of a wave, over an IPv4 or an IPv6 underlay. */
export interface LabRun {
  readonly scenario: LabScenario;
  readonly ipv6?: boolean;
}

export interface LiveOptions {
  readonly kafka: KafkaTarget;
  readonly topic: string;
  readonly compression: Compression;
  readonly logDir: string;
  /** Underlay of the first scenario is 10.99.<firstNet>.0/24, the next one's firstNet + 1, ... */
  readonly firstNet: number;
  readonly collectIntervalMs: number;
  readonly staleAfterMs: number;
  readonly log: Logger;
}

export interface LiveLab {
  readonly labs: readonly Lab[];
  /** Pings through every tunnel at once for `seconds`. */
  traffic(seconds: number): Promise<void>;
  /** Stops shippers and collectors (after a last poll and flush), then the labs. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startLive(runs: readonly LabRun[], o: LiveOptions): Promise<LiveLab> {
  mkdirSync(o.logDir, { recursive: true });
  const labs: Lab[] = [];
  const stop = new AbortController();
  const running: Promise<unknown>[] = [];
  const producer = new ReliableProducer(o.kafka, o.compression);
  let stopped = false;
  const stopAll = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    stop.abort();
    await Promise.allSettled(running);
    await producer.disconnect().catch(() => undefined);
    await Promise.all(labs.map((l) => l.stop()));
  };
  try {
    await producer.connect();
    for (const [i, r] of runs.entries()) labs.push(await Lab.start({ scenario: r.scenario, ...(r.ipv6 ? { ipv6: true } : {}), net: o.firstNet + i, logDir: o.logDir }));
    const agents = (e: LabEnd): void => {
      running.push(ship(inputChunks(e.logFile, { follow: true, signal: stop.signal }), {
        target: o.kafka, topic: o.topic, compression: o.compression, lingerMs: 200, frame: syslogFrame(e.host, 'wireguard-go'),
      }));
      const collector = new PeerCollector({
        command: [...e.wg, 'show', 'all', 'dump'], host: e.host, timeoutMs: 5000, staleAfterMs: o.staleAfterMs, log: o.log,
        publish: (record) => producer.send(o.topic, [record]),
      });
      running.push(collector.run(o.collectIntervalMs, stop.signal));
    };
    for (const l of labs) { agents(l.server); agents(l.client); }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return {
    labs,
    traffic: async (seconds) => { await Promise.all(labs.map((l) => l.traffic(seconds))); },
    stop: stopAll,
  };
}

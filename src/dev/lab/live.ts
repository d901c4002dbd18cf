// Live lab scenarios shipped the way a deployment ships them: each end's wireguard-go log file followed and
// framed as syslog from its host (what rsyslog's imfile does), and each end's `wg show all dump` published by
// the collector — the same code as `wg-siem ship --follow --syslog-host` and `wg-siem collect`, run in-process.
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { PeerCollector } from '../../source/collect/collector.ts';
import type { KafkaTarget } from '../../source/kafka/client.ts';
import type { Compression } from '../../source/kafka/codecs.ts';
import { inputChunks } from '../../source/kafka/input.ts';
import { ReliableProducer } from '../../source/kafka/reliable-producer.ts';
import { ship, syslogFrame } from '../../source/ship.ts';
import { Lab, type LabScenario } from './lab.ts';
import { Wave } from './wave.ts';

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

/** What the agents of one host need: its host name, its log file, and how to run `wg` there. */
export interface AgentEnd {
  readonly host: string;
  readonly logFile: string;
  readonly wg: readonly string[];
}

export type AgentOptions = Omit<LiveOptions, 'logDir' | 'firstNet'>;

/**
 * For each host: its log file followed and shipped as syslog from the host, its `wg show all dump` published by
 * the collector. stop() stops them after a last poll and flush.
 */
export async function startAgents(ends: readonly AgentEnd[], o: AgentOptions): Promise<{ stop(): Promise<void> }> {
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
  };
  try {
    await producer.connect();
    for (const e of ends) {
      running.push(ship(inputChunks(e.logFile, { follow: true, signal: stop.signal }), {
        target: o.kafka, topic: o.topic, compression: o.compression, lingerMs: 200, frame: syslogFrame(e.host, 'wireguard-go'),
      }));
      const collector = new PeerCollector({
        command: [...e.wg, 'show', 'all', 'dump'], host: e.host, timeoutMs: 5000, staleAfterMs: o.staleAfterMs, log: o.log,
        publish: (record) => producer.send(o.topic, [record]),
      });
      running.push(collector.run(o.collectIntervalMs, stop.signal));
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { stop: stopAll };
}

/**
 * Brings up the hosts (`up` returns their ends once all are up; `down` stops those up so far), then their agents.
 * The stop it returns stops the agents first, after their last poll and flush, then the hosts; safe to call
 * twice. When anything fails to come up, what did is stopped and the error rethrown.
 */
async function upWithAgents(up: () => Promise<readonly AgentEnd[]>, down: () => Promise<void>, o: AgentOptions): Promise<() => Promise<void>> {
  let agents: { stop(): Promise<void> } | undefined;
  let stopped = false;
  const stopAll = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await agents?.stop();
    await down();
  };
  try {
    agents = await startAgents(await up(), o);
  } catch (e) {
    await stopAll();
    throw e;
  }
  return stopAll;
}

export async function startLive(runs: readonly LabRun[], o: LiveOptions): Promise<LiveLab> {
  mkdirSync(o.logDir, { recursive: true });
  const labs: Lab[] = [];
  const stop = await upWithAgents(async () => {
    for (const [i, r] of runs.entries()) labs.push(await Lab.start({ scenario: r.scenario, ...(r.ipv6 ? { ipv6: true } : {}), net: o.firstNet + i, logDir: o.logDir }));
    return labs.flatMap((l) => [l.server, l.client]);
  }, async () => { await Promise.all(labs.map((l) => l.stop())); }, o);
  return {
    labs,
    traffic: async (seconds) => { await Promise.all(labs.map((l) => l.traffic(seconds))); },
    stop,
  };
}

export interface LiveWave {
  readonly wave: Wave;
  /** Pings through every tunnel of the wave at once for `seconds`. */
  traffic(seconds: number): Promise<void>;
  /** Stops shippers and collectors (after a last poll and flush), then the wave. Safe to call twice. */
  stop(): Promise<void>;
}

/** The concurrency wave (src/dev/lab/wave.ts) live, each host shipped and collected like a lab end; underlay 10.99.<firstNet>.0/24. */
export async function startLiveWave(o: LiveOptions): Promise<LiveWave> {
  mkdirSync(o.logDir, { recursive: true });
  const wave = await Wave.start({ net: o.firstNet, logDir: o.logDir });
  const stop = await upWithAgents(() => Promise.resolve(wave.hosts), () => wave.stop(), o);
  return { wave, traffic: (seconds) => wave.traffic(seconds), stop };
}

import type { Command } from 'commander';
import { hostname } from 'node:os';
import { loadConfig } from '../../shared/config/load.ts';
import { resolveKafka } from '../targets.ts';

interface CollectFlags {
  once?: boolean;
  stdout?: boolean;
  topic?: string;
}

/** `wg-siem collect`: the peer-state agent for the WireGuard host. */
export function registerCollect(program: Command): void {
  program.command('collect')
    .description('on a WireGuard host: poll `wg show all dump` (collect.command) every collect.intervalMs and publish each '
      + 'peer\'s state and what changed (peer added/removed, endpoint changed, handshake stale, handshake failing) to Kafka, '
      + 'keyed by host; private and preshared keys are dropped as the output is read and never leave the process')
    .option('--once', 'poll once, publish, and exit (exit 1 if the poll failed)')
    .option('--stdout', 'print each snapshot record as a JSON line instead of sending it to Kafka (to see what would be sent)')
    .option('--topic <name>', 'topic to send to (default: the first of WG_SIEM_KAFKA_TOPICS)')
    .action(async (o: CollectFlags, cmd: Command) => {
      const c = loadConfig();
      const [{ PeerCollector }, { createLogger }, { ReliableProducer }] = await Promise.all([
        import('../../source/collect/collector.ts'),
        import('../../shared/telemetry/logger.ts'),
        import('../../source/kafka/reliable-producer.ts'),
      ]);
      const log = createLogger(c);
      const topic = o.topic ?? c['kafka.topics'][0];
      if (!topic && !o.stdout) cmd.error('no topic: give --topic or set WG_SIEM_KAFKA_TOPICS', { exitCode: 2 });
      const producer = o.stdout ? undefined : new ReliableProducer(resolveKafka(c), c['kafka.compression']);
      await producer?.connect();
      const collector = new PeerCollector({
        command: c['collect.command'].split(/\s+/).filter((w) => w !== ''),
        host: c['collect.host'] ?? hostname(),
        timeoutMs: c['collect.timeoutMs'],
        staleAfterMs: c['collect.staleAfterSeconds'] * 1000,
        log,
        publish: async (record, snapshot) => {
          if (producer) await producer.send(topic ?? '', [record]);
          else process.stdout.write(`${JSON.stringify(snapshot)}\n`);
        },
      });
      try {
        if (o.once) {
          const r = await collector.poll();
          if (!r.ok) process.stderr.write(`${r.error}\n`);
          process.exitCode = r.ok ? 0 : 1;
          return;
        }
        const stop = new AbortController();
        const onSignal = (): void => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        log.info({ topic: o.stdout ? 'stdout' : topic, intervalMs: c['collect.intervalMs'], command: c['collect.command'] }, 'collecting peer state');
        await collector.run(c['collect.intervalMs'], stop.signal);
      } finally {
        await producer?.disconnect();
      }
    });
}

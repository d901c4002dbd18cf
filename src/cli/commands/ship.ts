import { accessSync, constants } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import { COMPRESSIONS } from '../../source/kafka/codecs.ts';
import type { Compression } from '../../source/kafka/codecs.ts';
import { inputChunks } from '../../source/kafka/input.ts';
import { DEFAULT_BATCH_BYTES, DEFAULT_BATCH_RECORDS, ShipError, ship, syslogFrame } from '../../source/ship.ts';
import type { RefusedLine, ShipReport } from '../../source/ship.ts';
import { resolveKafka } from '../targets.ts';

interface ShipFlags {
  topic?: string;
  compression?: Compression;
  batchSize: number;
  batchBytes: number;
  follow?: boolean;
  createTopic?: boolean;
  partitions?: number;
  syslogHost?: string;
  syslogTag: string;
}


function positiveInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

const say = (m: string): void => { process.stderr.write(`wg-siem ship: ${m}\n`); };

function refusedText(r: RefusedLine, topic: string): string {
  const why = r.reason === 'line'
    ? `over the ${r.limit} bytes a line may have`
    : `more than topic ${topic} takes in one record batch (max.message.bytes ${r.limit})`;
  return `line ${r.n}: ${r.bytes} bytes, ${why}; not sent`;
}

function summary(r: ShipReport, topic: string, compression: Compression): string {
  const extra = [r.blank ? `${r.blank} blank skipped` : '', r.refused ? `${r.refused} refused` : ''].filter(Boolean);
  return `${r.lines} lines read, ${r.records} records sent to ${topic} (${compression}), ${r.bytes} bytes, `
    + `${r.seconds.toFixed(2)} s${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** `wg-siem ship [FILE|-]`: log lines to a Kafka topic, one record per line, as a shipper would. */
export function registerShip(program: Command): void {
  program.command('ship')
    .description('send each line of FILE (or stdin) as one record to a Kafka topic, as Filebeat or Vector would; '
      + 'JSON envelope lines go as they are, keyed by the host they name')
    .argument('[file]', 'log file, or - for standard input', '-')
    .option('--topic <name>', 'topic to send to (default: the first of WG_SIEM_KAFKA_TOPICS)')
    .addOption(new Option('--compression <codec>', 'compression of the record batches (default: WG_SIEM_KAFKA_COMPRESSION)').choices(COMPRESSIONS))
    .option('--batch-size <records>', 'most records in one send', positiveInt, DEFAULT_BATCH_RECORDS)
    .option('--batch-bytes <bytes>', 'most bytes in one send, before compression (never more than the topic takes)', positiveInt, DEFAULT_BATCH_BYTES)
    .option('--follow', 'keep reading FILE as it grows, across truncation and rotation (like tail -F), until SIGINT or SIGTERM')
    .option('--syslog-host <name>', 'frame each line as a syslog shipper would, `<time read> <name> <tag>: <line>`, so that lines of a log file without host names (wireguard-go) carry one')
    .option('--syslog-tag <tag>', 'program tag of --syslog-host framing', 'wireguard-go')
    .option('--create-topic', 'create the topic if it does not exist')
    .option('--partitions <n>', 'partitions of a topic that --create-topic creates (default 1)', positiveInt)
    .action(async (file: string, o: ShipFlags, cmd: Command) => {
      if (o.partitions !== undefined && !o.createTopic) cmd.error('--partitions applies only with --create-topic', { exitCode: 2 });
      const c = loadConfig();
      const topic = o.topic ?? c['kafka.topics'][0];
      if (!topic) cmd.error('no topic: give --topic or set WG_SIEM_KAFKA_TOPICS', { exitCode: 2 });
      const compression = o.compression ?? c['kafka.compression'];
      // A followed file may appear later; a file read once must be there now, before Kafka is bothered.
      if (file !== '-' && !o.follow) accessSync(file, constants.R_OK);

      const stop = new AbortController();
      const onSignal = (): void => {
        // A second signal means now: the first one's flush may be waiting on an unreachable broker.
        if (stop.signal.aborted) process.exit(130);
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const report = await ship(inputChunks(file, { follow: o.follow === true, signal: stop.signal, onNotice: say }), {
          target: resolveKafka(c),
          topic,
          compression,
          batchRecords: o.batchSize,
          batchBytes: o.batchBytes,
          createTopic: o.createTopic ? { partitions: o.partitions ?? 1 } : undefined,
          onRefused: (r) => say(refusedText(r, topic)),
          ...(o.syslogHost !== undefined ? { frame: syslogFrame(o.syslogHost, o.syslogTag) } : {}),
          onNotice: say,
        });
        say(summary(report, topic, compression));
        process.exitCode = report.refused ? 1 : 0;
      } catch (e) {
        if (e instanceof ShipError) say(summary(e.report, topic, compression));
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

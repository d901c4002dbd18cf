import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import { secureEnvFile, secureStackConfig, stackDown, stackStatus, stackUp } from '../../dev/stack/stack.ts';
import type { StackStatus } from '../../dev/stack/stack.ts';

function printStatus(s: StackStatus): void {
  const k = s.kafka;
  const e = s.elasticsearch;
  const out = process.stdout;
  out.write(`Kafka ${k.version}          ${k.running ? `running  pid ${k.pid}  brokers ${k.brokers.join(',')}` : 'stopped'}\n`);
  out.write(`Elasticsearch ${e.version}  ${e.running ? `running  pid ${e.pid}  ${e.url}  health ${e.health}` : 'stopped'}\n`);
  if (s.shape.kafkaNodes > 1 || s.shape.esNodes > 1) {
    for (const n of k.nodes) out.write(`  broker ${n.id}   ${n.running ? `running  pid ${n.pid}` : 'stopped'}  ${n.broker}\n`);
    for (const n of e.nodes) out.write(`  es node ${n.id}  ${n.running ? `running  pid ${n.pid}` : 'stopped'}  ${n.url}${n.master ? '  (master)' : ''}\n`);
  }
  out.write(`state  ${s.state}\ncache  ${s.cache}\n`);
  if (k.log) out.write(`logs   ${k.log}\n`);
  if (e.log) out.write(`       ${e.log}\n`);
}

export function registerStack(program: Command): void {
  const stack = program.command('stack')
    .description('the local Kafka (KRaft) + Elasticsearch stack that wg-siem targets when nothing else is configured');

  stack.command('up')
    .description('download (once, cached), start and wait for Kafka and Elasticsearch on 127.0.0.1')
    .option('--json', 'print the result as JSON')
    .option('--timeout <seconds>', 'how long each engine may take to become ready', '180')
    .option('--secure', 'the secured stack instead (beside the plain one): Kafka over SASL_SSL with SCRAM users and ACLs; writes wg-siem.env')
    .option('--kafka-nodes <n>', 'brokers: above 1, a KRaft cluster of combined broker+controller nodes (docs/cluster.md); default: as recorded, else 1')
    .option('--es-nodes <n>', 'Elasticsearch nodes: above 1, node 1 master-eligible and the others data nodes; default: as recorded, else 1')
    .action(async (o: { json?: boolean; timeout: string; secure?: boolean; kafkaNodes?: string; esNodes?: string }) => {
      const config = loadConfig();
      const c = o.secure ? secureStackConfig(config) : config;
      if (!o.json) process.stderr.write(`starting the local${o.secure ? ' secured' : ''} stack (the first run downloads Kafka and Elasticsearch from Maven Central)...\n`);
      const r = await stackUp(c, {
        readyTimeoutMs: Number(o.timeout) * 1000, ...(o.secure ? { secure: { names: config } } : {}),
        ...(o.kafkaNodes !== undefined ? { kafkaNodes: Number(o.kafkaNodes) } : {}), ...(o.esNodes !== undefined ? { esNodes: Number(o.esNodes) } : {}),
      });
      if (o.json) { process.stdout.write(`${JSON.stringify(r)}\n`); return; }
      if (r.downloaded.length) process.stdout.write(`downloaded: ${r.downloaded.join(', ')}\n`);
      if (r.alreadyRunning.length) process.stdout.write(`already running: ${r.alreadyRunning.join(', ')}\n`);
      process.stdout.write(`ready in ${r.seconds.total} s (resolve ${r.seconds.resolve} s, Kafka ${r.seconds.kafka ?? '-'} s, Elasticsearch ${r.seconds.elasticsearch ?? '-'} s)\n`);
      printStatus(r.status);
      // The file names the secrets' files; it holds no secret itself.
      if (o.secure) process.stdout.write(`wg-siem's connection settings (user wg-siem, its password in a file): set -a; . ${secureEnvFile(c)}; set +a\n`);
    });

  stack.command('down')
    .description('stop the processes `stack up` started (by their recorded pids); data stays unless --purge')
    .option('--purge', 'also delete the engines\' data and logs')
    .option('--secure', 'the secured stack')
    .action(async (o: { purge?: boolean; secure?: boolean }) => {
      const config = loadConfig();
      const r = await stackDown(o.secure ? secureStackConfig(config) : config, { purge: o.purge });
      process.stdout.write(`kafka: ${r.kafka}\nelasticsearch: ${r.elasticsearch}\n${r.purged ? 'data purged\n' : ''}`);
    });

  stack.command('status')
    .description('show whether the local stack runs and where (exit 0 when both engines run, 3 otherwise)')
    .option('--json', 'print JSON: {"kafka":{"brokers":[...]},"elasticsearch":{"url":...}}')
    .option('--secure', 'the secured stack')
    .action(async (o: { json?: boolean; secure?: boolean }) => {
      const config = loadConfig();
      const s = await stackStatus(o.secure ? secureStackConfig(config) : config);
      if (o.json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else printStatus(s);
      process.exitCode = s.kafka.running && s.elasticsearch.running ? 0 : 3;
    });
}

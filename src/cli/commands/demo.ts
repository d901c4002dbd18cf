import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/keys.ts';

/** Logs of real wireguard-go peers recorded in the lab (network namespaces), one file per scenario and end. */
const RECORDINGS = fileURLToPath(new URL('../../../test/golden/lab/wireguard-go/', import.meta.url));

interface Bucket { key: string; doc_count: number }
interface Agg { buckets: Bucket[] }

/**
 * The README's first command: the local stack, setup, the pipeline, and the recorded lab scenarios shipped
 * through Kafka the way a journal shipper would, then a report of what landed in Elasticsearch and why.
 */
export function registerDemo(program: Command): void {
  program.command('demo')
    .description('bring up the local stack, run the pipeline over recorded WireGuard lab logs and report what it found')
    .action(async () => {
      const out = (s: string): boolean => process.stdout.write(`${s}\n`);
      const base = loadConfig();
      const [{ stackUp }, { detectCapabilities }, { applySetup, planSetup }, { Pipeline }, { ship }, { createLogger }, { createKafka }, { Client }] = await Promise.all([
        import('../../stack/stack.ts'), import('../../elasticsearch/capabilities.ts'), import('../../elasticsearch/setup.ts'),
        import('../../pipeline/pipeline.ts'), import('../../kafka/ship.ts'), import('../../telemetry/logger.ts'),
        import('../../kafka/client.ts'), import('@elastic/elasticsearch'),
      ]);
      out('1. the local stack (Kafka 4.4.0 in KRaft mode, Elasticsearch 9.5.4; the first run downloads them from Maven Central)');
      const up = await stackUp(base);
      const brokers = up.status.kafka.brokers;
      const esUrl = up.status.elasticsearch.url ?? '';
      out(`   ready in ${up.seconds.total} s: Kafka ${brokers.join(',')}, Elasticsearch ${esUrl}`);

      const runStart = Date.now();
      const run = runStart.toString(36);
      const topic = `wireguard.logs.demo-${run}`;
      const config: Config = loadConfig({
        WG_SIEM_KAFKA_BROKERS: brokers.join(','), WG_SIEM_ES_NODES: esUrl, WG_SIEM_KAFKA_TOPICS: topic,
        WG_SIEM_KAFKA_DLQ_TOPIC: `${topic}.dlq`, WG_SIEM_KAFKA_GROUP_ID: `wg-siem-demo-${run}`, WG_SIEM_NAMESPACE: 'demo',
        WG_SIEM_LOG_LEVEL: 'warn', WG_SIEM_HTTP_PORT: '0',
      });
      const es = new Client({ node: esUrl });
      try {
        out('2. setup: index templates and lifecycle');
        const caps = await detectCapabilities(es);
        const plan = planSetup(caps, config);
        await applySetup(es, plan);
        out(`   lifecycle: ${plan.lifecycle.kind}; ${plan.substitutions.length} field types substituted for this build`);

        out('3. shipping the recorded lab logs into Kafka, as a journal shipper would (one host per tunnel end)');
        const files = readdirSync(RECORDINGS).filter((f) => f.endsWith('.log')).sort();
        for (const f of files) {
          const [scenario, side] = f.replace(/\.log$/, '').split('.');
          const host = `${scenario}-${side}`;
          const lines = readFileSync(join(RECORDINGS, f), 'utf8').split('\n').filter((l) => l !== '');
          // "Nov 25 01:46:33 host wireguard-go[812]: DEBUG: (wg0) ..." — the journal's short form around wireguard-go.
          const wrapped = lines.map((l) => `${syslogTime(l)} ${host} wireguard-go[812]: ${l}`).join('\n');
          const r = await ship(Readable.from([Buffer.from(`${wrapped}\n`)]), {
            target: { brokers, clientId: 'wg-siem-demo' }, topic, compression: config['kafka.compression'], createTopic: { partitions: 3 },
          });
          out(`   ${f.padEnd(36)} ${r.records} lines`);
        }

        out('4. the pipeline: Kafka → decode → recognise → ECS → Elasticsearch');
        const pipeline = new Pipeline({ config, kafka: { brokers, clientId: config['kafka.clientId'] }, es, log: createLogger(config) });
        const t0 = performance.now();
        await pipeline.start();
        const admin = createKafka({ brokers, clientId: 'wg-siem-demo' }).admin();
        await admin.connect();
        for (;;) {
          const ends = await admin.fetchTopicOffsets(topic);
          const done = new Map(((await admin.fetchOffsets({ groupId: config['kafka.groupId'], topics: [topic] }))[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
          if (ends.every((e) => done.get(e.partition) === e.high)) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        await admin.disconnect();
        await pipeline.stop();
        out(`   all lines committed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

        const index = 'logs-wireguard.log-demo';
        await es.indices.refresh({ index });
        const res = await es.search<unknown, { hosts: { buckets: (Bucket & { diag: Agg; actions: Agg })[] } }>({
          index, size: 0,
          query: { bool: { filter: [{ term: { 'data_stream.namespace': 'demo' } }, { range: { 'event.ingested': { gte: new Date(runStart).toISOString() } } }] } },
          aggs: { hosts: { terms: { field: 'host.name', size: 50, order: { _key: 'asc' } }, aggs: {
            diag: { terms: { field: 'wireguard.diagnosis.id', size: 5 } },
            actions: { terms: { field: 'event.action', size: 4 } },
          } } },
        });
        out('\n5. what each end logged, as wg-siem explains it');
        for (const h of res.aggregations?.hosts.buckets ?? []) {
          const diag = h.diag.buckets.map((b) => `${b.key} ×${b.doc_count}`).join(', ') || 'no failure or warning';
          out(`   ${h.key.padEnd(30)} ${String(h.doc_count).padStart(3)} events; diagnoses: ${diag}`);
        }
        const sample = await es.search<{ message: string; host?: { name?: string }; wireguard?: { diagnosis?: { summary?: string; checks?: string[] } } }>({
          index, size: 1, query: { bool: { filter: [{ term: { 'host.name': 'wrong-server-key-server' } }, { exists: { field: 'wireguard.diagnosis.id' } }] } },
        });
        const doc = sample.hits.hits[0]?._source;
        if (doc) {
          out(`\n   e.g. ${doc.host?.name}: "${doc.message}"`);
          out(`   why: ${doc.wireguard?.diagnosis?.summary ?? ''}`);
          for (const c of doc.wireguard?.diagnosis?.checks?.slice(0, 2) ?? []) out(`   check: ${c}`);
        }
        out('\n   Correlating both ends into one alert per root cause (wrong server key, unknown client key, preshared-key');
        out('   mismatch, AllowedIPs) is the next stage of wg-siem; today every event carries its own diagnosis.');
        out(`\nExplore (the stack keeps running; \`bin/wg-siem stack down\` stops it):`);
        out(`  curl -s '${esUrl}/${index}/_search?q=event.outcome:failure&size=3&pretty'`);
        out(`  curl -s -H 'content-type: application/json' '${esUrl}/${index}/_search?size=0&pretty' -d '{"aggs":{"a":{"terms":{"field":"event.action"}}}}'`);
        out(`  bin/wg-siem explain ${join(RECORDINGS, 'wrong-server-key.server.log')}`);
      } finally {
        await es.close();
      }
    });
}

/** The syslog short timestamp ("Nov 25 01:46:33") of a wireguard-go line ("... 2026/11/25 01:46:33 ..."). */
function syslogTime(line: string): string {
  const m = /(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d)/.exec(line);
  if (!m) return 'Jan  1 00:00:00';
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m[2]) - 1] ?? 'Jan';
  return `${month} ${String(Number(m[3])).padStart(2)} ${m[4]}`;
}

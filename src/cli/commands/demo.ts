import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import type { Config } from '../../shared/config/keys.ts';
import { tmpdir } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { ALERTING_END, isLabScenario, type LabScenario } from '../../dev/lab/lab.ts';
import { readRecordings, readWaveRecording, RECORDINGS_DIR, replayAsSyslog, replayWave } from '../../dev/lab/recordings.ts';
import type { WgAlertDoc } from '../../shared/schema/generated/alert.ts';


interface Bucket { key: string; doc_count: number }

/** Until every host listed has an alert whose diagnosis found the other end (or the deadline). */
/**
 * Until every host in `hosts` has an alert whose diagnosis is settled: the other end found, or 15 s since the
 * alert first showed (the diagnosis asks again 5 s after an alert opens when the other end was not seen yet).
 */
async function waitForAlerts(es: Client, since: number, hosts: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const firstSeen = new Map<string, number>();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    await es.indices.refresh({ index: 'logs-wireguard.alert-demo', ignore_unavailable: true });
    const got = await es.search<WgAlertDoc>({ index: 'logs-wireguard.alert-demo', size: 500, ignore_unavailable: true, query: { range: { 'wireguard.alert.opened_at': { gte: new Date(since).toISOString() } } } });
    const done = new Set<string>();
    for (const h of got.hits.hits) {
      const name = h._source?.host?.name;
      if (name === undefined || h._source?.wireguard?.diagnosis === undefined) continue;
      if (!firstSeen.has(name)) firstSeen.set(name, Date.now());
      if (h._source.wireguard.diagnosis.counterpart !== undefined || Date.now() - (firstSeen.get(name) ?? Date.now()) >= 15_000) done.add(name);
    }
    if (hosts.every((h) => done.has(h))) return;
  }
}

/** The hosts whose alerts the demo waits for: each failing scenario's alerting end. */
const alertingHosts = (scenarios: readonly LabScenario[]): string[] =>
  scenarios.flatMap((sc) => (ALERTING_END[sc] === null ? [] : [`${sc}-${ALERTING_END[sc]}`]));

interface Agg { buckets: Bucket[] }

/**
 * The README's first command: the local stack, setup, the pipeline, and the recorded lab scenarios shipped
 * through Kafka the way a journal shipper would, then a report of what landed in Elasticsearch and why.
 */
export function registerDemo(program: Command): void {
  program.command('demo')
    .description('bring up the local stack, run real WireGuard peers with known faults (or, without root or wireguard-go, their recorded logs) '
      + 'through the pipeline and the rules, and report the alerts and their root causes')
    .option('--recorded', 'replay the recorded lab logs even where the live lab could run')
    .option('--wave', 'replay the recorded concurrency wave instead (lab/recordings/wave/: 12 tunnels over 2 servers failing at the same moments, logs and peer snapshots)')
    .action(async (opts: { recorded?: boolean; wave?: boolean }) => {
      const out = (s: string): boolean => process.stdout.write(`${s}\n`);
      const base = loadConfig();
      const [{ ensureTopics }, { labAvailable }, { LAB_WAVES, startLive }] = await Promise.all([
        import('../../source/kafka/topics.ts'), import('../../dev/lab/lab.ts'), import('../../dev/lab/live.ts'),
      ]);
      const [{ stackUp }, { detectCapabilities }, { applySetup, planSetup }, { Pipeline }, { ship }, { createLogger }, { createKafka }, { Client }, { createCorrelation }, { groupLag }] = await Promise.all([
        import('../../dev/stack/stack.ts'), import('../../sinks/elasticsearch/capabilities.ts'), import('../../sinks/elasticsearch/setup.ts'),
        import('../../indexing/pipeline.ts'), import('../../source/ship.ts'), import('../../shared/telemetry/logger.ts'),
        import('../../source/kafka/client.ts'), import('@elastic/elasticsearch'), import('../../correlate/alerts/assemble.ts'),
        import('../../source/kafka/group-lag.ts'),
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
        WG_SIEM_LOG_LEVEL: 'warn', WG_SIEM_HTTP_PORT: '0', WG_SIEM_KAFKA_CORRELATION_TOPIC: `${topic}.correlate`,
        WG_SIEM_KAFKA_CORRELATION_GROUP_ID: `wg-siem-demo-correlate-${run}`, WG_SIEM_CORRELATE_SCHEDULE: '* * * * * *',
      });
      const es = new Client({ node: esUrl });
      try {
        out('2. setup: index templates and lifecycle');
        const caps = await detectCapabilities(es);
        const plan = planSetup(caps, config);
        await applySetup(es, plan);
        // Alert ids derive from the rule, the group and the window: a rerun would find its alerts from last time
        // (same id, same version) and leave them untouched. The demo's alerts index is its own; start it afresh.
        await es.indices.delete({ index: 'logs-wireguard.alert-demo', ignore_unavailable: true });
        out(`   lifecycle: ${plan.lifecycle.kind}; ${plan.substitutions.length} field types substituted for this build`);

        const lab = labAvailable();
        const live = !opts.recorded && !opts.wave && lab.ok;
        const kafka = { brokers, clientId: config['kafka.clientId'] };
        const log = createLogger(config);
        await ensureTopics(kafka, [{ topic, partitions: 3 }]);
        const wave = opts.wave ? readWaveRecording() : undefined;
        if (wave) {
          out('3. shipping the recorded concurrency wave into Kafka: each host\'s log as syslog, and its peer snapshots as `wg-siem collect` publishes them');
          out(`   ${wave.manifest.tunnels.length} tunnels over ${new Set(wave.manifest.tunnels.map((t) => t.server)).size} servers, failing at the same moments, moved so that the last line is 10 s ago`);
          const producer = createKafka({ brokers, clientId: 'wg-siem-demo' }).producer();
          await producer.connect();
          const recs = replayWave(wave, Date.now(), { snapshots: true });
          await producer.send({ topic, acks: -1, messages: recs.map((r) => ({ key: r.host, value: r.value, ...(r.headers ? { headers: { ...r.headers } } : {}) })) });
          await producer.disconnect();
          for (const t of wave.manifest.tunnels) out(`   ${t.client.padEnd(8)} → ${t.server.padEnd(10)} ${t.fault.padEnd(20)} (true cause: ${t.cause ?? 'none, healthy'})`);
        } else if (!live) {
          out(`3. shipping the recorded lab logs into Kafka, as a syslog shipper would (one host per tunnel end)${opts.recorded ? '' : `\n   (the live lab cannot run here: ${lab.ok ? '' : lab.why})`}`);
          out('   each scenario replayed as if it had just happened (moved so that its last line is 10 s ago)');
          for (const [rec, lines] of replayAsSyslog(readRecordings(), Date.now())) {
            // "2026-11-25T01:46:33.000Z host wireguard-go[812]: DEBUG: (wg0) ..." — syslog around wireguard-go.
            const r = await ship(Readable.from([Buffer.from(`${lines.join('\n')}\n`)]), { target: { brokers, clientId: 'wg-siem-demo' }, topic, compression: config['kafka.compression'] });
            out(`   ${rec.file.padEnd(36)} ${r.records} lines`);
          }
        }

        out(`${live ? '3' : '4'}. run: Kafka → decode → recognise → ECS → Elasticsearch, then the rules of alerts/ over the same events`);
        const pipeline = new Pipeline({ config, kafka, es, log });
        const correlation = createCorrelation({ config, kafka, es, log });
        const t0 = performance.now();
        await Promise.all([pipeline.start(), correlation.stage.start()]);
        if (live) {
          out('4. the live lab: real wireguard-go peers in network namespaces, each tunnel broken in one known way;');
          out('   each end\'s log shipped as syslog (as rsyslog\'s imfile would), each end\'s `wg show dump` published by the collector');
          for (const [i, wave] of LAB_WAVES.entries()) {
            out(`   wave ${i + 1}: ${wave.map((w) => `${w.scenario}${w.ipv6 ? ' (IPv6)' : ''}`).join(', ')} (30 s of pings through each tunnel, then until each failing tunnel has its alert)`);
            const running = await startLive(wave, {
              kafka, topic, compression: config['kafka.compression'], logDir: join(tmpdir(), `wg-siem-demo-${run}`, String(i)), firstNet: 40 + i * 10,
              collectIntervalMs: 5000, staleAfterMs: 300_000, log,
            });
            try {
              const started = Date.now();
              const ticker = setInterval(() => { out(`      ${Math.round((Date.now() - started) / 1000)} s`); }, 15_000);
              try {
                await running.traffic(30);
                await waitForAlerts(es, runStart, alertingHosts(wave.map((w) => w.scenario)), 150_000);
              } finally {
                clearInterval(ticker);
              }
            } finally {
              await running.stop();
            }
          }
        }
        const admin = createKafka({ brokers, clientId: 'wg-siem-demo' }).admin();
        await admin.connect();
        const lag = (groupId: string, t: string): Promise<number> => groupLag(admin, groupId, t);
        while ((await lag(config['kafka.groupId'], topic)) > 0 || (await lag(config['kafka.correlationGroupId'], config['kafka.correlationTopic'])) > 0) {
          await new Promise((r) => setTimeout(r, 200));
        }
        out(`   all lines indexed and correlated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        if (!live) {
          // "No answer within a minute" closes on the clock once event time cannot prove it (the recordings end
          // too soon after the last retry), so the demo waits for every failing client to have its alert.
          out('   waiting for the clock-driven rules (a minute without an answer) and the cross-host diagnoses (up to 90 s)');
          // The wave's AllowedIPs and replay tunnels alert on their server, the others on the client.
          const hosts = wave ? [...new Set(wave.manifest.tunnels.flatMap((t) => (t.cause === null ? [] : t.fault === 'allowedips' || t.fault === 'replay' ? [t.server] : [t.client])))]
            : alertingHosts([...new Set(readRecordings().map((r) => r.scenario))].filter(isLabScenario));
          await waitForAlerts(es, runStart, hosts, 90_000);
        }
        await admin.disconnect();
        await Promise.all([pipeline.stop(), correlation.stage.stop()]);
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
        const sample = await es.search<{ message: string; host?: { name?: string }; event?: { reason?: string }; wireguard?: { diagnosis?: { id?: string } } }>({
          index, size: 1, query: { bool: { filter: [{ term: { 'host.name': 'wrong-server-key-server' } }, { exists: { field: 'wireguard.diagnosis.id' } }] } },
        });
        const doc = sample.hits.hits[0]?._source;
        if (doc) {
          out(`\n   e.g. ${doc.host?.name}: "${doc.message}"`);
          // Events carry the diagnosis id and its summary (event.reason); the checks come from the catalog.
          const { diagnosis } = await import('../../parse/catalog/catalog.ts');
          const def = doc.wireguard?.diagnosis?.id !== undefined ? diagnosis(doc.wireguard.diagnosis.id) : undefined;
          out(`   why: ${doc.event?.reason ?? def?.summary ?? ''}`);
          for (const c of def?.checks.slice(0, 2) ?? []) out(`   check: ${c}`);
        }
        const alertIndex = 'logs-wireguard.alert-demo';
        await es.indices.refresh({ index: alertIndex });
        const alerts = await es.search<WgAlertDoc>({
          index: alertIndex, size: 500, sort: [{ 'host.name': 'asc' }],
          query: { range: { 'wireguard.alert.opened_at': { gte: new Date(runStart).toISOString() } } },
        });
        out('\n6. alerts: one per problem, with the root cause when both ends of the tunnel could be read');
        // Alerts alike but for the interface (the burst's twenty strangers on one host) are shown once.
        const alike = new Map<string, WgAlertDoc[]>();
        for (const h of alerts.hits.hits) {
          const a = h._source;
          if (!a) continue;
          const k = [a.host?.name, a.rule?.id, a.wireguard?.diagnosis?.id, a.wireguard?.diagnosis?.confidence].join('|');
          alike.set(k, [...(alike.get(k) ?? []), a]);
        }
        for (const group of alike.values()) {
          const a = group[0];
          if (!a) continue;
          const d = a.wireguard?.diagnosis;
          out(`   [${a.rule?.id ?? ''}] ${a.message}${group.length > 1 ? ` (and ${group.length - 1} more like it on other interfaces of ${a.host?.name ?? ''})` : ''}`);
          if (d?.confidence) out(`      root cause (${d.confidence}${d.counterpart ? `, other end ${d.counterpart.host} found by ${d.counterpart.method}` : ''}): ${d.summary ?? ''}`);
          // The first two lines say what this end did and how the other end was found; the peer-state lines what
          // the dumps showed.
          const ev = d?.evidence ?? [];
          for (const e of [...ev.slice(0, 2), ...ev.slice(2).filter((x) => x.includes('peer state'))]) out(`      evidence: ${e}`);
        }
        out(`\nExplore (the stack keeps running; \`bin/wg-siem stack down\` stops it):`);
        out(`  curl -s '${esUrl}/${index}/_search?q=event.outcome:failure&size=3&pretty'`);
        out(`  curl -s -H 'content-type: application/json' '${esUrl}/${index}/_search?size=0&pretty' -d '{"aggs":{"a":{"terms":{"field":"event.action"}}}}'`);
        out(`  curl -s '${esUrl}/${alertIndex}/_search?size=3&pretty'`);
        out(`  curl -s '${esUrl}/logs-wireguard.peer-demo/_search?size=3&sort=@timestamp:desc&pretty'`);
        out(`  bin/wg-siem explain ${join(RECORDINGS_DIR, 'wrong-server-key.server.log')}`);
        out('With a Kibana that reads this Elasticsearch, the dashboards "WireGuard overview" and "WireGuard alerts" show this data:');
        out('  bin/wg-siem setup --kibana http://localhost:5601');
      } finally {
        await es.close();
      }
    });
}

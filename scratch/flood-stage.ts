import { Client } from '@elastic/elasticsearch';
import pino from 'pino';
import { createCorrelation } from '../src/alerting/assemble.ts';
import { loadConfig } from '../src/config/load.ts';
import { createKafka } from '../src/kafka/client.ts';
import { compressionType } from '../src/kafka/codecs.ts';
import { ensureTopics } from '../src/kafka/topics.ts';
const run = Date.now().toString(36);
const config = loadConfig({ WG_SIEM_KAFKA_BROKERS: '127.0.0.1:19092', WG_SIEM_ES_NODES: 'http://127.0.0.1:19200', WG_SIEM_NAMESPACE: `fx_${run}`,
  WG_SIEM_KAFKA_CORRELATION_TOPIC: process.env.TOPIC ?? `fx-${run}`, WG_SIEM_KAFKA_CORRELATION_GROUP_ID: `fx-${run}`, WG_SIEM_CORRELATE_SNAPSHOT_MS: '2000', WG_SIEM_CORRELATE_FETCH_BYTES: process.env.FB ?? '1048576' });
const kafka = { brokers: ['127.0.0.1:19092'], clientId: 'fx' };
const topic = config['kafka.correlationTopic'];
if (!process.env.TOPIC) {
  await ensureTopics(kafka, [{ topic, partitions: 1 }]);
  const producer = createKafka(kafka).producer(); await producer.connect();
  const t0 = Date.now() - 120000;
  for (let i = 0; i < 1_000_000; i += 20000) {
    const messages = [];
    for (let j = i; j < i + 20000; j++) { const ip = `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`;
      messages.push({ key: 'gw', value: JSON.stringify({ '@timestamp': new Date(t0 + Math.floor(j / 20)).toISOString(), event: { kind: 'event', action: 'wireguard-handshake-initiation-invalid', dataset: 'wireguard.log' }, host: { name: 'gw' }, observer: { ingress: { interface: { name: 'wg0' } } }, source: { ip, port: 1024 + (j % 60000) }, wireguard: { rate_limited: true }, _id: `flood-raw:0:${j}:0` }) }); }
    await producer.send({ topic, acks: -1, compression: compressionType('lz4'), messages });
  }
  await producer.disconnect();
  console.log('produced to', topic);
}
import { Session } from 'node:inspector/promises';
const session = new Session(); session.connect();
if (process.env.PROFILE) await session.post('HeapProfiler.startSampling', { samplingInterval: 65536, includeObjectsCollectedByMajorGC: false, includeObjectsCollectedByMinorGC: false });
if (process.env.PROFILE) setTimeout(async () => {
  const { profile } = await session.post('HeapProfiler.stopSampling') as { profile: { head: Node } };
  interface Node { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] }
  const agg = new Map<string, number>();
  const walk = (n: Node, stack: string[]): void => {
    const here = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*work\/main\//, '')}:${n.callFrame.lineNumber}`;
    const st = [...stack, here];
    if (n.selfSize) { const k = st.slice(-4).join(' < '); agg.set(k, (agg.get(k) ?? 0) + n.selfSize); }
    for (const c of n.children) walk(c, st);
  };
  walk(profile.head, []);
  for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(Math.round(v / 1e6), 'MB', k);
}, 16000);
const es = new Client({ node: 'http://127.0.0.1:19200' });
let n = 0;
const c = createCorrelation({ config, kafka, es, log: pino({ level: 'warn' }) });
const timer = setInterval(() => { const m = process.memoryUsage(); console.log(`rss ${Math.round(m.rss/1e6)} heap ${Math.round(m.heapUsed/1e6)}/${Math.round(m.heapTotal/1e6)} ext ${Math.round(m.external/1e6)} ab ${Math.round(m.arrayBuffers/1e6)}`); if (++n > 25) { clearInterval(timer); void c.stage.stop().then(() => es.close()); } }, 2000);
await c.stage.start();

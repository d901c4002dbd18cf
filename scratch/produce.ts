import { createKafka } from '../src/kafka/client.ts';
import { compressionType } from '../src/kafka/codecs.ts';
import { ensureTopics } from '../src/kafka/topics.ts';
const kafka = { brokers: ['127.0.0.1:19092'], clientId: 'p' };
const topic = process.env.TOPIC ?? ''; const comp = (process.env.COMP ?? 'none') as 'none';
await ensureTopics(kafka, [{ topic, partitions: 1 }]);
const producer = createKafka(kafka).producer(); await producer.connect();
const t0 = Date.now() - 120000;
for (let i = 0; i < 1_000_000; i += Number(process.env.B ?? 20000)) {
  const messages = [];
  for (let j = i; j < i + Number(process.env.B ?? 20000); j++) { const ip = `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`;
    messages.push({ key: 'gw', value: JSON.stringify({ '@timestamp': new Date(t0 + Math.floor(j / 20)).toISOString(), event: { kind: 'event', action: 'wireguard-handshake-initiation-invalid', dataset: 'wireguard.log' }, host: { name: 'gw' }, observer: { ingress: { interface: { name: 'wg0' } } }, source: { ip, port: 1024 + (j % 60000) }, wireguard: { rate_limited: true }, _id: `flood-raw:0:${j}:0` }) }); }
  await producer.send({ topic, acks: -1, compression: compressionType(comp), messages });
}
await producer.disconnect();

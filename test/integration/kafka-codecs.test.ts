// Every codec against the real broker: what kafkajs writes, what the Java client writes (the reference
// implementation; librdkafka and sarama write the same standard formats) and what the broker writes when it
// recompresses a batch — each read back byte for byte, nothing mocked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/shared/config/load.ts';
import { createKafka } from '../../src/source/kafka/client.ts';
import { createTopicsReady } from '../../src/source/kafka/topics.ts';
import { COMPRESSIONS, codecStats, compressionType } from '../../src/source/kafka/codecs.ts';
import type { Compression } from '../../src/source/kafka/codecs.ts';
import { ensureKafka } from '../../src/dev/stack/download.ts';
import { pickJdk } from '../../src/dev/stack/java.ts';
import { stackPaths } from '../../src/dev/stack/paths.ts';
import { testStack, uniqueName, within } from '../helpers/stack.ts';

interface Rec { readonly key: Buffer | null; readonly value: Buffer }

/** Log lines, every script a WireGuard host name or message might carry, raw bytes, and a 500 KB value. */
function payloads(): Rec[] {
  const recs: Rec[] = [];
  for (let i = 0; i < 300; i++) {
    recs.push({ key: Buffer.from(`gw${i % 7}`), value: Buffer.from(`May 22 14:22:${String(i % 60).padStart(2, '0')} gw${i % 7} kernel: wireguard: wg0: Invalid handshake initiation from 203.0.113.${i % 250}:51820`) });
  }
  recs.push({ key: null, value: Buffer.from('Zürich Łódź Ελλάδα Москва 東京 서울 עברית العربية हिन्दी 🚀🔐 — peer(AbCd…WxYz)') });
  recs.push({ key: Buffer.from('bin'), value: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) });
  // Half log text, half noise: large enough to span many LZ4 and xerial blocks, not trivially compressible.
  const big = Buffer.concat([Buffer.from('wireguard: wg0: Receiving keepalive packet from peer 7 (198.51.100.2:51820) ü\n'.repeat(3300)), randomBytes(240_000)]);
  recs.push({ key: Buffer.from('big'), value: big.subarray(0, 500_000) });
  recs.push({ key: Buffer.from('empty'), value: Buffer.alloc(0) });
  return recs;
}

let brokers: string[] = [];
let java = '';
let classPath = '';
let work = '';

before(async () => {
  brokers = (await testStack()).brokers;
  java = join(pickJdk('the Java Kafka client', 17, process.env.WG_SIEM_KAFKA_JAVA_HOME).home, 'bin', 'java');
  classPath = join((await ensureKafka(stackPaths(loadConfig()).cache)).dir, 'libs', '*');
  work = await mkdtemp(join(tmpdir(), 'wg-siem-codecs-'));
  await writeFile(join(work, 'JavaClient.java'), JAVA_CLIENT);
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

const kafka = () => createKafka({ brokers, clientId: 'wg-siem-codec-test' });

async function createTopic(topic: string, configs: Record<string, string> = {}): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await createTopicsReady(admin, [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }]);
  } finally {
    await admin.disconnect();
  }
}

async function deleteTopics(topics: string[]): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try { await admin.deleteTopics({ topics }); } finally { await admin.disconnect(); }
}

/** Sends in several batches: the big value alone, the rest in two halves. */
async function produceWithKafkajs(topic: string, recs: readonly Rec[], compression: Compression): Promise<void> {
  const p = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  try {
    const half = Math.floor(recs.length / 2);
    for (const part of [recs.slice(0, half), recs.slice(half)]) {
      await p.send({ topic, acks: -1, compression: compressionType(compression), messages: part.map((r) => ({ key: r.key, value: r.value })) });
    }
  } finally {
    await p.disconnect();
  }
}

/** Reads `n` records of a one-partition topic in a fresh consumer group, in order. */
async function consumeWithKafkajs(topic: string, n: number): Promise<Rec[]> {
  const consumer = kafka().consumer({ groupId: uniqueName('codec-group'), maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  const got: Rec[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: ({ message }) => {
          got.push({ key: message.key ?? null, value: message.value ?? Buffer.alloc(0) });
          if (got.length >= n) resolve();
          return Promise.resolve();
        },
      }).catch(reject);
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    });
    await within(60_000, () => `consumed ${got.length} of ${n} from ${topic}`, done);
  } finally {
    await consumer.disconnect();
  }
  return got;
}

function assertSame(got: readonly Rec[], want: readonly Rec[], what: string): void {
  assert.equal(got.length, want.length, `${what}: record count`);
  want.forEach((w, i) => {
    const g = got[i];
    assert.ok(g, `${what}: record ${i} missing`);
    assert.ok(g.value.equals(w.value), `${what}: value of record ${i} differs (${g.value.length} vs ${w.value.length} bytes)`);
    assert.deepEqual(g.key, w.key, `${what}: key of record ${i}`);
  });
}

function runJava(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(java, ['-cp', classPath, join(work, 'JavaClient.java'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const t = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      if (code === 0) resolve(out);
      else reject(new Error(`java JavaClient ${args.join(' ')} exited ${code}:\n${err.slice(-3000)}`));
    });
  });
}

const b64 = (b: Buffer | null): string => (b === null ? '-' : b.length === 0 ? '=' : b.toString('base64'));
const unb64 = (s: string): Buffer | null => (s === '-' ? null : s === '=' ? Buffer.alloc(0) : Buffer.from(s, 'base64'));

async function produceWithJava(topic: string, recs: readonly Rec[], compression: Compression): Promise<void> {
  const file = join(work, `${topic}.records`);
  await writeFile(file, recs.map((r) => `${b64(r.key)} ${b64(r.value)}\n`).join(''));
  await runJava(['produce', brokers.join(','), topic, compression, file]);
}

async function consumeWithJava(topic: string, n: number): Promise<Rec[]> {
  const out = await runJava(['consume', brokers.join(','), topic, String(n)]);
  return out.split('\n').filter(Boolean).map((l) => {
    const [k = '-', v = '='] = l.split(' ');
    return { key: unb64(k), value: unb64(v) ?? Buffer.alloc(0) };
  });
}

const decompressions = (c: Compression): number => (c === 'none' || c === 'gzip' ? 0 : codecStats()[c].decompressed);
const compressions = (c: Compression): number => (c === 'none' || c === 'gzip' ? 0 : codecStats()[c].compressed);

for (const codec of COMPRESSIONS) {
  test(`${codec}: produced with kafkajs, consumed with kafkajs in a group, byte for byte`, async () => {
    const topic = uniqueName(`codec-${codec}`);
    await createTopic(topic);
    const want = payloads();
    const [c0, d0] = [compressions(codec), decompressions(codec)];
    await produceWithKafkajs(topic, want, codec);
    assertSame(await consumeWithKafkajs(topic, want.length), want, codec);
    if (codec !== 'none' && codec !== 'gzip') {
      assert.ok(compressions(codec) > c0, `${codec} codec compressed nothing`);
      assert.ok(decompressions(codec) > d0, `${codec} codec decompressed nothing`);
    }
    await deleteTopics([topic]);
  });
}

for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
  test(`${codec}: produced by the Java client (compression.type=${codec}), consumed with kafkajs`, async () => {
    const topic = uniqueName(`codec-java-${codec}`);
    await createTopic(topic);
    const want = payloads();
    const d0 = decompressions(codec);
    await produceWithJava(topic, want, codec);
    assertSame(await consumeWithKafkajs(topic, want.length), want, `Java ${codec}`);
    if (codec !== 'gzip') assert.ok(decompressions(codec) > d0, `no ${codec} batch reached kafkajs`);
    await deleteTopics([topic]);
  });

  test(`${codec}: recompressed by the broker (topic compression.type=${codec}), consumed with kafkajs`, async () => {
    const topic = uniqueName(`codec-broker-${codec}`);
    await createTopic(topic, { 'compression.type': codec });
    const want = payloads();
    const d0 = decompressions(codec);
    await produceWithKafkajs(topic, want, 'none');
    assertSame(await consumeWithKafkajs(topic, want.length), want, `broker ${codec}`);
    if (codec !== 'gzip') assert.ok(decompressions(codec) > d0, `the broker wrote no ${codec} batch`);
    await deleteTopics([topic]);
  });
}

test('snappy, lz4, zstd: produced with kafkajs, consumed by the Java client', async () => {
  for (const codec of ['snappy', 'lz4', 'zstd'] as const) {
    const topic = uniqueName(`codec-to-java-${codec}`);
    await createTopic(topic);
    const want = payloads();
    await produceWithKafkajs(topic, want, codec);
    assertSame(await consumeWithJava(topic, want.length), want, `kafkajs ${codec} → Java`);
    await deleteTopics([topic]);
  }
});

// The Java client, run as a single-file program from the local broker's own jars (no build step, no download).
const JAVA_CLIENT = `
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

// produce BROKERS TOPIC COMPRESSION FILE   (FILE: one "key value" line per record, base64, "-" null, "=" empty)
// consume BROKERS TOPIC COUNT             (prints the same form, in offset order)
public class JavaClient {
  static byte[] dec(String s) { return s.equals("-") ? null : s.equals("=") ? new byte[0] : Base64.getDecoder().decode(s); }
  static String enc(byte[] b) { return b == null ? "-" : b.length == 0 ? "=" : Base64.getEncoder().encodeToString(b); }

  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", a[1]);
    if (a[0].equals("produce")) {
      p.put("compression.type", a[3]);
      p.put("acks", "all");
      p.put("linger.ms", "50");
      p.put("batch.size", "262144");
      p.put("max.request.size", "4194304");
      p.put("key.serializer", ByteArraySerializer.class.getName());
      p.put("value.serializer", ByteArraySerializer.class.getName());
      List<String> lines = Files.readAllLines(Path.of(a[4]));
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        for (String l : lines) {
          String[] kv = l.split(" ");
          producer.send(new ProducerRecord<>(a[2], dec(kv[0]), dec(kv[1])));
        }
        producer.flush();
      }
    } else {
      p.put("group.id", "wg-siem-java-" + System.nanoTime());
      p.put("auto.offset.reset", "earliest");
      p.put("key.deserializer", ByteArrayDeserializer.class.getName());
      p.put("value.deserializer", ByteArrayDeserializer.class.getName());
      int want = Integer.parseInt(a[3]);
      int got = 0;
      long deadline = System.currentTimeMillis() + 60000;
      StringBuilder out = new StringBuilder();
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
        consumer.subscribe(List.of(a[2]));
        while (got < want && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            out.append(enc(r.key())).append(' ').append(enc(r.value())).append('\\n');
            got++;
          }
        }
      }
      System.out.print(out);
      if (got < want) { System.err.println("consumed " + got + " of " + want); System.exit(3); }
    }
  }
}
`;

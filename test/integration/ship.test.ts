// `wg-siem ship` as a user runs it (a child process, real files, real signals) against the real local broker.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '../../src/source/kafka/client.ts';
import { childEnv } from '../helpers/env.ts';
import { testStack, uniqueName } from '../helpers/stack.ts';
import { waitFor } from '../helpers/wait.ts';
import { createTopicsReady } from '../../src/source/kafka/topics.ts';

interface Got { readonly key: string | null; readonly value: string }
interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

let brokers: string[] = [];
let work = '';

before(async () => {
  brokers = (await testStack()).brokers;
  work = await mkdtemp(join(tmpdir(), 'wg-siem-ship-'));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** `bin/wg-siem ship …` as a user runs it, against the test stack's brokers. */
function startShip(args: readonly string[], stdin?: string): { child: ChildProcess; done: Promise<Run>; stderr: () => string } {
  const child = spawn('bin/wg-siem', ['ship', ...args], {
    env: childEnv({ WG_SIEM_KAFKA_BROKERS: brokers.join(',') }),
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  if (stdin !== undefined) child.stdin?.end(stdin);
  const done = new Promise<Run>((resolve, reject) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`ship ${args.join(' ')} timed out\n${stderr}`)); }, 120_000);
    child.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? -1, stdout, stderr }); });
  });
  return { child, done, stderr: () => stderr };
}

const runShip = (args: readonly string[], stdin?: string): Promise<Run> => startShip(args, stdin).done;

const kafka = () => createKafka({ brokers, clientId: 'wg-siem-ship-test' });

async function createTopic(topic: string, partitions: number, configs: Record<string, string> = {}): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await createTopicsReady(admin, [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }]);
  } finally { await admin.disconnect(); }
}

/** Records in the topic, counted from the broker's offsets (not from what a consumer happened to see). */
async function recordsInTopic(topic: string): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally { await admin.disconnect(); }
}

async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try { await admin.deleteTopics({ topics: [topic] }); } finally { await admin.disconnect(); }
}

/** A consumer group member collecting everything in `topic` from the beginning until stopped. */
async function collect(topic: string): Promise<{ got: Got[]; stop: () => Promise<void> }> {
  // A short fetch wait: disconnect() waits for the fetch in flight.
  const consumer = kafka().consumer({ groupId: uniqueName('ship-group'), maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: Got[] = [];
  await consumer.run({
    eachMessage: ({ message }) => {
      got.push({ key: message.key?.toString('utf8') ?? null, value: message.value?.toString('utf8') ?? '' });
      return Promise.resolve();
    },
  });
  return { got, stop: () => consumer.disconnect() };
}

async function consumeExactly(topic: string, n: number): Promise<Got[]> {
  const c = await collect(topic);
  try {
    await waitFor(() => `consumed ${c.got.length} of ${n} from ${topic}`, 60_000, () => c.got.length >= n, 50);
  } finally {
    await c.stop();
  }
  assert.equal(c.got.length, n, 'no more records than shipped');
  assert.equal(await recordsInTopic(topic), n, 'the topic holds exactly the shipped records');
  return c.got;
}

const byValue = (a: Got, b: Got): number => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

// [line as written, key the record should carry]; null lines are blank and must not become records.
const MIXED: readonly (readonly [string, string | null] | readonly [string, null, 'blank'])[] = [
  ['May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: Invalid handshake initiation from 203.0.113.7:51820', 'gw1'],
  ['[ 8312.401877] wireguard: wg0: Handshake for peer 1 (203.0.113.7:51820) did not complete after 5 seconds, retrying (try 2)', null],
  ['{"__REALTIME_TIMESTAMP":"1716387727000000","_HOSTNAME":"edge-2","MESSAGE":"wireguard: wg0: Keypair 3 created for peer 1","SYSLOG_IDENTIFIER":"kernel","_TRANSPORT":"kernel"}', 'edge-2'],
  ['', null, 'blank'],
  ['{"@timestamp":"2025-05-22T14:22:07.000Z","message":"wireguard: wg0: Receiving keepalive packet from peer 1 (198.51.100.2:51820)","host":{"name":"fb-host"},"agent":{"type":"filebeat"},"log":{"file":{"path":"/var/log/kern.log"}}}', 'fb-host'],
  ['{"timestamp":"2025-05-22T14:22:07Z","message":"DEBUG: (wg0) 2025/05/22 14:22:07 peer(AbCd…WxYz) - Sending keepalive packet","host":"vec-host","source_type":"file"}', 'vec-host'],
  ['<7>1 2025-05-22T14:22:07.123456+02:00 gw-ü kernel - - - wireguard: wg0: Packet has unallowed src IP (10.0.0.9) from peer 1 (203.0.113.7:51820)\r', 'gw-ü'],
  [' \t ', null, 'blank'],
  ['DEBUG: (wg0) 2025/05/22 14:22:07 Routine: event worker - started', null],
  ['wireguard: Zürich → 東京 — 🚀 peer(AbCd…WxYz) keepalive', null],
];

test('ship: a file of mixed lines lands as exactly those records, JSON envelopes unchanged, keyed by host', async () => {
  const topic = uniqueName('ship-mixed');
  const generated = Array.from({ length: 500 }, (_, i) => `May 22 14:23:${String(i % 60).padStart(2, '0')} gw${i % 5} kernel: wireguard: wg0: Receiving handshake response from peer ${i} (203.0.113.${i % 250}:51820)`);
  const last = 'May 22 14:24:00 gw1 kernel: wireguard: wg0: Keypair 4 destroyed for peer 1';
  const file = join(work, 'mixed.log');
  await writeFile(file, `${[...MIXED.map((m) => m[0]), ...generated].join('\n')}\n${last}`);
  const want: Got[] = [
    ...MIXED.filter((m) => m.length === 2).map(([line, key]) => ({ key, value: line.replace(/\r$/, '') })),
    ...generated.map((line, i) => ({ key: `gw${i % 5}`, value: line })),
    { key: 'gw1', value: last },
  ];

  const r = await runShip([file, '--topic', topic, '--create-topic', '--partitions', '3', '--compression', 'lz4', '--batch-size', '7']);
  assert.equal(r.code, 0, r.stderr);
  const lines = MIXED.length + generated.length + 1;
  assert.match(r.stderr, new RegExp(`${lines} lines read, ${want.length} records sent to ${topic} \\(lz4\\), \\d+ bytes, [\\d.]+ s \\(2 blank skipped\\)`));
  assert.match(r.stderr, /created topic .* with 3 partition/);

  const got = await consumeExactly(topic, want.length);
  assert.deepEqual([...got].sort(byValue), [...want].sort(byValue));
  await deleteTopic(topic);
});

test('ship -: standard input, zstd, default batching', async () => {
  const topic = uniqueName('ship-stdin');
  await createTopic(topic, 1);
  const lines = Array.from({ length: 50 }, (_, i) => `wireguard: wg0: Sending keepalive packet to peer ${i} (192.0.2.${i}:51820)`);
  const r = await runShip(['-', '--topic', topic, '--compression', 'zstd'], `${lines.join('\n')}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /50 lines read, 50 records sent to .* \(zstd\)/);
  const got = await consumeExactly(topic, 50);
  assert.deepEqual(got.map((g) => g.value), lines, 'one partition keeps the order');
  await deleteTopic(topic);
});

test('ship --follow: appended lines, a line finished later, and a rotated file are shipped until SIGINT', async () => {
  const topic = uniqueName('ship-follow');
  await createTopic(topic, 2);
  const file = join(work, 'follow.log');
  await writeFile(file, 'May 22 14:22:07 lab-a kernel: wireguard: wg0: line 1\nMay 22 14:22:07 lab-a kernel: wireguard: wg0: line 2\n');
  const c = await collect(topic);
  const ship = startShip([file, '--follow', '--topic', topic, '--compression', 'snappy']);
  try {
    await waitFor(() => `first lines: ${c.got.length}\n${ship.stderr()}`, 60_000, () => c.got.length >= 2, 50);
    await appendFile(file, 'May 22 14:22:08 lab-a kernel: wireguard: wg0: line 3\nMay 22 14:22:08 lab-b kernel: wireguard: wg0: line');
    await waitFor(() => `line 3: ${c.got.length}`, 60_000, () => c.got.length >= 3, 50);
    await sleep(300);
    assert.equal(c.got.length, 3, 'an unfinished line waits for its newline');
    await appendFile(file, ' 4\n');
    await waitFor(() => `line 4: ${c.got.length}`, 60_000, () => c.got.length >= 4, 50);
    await rename(file, `${file}.1`);
    await writeFile(file, 'May 22 14:22:09 lab-b kernel: wireguard: wg0: line 5 (after rotation)\n');
    await waitFor(() => `line 5: ${c.got.length}\n${ship.stderr()}`, 60_000, () => c.got.length >= 5, 50);
    ship.child.kill('SIGINT');
    const r = await ship.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rotated/);
    assert.match(r.stderr, new RegExp(`5 lines read, 5 records sent to ${topic} \\(snappy\\)`));
    // The topic holds exactly the 5 records the consumer has seen: nothing more can arrive.
    assert.equal(await recordsInTopic(topic), 5);
    assert.deepEqual(c.got.map((g) => g.value).sort(), [1, 2, 3, 4].map((n) => `May 22 14:22:0${n <= 2 ? 7 : 8} lab-${n <= 3 ? 'a' : 'b'} kernel: wireguard: wg0: line ${n}`)
      .concat('May 22 14:22:09 lab-b kernel: wireguard: wg0: line 5 (after rotation)').sort());
    assert.deepEqual(c.got.map((g) => g.key).sort(), ['lab-a', 'lab-a', 'lab-a', 'lab-b', 'lab-b']);
  } finally {
    ship.child.kill('SIGKILL');
    await c.stop();
  }
  await deleteTopic(topic);
});

test('ship: a line over 1 MiB is reported and skipped, the lines around it are sent', async () => {
  const topic = uniqueName('ship-oversize');
  await createTopic(topic, 1);
  const file = join(work, 'oversize.log');
  await writeFile(file, `wireguard: wg0: before\n${'x'.repeat(1024 * 1024 + 1)}\nwireguard: wg0: after\n`);
  const r = await runShip([file, '--topic', topic]);
  assert.equal(r.code, 1, 'a refused line makes the exit status 1');
  assert.match(r.stderr, /line 2: 1048577 bytes, over the 1048576 bytes a line may have; not sent/);
  assert.match(r.stderr, /3 lines read, 2 records sent to .* \(lz4\).*\(1 refused\)/);
  const got = await consumeExactly(topic, 2);
  assert.deepEqual(got.map((g) => g.value), ['wireguard: wg0: before', 'wireguard: wg0: after']);
  await deleteTopic(topic);
});

test('ship: a line larger than the topic takes (max.message.bytes) is refused before the broker sees it', async () => {
  const topic = uniqueName('ship-small-topic');
  await createTopic(topic, 1, { 'max.message.bytes': '20000' });
  const file = join(work, 'small-topic.log');
  await writeFile(file, `one\n${'y'.repeat(30_000)}\n${Array.from({ length: 400 }, (_, i) => `line ${i} ${'z'.repeat(100)}`).join('\n')}\n`);
  const r = await runShip([file, '--topic', topic, '--compression', 'none']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`line 2: 30000 bytes, more than topic ${topic} takes in one record batch \\(max.message.bytes 20000\\); not sent`));
  // 400 lines of ~110 bytes do not fit one 20000-byte batch: the batches were cut to the topic's size.
  assert.match(r.stderr, /402 lines read, 401 records sent/);
  await consumeExactly(topic, 401);
  await deleteTopic(topic);
});

test('ship: a missing topic is an error unless --create-topic; --partitions alone is a usage error', async () => {
  const file = join(work, 'one.log');
  await writeFile(file, 'wireguard: wg0: one\n');
  const topic = uniqueName('ship-missing');
  const r = await runShip([file, '--topic', topic]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`topic "${topic}" does not exist \\(--create-topic creates it\\)`));
  const u = await runShip([file, '--topic', topic, '--partitions', '2']);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /--partitions applies only with --create-topic/);
  const n = await runShip([join(work, 'absent.log'), '--topic', topic]);
  assert.equal(n.code, 1);
  assert.match(n.stderr, /ENOENT/);
});

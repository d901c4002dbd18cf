// `wg-siem normalize` and `explain` as streams: every document reaches a slow reader, a reader that leaves early
// ends the command quietly, lines are split as readline splits them, and `explain` says what it cannot place.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, test } from 'node:test';
import { BatchedWriter, lineBatches } from '../../../src/cli/stream-out.ts';
import { processLine } from '../../../src/parse/normalize/line.ts';
import { cli } from '../../helpers/cli.ts';
import { childEnv } from '../../helpers/env.ts';

const dir = mkdtempSync(join(tmpdir(), 'wg-siem-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The environment cli() gives the command: the caller's, without WG_SIEM_* settings. */

/** Deterministic kernel, wireguard-go and unrelated lines, with blank lines and CRLF endings among them. */
function generate(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `192.0.2.${i % 250}:${1024 + (i % 60000)}`;
    switch (i % 7) {
      case 0: out.push(`May 22 14:22:07 gw1 kernel: [ 8312.447219] wireguard: wg0: Invalid handshake initiation from ${ip}`); break;
      case 1: out.push(`May 22 14:22:07 gw2 kernel: wireguard: wg1: Receiving handshake initiation from peer ${i % 500} (${ip})`); break;
      case 2: out.push(`May 22 14:22:08 gw1 kernel: wireguard: wg0: Keypair ${i} created for peer ${i % 500}`); break;
      case 3: out.push('DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB\u2026p8Dg) - Received handshake initiation'); break;
      case 4: out.push(`May 22 14:22:07 gw1 kernel: [ 8312.447219] wireguard: wg0: Invalid MAC of handshake, dropping packet from ${ip}\r`); break;
      case 5: out.push(i % 5 === 0 ? '' : 'May 22 14:22:07 gw1 kernel: device eth0 entered promiscuous mode'); break;
      default: out.push(`May 22 14:22:07 gw1 kernel: wireguard: wg0: Sending keepalive packet to peer ${i % 500} (${ip})`);
    }
  }
  return out;
}

/** How many documents the library makes of these lines (the CLI must deliver exactly these). */
function expectedEvents(lines: readonly string[]): number {
  const opts = { timezone: 'UTC', namespace: 'default', validate: true };
  let n = 0;
  for (const l of lines) {
    const text = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (text.trim() !== '' && processLine({ value: text, nowMs: Date.now() }, opts).kind === 'event') n++;
  }
  return n;
}

/** Peak resident memory of a running process in MB (Linux), or NaN. */
function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

test('200,000 lines through normalize into a slow reader: every document arrives, whole, in bounded memory', async () => {
  const lines = generate(200_000);
  const file = join(dir, 'big.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const expected = expectedEvents(lines);
  assert.ok(expected > 150_000, `${expected}`);

  const child = spawn('bin/wg-siem', ['normalize', file], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  let newlines = 0;
  let first = '';
  let tail = Buffer.alloc(0);
  let peak = NaN;
  // A slow reader: nothing at all for a while (the pipe and the command's buffers fill up), then one chunk
  // at a time with a pause after each.
  child.stdout.pause();
  const reading = new Promise<void>((resolve) => {
    setTimeout(() => {
      child.stdout.on('data', (d: Buffer) => {
        for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) newlines++;
        if (first === '') first = d.toString('utf8', 0, Math.max(0, d.indexOf(10)));
        tail = Buffer.concat([tail, d]).subarray(-8192);
        child.stdout.pause();
        if (newlines % 16 === 0) { const p = peakRssMb(child.pid ?? 0); if (!Number.isNaN(p) && !(p <= peak)) peak = p; }
        setTimeout(() => child.stdout.resume(), 1);
      });
      child.stdout.resume();
      child.stdout.on('end', resolve);
    }, 1500);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  await reading;

  assert.equal(code, 0, stderr);
  assert.equal(newlines, expected, stderr);
  assert.match(stderr, new RegExp(`^wg-siem: \\d+ lines: ${expected} WireGuard events, \\d+ not recognised as WireGuard\\n$`));
  assert.doesNotMatch(stderr, /ENOBUFS|Error/);
  // The first and the last document are whole JSON documents.
  assert.equal((JSON.parse(first) as { event: { action: string } }).event.action, 'wireguard-handshake-initiation-invalid');
  const last = tail.toString('utf8').split('\n').at(-2) ?? '';
  assert.ok((JSON.parse(last) as { event?: unknown }).event, last.slice(0, 200));
  // About 400 MB of documents went out: holding them would show here (the process itself is ~200 MB).
  if (!Number.isNaN(peak)) assert.ok(peak < 400, `peak RSS ${peak} MB`);
});

test('a reader that leaves early (| head -5) ends normalize and explain quietly with exit 0', async () => {
  const file = join(dir, 'early.log');
  writeFileSync(file, `${generate(50_000).join('\n')}\n`);
  for (const cmd of ['normalize', 'explain']) {
    const child = spawn('bash', ['-c', `bin/wg-siem ${cmd} "$0" | head -5; echo "status=\${PIPESTATUS[0]}" >&2`, file],
      { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    await new Promise((resolve) => child.on('close', resolve));
    assert.equal(stdout.split('\n').length, 6, stdout);
    assert.equal(stderr, 'status=0\n', `${cmd}: ${stderr}`);
  }
});

test('documents are the library\'s JSON, byte for byte (ingest time aside), and a live input is printed as it comes', async () => {
  const child = spawn('bin/wg-siem', ['normalize'], { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [
    'May 22 14:22:07 gw1 kernel: [ 8312.447219] wireguard: wg0: Invalid handshake initiation from 192.0.2.44:38112',
    'DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB\u2026p8Dg) - Received handshake initiation',
  ];
  let out = '';
  const firstDocument = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(); });
  });
  // The first line is printed while stdin is still open.
  child.stdin.write(`${lines[0]}\n`);
  await firstDocument;
  child.stdin.end(`${lines[1]}\n`);
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  const docs = out.trimEnd().split('\n');
  assert.equal(docs.length, 2);
  const opts = { timezone: 'UTC', namespace: 'default', validate: true };
  docs.forEach((text, i) => {
    const r = processLine({ value: lines[i] as string, nowMs: Date.now() }, opts);
    assert.equal(r.kind, 'event');
    const ingested = (JSON.parse(text) as { event: { ingested: string } }).event.ingested;
    r.doc.event.ingested = ingested;
    assert.equal(text, JSON.stringify(r.doc));
  });
});

test('lines are split as readline splits them: \\n, \\r\\n and a lone \\r, across chunk boundaries; over-long lines are skipped', async () => {
  const collect = async (chunks: string[], maxLine?: number): Promise<{ lines: string[]; skipped: number[] }> => {
    const lines: string[] = [];
    const skipped: number[] = [];
    for await (const b of lineBatches(Readable.from(chunks.map((c) => Buffer.from(c))), maxLine)) { lines.push(...b.lines); skipped.push(...b.skipped); }
    return { lines, skipped };
  };
  assert.deepEqual((await collect(['a\r', '\nb\rc', '\n\nd'])).lines, ['a', 'b', 'c', '', 'd']);
  assert.deepEqual((await collect(['a\r\n', 'b\r'])).lines, ['a', 'b']);
  assert.deepEqual((await collect(['x'.repeat(8), 'yyyyy\n', 'ok\n', 'z'.repeat(30), '\nlast'], 10)), { lines: ['', 'ok', '', 'last'], skipped: [1, 3] });
  // Multi-byte characters cut between chunks come out whole.
  const bytes = Buffer.from('peer(xTIB\u2026p8Dg) \u00e9\n');
  const parts: Buffer[] = [bytes.subarray(0, 10), bytes.subarray(10, 11), bytes.subarray(11)];
  const got: string[] = [];
  for await (const b of lineBatches(Readable.from(parts))) got.push(...b.lines);
  assert.deepEqual(got, ['peer(xTIB\u2026p8Dg) \u00e9']);
});

test('the batched writer waits for a slow stream and loses nothing', async () => {
  const received: Buffer[] = [];
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) { received.push(chunk); setTimeout(cb, 1); },
  });
  const w = new BatchedWriter(slow, 4096);
  let waited = 0;
  const expected: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const text = `document ${i} ${'\u00e9'.repeat(i % 7)}\n`;
    expected.push(text);
    w.write(text);
    if (w.full) { waited++; await w.drained(); }
  }
  await w.end();
  await new Promise<void>((resolve) => slow.end(resolve));
  assert.ok(waited > 0);
  assert.equal(Buffer.concat(received).toString('utf8'), expected.join(''));
  assert.ok(received.every((c) => c.length <= 4096));
});

test('the batched writer stops quietly when the reader is gone (EPIPE), and fails on other write errors', async () => {
  const gone = new Writable({
    highWaterMark: 16,
    write(_chunk: Buffer, _enc, cb) { cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })); },
  });
  const w = new BatchedWriter(gone, 64);
  for (let i = 0; i < 100 && !w.closed; i++) {
    w.write('x'.repeat(40));
    if (w.full) await w.drained();
  }
  assert.ok(w.closed);
  await w.end();
  const broken = new Writable({ write(_chunk: Buffer, _enc, cb) { cb(Object.assign(new Error('disk full'), { code: 'ENOSPC' })); } });
  const b = new BatchedWriter(broken, 64);
  b.write('y'.repeat(100));
  await new Promise((resolve) => setImmediate(resolve));
  await assert.rejects(b.end(), /disk full/);
});

test('explain: a WireGuard-looking line it cannot place gets the nearest message, the reason and a corpus record', async () => {
  const file = join(dir, 'unplaced.log');
  const line = 'May 22 14:22:07 gw1 kernel: [ 8312.447219] wireguard: wg0: Invalid handshake initation from 192.0.2.44:38112';
  writeFileSync(file, `${line}\n`);
  const r = await cli(['explain', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^line 1 {2}could not place this line/);
  assert.match(r.stdout, /nearest known message: kernel\.handshake\.initiation_invalid \(linux-kernel, \d+ % of the words alike\)/);
  assert.match(r.stdout, /why not: the wording differs: the line has `initation` where the known message has `initiation`/);
  assert.match(r.stdout, /append this line to test\/corpus\/real-world\/<class>\.jsonl/);
  const recordLine = r.stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(recordLine, r.stdout);
  const rec = JSON.parse(recordLine) as { line: string; source: string; program: string; class: string; expect: { action: string; fields: Record<string, unknown> } };
  assert.equal(rec.line, line);
  assert.equal(rec.source, '<url of the thread>');
  assert.equal(rec.program, '?');
  assert.equal(rec.class, '?');
  assert.equal(rec.expect.action, 'wireguard-handshake-initiation-invalid');
  assert.equal(rec.expect.fields['source.ip'], '192.0.2.44');
  assert.equal(rec.expect.fields['source.port'], 38112);
  assert.equal(rec.expect.fields['observer.ingress.interface.name'], 'wg0');
  assert.match(r.stderr, /1 lines: 0 WireGuard events, 1 not recognised as WireGuard/);
});

test('explain: an unrelated line gets one short line; --json prints only the documents', async () => {
  const file = join(dir, 'mixed.log');
  writeFileSync(file, [
    'May 22 14:22:07 gw1 kernel: device eth0 entered promiscuous mode',
    'May 22 14:22:07 gw1 kernel: [ 8312.447219] wireguard: wg0: Invalid handshake initiation from 192.0.2.44:38112',
    'May 22 14:22:07 gw1 kernel: [ 8312.447219] wireguard: wg0: Invalid handshake initation from 192.0.2.44:38112',
    '',
  ].join('\n'));
  const unrelated = join(dir, 'unrelated.log');
  writeFileSync(unrelated, 'May 22 14:22:07 gw1 kernel: device eth0 entered promiscuous mode\n');
  const short = await cli(['explain', unrelated]);
  assert.equal(short.code, 0);
  assert.equal(short.stdout, 'line 1  not WireGuard (no known WireGuard message is near it)\n\n');
  const json = await cli(['explain', '--json', file]);
  assert.equal(json.code, 0);
  const docs = json.stdout.trimEnd().split('\n');
  assert.equal(docs.length, 1, json.stdout);
  assert.equal((JSON.parse(docs[0] as string) as { event: { action: string } }).event.action, 'wireguard-handshake-initiation-invalid');
});

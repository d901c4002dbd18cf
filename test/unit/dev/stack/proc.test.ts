import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaPom, KAFKA_VERSION, LOG4J_VERSION } from '../../../../src/dev/stack/artifacts.ts';
import { installedJdks, pickJdk } from '../../../../src/dev/stack/java.ts';
import { pickPort, portOpen } from '../../../../src/dev/stack/ports.ts';
import { isOurs, stopProcess } from '../../../../src/dev/stack/proc.ts';
import { run } from '../../../../src/shared/util/run.ts';

test('a process is "ours" only while it runs with our marker on its command line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-siem-proc-'));
  const marker = join(dir, 'marker-file');
  writeFileSync(marker, '');
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  // `sleep 30` does not carry the marker: never ours.
  assert.equal(isOurs(child.pid ?? -1, marker), false);
  child.kill();
  const withMarker = spawn('sh', ['-c', 'sleep 30', marker], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(isOurs(withMarker.pid ?? -1, marker), true);
  assert.equal(isOurs(withMarker.pid ?? -1, '/not/the/marker'), false);
  assert.equal(await stopProcess(withMarker.pid ?? -1, marker, 5000), 'stopped');
  assert.equal(isOurs(withMarker.pid ?? -1, marker), false);
  assert.equal(await stopProcess(withMarker.pid ?? -1, marker, 5000), 'not-running');
  assert.equal(isOurs(1, marker), false);
});

test('a process that ignores SIGTERM is killed after the grace period', async () => {
  const marker = `wg-siem-test-${process.pid}-stubborn`;
  const child = spawn('sh', ['-c', 'trap "" TERM; while :; do sleep 0.05; done', marker], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await stopProcess(child.pid ?? -1, marker, 300), 'killed');
});

test('pickPort keeps a free preferred port and avoids a busy one', async () => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const busy = (srv.address() as { port: number }).port;
  assert.equal(await portOpen(busy), true);
  const other = await pickPort(busy, new Set());
  assert.notEqual(other, busy);
  srv.close();
  const free = await pickPort(other, new Set());
  assert.equal(free, other);
  const avoided = await pickPort(other, new Set([other]));
  assert.notEqual(avoided, other);
  // A restart asks for its previous port first, then the configured one.
  assert.equal(await pickPort([undefined, other], new Set()), other);
  srv.listen(busy, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  assert.equal(await pickPort([busy, other], new Set()), other, 'a busy previous port falls back to the preferred one');
  srv.close();
});

test('run collects output and exit codes, and reports a missing program', async () => {
  const ok = await run('sh', ['-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 5000 });
  assert.deepEqual([ok.code, ok.stdout.trim(), ok.stderr.trim()], [3, 'out', 'err']);
  const missing = await run('/nonexistent/program', [], { timeoutMs: 5000 });
  assert.equal(missing.code, 127);
});

test('the Kafka POM pins Kafka and the log4j2 binding it lacks', () => {
  const pom = kafkaPom();
  assert.match(pom, new RegExp(`<artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version>`));
  for (const a of ['log4j-slf4j-impl', 'log4j-core', 'log4j-api']) assert.ok(pom.includes(`<artifactId>${a}</artifactId><version>${LOG4J_VERSION}</version>`), a);
});

test('JDK selection takes an installed JDK new enough for each engine, or says what is missing', () => {
  const jdks = installedJdks();
  assert.ok(jdks.length > 0, 'this machine has JDKs under /usr/lib/jvm');
  const k = pickJdk('Kafka', 17, undefined);
  assert.ok(k.major >= 17);
  assert.throws(() => pickJdk('Future', 999, undefined), /Future needs Java 999 or newer/);
  assert.throws(() => pickJdk('X', 17, '/nonexistent'), /not a JDK/);
});

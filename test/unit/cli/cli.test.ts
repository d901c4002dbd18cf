import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../../helpers/cli.ts';

test('--help lists the commands', async () => {
  const r = await cli(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['stack', 'config', 'capabilities', 'doctor']) assert.match(r.stdout, new RegExp(`\\n  ${c}\\b`));
  const s = await cli(['stack', '--help']);
  for (const c of ['up', 'down', 'status']) assert.match(s.stdout, new RegExp(`\\n  ${c}\\b`));
});

test('bad configuration: every bad key is listed and the exit status is 2', async () => {
  const r = await cli(['config'], { WG_SIEM_BATCH_SIZE: 'x', WG_SIEM_LOG_LEVEL: 'loud', WG_SIEM_NOPE: '1' });
  assert.equal(r.code, 2);
  for (const k of ['WG_SIEM_BATCH_SIZE', 'WG_SIEM_LOG_LEVEL', 'WG_SIEM_NOPE']) assert.ok(r.stderr.includes(k), r.stderr);
});

test('an unknown command is a usage error (exit 2)', async () => {
  const r = await cli(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command/);
});

test('config never prints a secret', async () => {
  const r = await cli(['config', '--json'], { WG_SIEM_ES_USERNAME: 'u', WG_SIEM_ES_PASSWORD: 'hunter2-secret' });
  assert.equal(r.code, 0);
  assert.ok(!r.stdout.includes('hunter2-secret'));
  assert.equal((JSON.parse(r.stdout) as Record<string, unknown>)['elasticsearch.password'], '[redacted]');
});

test('setup --kibana needs a URL, and --check does not combine with it: usage errors (exit 2) before any connection', async () => {
  const none = await cli(['setup', '--kibana'], { WG_SIEM_ES_NODES: 'http://127.0.0.1:1' });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--kibana needs a URL: give one, or set kibana\.url \(WG_SIEM_KIBANA_URL\)/);
  const both = await cli(['setup', '--check', '--kibana', 'http://127.0.0.1:1'], { WG_SIEM_ES_NODES: 'http://127.0.0.1:1' });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--check compares Elasticsearch only/);
});
